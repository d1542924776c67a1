/**
 * Trust boundaries of the architecture model: the internet, each virtual network, each subnet
 * in it, each private endpoint in its subnet, and (when the run has one) the sovereign
 * boundary. A node's zones are the boundaries it sits in, innermost and enclosing; a flow
 * crosses the boundaries one end is in and the other is not (flows.ts). Pure.
 */

import { INTERNET_NODE, type TrustBoundary } from './model.ts';
import type { GraphState } from './state.ts';

/** Nodes outside the sovereign boundary, by subject id, and the boundary's name. */
export interface SovereignOptions {
  name: string;
  outside: ReadonlyMap<string, string>;
}

export interface Boundaries {
  list: TrustBoundary[];
  /** Boundary ids a node sits in, enclosing ones included; empty when none. */
  zonesOf(node: string): ReadonlySet<string>;
  /** Whether the sovereign boundary is drawn (a boundary was given). */
  sovereign: boolean;
}

const NONE: ReadonlySet<string> = new Set();

export function buildBoundaries(g: GraphState, sovereign?: SovereignOptions): Boundaries {
  const list: TrustBoundary[] = [];
  const byId = new Map<string, TrustBoundary>();
  const add = (b: TrustBoundary) => {
    const existing = byId.get(b.id);
    if (existing) return existing;
    byId.set(b.id, b);
    list.push(b);
    return b;
  };
  const member = (boundary: string, node: string) => {
    const b = byId.get(boundary);
    if (b && !b.members.includes(node)) b.members.push(node);
  };
  add({ id: 'internet', kind: 'internet', name: 'Internet', members: [INTERNET_NODE] });
  for (const n of g.nodes.values())
    if (n.kind === 'virtual-network')
      add({ id: `vnet:${n.id}`, kind: 'virtual-network', name: n.name, members: [] });
  for (const n of g.nodes.values()) {
    if (n.kind !== 'subnet') continue;
    const vnet = n.id.replace(/\/subnets\/[^/]+$/, '');
    const parent = byId.has(`vnet:${vnet}`) ? `vnet:${vnet}` : undefined;
    add({
      id: `subnet:${n.id}`,
      kind: 'subnet',
      name: n.name,
      ...(parent ? { parent } : {}),
      members: [],
    });
    if (parent) member(parent, n.id);
  }
  for (const e of g.edges) {
    if (e.kind !== 'in-subnet') continue;
    const subnet = `subnet:${e.to}`;
    if (!byId.has(subnet)) continue;
    const from = g.nodes.get(e.from);
    if (from?.kind === 'private-endpoint') {
      add({
        id: `pe:${from.id}`,
        kind: 'private-endpoint',
        name: from.name,
        parent: subnet,
        members: [from.id],
      });
      member(subnet, `pe:${from.id}`);
    } else member(subnet, e.from);
    // A NIC's machine sits where its NIC does.
    for (const a of g.edges) if (a.kind === 'attached' && a.from === e.from) member(subnet, a.to);
  }
  for (const [compute, subnets] of g.computeSubnets) for (const s of subnets) member(`subnet:${s}`, compute);
  if (sovereign) {
    const inside: string[] = [];
    for (const n of g.nodes.values())
      if (n.resource && !(n.subjectId && sovereign.outside.has(n.subjectId))) inside.push(n.id);
    add({
      id: 'sovereign',
      kind: 'sovereign',
      name: `sovereign boundary ${sovereign.name}`,
      members: inside,
    });
  }

  const zones = new Map<string, Set<string>>();
  const enclose = (node: string, boundary: string) => {
    let set = zones.get(node);
    if (!set) {
      set = new Set();
      zones.set(node, set);
    }
    for (
      let b: TrustBoundary | undefined = byId.get(boundary);
      b;
      b = b.parent ? byId.get(b.parent) : undefined
    )
      set.add(b.id);
  };
  for (const b of list)
    for (const m of b.members) {
      if (b.kind === 'subnet' && m.startsWith('pe:')) continue;
      enclose(m, b.id);
    }
  // A subnet is the zone its own traffic starts in.
  for (const n of g.nodes.values())
    if (n.kind === 'subnet' && byId.has(`subnet:${n.id}`)) enclose(n.id, `subnet:${n.id}`);
  return { list, zonesOf: (node) => zones.get(node) ?? NONE, sovereign: sovereign !== undefined };
}
