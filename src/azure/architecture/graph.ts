/**
 * Builds the architecture model from expanded resources: nodes for networks, entry points,
 * compute and data stores; edges for containment, protection, attachment and data paths;
 * and, for each compute and data node, whether and how the internet reaches it.
 *
 * References are followed by resource id (case-insensitive). A reference the template leaves
 * unknown, or one to a resource outside the scan, makes what depends on it `unknown`.
 *
 * This file only runs the stages in order over one GraphState (state.ts): network.ts reads
 * networks, NSGs and NICs; compute-paths.ts, load-balancers.ts and entry-paths.ts draft the
 * internet paths (through nsg-layers.ts); links.ts adds the non-path edges; boundaries.ts
 * and flows.ts add the trust boundaries and the internal data flows; reachability.ts turns
 * drafts into numbered paths and per-node exposure.
 */

import type { AzureResource } from '../resource.ts';
import { buildBoundaries } from './boundaries.ts';
import { traceCompute } from './compute-paths.ts';
import { traceEndpoint, traceFrontDoors } from './entry-paths.ts';
import { deriveFlows } from './flows.ts';
import { linkDataPaths } from './links.ts';
import { type ArchitectureModel, type ExposurePath, INTERNET_NODE, type Reachability } from './model.ts';
import { readNetwork, readNic, readNsg } from './network.ts';
import { noteLatentNsgs } from './nsg-layers.ts';
import { finishPaths, reachability } from './reachability.ts';
import { type BuildOptions, GraphState, KINDS } from './state.ts';

export type { BuildOptions } from './state.ts';

/** The architecture model of a set of expanded resources. Pure: same resources, same model. */
export function buildArchitecture(
  resources: readonly AzureResource[],
  options: BuildOptions = {},
): ArchitectureModel {
  const g = new GraphState(resources, options);
  g.addNode({
    id: INTERNET_NODE,
    kind: 'internet',
    role: 'internet',
    name: 'Internet',
    type: 'internet',
  });
  for (const r of g.resources) {
    const id = r.id.toLowerCase();
    if (!g.byId.has(id)) g.byId.set(id, r);
    const t = r.type.toLowerCase();
    const kind = KINDS[t];
    if (kind) g.addResourceNode(r, kind[0], kind[1]);
    if (kind?.[0] === 'firewall') g.firewalls.push(r);
    if (kind?.[0] === 'application-gateway') g.gateways.push(r);
  }
  for (const r of g.resources) readNetwork(g, r);
  for (const r of g.resources) readNsg(g, r);
  for (const r of g.resources) readNic(g, r);
  const reach = new Map<string, Reachability>();
  for (const node of g.nodes.values()) {
    if (!node.resource) continue;
    if (node.role === 'compute') traceCompute(g, node);
    if (node.role === 'compute' || node.role === 'data') traceEndpoint(g, node);
  }
  traceFrontDoors(g);
  linkDataPaths(g);
  noteLatentNsgs(g);
  const boundaries = buildBoundaries(g, options.sovereign);
  const flows = deriveFlows(g, boundaries);
  const paths = finishPaths(g);
  // Each node's own paths, grouped once (in path order) rather than filtered per node.
  const byTarget = new Map<string, ExposurePath[]>();
  for (const p of paths) {
    const list = byTarget.get(p.target);
    if (list) list.push(p);
    else byTarget.set(p.target, [p]);
  }
  for (const node of g.nodes.values()) {
    if (!node.resource) continue;
    const r = reachability(g, node, byTarget.get(node.id) ?? []);
    if (r) reach.set(node.id, r);
  }
  return {
    nodes: [...g.nodes.values()],
    edges: g.edges,
    flows,
    boundaries: boundaries.list,
    reachability: reach,
    paths,
    notes: g.notes,
  };
}
