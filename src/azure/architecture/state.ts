/**
 * The architecture graph while it is being built: which resource types become which nodes,
 * the node and edge tables with their add-once rules, and the working tables (subnets, NSGs,
 * NICs, draft paths, notes) that the network, path and reachability stages fill and read.
 * graph.ts creates one GraphState per build and runs the stages over it in order.
 */

import type { SourceLocation } from '../../core/model.ts';
import { Unknown } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { ResourceIndex } from '../resource-index.ts';
import type { SovereignOptions } from './boundaries.ts';
import type { ChildLookup } from './endpoints.ts';
import type {
  ArchEdge,
  ArchNode,
  EdgeKind,
  NodeKind,
  NodeRole,
  PathKind,
  PathRule,
  PathStatus,
} from './model.ts';
import type { Nic } from './network.ts';
import type { ParsedNsg, Segment } from './nsg.ts';
import { nameOf, type Ref } from './refs.ts';

/** Resource types that become nodes (lower-cased), with the node's kind and role. */
export const KINDS: Record<string, [NodeKind, NodeRole]> = {
  'microsoft.network/virtualnetworks': ['virtual-network', 'network'],
  'microsoft.network/virtualnetworks/subnets': ['subnet', 'network'],
  'microsoft.network/networksecuritygroups': ['network-security-group', 'network'],
  'microsoft.network/publicipaddresses': ['public-ip', 'entry'],
  'microsoft.network/networkinterfaces': ['network-interface', 'network'],
  'microsoft.network/loadbalancers': ['load-balancer', 'network'],
  'microsoft.network/applicationgateways': ['application-gateway', 'network'],
  'microsoft.network/azurefirewalls': ['firewall', 'network'],
  'microsoft.network/bastionhosts': ['bastion', 'network'],
  'microsoft.network/privateendpoints': ['private-endpoint', 'network'],
  'microsoft.network/frontdoors': ['front-door', 'entry'],
  'microsoft.cdn/profiles': ['front-door', 'entry'],
  'microsoft.network/trafficmanagerprofiles': ['traffic-manager', 'entry'],
  'microsoft.compute/virtualmachines': ['virtual-machine', 'compute'],
  'microsoft.compute/virtualmachinescalesets': ['scale-set', 'compute'],
  'microsoft.web/sites': ['app-service', 'compute'],
  'microsoft.containerservice/managedclusters': ['kubernetes', 'compute'],
  'microsoft.app/containerapps': ['container-app', 'compute'],
  'microsoft.apimanagement/service': ['api-management', 'compute'],
  'microsoft.storage/storageaccounts': ['storage', 'data'],
  'microsoft.sql/servers': ['sql-server', 'data'],
  'microsoft.documentdb/databaseaccounts': ['cosmos-db', 'data'],
  'microsoft.dbforpostgresql/flexibleservers': ['postgresql', 'data'],
  'microsoft.dbformysql/flexibleservers': ['mysql', 'data'],
  'microsoft.cache/redis': ['redis', 'data'],
  'microsoft.keyvault/vaults': ['key-vault', 'data'],
  'microsoft.containerregistry/registries': ['container-registry', 'data'],
  'microsoft.eventhub/namespaces': ['event-hubs', 'data'],
  'microsoft.servicebus/namespaces': ['service-bus', 'data'],
  'microsoft.operationalinsights/workspaces': ['log-analytics', 'data'],
};

export interface Subnet {
  id: string;
  vnetId: string;
  nsg?: Ref;
  resource: AzureResource;
  at?: string;
}

/** A path before ids are given: its segments decide status and ports. */
interface DraftPath {
  target: string;
  kind: PathKind;
  hops: string[];
  segments: Segment[];
  /** Set when no segment is open or undecided: why (closed by NSG, Standard SKU, ...). */
  closedReason?: string;
  /** Paths of platform endpoints carry their verdict directly. */
  verdict?: {
    status: PathStatus;
    ports: [number, number][];
    reason: string;
    rules: PathRule[];
    unknownFrom?: SourceLocation;
  };
  /** Extra words for the reason, e.g. the load-balancer rule. */
  via?: string;
}

export interface BuildOptions {
  /** Subject id of each resource, to link nodes to findings. */
  subjectIds?: ReadonlyMap<AzureResource, string>;
  /** The scan's resource index, when it has one already (the same lookups the checks use). */
  index?: ResourceIndex;
  /** The sovereign boundary and the resources outside it, when the run has one (boundaries.ts). */
  sovereign?: SovereignOptions;
}

/** One build's nodes, edges and working tables; the stage functions take it as `g`. */
export class GraphState {
  readonly nodes = new Map<string, ArchNode>();
  readonly edges: ArchEdge[] = [];
  readonly edgeKeys = new Set<string>();
  readonly byId = new Map<string, AzureResource>();
  readonly subnets = new Map<string, Subnet>();
  readonly nsgs = new Map<string, ParsedNsg>();
  readonly nsgSegments = new Map<string, Segment[]>();
  readonly nics = new Map<string, Nic>();
  readonly drafts: DraftPath[] = [];
  readonly notes: string[] = [];
  readonly nodeNotes = new Map<string, string[]>();
  readonly unresolved = new Map<string, { reason: string; from?: SourceLocation }>();
  readonly index: ResourceIndex;
  /** NSGs whose internet-open rules a traced path used. */
  readonly usedNsgs = new Set<string>();
  /** Subnets (lower-cased ids) each compute node's NICs sit in. */
  readonly computeSubnets = new Map<string, Set<string>>();
  readonly privateIps = new Map<string, string>();
  /** The port segments behind each finished path (by path id), for the management-port view. */
  readonly pathSegments = new Map<string, Segment[]>();
  readonly firewalls: AzureResource[] = [];
  readonly gateways: AzureResource[] = [];

  constructor(
    readonly resources: readonly AzureResource[],
    readonly options: BuildOptions,
  ) {
    this.index = options.index ?? new ResourceIndex(resources);
  }

  addNode(node: ArchNode): ArchNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.nodes.set(node.id, node);
    return node;
  }

  addResourceNode(r: AzureResource, kind: NodeKind, role: NodeRole): ArchNode {
    const region = getPath(r.body, 'location');
    const subjectId = this.options.subjectIds?.get(r);
    return this.addNode({
      id: r.id.toLowerCase(),
      kind,
      role,
      name: nameOf(r),
      type: r.type,
      resource: r,
      ...(subjectId ? { subjectId } : {}),
      location: r.location,
      ...(typeof region === 'string' && region !== '' ? { region } : {}),
    });
  }

  edge(from: string, to: string, kind: EdgeKind, label?: string): void {
    if (!this.nodes.has(from) || !this.nodes.has(to) || from === to) return;
    const key = `${from}|${to}|${kind}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, kind, ...(label ? { label } : {}) });
  }

  note(nodeId: string, text: string): void {
    const list = this.nodeNotes.get(nodeId) ?? [];
    if (!list.includes(text)) list.push(text);
    this.nodeNotes.set(nodeId, list);
  }

  /**
   * A resource's children as ARM binds them and as the checks see them (ResourceIndex): by
   * name within the parent's template and deployment, by id across the deployments of its
   * template tree; never a same-named parent in another template.
   */
  children: ChildLookup = (parent, type) => {
    if (parent.name instanceof Unknown)
      return this.index.ofType(type).length > 0 ? { found: [], undecided: parent.name } : { found: [] };
    const c = this.index.childrenNamed(parent, type, parent.name);
    return c.unknownName ? { found: [...c.found], undecided: c.unknownName } : { found: [...c.found] };
  };
}

/** A path's node ids in order, leaving out missing hops and a hop repeated next to itself. */
export function hops(...ids: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const id of ids) if (id && out[out.length - 1] !== id) out.push(id);
  return out;
}
