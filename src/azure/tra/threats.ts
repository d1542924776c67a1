/**
 * Threat enumeration and rating: each rule of the table applied to the elements it fits,
 * linked to the findings that make the threat more likely and the passing checks that
 * mitigate it, and rated for inherent and residual risk (rules in docs/tra.md). Pure.
 */
import type { Finding, SourceLocation, Status } from '../../core/model.ts';
import type { ArchitectureModel, ArchNode, DataFlow, Exposure, NodeKind } from '../architecture/model.ts';
import { isObject } from '../expressions/value.ts';
import type { AzureResource, AzureSubject } from '../resource.ts';
import { getPath } from '../resource.ts';
import { clamp, type Level, type Risk, type RiskRating, rate, ratingRank } from './matrix.ts';
import {
  CLASSIFICATION_FLOOR,
  normaliseClassification,
  type Stride,
  THREAT_RULES,
  type ThreatRule,
} from './rules.ts';

/** Base likelihood by exposure (docs/tra.md): an unknown exposure is rated as if open, and marked. */
export const EXPOSURE_LIKELIHOOD: Record<Exposure, Level> = {
  internet: 4,
  unknown: 4,
  restricted: 3,
  private: 2,
};

export interface LinkedFinding {
  checkId: string;
  status: Status;
  subjectId: string;
  subjectName: string;
  message: string;
  location: SourceLocation;
}

export interface ThreatElement {
  /** Subject id of the resource (the assessment's), or the node id when it has none. */
  subjectId: string;
  name: string;
  type: string;
  kind?: NodeKind;
  location: SourceLocation;
  /** Node id in the architecture model, when the element is a node (a flow's destination for a flow). */
  node?: string;
  /** The data flow (id) the threat is about, for flow rules. */
  flow?: string;
}

/** One step of the rating, for the register: `+1 AZ-NET-001 fails (nsg-app)`. */
export interface RatingStep {
  what: 'likelihood' | 'consequence';
  change: number;
  reason: string;
}

export interface Threat {
  /** `T001`..., in element order then rule order. */
  id: string;
  ruleId: string;
  title: string;
  stride: Stride[];
  statement: string;
  element: ThreatElement;
  /** The exposure that drove the likelihood; undefined for residency and global rules. */
  exposure?: Exposure;
  /** Exposure paths (ids) of the element that are open or undecided. */
  paths: string[];
  classification?: string;
  inherent: Risk;
  residual: Risk;
  /** Failing findings of relevant checks (they raised the inherent likelihood). */
  aggravating: LinkedFinding[];
  /** Passing findings of relevant checks (they lowered the residual). */
  mitigating: LinkedFinding[];
  /** Unknown (or errored) findings of relevant checks: no credit either way. */
  undetermined: LinkedFinding[];
  /** Residency and global rules: the findings that raised the threat. */
  triggers: LinkedFinding[];
  steps: RatingStep[];
  /** `fail` above the risk appetite, `pass` within it, `unknown` when the exposure or trigger is unknown. */
  status: 'pass' | 'fail' | 'unknown';
  controls: string[];
  treatment: string;
}

export interface ThreatOptions {
  /** Classification of the data when a resource has no classification tag (e.g. `PROTECTED`). */
  classification?: string;
  /** The highest residual rating accepted without treatment (default Medium). */
  appetite?: RiskRating;
}

const CLASSIFICATION_TAGS = [
  'dataclassification',
  'classification',
  'data-classification',
  'securityclassification',
];

function classificationOf(r: AzureResource | undefined, fallback: string | undefined): string | undefined {
  const tags = r ? getPath(r.body, 'tags') : undefined;
  if (isObject(tags))
    for (const [k, v] of Object.entries(tags))
      if (
        CLASSIFICATION_TAGS.includes(k.toLowerCase()) &&
        typeof v === 'string' &&
        normaliseClassification(v)
      )
        return v;
  return fallback && normaliseClassification(fallback) ? fallback : undefined;
}

/** One linked record per finding, shared by every threat it bears on. */
function link(f: Finding, links: Map<Finding, LinkedFinding>): LinkedFinding {
  let linked = links.get(f);
  if (!linked) {
    linked = {
      checkId: f.checkId,
      status: f.status,
      subjectId: f.subject.id,
      subjectName: f.subject.name,
      message: f.message,
      location: f.location,
    };
    links.set(f, linked);
  }
  return linked;
}

interface Index {
  findings: Map<string, Finding[]>;
  subjectOf: Map<AzureResource, AzureSubject>;
  /** Child subjects by `parent type|parent name` (lower case). */
  children: Map<string, AzureSubject[]>;
  nodes: Map<string, ArchNode>;
  incoming: Map<string, { from: string; kind: string }[]>;
  outgoing: Map<string, { to: string; kind: string }[]>;
  /** Linked records already made, by finding. */
  links: Map<Finding, LinkedFinding>;
}

function buildIndex(
  model: ArchitectureModel,
  subjects: readonly AzureSubject[],
  findings: readonly Finding[],
): Index {
  const byFinding = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFinding.get(f.subject.id) ?? [];
    list.push(f);
    byFinding.set(f.subject.id, list);
  }
  const subjectOf = new Map<AzureResource, AzureSubject>();
  const children = new Map<string, AzureSubject[]>();
  for (const s of subjects) {
    subjectOf.set(s.data, s);
    const r = s.data;
    const parts = r.type.split('/');
    if (parts.length > 2 && typeof r.name === 'string') {
      const key = `${parts.slice(0, -1).join('/')}|${r.name.split('/').slice(0, -1).join('/')}`.toLowerCase();
      const list = children.get(key) ?? [];
      list.push(s);
      children.set(key, list);
    }
  }
  const incoming = new Map<string, { from: string; kind: string }[]>();
  const outgoing = new Map<string, { to: string; kind: string }[]>();
  for (const e of model.edges) {
    const into = incoming.get(e.to);
    if (into) into.push({ from: e.from, kind: e.kind });
    else incoming.set(e.to, [{ from: e.from, kind: e.kind }]);
    const from = outgoing.get(e.from);
    if (from) from.push({ to: e.to, kind: e.kind });
    else outgoing.set(e.from, [{ to: e.to, kind: e.kind }]);
  }
  return {
    findings: byFinding,
    subjectOf,
    children,
    nodes: new Map(model.nodes.map((n) => [n.id, n])),
    incoming,
    outgoing,
    links: new Map(),
  };
}

/**
 * Subjects whose findings bear on a threat to a node: the node, its children (SQL firewall
 * rules, blob services), the hops of its paths, its NICs, their subnets, and the NSGs that
 * protect any of those.
 */
function relatedSubjects(node: ArchNode, hops: string[], index: Index): Set<string> {
  const nodes = new Set<string>([node.id, ...hops]);
  for (const e of index.incoming.get(node.id) ?? []) if (e.kind === 'attached') nodes.add(e.from);
  for (const id of [...nodes])
    for (const e of index.outgoing.get(id) ?? []) if (e.kind === 'in-subnet') nodes.add(e.to);
  for (const id of [...nodes])
    for (const e of index.incoming.get(id) ?? []) if (e.kind === 'protects') nodes.add(e.from);
  const out = new Set<string>();
  for (const id of nodes) {
    const n = index.nodes.get(id);
    if (n?.subjectId) out.add(n.subjectId);
    const r = n?.resource;
    if (r && typeof r.name === 'string' && n?.kind !== 'subnet')
      for (const child of index.children.get(`${r.type}|${r.name}`.toLowerCase()) ?? []) out.add(child.id);
  }
  return out;
}

/** The first failing, first undecided and first passing finding of one check over a set of subjects. */
interface Verdict {
  fail?: LinkedFinding;
  undecided?: LinkedFinding;
  pass?: LinkedFinding;
}

/**
 * Verdicts of every check over the related subjects, in subject then finding order
 * (not-applicable findings are no evidence). Worked out once per element and shared by all
 * its rules.
 */
function verdictsOver(subjects: Set<string>, index: Index): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const s of subjects) {
    const own = index.findings.get(s);
    if (!own) continue;
    for (const f of own) {
      if (f.status === 'not-applicable') continue;
      let v = verdicts.get(f.checkId);
      if (!v) {
        v = {};
        verdicts.set(f.checkId, v);
      }
      if (f.status === 'fail') v.fail ??= link(f, index.links);
      else if (f.status === 'unknown' || f.status === 'error') v.undecided ??= link(f, index.links);
      else v.pass ??= link(f, index.links);
    }
  }
  return verdicts;
}

/** Verdicts of the rule's checks: fail beats unknown beats pass. */
/** The NSG-rule checks: their verdict is about the NSGs on a machine's network path. */
const NSG_CHECKS: ReadonlySet<string> = new Set(['AZ-NET-001', 'AZ-NET-003']);

/**
 * A machine open to the internet through no NSG at all has no rule for the NSG checks to fail,
 * yet it is more exposed than one whose NSG opens a single port. So the missing control counts
 * as a failing one: the rating never falls as exposure grows (docs/tra.md, "Monotone ratings").
 */
function withAbsentNsg(c: Candidate): LinkedFinding[] {
  const machine = c.element.kind === 'virtual-machine' || c.element.kind === 'scale-set';
  if (!machine || c.exposure !== 'internet') return [];
  return c.rule.checks
    .filter((id) => NSG_CHECKS.has(id) && !c.verdicts.has(id))
    .map((checkId) => ({
      checkId,
      status: 'fail' as const,
      subjectId: c.element.subjectId,
      subjectName: c.element.name,
      message: 'no NSG filters the internet path to this machine: the control the check looks for is absent',
      location: c.element.location,
    }));
}

function weigh(checks: readonly string[], absent: readonly LinkedFinding[], verdicts: Map<string, Verdict>) {
  const aggravating: LinkedFinding[] = [...absent];
  const mitigating: LinkedFinding[] = [];
  const undetermined: LinkedFinding[] = [];
  for (const id of checks) {
    const v = verdicts.get(id);
    if (!v) continue;
    if (v.fail) aggravating.push(v.fail);
    else if (v.undecided) undetermined.push(v.undecided);
    else if (v.pass) mitigating.push(v.pass);
  }
  return { aggravating, mitigating, undetermined };
}

function consequenceFor(rule: ThreatRule, kind: NodeKind | undefined, classification: string | undefined) {
  const base = (kind && rule.consequenceByKind?.[kind]) ?? rule.consequence;
  const key = classification ? normaliseClassification(classification) : undefined;
  const floor = rule.classified && key ? (CLASSIFICATION_FLOOR[key] as Level) : 1;
  return { value: Math.max(base, floor), base, floor, key };
}

interface Candidate {
  rule: ThreatRule;
  element: ThreatElement;
  resource?: AzureResource;
  exposure?: Exposure;
  paths: string[];
  /** Verdicts of every check over the subjects related to the element. */
  verdicts: Map<string, Verdict>;
  triggers: LinkedFinding[];
}

function rateCandidate(c: Candidate, options: ThreatOptions, n: number): Threat {
  const { rule } = c;
  const steps: RatingStep[] = [];
  const classification = classificationOf(c.resource, options.classification);
  let base: number;
  if (c.exposure) {
    base = EXPOSURE_LIKELIHOOD[c.exposure];
    const what =
      rule.driver === 'management'
        ? 'management ports'
        : rule.driver === 'flow'
          ? `the flow's destination (${c.element.flow})`
          : 'any port or endpoint';
    const via = c.paths.length ? ` (${c.paths.join(', ')})` : '';
    steps.push({
      what: 'likelihood',
      change: base,
      reason: `base ${base}: exposure on ${what} is ${c.exposure}${via}`,
    });
  } else {
    base = rule.baseLikelihood ?? 3;
    steps.push({
      what: 'likelihood',
      change: base,
      reason: `base ${base}: raised by ${c.triggers.map((t) => `${t.checkId} (${t.status})`).join(', ')}`,
    });
  }
  const { aggravating, mitigating, undetermined } = weigh(rule.checks, withAbsentNsg(c), c.verdicts);
  for (const f of aggravating)
    steps.push({
      what: 'likelihood',
      change: 1,
      reason: c.verdicts.has(f.checkId)
        ? `+1 ${f.checkId} fails on ${f.subjectName}`
        : `+1 ${f.checkId}: no NSG filters the path to ${f.subjectName}`,
    });
  const consequence = consequenceFor(rule, c.element.kind, classification);
  steps.push({
    what: 'consequence',
    change: consequence.value,
    reason:
      consequence.floor > consequence.base
        ? `${consequence.value}: ${classification} data sets the floor (rule base ${consequence.base})`
        : `${consequence.value}: rule base${classification && rule.classified ? ` (${classification} floor ${consequence.floor})` : ''}`,
  });
  const inherent = rate(base + aggravating.length, consequence.value);
  for (const f of mitigating)
    steps.push({ what: 'likelihood', change: -1, reason: `-1 ${f.checkId} passes on ${f.subjectName}` });
  const reducer = weigh(rule.consequenceChecks, [], c.verdicts).mitigating[0];
  if (reducer)
    steps.push({
      what: 'consequence',
      change: -1,
      reason: `-1 ${reducer.checkId} passes on ${reducer.subjectName}`,
    });
  const residual = rate(
    clamp(inherent.likelihood - mitigating.length),
    clamp(inherent.consequence - (reducer ? 1 : 0)),
  );
  const appetite = options.appetite ?? 'Medium';
  const undecided =
    c.exposure === 'unknown' || (c.triggers.length > 0 && c.triggers.every((t) => t.status !== 'fail'));
  const status = undecided ? 'unknown' : ratingRank(residual.rating) > ratingRank(appetite) ? 'fail' : 'pass';
  return {
    id: `T${String(n).padStart(3, '0')}`,
    ruleId: rule.id,
    title: rule.title,
    stride: rule.stride,
    statement: rule.statement.replace('{element}', c.element.name),
    element: c.element,
    ...(c.exposure ? { exposure: c.exposure } : {}),
    paths: c.paths,
    ...(classification ? { classification } : {}),
    inherent,
    residual,
    aggravating,
    mitigating:
      reducer && !mitigating.some((m) => m.checkId === reducer.checkId)
        ? [...mitigating, reducer]
        : mitigating,
    undetermined,
    triggers: c.triggers,
    steps,
    status,
    controls: rule.controls,
    treatment: rule.treatment,
  };
}

/** Whether a flow rule applies to a flow: its kind, channel and condition (rules.ts, FlowCondition). */
export function flowMatches(rule: ThreatRule, flow: DataFlow, to: ArchNode): boolean {
  const m = rule.flows;
  if (!m?.kinds.includes(flow.kind)) return false;
  if (m.channels && !m.channels.includes(flow.channel)) return false;
  switch (m.when) {
    case undefined:
      return true;
    case 'secret':
      return flow.carriesSecret === true;
    case 'privileged':
      return flow.privileged === true;
    case 'no-private-dns':
      return flow.privateDns === false;
    case 'no-endpoint-policy':
      return flow.endpointPolicy === false;
    case 'no-route-all':
      return flow.routeAll === false;
    case 'sovereign':
      return flow.crosses.includes('sovereign');
    case 'to-data':
      return to.role === 'data';
  }
}

/**
 * Every threat of the rule table on the model's elements, rated. `subjects` are the scan's
 * subjects (to link nodes to findings); `findings` are the scan's findings before waivers.
 */
export function enumerateThreats(
  model: ArchitectureModel,
  subjects: readonly AzureSubject[],
  findings: readonly Finding[],
  options: ThreatOptions = {},
): Threat[] {
  const index = buildIndex(model, subjects, findings);
  const candidates: Candidate[] = [];
  for (const node of model.nodes) {
    const r = node.resource;
    if (!r || node.kind === 'subnet') continue;
    // A virtual network has no path of its own: threats about segmentation rate it as private.
    const reach =
      model.reachability.get(node.id) ??
      (node.kind === 'virtual-network'
        ? { node: node.id, exposure: 'private' as const, paths: [], notes: [] }
        : undefined);
    const subject = index.subjectOf.get(r);
    const element: ThreatElement = {
      subjectId: subject?.id ?? node.id,
      name: node.name,
      type: node.type,
      kind: node.kind,
      location: node.location ?? r.location,
      node: node.id,
    };
    if (!reach) continue;
    // The same for every rule on this node: worked out for the first rule that applies.
    let shared: { paths: string[]; verdicts: Map<string, Verdict> } | undefined;
    for (const rule of THREAT_RULES) {
      if (rule.driver === 'flow' || !rule.kinds.includes(node.kind)) continue;
      // A load balancer with only internal frontends is not an internet entry point.
      if (rule.id === 'AZ-TRA-006' && reach.exposure === 'private') continue;
      const exposure = rule.driver === 'management' ? (reach.management ?? reach.exposure) : reach.exposure;
      if (!shared) {
        const paths = reach.paths.filter((p) => p.status === 'open' || p.status === 'unknown');
        shared = {
          paths: paths.map((p) => p.id),
          verdicts: verdictsOver(
            relatedSubjects(
              node,
              paths.flatMap((p) => p.hops),
              index,
            ),
            index,
          ),
        };
      }
      candidates.push({
        rule,
        element,
        resource: r,
        exposure,
        paths: shared.paths,
        verdicts: shared.verdicts,
        triggers: [],
      });
    }
  }
  // Flow rules: each flow that crosses a trust boundary, for the rules whose flows it matches.
  const flowRules = THREAT_RULES.filter((r) => r.driver === 'flow');
  for (const flow of model.flows) {
    if (flow.crosses.length === 0) continue;
    const to = index.nodes.get(flow.to);
    const from = index.nodes.get(flow.from);
    if (!to?.resource || !from) continue;
    let verdicts: Map<string, Verdict> | undefined;
    for (const rule of flowRules) {
      if (!flowMatches(rule, flow, to)) continue;
      verdicts ??= verdictsOver(
        relatedSubjects(to, [from.id, ...(flow.via ? [flow.via] : [])], index),
        index,
      );
      const reach = model.reachability.get(to.id);
      const exposure: Exposure =
        flow.channel === 'public-endpoint' ? (reach?.exposure ?? 'restricted') : 'private';
      const subject = index.subjectOf.get(to.resource);
      candidates.push({
        rule,
        element: {
          subjectId: subject?.id ?? to.id,
          name: `${from.name} → ${to.name} (${flow.id})`,
          type: to.type,
          kind: to.kind,
          location: flow.evidence.location,
          node: to.id,
          flow: flow.id,
        },
        resource: to.resource,
        exposure,
        paths: [],
        verdicts,
        triggers: [],
      });
    }
  }
  // Residency and global rules: raised by their trigger findings on any resource.
  const triggerRules = THREAT_RULES.filter((r) => r.triggers);
  const nodeOf = new Map<AzureResource, ArchNode>();
  for (const n of model.nodes)
    if (n.resource && n.kind !== 'subnet' && !nodeOf.has(n.resource)) nodeOf.set(n.resource, n);
  for (const s of subjects) {
    const own = index.findings.get(s.id) ?? [];
    // The subject's own verdicts, shared by every rule it triggers.
    let verdicts: Map<string, Verdict> | undefined;
    for (const rule of triggerRules) {
      if (rule.notAbout?.some((t) => t.toLowerCase() === s.type.toLowerCase())) continue;
      const fired = own.filter(
        (f) => rule.triggers?.includes(f.checkId) && (f.status === 'fail' || f.status === 'unknown'),
      );
      if (fired.length === 0) continue;
      verdicts ??= verdictsOver(new Set([s.id]), index);
      const node = nodeOf.get(s.data);
      candidates.push({
        rule,
        element: {
          subjectId: s.id,
          name: s.name,
          type: s.type,
          ...(node ? { kind: node.kind, node: node.id } : {}),
          location: s.location,
        },
        resource: s.data,
        paths: [],
        verdicts,
        triggers: fired.map((f) => link(f, index.links)),
      });
    }
  }
  return candidates.map((c, i) => rateCandidate(c, options, i + 1));
}
