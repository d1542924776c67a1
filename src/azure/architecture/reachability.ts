/**
 * From draft paths to the model's results: numbered exposure paths with status, ports, rules
 * and a reason, and per node its reachability (over all ports, and over management ports for
 * virtual machines and scale sets) and the exposure of entry points.
 */

import type { AzureResource } from '../resource.ts';
import { getPath } from '../resource.ts';
import { publicFrontends } from './load-balancers.ts';
import {
  type ArchNode,
  type Exposure,
  type ExposurePath,
  MANAGEMENT_PORTS,
  type PathRule,
  type PathStatus,
  type Reachability,
} from './model.ts';
import { describePorts, portsOf, restrictTo } from './nsg.ts';
import { arr, refAt } from './refs.ts';
import type { GraphState } from './state.ts';

export function finishPaths(g: GraphState): ExposurePath[] {
  const order = new Map([...g.nodes.keys()].map((k, i) => [k, i]));
  const drafts = [...g.drafts].sort((a, b) => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));
  return drafts.map((d, i) => {
    const id = `P${i + 1}`;
    if (d.verdict)
      return {
        id,
        target: d.target,
        kind: d.kind,
        hops: d.hops,
        status: d.verdict.status,
        ports: d.verdict.ports,
        rules: d.verdict.rules,
        reason: d.verdict.reason,
        ...(d.verdict.unknownFrom ? { unknownFrom: d.verdict.unknownFrom } : {}),
      };
    g.pathSegments.set(id, d.segments);
    const open = d.segments.filter((s) => s.status === 'open');
    const undecided = d.segments.filter((s) => s.status === 'unknown');
    const status: PathStatus = open.length > 0 ? 'open' : undecided.length > 0 ? 'unknown' : 'closed';
    const chosen = open.length > 0 ? open : undecided;
    const ports = portsOf(chosen);
    const rules = dedupeRules(chosen.flatMap((s) => s.rules));
    const via = d.via ? ` via ${d.via}` : '';
    const reason =
      status === 'open'
        ? `internet reaches ${describePorts(ports)}${via}${rules.length ? `: ${rules.map((r) => `${r.name} ${r.detail}`).join('; ')}` : chosen[0]?.reason ? `: ${chosen[0].reason}` : ''}`
        : status === 'unknown'
          ? `undecided for ${describePorts(ports)}${via}: ${undecided[0]?.reason ?? 'a value is unknown'}`
          : `closed${via}: ${d.closedReason ?? 'no rule allows internet traffic'}`;
    const unknownFrom = undecided[0]?.unknownFrom;
    return {
      id,
      target: d.target,
      kind: d.kind,
      hops: d.hops,
      status,
      ports,
      rules,
      reason,
      ...(status === 'unknown' && unknownFrom ? { unknownFrom } : {}),
    };
  });
}

/** `own`: the exposure paths that end at this node, in path order. */
export function reachability(g: GraphState, node: ArchNode, own: ExposurePath[]): Reachability | undefined {
  const notes = [...(g.nodeNotes.get(node.id) ?? [])];
  const unresolved = g.unresolved.get(node.id);
  if (unresolved) notes.push(unresolved.reason);
  if (
    node.role === 'entry' ||
    ['load-balancer', 'application-gateway', 'firewall', 'bastion'].includes(node.kind)
  ) {
    const exposure = entryExposure(node);
    return exposure ? { node: node.id, exposure, paths: own, notes } : undefined;
  }
  if (node.role !== 'compute' && node.role !== 'data') return undefined;
  const exposure = combine(own.map(statusOf), Boolean(unresolved));
  const result: Reachability = { node: node.id, exposure, paths: own, notes };
  if (node.kind === 'virtual-machine' || node.kind === 'scale-set') {
    const mgmt = own.map((p): PathStatus => {
      const segments = g.pathSegments.get(p.id) ?? [];
      const limited = restrictTo(
        segments,
        MANAGEMENT_PORTS.map((x) => [x, x] as [number, number]),
      );
      if (limited.some((s) => s.status === 'open')) return 'open';
      if (limited.some((s) => s.status === 'unknown')) return 'unknown';
      return 'restricted';
    });
    result.management = combine(mgmt, Boolean(unresolved));
  }
  return result;
}

function entryExposure(node: ArchNode): Exposure | undefined {
  const r = node.resource as AzureResource;
  switch (node.kind) {
    case 'public-ip':
    case 'front-door':
    case 'traffic-manager':
      return 'internet';
    case 'load-balancer':
      return publicFrontends(r).size > 0 ? 'internet' : 'private';
    case 'application-gateway':
    case 'firewall':
    case 'bastion': {
      const key =
        node.kind === 'application-gateway'
          ? 'properties.frontendIPConfigurations'
          : 'properties.ipConfigurations';
      const refs = arr(getPath(r.body, key)).map((c) => refAt(getPath(c, 'properties.publicIPAddress'), 'x'));
      if (refs.some((x) => x && 'id' in x)) return 'internet';
      if (refs.some((x) => x && 'unknown' in x)) return 'unknown';
      return 'private';
    }
    default:
      return undefined;
  }
}

function dedupeRules(rules: PathRule[]): PathRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = `${r.name}|${r.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A path's status for the node's exposure: a closed platform endpoint (public access
 * disabled) leaves the node private; a closed public IP or load balancer still gives it a
 * public address, so it is `restricted`.
 */
function statusOf(p: ExposurePath): PathStatus | 'private' {
  return p.status === 'closed' && (p.kind === 'public-endpoint' || p.kind === 'api-server')
    ? 'private'
    : p.status;
}

/** The exposure of a node from its paths: any open path wins; any undecided one keeps it unknown. */
function combine(statuses: (PathStatus | 'private')[], unresolved: boolean): Exposure {
  if (statuses.includes('open')) return 'internet';
  if (unresolved || statuses.includes('unknown')) return 'unknown';
  if (statuses.includes('restricted') || statuses.includes('closed')) return 'restricted';
  return 'private';
}
