/**
 * The pieces every azurerm -> ARM mapping is written with: a `Draft` (one ARM resource being
 * built from one or more Terraform instances, remembering which Terraform attribute each ARM
 * property came from, for locations), attribute readers that treat Terraform's null as "not
 * set", and the small value conversions the provider itself makes (bool -> Enabled/Disabled).
 */
import type { SourceLocation } from '../../../../core/model.ts';
import type { DeploymentScope } from '../../../expressions/context.ts';
import { isObject, Unknown, type Value, type ValueObject } from '../../../expressions/value.ts';
import { getPath, pathParts } from '../../../resource.ts';
import type { TerraformInstance } from '../instance.ts';
import { KNOWN_AFTER_APPLY } from '../values.ts';

/** What a mapping may ask of the run: the scope, and the other instances (parents, referenced resources). */
export interface MappingContext {
  scope: DeploymentScope;
  /** The ARM resources an instance maps to (mapped on first ask); empty when unmapped. */
  draftsOf(i: TerraformInstance): readonly Draft[];
  /**
   * The instance an attribute refers to, among managed instances of `types`: by the
   * configuration's references (same module instance and index preferred), else by the
   * attribute's value equal to an instance's `id`.
   */
  referenced(i: TerraformInstance, attr: string, types: readonly string[]): TerraformInstance | undefined;
  /** The managed instance of `types` at a configuration address `i` refers to (same module instance and index preferred). */
  byReference(ref: string, i: TerraformInstance, types: readonly string[]): TerraformInstance | undefined;
  /** The first draft of an ARM type with this name (case-insensitive), for attributes that name a parent. */
  draftNamed(armType: string, name: string): Draft | undefined;
}

/** Lower-cased dotted form of a path: `a.b[0].c` -> `a.b.0.c`. */
function pathKey(path: string): string {
  return pathParts(path).join('.').toLowerCase();
}

/** One ARM resource under construction. */
export class Draft {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string | Unknown;
  readonly id: string;
  readonly body: ValueObject;
  readonly from: TerraformInstance;
  readonly location: SourceLocation;
  /** ARM path (lower-cased, dotted) -> where its value is set in Terraform. */
  private readonly places = new Map<string, () => SourceLocation>();

  constructor(
    from: TerraformInstance,
    spec: { type: string; apiVersion: string; name: string | Unknown; id: string; location?: SourceLocation },
  ) {
    this.from = from;
    this.type = spec.type;
    this.apiVersion = spec.apiVersion;
    this.name = spec.name;
    this.id = spec.id;
    this.location = spec.location ?? from.location;
    this.body = { name: spec.name };
  }

  /**
   * Sets an ARM property (creating the objects on the way) and remembers that Terraform
   * attribute `tf` of instance `at` (this draft's own by default) sets it. `undefined` sets nothing.
   */
  set(armPath: string, value: Value | undefined, tf?: string, at: TerraformInstance = this.from): void {
    if (value === undefined) return;
    const parts = pathParts(armPath);
    let cur: ValueObject = this.body;
    for (let k = 0; k < parts.length - 1; k++) {
      const part = parts[k] as string;
      const next = cur[part];
      if (isObject(next)) cur = next;
      else {
        const made: ValueObject = {};
        cur[part] = made;
        cur = made;
      }
    }
    cur[parts[parts.length - 1] as string] = value;
    if (tf !== undefined) this.place(armPath, tf, at);
  }

  /** Remembers where an ARM path is set in Terraform, without setting a value. */
  place(armPath: string, tf: string, at: TerraformInstance = this.from): void {
    this.places.set(pathKey(armPath), () => at.locate(tf));
  }

  /**
   * Copies the first set attribute of `tf` (alternatives: azurerm v4's name first, then v3's)
   * to `armPath`, converted when known; an Unknown goes through as it is.
   */
  copy(armPath: string, tf: string | readonly string[], convert?: (v: Value) => Value | undefined): void {
    const found = firstSet(this.from, tf);
    if (!found) return;
    const value = found.value instanceof Unknown || !convert ? found.value : convert(found.value);
    this.set(armPath, value, found.path);
  }

  /** Where an ARM path is set: the deepest recorded ancestor's Terraform attribute, else the declaration. */
  locate(path: string): SourceLocation {
    const parts = pathParts(path);
    for (let n = parts.length; n > 0; n--) {
      const place = this.places.get(parts.slice(0, n).join('.').toLowerCase());
      if (place) return place();
    }
    return this.location;
  }
}

/**
 * An attribute's value, with Terraform's null (not set) as undefined. A top-level attribute the
 * configuration does not set and whose value is known only after apply is computed by Azure
 * (the provider sends nothing for it), so it reads as absent, as in a template that leaves it
 * out: ARM's platform default decides it for both.
 */
export function attr(i: TerraformInstance, path: string): Value | undefined {
  const v = getPath(i.values, path);
  if (v === null) return undefined;
  if (v instanceof Unknown && v.reason === KNOWN_AFTER_APPLY && i.references) {
    const top = pathParts(path)[0] as string;
    if (!i.references.has(top) && i.values[top] instanceof Unknown) return undefined;
  }
  return v;
}

/** The first of several attribute names that is set (v4 name first, then the v3 one), with its path. */
export function firstSet(
  i: TerraformInstance,
  tf: string | readonly string[],
): { path: string; value: Value } | undefined {
  for (const path of typeof tf === 'string' ? [tf] : tf) {
    const value = attr(i, path);
    if (value !== undefined) return { path, value };
  }
  return undefined;
}

/**
 * A nested block Terraform holds as a one-element list (`network_rules`): its object, the
 * Unknown when the block is known only after apply, or undefined when absent or empty.
 */
export function block(i: TerraformInstance, name: string): ValueObject | Unknown | undefined {
  const v = attr(i, name);
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    const first = v[0];
    if (first instanceof Unknown) return first;
    return isObject(first) ? first : undefined;
  }
  return isObject(v) ? v : undefined;
}

/** A value inside a block, null as undefined; an unknown block makes it unknown. */
export function inBlock(b: ValueObject | Unknown | undefined, path: string): Value | undefined {
  if (b === undefined) return undefined;
  if (b instanceof Unknown) return b;
  const v = getPath(b, path);
  return v === null ? undefined : v;
}

/** `true` -> `Enabled`, `false` -> `Disabled` (how the provider writes ARM's access enums). */
export function enabled(v: Value): Value | undefined {
  return typeof v === 'boolean' ? (v ? 'Enabled' : 'Disabled') : undefined;
}

/** The negation of a boolean (`local_authentication_enabled` -> `disableLocalAuth`). */
export function not(v: Value): Value | undefined {
  return typeof v === 'boolean' ? !v : undefined;
}

/** A list of strings as ARM objects (`ip_rules` -> `[{ value, action: 'Allow' }]`). */
export function listOf(make: (item: Value) => Value): (v: Value) => Value | undefined {
  return (v) =>
    Array.isArray(v) ? v.map((item) => (item instanceof Unknown ? item : make(item))) : undefined;
}

/** ARM region names are lower case without spaces (`Australia East` -> `australiaeast`). */
export function armLocation(v: Value): Value | undefined {
  return typeof v === 'string' ? v.toLowerCase().split(' ').join('') : undefined;
}

/** A readable stand-in for an unknown part of a name or id. */
export function partText(v: Value | undefined, what: string): string {
  if (typeof v === 'string') return v;
  if (v instanceof Unknown) return `{${what}: ${v.reason}}`;
  return `{${what}: not set}`;
}

/**
 * The resource id: the instance's own `id` when Terraform knows it and it is an ARM id, else a
 * stand-in built as ARM would (`/subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}`)
 * with readable placeholders for the unknown parts.
 */
export function resourceId(
  ctx: MappingContext,
  i: TerraformInstance,
  type: string,
  name: string | Unknown,
  resourceGroup: Value | undefined = attr(i, 'resource_group_name'),
): string {
  const own = attr(i, 'id');
  if (typeof own === 'string' && own.toLowerCase().startsWith('/subscriptions/') && !own.includes('|'))
    return own;
  const [namespace, ...types] = type.split('/');
  const names = name instanceof Unknown ? [partText(name, 'name')] : name.split('/');
  let path = namespace as string;
  for (let k = 0; k < types.length; k++) path += `/${types[k]}/${names[k] ?? '{name}'}`;
  return `/subscriptions/${ctx.scope.subscriptionId}/resourceGroups/${partText(resourceGroup, 'resource_group_name')}/providers/${path}`;
}

/** The id of a child of a mapped parent (`.../storageAccounts/a` -> `.../storageAccounts/a/blobServices/default`). */
export function childIdOf(parent: Draft, type: string, leaf: string): string {
  return `${parent.id}/${type.slice(type.lastIndexOf('/') + 1)}/${leaf}`;
}

/** `name` of an instance: the string, or the Unknown (known after apply). */
export function nameOf(i: TerraformInstance, attribute = 'name'): string | Unknown {
  const v = attr(i, attribute);
  if (typeof v === 'string') return v;
  if (v instanceof Unknown) return v;
  return new Unknown(`${i.address} has no ${attribute}`, i.location);
}

/** A child name `parent/leaf`, unknown when either part is. */
export function childName(parent: string | Unknown, leaf: string | Unknown): string | Unknown {
  if (parent instanceof Unknown) return parent;
  if (leaf instanceof Unknown) return leaf;
  return `${parent}/${leaf}`;
}

/**
 * A draft for an instance with the usual top-level members: `location`, `tags`, and
 * `identity` (Terraform's block as ARM's object).
 */
export function standardDraft(
  ctx: MappingContext,
  i: TerraformInstance,
  spec: { type: string; apiVersion: string; name?: string | Unknown; id?: string },
): Draft {
  const name = spec.name ?? nameOf(i);
  const d = new Draft(i, {
    type: spec.type,
    apiVersion: spec.apiVersion,
    name,
    id: spec.id ?? resourceId(ctx, i, spec.type, name),
  });
  d.copy('location', 'location', armLocation);
  d.copy('tags', 'tags');
  const identity = block(i, 'identity');
  if (identity instanceof Unknown) d.set('identity', identity, 'identity');
  else if (identity) {
    d.set('identity.type', inBlock(identity, 'type'), 'identity.0.type');
    const ids = inBlock(identity, 'identity_ids');
    if (ids instanceof Unknown) d.set('identity.userAssignedIdentities', ids, 'identity.0.identity_ids');
    else if (Array.isArray(ids) && ids.length > 0) {
      const assigned: ValueObject = {};
      for (const id of ids) if (typeof id === 'string') assigned[id] = {};
      if (ids.some((id) => id instanceof Unknown)) {
        d.set(
          'identity.userAssignedIdentities',
          new Unknown('an identity id is known after apply'),
          'identity.0.identity_ids',
        );
      } else d.set('identity.userAssignedIdentities', assigned, 'identity.0.identity_ids');
    }
  }
  return d;
}

/**
 * An id-valued attribute as ARM would see it: the value when known; when it is known only
 * after apply and the configuration refers to a mapped resource, that resource's id (a
 * stand-in, so topology and checks can follow it); else the Unknown.
 */
export function idAttr(
  ctx: MappingContext,
  i: TerraformInstance,
  attribute: string,
  types: readonly string[],
): Value | undefined {
  const v = attr(i, attribute);
  if (v === undefined || typeof v === 'string') return v;
  const target = ctx.referenced(i, attribute, types);
  const draft = target ? ctx.draftsOf(target)[0] : undefined;
  return draft ? draft.id : v;
}

/** The first draft of the instance an attribute refers to, of one ARM type. */
export function parentDraft(
  ctx: MappingContext,
  i: TerraformInstance,
  attribute: string,
  types: readonly string[],
  armType: string,
): Draft | undefined {
  const target = ctx.referenced(i, attribute, types);
  return target
    ? ctx.draftsOf(target).find((d) => d.type.toLowerCase() === armType.toLowerCase())
    : undefined;
}

/** One azurerm (or azapi) resource type's mapping. */
export interface TypeMapping {
  tfType: string;
  /** The ARM type the instances become or attach to, for docs (`Microsoft.Storage/storageAccounts`). */
  armType: string;
  /** Other ARM types the mapping yields (child resources), for docs. */
  alsoArm?: readonly string[];
  /** Checks on another resource (the parent, a target) that read what this type yields, for docs. */
  informs?: readonly string[];
  /** Builds the ARM resources of an instance. */
  map?(i: TerraformInstance, ctx: MappingContext): Draft[];
  /** Adds the instance's settings to the parent's draft; returns a reason when there is no parent to attach to. */
  attach?(i: TerraformInstance, ctx: MappingContext): string | undefined;
}

/** The last segment of a known id attribute (a name attribute is its own last segment), or why it is unknown. */
export function nameFromId(id: Value | undefined, i: TerraformInstance, attribute: string): string | Unknown {
  if (typeof id === 'string') {
    const parts = id.split('/');
    return parts[parts.length - 1] || new Unknown(`${i.address}: ${attribute} names no resource`, i.location);
  }
  return id instanceof Unknown ? id : new Unknown(`${i.address} has no ${attribute}`, i.location);
}

/**
 * A child resource (`server/rule`) of the parent an attribute names: the parent's draft when
 * it is in the plan (its name and resource group), else the name at the end of the known id.
 */
export function childDraft(
  ctx: MappingContext,
  i: TerraformInstance,
  spec: {
    type: string;
    apiVersion: string;
    parentAttr: string;
    parentTypes: readonly string[];
    parentArm: string;
    leaf?: string | Unknown;
  },
): Draft {
  const parent = parentDraft(ctx, i, spec.parentAttr, spec.parentTypes, spec.parentArm);
  const parentName = parent?.name ?? nameFromId(attr(i, spec.parentAttr), i, spec.parentAttr);
  const name = childName(parentName, spec.leaf ?? nameOf(i));
  const rg = parent
    ? attr(parent.from, 'resource_group_name')
    : (resourceGroupOfId(attr(i, spec.parentAttr)) ?? attr(i, 'resource_group_name'));
  return new Draft(i, {
    type: spec.type,
    apiVersion: spec.apiVersion,
    name,
    id: resourceId(ctx, i, spec.type, name, rg),
  });
}

/** The resource group named in a known resource id. */
function resourceGroupOfId(id: Value | undefined): Value | undefined {
  if (typeof id !== 'string') return id;
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === 'resourcegroups');
  return at >= 0 ? parts[at + 1] : undefined;
}
