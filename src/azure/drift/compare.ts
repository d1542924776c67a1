/**
 * Drift: the model of what is planned against the model of what is deployed, both
 * `AzureResource` lists (any Azure source scanAzure reads). Pure: no I/O, no checks; the
 * AZ-DRIFT checks (checks.ts) judge what this decides.
 *
 * Matching: by resource id, ignoring case, as ARM ids compare. A planned resource whose id has
 * unknown parts (its name is an Unknown) is matched by type and name within the same scope; with
 * no name, it is absent when the scope holds no unmatched deployed resource of its type, and
 * undecided otherwise. A deployed resource no planned resource matches is unmanaged when it sits
 * in a scope the plan touches (the part of its id before the first `/providers/`: a resource
 * group, a subscription or the tenant), and is ignored otherwise.
 */
import { effectiveDefault, PLATFORM_DEFAULTS, type PlatformDefault } from '../checks/platform-defaults.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { securityProperties } from './security-properties.ts';

/** A planned resource and what it was matched to. */
export interface PlannedMatch {
  side: 'planned';
  planned: AzureResource;
  /** The deployed resource it matches; absent when none does (or the match is undecided). */
  deployed?: AzureResource;
  by: 'id' | 'type-name';
  /** Why the match cannot be decided; then `deployed` is absent. */
  undecided?: string;
}

/** A deployed resource in a scope the plan touches that no planned resource matches. */
export interface Unmanaged {
  side: 'deployed';
  deployed: AzureResource;
  /** Why it may still be managed (a planned resource of its type whose name is unknown). */
  undecided?: string;
}

export type DriftItem = PlannedMatch | Unmanaged;

export interface DriftComparison {
  items: DriftItem[];
  /** Deployed resources outside every scope the plan touches: not compared. */
  ignored: AzureResource[];
  /** The scopes the plan touches (lower case), in first-seen order. */
  scopes: string[];
}

/** Deployments are how a plan is applied, not resources a live export lists: left out on both sides. */
const DEPLOYMENTS = 'microsoft.resources/deployments';

const compared = (r: AzureResource): boolean => r.type.toLowerCase() !== DEPLOYMENTS;

/** Whether the id has parts the template could not decide (`resourceIdOf` writes `{unknown}`). */
export function hasUnknownParts(r: AzureResource): boolean {
  return r.name instanceof Unknown || r.id.includes('{unknown}');
}

const unknownReason = (r: AzureResource): string =>
  r.name instanceof Unknown ? r.name.reason : 'its id has unknown parts';

/** The scope of an ARM id: what comes before its first `/providers/` (a resource group, a subscription, '' for the tenant). */
export function scopeOfId(id: string): string {
  return scopeAsWritten(id).toLowerCase();
}

/** The scope as the id writes it, for messages ('the tenant' when empty). */
function scopeAsWritten(id: string): string {
  const at = id.toLowerCase().indexOf('/providers/');
  return at < 0 ? id : id.slice(0, at);
}

const where = (id: string): string => scopeAsWritten(id) || 'the tenant';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const typeKey = (scope: string, type: string): string => `${scope}\0${type.toLowerCase()}`;

export function compareModels(
  planned: readonly AzureResource[],
  deployed: readonly AzureResource[],
): DriftComparison {
  const plannedList = planned.filter(compared);
  const deployedList = deployed.filter(compared);
  const byId = new Map<string, AzureResource[]>();
  const byName = new Map<string, AzureResource[]>();
  for (const d of deployedList) {
    push(byId, d.id.toLowerCase(), d);
    if (typeof d.name === 'string')
      push(byName, `${typeKey(scopeOfId(d.id), d.type)}\0${d.name.toLowerCase()}`, d);
  }
  const used = new Set<AzureResource>();
  const scopes = new Set<string>();
  const matches: PlannedMatch[] = [];
  const later: { planned: AzureResource; at: number }[] = [];
  // Known ids first: a resource with an unknown name may only claim what no known id matched.
  for (const p of plannedList) {
    scopes.add(scopeOfId(p.id));
    if (hasUnknownParts(p)) {
      later.push({ planned: p, at: matches.length });
      matches.push({ side: 'planned', planned: p, by: 'type-name' });
      continue;
    }
    const hit = byId.get(p.id.toLowerCase())?.[0];
    if (hit) used.add(hit);
    matches.push({ side: 'planned', planned: p, by: 'id', ...(hit ? { deployed: hit } : {}) });
  }
  // A deployed resource whose name its source cannot decide may be any planned one of its type there.
  const unnamed = new Map<string, AzureResource>();
  for (const d of deployedList)
    if (hasUnknownParts(d) && !used.has(d)) unnamed.set(typeKey(scopeOfId(d.id), d.type), d);
  if (unnamed.size > 0)
    for (const match of matches) {
      const d = unnamed.get(typeKey(scopeOfId(match.planned.id), match.planned.type));
      if (match.by === 'id' && !match.deployed && d)
        match.undecided = `a deployed ${d.type} in ${where(d.id)} has an unknown name (${unknownReason(d)}); it may be this one`;
    }
  /** Types with an undecided planned resource, by scope: a deployed one of them may be it. */
  const undecidedTypes = new Map<string, AzureResource>();
  for (const { planned: p, at } of later) {
    const scope = scopeOfId(p.id);
    const match = matches[at] as PlannedMatch;
    if (typeof p.name === 'string') {
      const candidates = (byName.get(`${typeKey(scope, p.type)}\0${p.name.toLowerCase()}`) ?? []).filter(
        (d) => !used.has(d),
      );
      if (candidates.length === 1) {
        match.deployed = candidates[0] as AzureResource;
        used.add(match.deployed);
      } else if (candidates.length > 1) {
        match.undecided = `${candidates.length} deployed resources have its type and name in ${where(p.id)}`;
        undecidedTypes.set(typeKey(scope, p.type), p);
      }
      continue;
    }
    const open = deployedList.filter(
      (d) => !used.has(d) && scopeOfId(d.id) === scope && d.type.toLowerCase() === p.type.toLowerCase(),
    );
    if (open.length === 0) continue;
    match.undecided = `its name is unknown (${p.name.reason}), and ${open.length} deployed resource(s) of its type in ${where(p.id)} could be it`;
    undecidedTypes.set(typeKey(scope, p.type), p);
  }
  const items: DriftItem[] = [...matches];
  const ignored: AzureResource[] = [];
  for (const d of deployedList) {
    if (used.has(d)) continue;
    const scope = scopeOfId(d.id);
    if (!scopes.has(scope)) {
      ignored.push(d);
      continue;
    }
    const maybe = undecidedTypes.get(typeKey(scope, d.type));
    const undecided = hasUnknownParts(d)
      ? `its name is unknown in the deployed model (${unknownReason(d)})`
      : maybe
        ? `the plan declares a ${maybe.type} here that could not be matched by name; it may be this one`
        : undefined;
    items.push({ side: 'deployed', deployed: d, ...(undecided ? { undecided } : {}) });
  }
  return { items, ignored, scopes: [...scopes] };
}

/** How one security-relevant property compares. */
export interface PropertyDrift {
  path: string;
  status: 'same' | 'differs' | 'unknown';
  /** The values read (an unset property is null; an Unknown its JSON form). */
  planned: unknown;
  deployed: unknown;
  /** Why it is unknown, or how an unset side was read. */
  reason?: string;
}

/** Keys a live resource carries about its state, not its configuration. */
const STATE_KEYS = new Set(['etag', 'provisioningstate']);

/**
 * A canonical text for comparing values: strings without case (ids and enums), object keys
 * without case and in order, arrays as sets (rule lists and address lists have no meaningful
 * order). The first Unknown inside makes the whole value unknown.
 */
function canonical(v: Value): string | Unknown {
  if (v instanceof Unknown) return v;
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.toLowerCase());
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const e of v) {
      const c = canonical(e);
      if (c instanceof Unknown) return c;
      parts.push(c);
    }
    return `[${parts.sort().join(',')}]`;
  }
  if (!isObject(v)) return String(v);
  const entries: string[] = [];
  for (const k in v) {
    if (!Object.hasOwn(v, k) || STATE_KEYS.has(k.toLowerCase())) continue;
    const c = canonical(v[k] as Value);
    if (c instanceof Unknown) return c;
    entries.push(`${JSON.stringify(k.toLowerCase())}:${c}`);
  }
  return `{${entries.sort().join(',')}}`;
}

const shown = (v: Value | undefined): unknown => (v instanceof Unknown ? v.toJSON() : (v ?? null));

const defaultsByProperty = new Map<string, PlatformDefault>(
  Object.values(PLATFORM_DEFAULTS).map((d: PlatformDefault) => [
    `${d.resourceType.toLowerCase()}\0${d.property.toLowerCase()}`,
    d,
  ]),
);

/** What an unset property means on one side: the platform default when the table records one. */
function unsetValue(
  r: AzureResource,
  path: string,
  now: string,
): { value: Value; because: string } | { undecided: string } | undefined {
  const entry = defaultsByProperty.get(`${r.type.toLowerCase()}\0${path.toLowerCase()}`);
  if (!entry) return undefined;
  const effective = effectiveDefault(entry, r.apiVersion, now);
  return 'value' in effective ? effective : { undecided: effective.undecided };
}

/** The security-relevant properties of a matched pair, each compared (docs/drift.md). */
export function compareProperties(
  planned: AzureResource,
  deployed: AzureResource,
  now: string,
): PropertyDrift[] {
  return securityProperties(planned.type).map(({ path }) => {
    const a = getPath(planned.body, path);
    const b = getPath(deployed.body, path);
    const base = { path, planned: shown(a), deployed: shown(b) };
    if (a instanceof Unknown)
      return { ...base, status: 'unknown', reason: `the planned value is unknown (${a.reason})` };
    if (b instanceof Unknown)
      return { ...base, status: 'unknown', reason: `the deployed value is unknown (${b.reason})` };
    if (a === undefined && b === undefined) return { ...base, status: 'same' };
    let left: Value = a as Value;
    let right: Value = b as Value;
    let reason: string | undefined;
    if (a === undefined || b === undefined) {
      const side = a === undefined ? 'planned' : 'deployed';
      const unset = unsetValue(a === undefined ? planned : deployed, path, now);
      if (unset && 'undecided' in unset)
        return { ...base, status: 'unknown', reason: `unset in the ${side} model: ${unset.undecided}` };
      if (unset) {
        reason = `unset in the ${side} model, where ${unset.because}`;
        if (a === undefined) left = unset.value;
        else right = unset.value;
      } else if (a === undefined)
        return {
          ...base,
          status: 'unknown',
          reason: 'the plan leaves it to the Azure default, which assay does not record for this property',
        };
      else
        return {
          ...base,
          status: 'differs',
          reason: 'the deployed model does not carry the planned setting',
        };
    }
    const l = canonical(left);
    const r = canonical(right);
    if (l instanceof Unknown)
      return { ...base, status: 'unknown', reason: `the planned value is unknown (${l.reason})` };
    if (r instanceof Unknown)
      return { ...base, status: 'unknown', reason: `the deployed value is unknown (${r.reason})` };
    return { ...base, status: l === r ? 'same' : 'differs', ...(reason ? { reason } : {}) };
  });
}
