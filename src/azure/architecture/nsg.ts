/**
 * Effective inbound NSG rules for traffic from the internet, as port segments that are open
 * or undecided. Rules are weighed by priority (a higher-priority deny from the internet
 * closes what a later allow opens); anything an Unknown decides stays `unknown`.
 * Rule values are read with the helpers of the AZ-NET checks (checks/network.ts).
 */
import { appendAll } from '../../core/extent.ts';
import type { SourceLocation } from '../../core/model.ts';
import { INTERNET_SOURCES, listOf, PORTLESS_PROTOCOLS, portRange } from '../checks/network.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import type { PathRule } from './model.ts';

export const ALL_PORTS: [number, number] = [0, 65535];

/** A port range and whether the internet can reach it (`open`) or the template leaves it undecided. */
export interface Segment {
  lo: number;
  hi: number;
  status: 'open' | 'unknown';
  rules: PathRule[];
  /** Why it is undecided. */
  reason?: string;
  unknownFrom?: SourceLocation;
}

/** Every port undecided, for one reason: what a path gets when a value it depends on is unknown. */
export function allPortsUndecided(reason: string, unknownFrom?: SourceLocation): Segment {
  return { lo: 0, hi: 65535, status: 'unknown', rules: [], reason, ...(unknownFrom ? { unknownFrom } : {}) };
}

type Tri<T extends string> = T | 'unknown';

interface ParsedRule {
  label: string;
  priority: number | undefined;
  priorityKnown: boolean;
  access: Tri<'allow' | 'deny' | 'other'>;
  inbound: Tri<'yes' | 'no'>;
  portless: boolean;
  source: Tri<'internet' | 'other'>;
  sourceText: string;
  ranges: [number, number][];
  portsUnknown: boolean;
  unknown?: Unknown;
  location: SourceLocation;
}

/** One rule as declared: inline in `securityRules`, or a standalone `securityRules` resource. */
export interface RuleSource {
  nsgName: string;
  name: string;
  props: Value | undefined;
  resource: AzureResource;
  /** Path of the rule relative to the resource, for its line; undefined means the resource. */
  at: string | undefined;
}

/** The parsed rules of one NSG, or the Unknown that hides them. */
export interface ParsedNsg {
  name: string;
  resource: AzureResource;
  rules: ParsedRule[];
  unknown?: { reason: string; location: SourceLocation };
}

function text(v: Value | undefined): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : v instanceof Unknown ? 'unknown' : '';
}

function parseRule(src: RuleSource): ParsedRule {
  const location = src.at ? src.resource.locate(src.at) : src.resource.location;
  const label = `${src.nsgName}/${src.name}`;
  const p = src.props;
  if (p instanceof Unknown || !isObject(p)) {
    const unknown = p instanceof Unknown ? p : new Unknown('rule properties are missing');
    return {
      label,
      priority: undefined,
      priorityKnown: false,
      access: 'unknown',
      inbound: 'unknown',
      portless: false,
      source: 'unknown',
      sourceText: 'unknown',
      ranges: [ALL_PORTS],
      portsUnknown: true,
      unknown,
      location,
    };
  }
  let unknown: Unknown | undefined;
  const note = (u: Unknown) => {
    unknown ??= u;
  };
  const priorityValue = getPath(p, 'priority');
  if (priorityValue instanceof Unknown) note(priorityValue);
  const access = getPath(p, 'access');
  if (access instanceof Unknown) note(access);
  const direction = getPath(p, 'direction');
  if (direction instanceof Unknown) note(direction);
  const protocol = getPath(p, 'protocol');
  if (protocol instanceof Unknown) note(protocol);

  const sources = listOf(p, 'sourceAddressPrefix', 'sourceAddressPrefixes');
  let source: Tri<'internet' | 'other'> = 'other';
  let sourceText = sources.values.map(text).join(', ');
  if (sources.unknown) {
    note(sources.unknown);
    source = 'unknown';
  }
  for (const s of sources.values) {
    if (s instanceof Unknown) {
      note(s);
      if (source === 'other') source = 'unknown';
    } else if (typeof s === 'string' && INTERNET_SOURCES.has(s.trim().toLowerCase())) {
      source = 'internet';
      sourceText = s;
      break;
    }
  }
  // Application security groups as the source are never "the internet".
  if (sources.values.length === 0 && !sources.unknown) sourceText = '(application security group)';

  const ports = listOf(p, 'destinationPortRange', 'destinationPortRanges');
  const ranges: [number, number][] = [];
  let portsUnknown = false;
  if (ports.unknown) {
    note(ports.unknown);
    portsUnknown = true;
  }
  for (const d of ports.values) {
    const r = portRange(d);
    if (r instanceof Unknown) {
      note(r);
      portsUnknown = true;
    } else ranges.push(r);
  }
  return {
    label,
    priority: typeof priorityValue === 'number' ? priorityValue : undefined,
    priorityKnown: typeof priorityValue === 'number',
    access:
      access instanceof Unknown
        ? 'unknown'
        : typeof access === 'string' && access.toLowerCase() === 'allow'
          ? 'allow'
          : typeof access === 'string' && access.toLowerCase() === 'deny'
            ? 'deny'
            : 'other',
    inbound:
      direction instanceof Unknown
        ? 'unknown'
        : typeof direction === 'string' && direction.toLowerCase() === 'inbound'
          ? 'yes'
          : 'no',
    portless: typeof protocol === 'string' && PORTLESS_PROTOCOLS.has(protocol.toLowerCase()),
    source,
    sourceText,
    ranges,
    portsUnknown,
    ...(unknown ? { unknown } : {}),
    location,
  };
}

export function parseNsg(
  name: string,
  resource: AzureResource,
  rules: RuleSource[],
  hidden?: Unknown,
): ParsedNsg {
  const parsed: ParsedNsg = { name, resource, rules: rules.map(parseRule) };
  if (hidden)
    parsed.unknown = {
      reason: `the security rules of ${name} are unknown (${hidden.reason})`,
      location: resource.locate('properties.securityRules'),
    };
  return parsed;
}

// --- segment arithmetic ---------------------------------------------------------------------

function subtract(segments: Segment[], [lo, hi]: [number, number]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.hi < lo || s.lo > hi) out.push(s);
    else {
      if (s.lo < lo) out.push({ ...s, hi: lo - 1 });
      if (s.hi > hi) out.push({ ...s, lo: hi + 1 });
    }
  }
  return out;
}

function markUnknown(
  segments: Segment[],
  [lo, hi]: [number, number],
  reason: string,
  from?: SourceLocation,
): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.hi < lo || s.lo > hi || s.status === 'unknown') out.push(s);
    else {
      if (s.lo < lo) out.push({ ...s, hi: lo - 1 });
      out.push({
        ...s,
        lo: Math.max(s.lo, lo),
        hi: Math.min(s.hi, hi),
        status: 'unknown',
        reason,
        ...(from ? { unknownFrom: from } : {}),
      });
      if (s.hi > hi) out.push({ ...s, lo: hi + 1 });
    }
  }
  return out;
}

const portText = ([lo, hi]: [number, number]) =>
  lo === 0 && hi === 65535 ? 'all ports' : lo === hi ? String(lo) : `${lo}-${hi}`;

/**
 * The port segments of one NSG that the internet can reach: each internet allow rule's
 * ports, less those a higher-priority internet deny closes. A rule whose source, ports,
 * priority or access is unknown makes the ports it might affect `unknown`.
 */
export function internetAllowed(nsg: ParsedNsg): Segment[] {
  if (nsg.unknown)
    return [
      {
        lo: 0,
        hi: 65535,
        status: 'unknown',
        rules: [],
        reason: nsg.unknown.reason,
        unknownFrom: nsg.unknown.location,
      },
    ];
  const inbound = nsg.rules.filter((r) => r.inbound !== 'no' && !r.portless);
  const segments: Segment[] = [];
  for (const a of inbound) {
    if (a.access === 'deny' || a.access === 'other' || a.source === 'other') continue;
    const undecided =
      a.access === 'unknown' || a.source === 'unknown' || a.inbound === 'unknown' || !a.priorityKnown;
    const rule: PathRule = {
      name: a.label,
      detail: `allows ${a.ranges.map(portText).join(', ') || 'unknown ports'} from ${JSON.stringify(a.sourceText)}`,
      location: a.location,
    };
    const why = a.unknown
      ? `rule ${a.label} is undecided (${a.unknown.reason})`
      : `rule ${a.label} is undecided`;
    let pieces: Segment[] = (a.portsUnknown ? [ALL_PORTS] : a.ranges).map(([lo, hi]) => ({
      lo,
      hi,
      status: undecided || a.portsUnknown ? 'unknown' : 'open',
      rules: [rule],
      ...(undecided || a.portsUnknown ? { reason: why, unknownFrom: a.location } : {}),
    }));
    for (const d of inbound) {
      if (d === a || d.access === 'allow' || d.access === 'other' || d.source === 'other') continue;
      if (d.priorityKnown && a.priorityKnown && (d.priority as number) >= (a.priority as number)) continue;
      const certain =
        d.access === 'deny' &&
        d.source === 'internet' &&
        d.inbound === 'yes' &&
        d.priorityKnown &&
        !d.portsUnknown;
      for (const range of d.portsUnknown ? [ALL_PORTS] : d.ranges) {
        pieces = certain
          ? subtract(pieces, range)
          : markUnknown(pieces, range, `deny rule ${d.label} may close it but is undecided`, d.location);
      }
    }
    appendAll(segments, pieces);
  }
  return segments;
}

/** Ports open through every NSG in turn (subnet, then NIC): the intersection. */
export function intersect(a: Segment[], b: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const x of a)
    for (const y of b) {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      if (lo > hi) continue;
      const open = x.status === 'open' && y.status === 'open';
      const undecided = x.status === 'unknown' ? x : y;
      out.push({
        lo,
        hi,
        status: open ? 'open' : 'unknown',
        rules: [...x.rules, ...y.rules],
        ...(open
          ? {}
          : {
              ...(undecided.reason ? { reason: undecided.reason } : {}),
              ...(undecided.unknownFrom ? { unknownFrom: undecided.unknownFrom } : {}),
            }),
      });
    }
  return out;
}

/** Segments limited to some port ranges (a load-balancer backend port, the management ports). */
export function restrictTo(segments: Segment[], ranges: [number, number][]): Segment[] {
  return intersect(
    segments,
    ranges.map(([lo, hi]) => ({ lo, hi, status: 'open' as const, rules: [] })),
  );
}

/** Merged, sorted port ranges of some segments. */
export function portsOf(segments: Segment[]): [number, number][] {
  const sorted = segments.map((s) => [s.lo, s.hi] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function describePorts(ranges: [number, number][]): string {
  return ranges.map(portText).join(', ');
}
