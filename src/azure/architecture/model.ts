/**
 * The architecture model: the network and data paths of a deployment, built from the
 * expanded resources. Pure data; see graph.ts (building) and reachability.ts (exposure).
 */
import type { SourceLocation } from '../../core/model.ts';
import type { AzureResource } from '../resource.ts';

export type NodeKind =
  | 'internet'
  | 'virtual-network'
  | 'subnet'
  | 'network-security-group'
  | 'public-ip'
  | 'network-interface'
  | 'load-balancer'
  | 'application-gateway'
  | 'firewall'
  | 'bastion'
  | 'private-endpoint'
  | 'front-door'
  | 'traffic-manager'
  | 'virtual-machine'
  | 'scale-set'
  | 'app-service'
  | 'kubernetes'
  | 'container-app'
  | 'api-management'
  | 'storage'
  | 'sql-server'
  | 'cosmos-db'
  | 'postgresql'
  | 'mysql'
  | 'redis'
  | 'key-vault'
  | 'container-registry'
  | 'event-hubs'
  | 'service-bus'
  | 'log-analytics';

/** What a node is for: entry points face the internet, compute runs code, data stores hold data. */
export type NodeRole = 'internet' | 'entry' | 'network' | 'compute' | 'data';

export interface ArchNode {
  /** Lower-cased resource id (or `<vnet id>/subnets/<name>` for an inline subnet; `internet`). */
  id: string;
  kind: NodeKind;
  role: NodeRole;
  name: string;
  /** Resource type, e.g. `Microsoft.Compute/virtualMachines`. */
  type: string;
  /** The resource the node was read from (the virtual network for an inline subnet). */
  resource?: AzureResource;
  /** The assessment subject of that resource, to link findings. */
  subjectId?: string;
  location?: SourceLocation;
  /** Region as written in the template, when it is a plain string. */
  region?: string;
}

export type EdgeKind =
  | 'contains'
  | 'protects'
  | 'attached'
  | 'in-subnet'
  | 'backend'
  | 'nat'
  | 'private-link'
  | 'service-endpoint'
  | 'vnet-integration'
  | 'origin'
  | 'management'
  | 'exposes';

export interface ArchEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

/**
 * How far a node can be reached from: `internet` (anyone, by a traced path), `restricted`
 * (a public address or endpoint limited to some sources, or with no open port), `private`
 * (only from inside networks), `unknown` (a value the template leaves open decides it).
 */
export type Exposure = 'internet' | 'restricted' | 'private' | 'unknown';

export type PathKind =
  | 'public-endpoint'
  | 'public-ip'
  | 'load-balancer'
  | 'nat-rule'
  | 'application-gateway'
  | 'firewall-dnat'
  | 'front-door'
  | 'api-server';

/** The verdict on one path: `open` to the internet, `restricted`/`closed` by rules, or `unknown`. */
export type PathStatus = 'open' | 'restricted' | 'closed' | 'unknown';

/** An NSG rule (or firewall rule, or property) that decides a path, with where it is written. */
export interface PathRule {
  /** e.g. `nsg-app/allow-rdp`, or a property such as `publicNetworkAccess`. */
  name: string;
  detail: string;
  location: SourceLocation;
}

export interface ExposurePath {
  /** Stable within one model: `P1`, `P2`, ... in node order. */
  id: string;
  target: string;
  kind: PathKind;
  /** Node ids from the internet to the target, both included. */
  hops: string[];
  status: PathStatus;
  /** Inclusive port ranges open (or undecided) on the target, e.g. [[3389, 3389]]. */
  ports: [number, number][];
  /** What decides the path, e.g. the NSG rules that allow it. */
  rules: PathRule[];
  /** One sentence a person can check. */
  reason: string;
  /** Where the Unknown that leaves it undecided came from. */
  unknownFrom?: SourceLocation;
}

export interface Reachability {
  node: string;
  /** Over every port and path. */
  exposure: Exposure;
  /** Over management ports only (SSH 22, RDP 3389, WinRM 5985/5986): compute nodes. */
  management?: Exposure;
  paths: ExposurePath[];
  /** Why the exposure is what it is, when no path says it (e.g. "NIC not in this scan"). */
  notes: string[];
}

/**
 * What a data flow is read from: a connection string, an app setting naming a resource, a Key
 * Vault reference, a private endpoint, a service endpoint, App Service VNet integration, a role
 * assignment, or a diagnostic setting (flows.ts).
 */
export type FlowKind =
  | 'connection-string'
  | 'app-setting'
  | 'key-vault-reference'
  | 'private-endpoint'
  | 'service-endpoint'
  | 'vnet-integration'
  | 'role-assignment'
  | 'diagnostics';

/** How the flow travels: which endpoint of the destination it uses. */
export type FlowChannel =
  | 'public-endpoint'
  | 'private-endpoint'
  | 'service-endpoint'
  | 'virtual-network'
  | 'control-plane'
  | 'platform';

/** One internal data flow between two nodes, with the template property it was read from. */
export interface DataFlow {
  /** `F1`, `F2`, ... in derivation order. */
  id: string;
  kind: FlowKind;
  from: string;
  to: string;
  /** The private endpoint the flow goes through, when it does. */
  via?: string;
  /** The subnet the flow leaves from: the source's VNet integration subnet or its NIC's subnet. */
  fromSubnet?: string;
  channel: FlowChannel;
  /** The setting's name, the role's name, the log categories: what a person reads on the edge. */
  label: string;
  /** The property the flow was read from and where it is written. */
  evidence: { property: string; location: SourceLocation };
  /** A password, account key or shared access key travels with the flow (connection strings). */
  carriesSecret?: boolean;
  /** Role assignments: the role grants control of the scope (Owner, Contributor, User Access Administrator...). */
  privileged?: boolean;
  /** Private endpoints: whether a private DNS zone group is declared (undefined: not applicable). */
  privateDns?: boolean;
  /** Service endpoints: whether the subnet has a service endpoint policy. */
  endpointPolicy?: boolean;
  /** VNet integration: whether all outbound traffic is routed through the virtual network. */
  routeAll?: boolean;
  /** Trust boundaries (ids) the flow crosses (boundaries.ts). */
  crosses: string[];
}

/** A trust boundary: the internet, a virtual network, a subnet, a private endpoint, the sovereign boundary. */
export type BoundaryKind = 'internet' | 'virtual-network' | 'subnet' | 'private-endpoint' | 'sovereign';

export interface TrustBoundary {
  /** `internet`, `vnet:<id>`, `subnet:<id>`, `pe:<id>`, `sovereign`. */
  id: string;
  kind: BoundaryKind;
  name: string;
  /** The enclosing boundary (a subnet's virtual network, a private endpoint's subnet). */
  parent?: string;
  /** Node ids inside it (directly). */
  members: string[];
}

export interface ArchitectureModel {
  nodes: ArchNode[];
  edges: ArchEdge[];
  /** Internal data flows derived from the template (flows.ts). */
  flows: DataFlow[];
  /** Trust boundaries (boundaries.ts). */
  boundaries: TrustBoundary[];
  /** Per compute and data node, and per entry point. */
  reachability: Map<string, Reachability>;
  paths: ExposurePath[];
  /** Things the model could not trace (unresolved references, DNAT to unknown addresses). */
  notes: string[];
}

export const MANAGEMENT_PORTS: readonly number[] = [22, 3389, 5985, 5986];

export const INTERNET_NODE = 'internet';
