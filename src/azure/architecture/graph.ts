/**
 * Builds the architecture model from expanded resources: nodes for networks, entry points,
 * compute and data stores; edges for containment, protection, attachment and data paths;
 * and, for each compute and data node, whether and how the internet reaches it.
 *
 * References are followed by resource id (case-insensitive). A reference the template leaves
 * unknown, or one to a resource outside the scan, makes what depends on it `unknown`.
 */

import { appendAll } from '../../core/extent.ts';
import type { SourceLocation } from '../../core/model.ts';
import { trimTrailing } from '../../core/trim-char.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { ResourceIndex } from '../resource-index.ts';
import { type ChildLookup, publicEndpoint } from './endpoints.ts';
import {
  type ArchEdge,
  type ArchitectureModel,
  type ArchNode,
  type EdgeKind,
  type Exposure,
  type ExposurePath,
  INTERNET_NODE,
  MANAGEMENT_PORTS,
  type NodeKind,
  type NodeRole,
  type PathKind,
  type PathRule,
  type PathStatus,
  type Reachability,
} from './model.ts';
import {
  ALL_PORTS,
  describePorts,
  internetAllowed,
  intersect,
  type ParsedNsg,
  parseNsg,
  portsOf,
  type RuleSource,
  restrictTo,
  type Segment,
} from './nsg.ts';

const KINDS: Record<string, [NodeKind, NodeRole]> = {
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

const NSG_RULE_TYPE = 'microsoft.network/networksecuritygroups/securityrules';

/** A reference read from `{ "id": ... }`: a lower-cased id, or the Unknown that hides it. */
type Ref = { id: string; at: string } | { unknown: Unknown; at: string };

function refAt(v: Value | undefined, at: string): Ref | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return { unknown: v, at };
  const id = isObject(v) ? v.id : undefined;
  if (id instanceof Unknown) return { unknown: id, at: `${at}.id` };
  if (typeof id === 'string' && id !== '') return { id: trimTrailing(id.toLowerCase(), '/'), at: `${at}.id` };
  return undefined;
}

function refList(v: Value | undefined, at: string): Ref[] {
  if (v instanceof Unknown) return [{ unknown: v, at }];
  if (!Array.isArray(v)) return [];
  const out: Ref[] = [];
  v.forEach((x, i) => {
    const r = refAt(x, `${at}[${i}]`);
    if (r) out.push(r);
  });
  return out;
}

const arr = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);
const nameOf = (r: AzureResource) => (typeof r.name === 'string' ? r.name : '{unknown name}');
const leaf = (id: string) => id.split('/').pop() ?? id;

interface IpConfig {
  at: string;
  subnet?: Ref;
  publicIp?: Ref;
  /** A public IP declared inline (`publicIPAddressConfiguration` of a VM or scale set). */
  inlinePublicIp?: { sku: Value | undefined; at: string };
  lbPools: Ref[];
  natRules: Ref[];
  natPools: Ref[];
  agwPools: Ref[];
  privateIp?: string;
}

interface Nic {
  /** Node id of a standalone NIC; inline NIC configurations have none. */
  node?: string;
  name: string;
  resource: AzureResource;
  nsg?: Ref;
  ipConfigs: IpConfig[];
}

function readIpConfigs(v: Value | undefined, at: string): IpConfig[] {
  return arr(v).map((c, i) => {
    const base = `${at}[${i}].properties`;
    const p = getPath(c, 'properties');
    const pip = getPath(p, 'publicIPAddress');
    const inline = getPath(p, 'publicIPAddressConfiguration');
    const cfg: IpConfig = {
      at: `${at}[${i}]`,
      lbPools: refList(
        getPath(p, 'loadBalancerBackendAddressPools'),
        `${base}.loadBalancerBackendAddressPools`,
      ),
      natRules: refList(getPath(p, 'loadBalancerInboundNatRules'), `${base}.loadBalancerInboundNatRules`),
      natPools: refList(getPath(p, 'loadBalancerInboundNatPools'), `${base}.loadBalancerInboundNatPools`),
      agwPools: refList(
        getPath(p, 'applicationGatewayBackendAddressPools'),
        `${base}.applicationGatewayBackendAddressPools`,
      ),
    };
    const subnet = refAt(getPath(p, 'subnet'), `${base}.subnet`);
    if (subnet) cfg.subnet = subnet;
    const pipRef = refAt(pip, `${base}.publicIPAddress`);
    if (pipRef) cfg.publicIp = pipRef;
    if (inline !== undefined && inline !== null)
      cfg.inlinePublicIp = {
        sku: inline instanceof Unknown ? inline : getPath(inline, 'sku.name'),
        at: `${base}.publicIPAddressConfiguration`,
      };
    const ip = getPath(p, 'privateIPAddress');
    if (typeof ip === 'string') cfg.privateIp = ip;
    return cfg;
  });
}

/** Inline NIC configurations of a VM (newer API) or a scale set. */
function inlineNics(r: AzureResource, path: string): Nic[] {
  return arr(getPath(r.body, path)).map((n, i) => {
    const at = `${path}[${i}]`;
    const nic: Nic = {
      name: String(getPath(n, 'name') ?? `nic${i}`),
      resource: r,
      ipConfigs: readIpConfigs(
        getPath(n, 'properties.ipConfigurations'),
        `${at}.properties.ipConfigurations`,
      ),
    };
    const nsg = refAt(getPath(n, 'properties.networkSecurityGroup'), `${at}.properties.networkSecurityGroup`);
    if (nsg) nic.nsg = nsg;
    return nic;
  });
}

interface Subnet {
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
}

/** The architecture model of a set of expanded resources. Pure: same resources, same model. */
export function buildArchitecture(
  resources: readonly AzureResource[],
  options: BuildOptions = {},
): ArchitectureModel {
  return new Builder(resources, options).build();
}

class Builder {
  private readonly nodes = new Map<string, ArchNode>();
  private readonly edges: ArchEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly byId = new Map<string, AzureResource>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly nsgs = new Map<string, ParsedNsg>();
  private readonly nsgSegments = new Map<string, Segment[]>();
  private readonly nics = new Map<string, Nic>();
  private readonly drafts: DraftPath[] = [];
  private readonly notes: string[] = [];
  private readonly nodeNotes = new Map<string, string[]>();
  private readonly unresolved = new Map<string, { reason: string; from?: SourceLocation }>();
  private readonly index: ResourceIndex;
  /** NSGs whose internet-open rules a traced path used. */
  private readonly usedNsgs = new Set<string>();
  /** Subnets (lower-cased ids) each compute node's NICs sit in. */
  private readonly computeSubnets = new Map<string, Set<string>>();
  private readonly privateIps = new Map<string, string>();
  /** The port segments behind each finished path (by path id), for the management-port view. */
  private readonly pathSegments = new Map<string, Segment[]>();
  private readonly firewalls: AzureResource[] = [];
  private readonly gateways: AzureResource[] = [];

  constructor(
    private readonly resources: readonly AzureResource[],
    private readonly options: BuildOptions,
  ) {
    this.index = options.index ?? new ResourceIndex(resources);
  }

  build(): ArchitectureModel {
    this.addNode({
      id: INTERNET_NODE,
      kind: 'internet',
      role: 'internet',
      name: 'Internet',
      type: 'internet',
    });
    for (const r of this.resources) {
      const id = r.id.toLowerCase();
      if (!this.byId.has(id)) this.byId.set(id, r);
      const t = r.type.toLowerCase();
      const kind = KINDS[t];
      if (kind) this.addResourceNode(r, kind[0], kind[1]);
      if (kind?.[0] === 'firewall') this.firewalls.push(r);
      if (kind?.[0] === 'application-gateway') this.gateways.push(r);
    }
    for (const r of this.resources) this.readNetwork(r);
    for (const r of this.resources) this.readNsg(r);
    for (const r of this.resources) this.readNic(r);
    const reach = new Map<string, Reachability>();
    for (const node of this.nodes.values()) {
      if (!node.resource) continue;
      if (node.role === 'compute') this.traceCompute(node);
      if (node.role === 'compute' || node.role === 'data') this.traceEndpoint(node);
    }
    this.traceFrontDoors();
    this.linkDataPaths();
    this.noteLatentNsgs();
    const paths = this.finishPaths();
    // Each node's own paths, grouped once (in path order) rather than filtered per node.
    const byTarget = new Map<string, ExposurePath[]>();
    for (const p of paths) {
      const list = byTarget.get(p.target);
      if (list) list.push(p);
      else byTarget.set(p.target, [p]);
    }
    for (const node of this.nodes.values()) {
      if (!node.resource) continue;
      const r = this.reachability(node, byTarget.get(node.id) ?? []);
      if (r) reach.set(node.id, r);
    }
    return {
      nodes: [...this.nodes.values()],
      edges: this.edges,
      reachability: reach,
      paths,
      notes: this.notes,
    };
  }

  // --- nodes and edges ------------------------------------------------------------------------

  private addNode(node: ArchNode): ArchNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.nodes.set(node.id, node);
    return node;
  }

  private addResourceNode(r: AzureResource, kind: NodeKind, role: NodeRole): ArchNode {
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

  private edge(from: string, to: string, kind: EdgeKind, label?: string): void {
    if (!this.nodes.has(from) || !this.nodes.has(to) || from === to) return;
    const key = `${from}|${to}|${kind}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, kind, ...(label ? { label } : {}) });
  }

  private note(nodeId: string, text: string): void {
    const list = this.nodeNotes.get(nodeId) ?? [];
    if (!list.includes(text)) list.push(text);
    this.nodeNotes.set(nodeId, list);
  }

  /**
   * A resource's children as ARM binds them and as the checks see them (ResourceIndex): by
   * name within the parent's template and deployment, by id across the deployments of its
   * template tree; never a same-named parent in another template.
   */
  private children: ChildLookup = (parent, type) => {
    if (parent.name instanceof Unknown)
      return this.index.ofType(type).length > 0 ? { found: [], undecided: parent.name } : { found: [] };
    const c = this.index.childrenNamed(parent, type, parent.name);
    return c.unknownName ? { found: [...c.found], undecided: c.unknownName } : { found: [...c.found] };
  };

  // --- networks ---------------------------------------------------------------------------------

  private readNetwork(r: AzureResource): void {
    const t = r.type.toLowerCase();
    if (t === 'microsoft.network/virtualnetworks') {
      const vnetId = r.id.toLowerCase();
      const subnets = getPath(r.body, 'properties.subnets');
      if (subnets instanceof Unknown) {
        this.notes.push(
          `the subnets of ${nameOf(r)} are unknown (${subnets.reason}); NSGs on them cannot be traced`,
        );
        return;
      }
      arr(subnets).forEach((s, i) => {
        const name = getPath(s, 'name');
        if (typeof name !== 'string') return;
        const at = `properties.subnets[${i}]`;
        const id = `${vnetId}/subnets/${name.toLowerCase()}`;
        this.addSubnet(id, vnetId, name, getPath(s, 'properties'), r, at);
      });
    } else if (t === 'microsoft.network/virtualnetworks/subnets' && typeof r.name === 'string') {
      const id = r.id.toLowerCase();
      this.addSubnet(
        id,
        id.replace(/\/subnets\/[^/]+$/, ''),
        r.name.split('/').pop() ?? r.name,
        getPath(r.body, 'properties'),
        r,
      );
    }
  }

  private addSubnet(
    id: string,
    vnetId: string,
    name: string,
    props: Value | undefined,
    r: AzureResource,
    at?: string,
  ): void {
    const subnetNode =
      this.nodes.get(id) ??
      this.addNode({
        id,
        kind: 'subnet',
        role: 'network',
        name,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        resource: r,
        ...(this.options.subjectIds?.get(r) ? { subjectId: this.options.subjectIds.get(r) as string } : {}),
        location: at ? r.locate(at) : r.location,
      });
    const subnet: Subnet = { id, vnetId, resource: r, ...(at ? { at } : {}) };
    const nsg = refAt(
      getPath(props, 'networkSecurityGroup'),
      at ? `${at}.properties.networkSecurityGroup` : 'properties.networkSecurityGroup',
    );
    if (nsg) subnet.nsg = nsg;
    else if (props instanceof Unknown) subnet.nsg = { unknown: props, at: at ?? 'properties' };
    this.subnets.set(id, subnet);
    this.edge(vnetId, subnetNode.id, 'contains');
    if (nsg && 'id' in nsg) this.edge(nsg.id, id, 'protects');
  }

  private readNsg(r: AzureResource): void {
    if (r.type.toLowerCase() !== 'microsoft.network/networksecuritygroups') return;
    const name = nameOf(r);
    const rules = getPath(r.body, 'properties.securityRules');
    const sources: RuleSource[] = [];
    arr(rules).forEach((rule, i) => {
      const ruleName = getPath(rule, 'name');
      sources.push({
        nsgName: name,
        name: typeof ruleName === 'string' ? ruleName : `#${i}`,
        props: rule instanceof Unknown ? rule : getPath(rule, 'properties'),
        resource: r,
        at: `properties.securityRules[${i}]`,
      });
    });
    for (const child of this.children(r, NSG_RULE_TYPE).found)
      sources.push({
        nsgName: name,
        name: nameOf(child).split('/').pop() ?? nameOf(child),
        props: getPath(child.body, 'properties'),
        resource: child,
        at: undefined,
      });
    const parsed = parseNsg(name, r, sources, rules instanceof Unknown ? rules : undefined);
    this.nsgs.set(r.id.toLowerCase(), parsed);
  }

  private readNic(r: AzureResource): void {
    if (r.type.toLowerCase() !== 'microsoft.network/networkinterfaces') return;
    const nic: Nic = {
      node: r.id.toLowerCase(),
      name: nameOf(r),
      resource: r,
      ipConfigs: readIpConfigs(getPath(r.body, 'properties.ipConfigurations'), 'properties.ipConfigurations'),
    };
    const nsg = refAt(getPath(r.body, 'properties.networkSecurityGroup'), 'properties.networkSecurityGroup');
    if (nsg) {
      nic.nsg = nsg;
      if ('id' in nsg) this.edge(nsg.id, nic.node as string, 'protects');
    }
    for (const c of nic.ipConfigs) {
      if (c.subnet && 'id' in c.subnet) this.edge(nic.node as string, c.subnet.id, 'in-subnet');
      if (c.privateIp) this.privateIps.set(c.privateIp, nic.node as string);
    }
    this.nics.set(nic.node as string, nic);
  }

  // --- NSG segments -------------------------------------------------------------------------------

  /** Internet-open segments through one NSG reference; undefined when there is no NSG. */
  private segmentsFor(ref: Ref | undefined, owner: AzureResource): Segment[] | undefined {
    if (!ref) return undefined;
    if ('unknown' in ref)
      return [
        {
          lo: 0,
          hi: 65535,
          status: 'unknown',
          rules: [],
          reason: `the network security group is unknown (${ref.unknown.reason})`,
          unknownFrom: ref.unknown.location ?? owner.locate(ref.at),
        },
      ];
    const cached = this.nsgSegments.get(ref.id);
    if (cached) return cached;
    const nsg = this.nsgs.get(ref.id);
    const segments: Segment[] = nsg
      ? internetAllowed(nsg)
      : [
          {
            lo: 0,
            hi: 65535,
            status: 'unknown',
            rules: [],
            reason: `network security group ${leaf(ref.id)} is not in this scan, so its rules cannot be read`,
            unknownFrom: owner.locate(ref.at),
          },
        ];
    this.nsgSegments.set(ref.id, segments);
    return segments;
  }

  /**
   * Ports the internet reaches through the subnet NSG and the NIC NSG in turn. With neither,
   * `openByDefault` decides: a Basic public IP or load balancer is open, Standard is closed.
   */
  private throughNsgs(
    nic: Nic,
    cfg: IpConfig,
    openByDefault: boolean | Unknown,
    skuWhat: string,
  ): { segments: Segment[]; closedReason?: string } {
    const subnet = cfg.subnet && 'id' in cfg.subnet ? this.subnets.get(cfg.subnet.id) : undefined;
    const layers: Segment[][] = [];
    if (cfg.subnet && 'unknown' in cfg.subnet)
      layers.push([
        {
          lo: 0,
          hi: 65535,
          status: 'unknown',
          rules: [],
          reason: `the subnet is unknown (${cfg.subnet.unknown.reason}), so its NSG cannot be read`,
          unknownFrom: cfg.subnet.unknown.location ?? nic.resource.locate(cfg.subnet.at),
        },
      ]);
    else if (cfg.subnet && !subnet)
      layers.push([
        {
          lo: 0,
          hi: 65535,
          status: 'unknown',
          rules: [],
          reason: `subnet ${leaf(cfg.subnet.id)} is not in this scan, so its NSG cannot be read`,
          unknownFrom: nic.resource.locate(cfg.subnet.at),
        },
      ]);
    const subnetSegments = subnet ? this.segmentsFor(subnet.nsg, subnet.resource) : undefined;
    if (subnetSegments) layers.push(subnetSegments);
    const nicSegments = this.segmentsFor(nic.nsg, nic.resource);
    if (nicSegments) layers.push(nicSegments);
    if (layers.length === 0) {
      if (openByDefault instanceof Unknown)
        return {
          segments: [
            {
              lo: 0,
              hi: 65535,
              status: 'unknown',
              rules: [],
              reason: `no NSG applies and the ${skuWhat} SKU is unknown (${openByDefault.reason})`,
              ...(openByDefault.location ? { unknownFrom: openByDefault.location } : {}),
            },
          ],
        };
      if (openByDefault)
        return {
          segments: [
            {
              lo: 0,
              hi: 65535,
              status: 'open',
              rules: [],
              reason: `no NSG on the NIC or its subnet, and a Basic ${skuWhat} is open to inbound traffic by default`,
            },
          ],
        };
      return {
        segments: [],
        closedReason: `no NSG applies, and a Standard ${skuWhat} is closed to inbound traffic unless an NSG allows it`,
      };
    }
    let segments = layers[0] as Segment[];
    for (const layer of layers.slice(1)) segments = intersect(segments, layer);
    return segments.length > 0
      ? { segments }
      : { segments, closedReason: 'no NSG rule allows inbound traffic from the internet' };
  }

  private static skuOpen(sku: Value | undefined): boolean | Unknown {
    if (sku instanceof Unknown) return sku;
    // Basic is the default SKU when none is given.
    return !(typeof sku === 'string' && /^standard/i.test(sku));
  }

  // --- compute ------------------------------------------------------------------------------------

  private nicsOf(node: ArchNode): Nic[] {
    const r = node.resource as AzureResource;
    if (node.kind === 'scale-set')
      return inlineNics(r, 'properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations');
    if (node.kind !== 'virtual-machine') return [];
    const out: Nic[] = [];
    const refs = refList(
      getPath(r.body, 'properties.networkProfile.networkInterfaces'),
      'properties.networkProfile.networkInterfaces',
    );
    for (const ref of refs) {
      if ('unknown' in ref) {
        this.unresolved.set(node.id, {
          reason: `a network interface reference is unknown (${ref.unknown.reason})`,
          from: ref.unknown.location ?? r.locate(ref.at),
        });
        continue;
      }
      const nic = this.nics.get(ref.id);
      if (!nic) {
        this.unresolved.set(node.id, {
          reason: `network interface ${leaf(ref.id)} is not in this scan`,
          from: r.locate(ref.at),
        });
        continue;
      }
      this.edge(ref.id, node.id, 'attached');
      out.push(nic);
    }
    appendAll(out, inlineNics(r, 'properties.networkProfile.networkInterfaceConfigurations'));
    return out;
  }

  private traceCompute(node: ArchNode): void {
    if (node.kind !== 'virtual-machine' && node.kind !== 'scale-set') return;
    const subnets = new Set<string>();
    for (const nic of this.nicsOf(node)) {
      const nicHop = nic.node ?? node.id;
      for (const cfg of nic.ipConfigs) {
        if (cfg.subnet && 'id' in cfg.subnet) {
          subnets.add(cfg.subnet.id);
          if (!nic.node) this.edge(node.id, cfg.subnet.id, 'in-subnet');
        }
        this.tracePublicIp(node, nic, nicHop, cfg);
        this.traceLoadBalancers(node, nic, nicHop, cfg);
        this.traceGateways(node, nicHop, cfg);
      }
    }
    this.computeSubnets.set(node.id, subnets);
  }

  private hops(...ids: (string | undefined)[]): string[] {
    const out: string[] = [];
    for (const id of ids) if (id && out[out.length - 1] !== id) out.push(id);
    return out;
  }

  private tracePublicIp(node: ArchNode, nic: Nic, nicHop: string, cfg: IpConfig): void {
    if (cfg.publicIp) {
      if ('unknown' in cfg.publicIp) {
        this.drafts.push({
          target: node.id,
          kind: 'public-ip',
          hops: this.hops(INTERNET_NODE, nicHop, node.id),
          segments: [
            {
              lo: 0,
              hi: 65535,
              status: 'unknown',
              rules: [],
              reason: `the public IP reference is unknown (${cfg.publicIp.unknown.reason})`,
              unknownFrom: cfg.publicIp.unknown.location ?? nic.resource.locate(cfg.publicIp.at),
            },
          ],
        });
        return;
      }
      const pipId = cfg.publicIp.id;
      const pip = this.byId.get(pipId);
      if (!pip) this.note(node.id, `public IP ${leaf(pipId)} is not in this scan; its SKU is unknown`);
      this.edge(pipId, nicHop, 'attached');
      const sku = pip
        ? getPath(pip.body, 'sku.name')
        : new Unknown(`public IP ${leaf(pipId)} is not in this scan`);
      const through = this.throughNsgs(nic, cfg, Builder.skuOpen(sku), 'public IP');
      this.drafts.push({
        target: node.id,
        kind: 'public-ip',
        hops: this.hops(INTERNET_NODE, pipId, nicHop, node.id),
        segments: through.segments,
        ...(through.closedReason ? { closedReason: through.closedReason } : {}),
      });
    } else if (cfg.inlinePublicIp) {
      const through = this.throughNsgs(nic, cfg, Builder.skuOpen(cfg.inlinePublicIp.sku), 'public IP');
      this.drafts.push({
        target: node.id,
        kind: 'public-ip',
        hops: this.hops(INTERNET_NODE, nicHop, node.id),
        segments: through.segments,
        via: 'a public IP declared on the NIC configuration',
        ...(through.closedReason ? { closedReason: through.closedReason } : {}),
      });
    }
  }

  /** Frontends of a load balancer that have a public IP, by lower-cased frontend id. */
  private publicFrontends(lb: AzureResource): Map<string, { pip?: string; unknown?: Unknown }> {
    const out = new Map<string, { pip?: string; unknown?: Unknown }>();
    const lbId = lb.id.toLowerCase();
    arr(getPath(lb.body, 'properties.frontendIPConfigurations')).forEach((fe) => {
      const name = getPath(fe, 'name');
      if (typeof name !== 'string') return;
      const pip = getPath(fe, 'properties.publicIPAddress');
      const ref = refAt(pip, 'x');
      if (!ref) return;
      const feId = `${lbId}/frontendipconfigurations/${name.toLowerCase()}`;
      out.set(feId, 'id' in ref ? { pip: ref.id } : { unknown: ref.unknown });
    });
    return out;
  }

  private traceLoadBalancers(node: ArchNode, nic: Nic, nicHop: string, cfg: IpConfig): void {
    const viaRules = (refs: Ref[], collection: string, poolKey: string, what: PathKind) => {
      for (const ref of refs) {
        if ('unknown' in ref) {
          this.drafts.push({
            target: node.id,
            kind: what,
            hops: this.hops(INTERNET_NODE, nicHop, node.id),
            segments: [
              {
                lo: 0,
                hi: 65535,
                status: 'unknown',
                rules: [],
                reason: `a load balancer reference is unknown (${ref.unknown.reason})`,
                unknownFrom: ref.unknown.location ?? nic.resource.locate(ref.at),
              },
            ],
          });
          continue;
        }
        const lbId = ref.id.replace(/\/(backendaddresspools|inboundnatrules|inboundnatpools)\/[^/]+$/, '');
        const lb = this.byId.get(lbId);
        if (!lb) {
          this.note(node.id, `load balancer ${leaf(lbId)} is not in this scan`);
          continue;
        }
        this.edge(lbId, nicHop, what === 'load-balancer' ? 'backend' : 'nat');
        const frontends = this.publicFrontends(lb);
        const matches = (rule: Value) => {
          if (poolKey === 'self') {
            const n = getPath(rule, 'name');
            return (
              typeof n === 'string' && `${lbId}/${collection.toLowerCase()}/${n.toLowerCase()}` === ref.id
            );
          }
          const single = refAt(getPath(rule, `properties.${poolKey}`), 'x');
          const pools = [
            ...refList(getPath(rule, `properties.${poolKey}s`), 'x'),
            ...(single ? [single] : []),
          ];
          return pools.some((p) => 'id' in p && p.id === ref.id);
        };
        arr(getPath(lb.body, `properties.${collection}`)).forEach((rule, i) => {
          if (!matches(rule)) return;
          const fe = refAt(getPath(rule, 'properties.frontendIPConfiguration'), 'x');
          const front = fe && 'id' in fe ? frontends.get(fe.id) : undefined;
          if (!front) return;
          const ruleName = String(getPath(rule, 'name') ?? `#${i}`);
          // Port 0 is an HA-ports rule: every port.
          const backendPort = getPath(rule, 'properties.backendPort');
          const ports: [number, number] =
            typeof backendPort === 'number' && backendPort > 0 ? [backendPort, backendPort] : ALL_PORTS;
          const through = this.throughNsgs(
            nic,
            cfg,
            Builder.skuOpen(getPath(lb.body, 'sku.name')),
            'load balancer',
          );
          let segments = restrictTo(through.segments, [ports]);
          if (front.unknown)
            segments = segments.map((s) => ({
              ...s,
              status: 'unknown' as const,
              reason: `the frontend public IP is unknown (${front.unknown?.reason})`,
            }));
          if (front.pip) this.edge(front.pip, lbId, 'attached');
          this.drafts.push({
            target: node.id,
            kind: what,
            hops: this.hops(INTERNET_NODE, front.pip, lbId, nicHop, node.id),
            segments,
            via: `load balancer ${nameOf(lb)} ${collection === 'loadBalancingRules' ? 'rule' : 'NAT rule'} ${ruleName}`,
            ...(segments.length === 0
              ? {
                  closedReason:
                    through.closedReason ??
                    `no NSG rule allows port ${describePorts([ports])} from the internet`,
                }
              : {}),
          });
        });
      }
    };
    viaRules(cfg.lbPools, 'loadBalancingRules', 'backendAddressPool', 'load-balancer');
    viaRules(cfg.natRules, 'inboundNatRules', 'self', 'nat-rule');
    viaRules(cfg.natPools, 'inboundNatPools', 'self', 'nat-rule');
  }

  private traceGateways(node: ArchNode, nicHop: string, cfg: IpConfig): void {
    for (const ref of cfg.agwPools) {
      if ('unknown' in ref) continue;
      const agwId = ref.id.replace(/\/backendaddresspools\/[^/]+$/, '');
      const agw = this.byId.get(agwId);
      if (!agw) {
        this.note(node.id, `application gateway ${leaf(agwId)} is not in this scan`);
        continue;
      }
      this.edge(agwId, nicHop, 'backend');
      this.gatewayPath(agw, node.id, [nicHop, node.id]);
    }
    if (cfg.privateIp) this.firewallPaths(node, nicHop, cfg.privateIp);
  }

  /** A path through an application gateway with a public frontend to one of its backends. */
  private gatewayPath(agw: AzureResource, target: string, tail: string[]): void {
    const agwId = agw.id.toLowerCase();
    let pip: string | undefined;
    let hidden: Unknown | undefined;
    for (const fe of arr(getPath(agw.body, 'properties.frontendIPConfigurations'))) {
      const ref = refAt(getPath(fe, 'properties.publicIPAddress'), 'x');
      if (ref && 'id' in ref) pip ??= ref.id;
      else if (ref) hidden ??= ref.unknown;
    }
    if (!pip && !hidden) return;
    if (pip) this.edge(pip, agwId, 'attached');
    const listenerPorts = arr(getPath(agw.body, 'properties.frontendPorts'))
      .map((p) => getPath(p, 'properties.port'))
      .filter((p): p is number => typeof p === 'number');
    const backendPorts = arr(getPath(agw.body, 'properties.backendHttpSettingsCollection'))
      .map((s) => getPath(s, 'properties.port'))
      .filter((p): p is number => typeof p === 'number');
    const ports: [number, number][] = (backendPorts.length > 0 ? backendPorts : [443]).map((p) => [p, p]);
    this.drafts.push({
      target,
      kind: 'application-gateway',
      hops: this.hops(INTERNET_NODE, pip, agwId, ...tail),
      segments: ports.map(([lo, hi]) => ({
        lo,
        hi,
        status: hidden && !pip ? ('unknown' as const) : ('open' as const),
        rules: [
          {
            name: nameOf(agw),
            detail: `forwards internet requests (listener ports ${listenerPorts.join(', ') || 'unknown'}) to this backend`,
            location: agw.locate('properties.backendAddressPools'),
          },
        ],
        ...(hidden && !pip ? { reason: `the gateway's public IP is unknown (${hidden.reason})` } : {}),
      })),
      via: `application gateway ${nameOf(agw)}`,
    });
  }

  /** Azure Firewall DNAT rules (classic `natRuleCollections`) that translate to a NIC's private address. */
  private firewallPaths(node: ArchNode, nicHop: string, privateIp: string): void {
    for (const r of this.firewalls) {
      const fwId = r.id.toLowerCase();
      arr(getPath(r.body, 'properties.natRuleCollections')).forEach((col, ci) => {
        arr(getPath(col, 'properties.rules')).forEach((rule, ri) => {
          if (getPath(rule, 'translatedAddress') !== privateIp) return;
          const sources = arr(getPath(rule, 'sourceAddresses')).map(String);
          const port = Number(getPath(rule, 'translatedPort'));
          const ports: [number, number] = Number.isInteger(port) && port > 0 ? [port, port] : ALL_PORTS;
          const fromInternet = sources.some((s) => s === '*' || s === '0.0.0.0/0');
          const at = `properties.natRuleCollections[${ci}].properties.rules[${ri}]`;
          this.edge(fwId, nicHop, 'nat');
          this.drafts.push({
            target: node.id,
            kind: 'firewall-dnat',
            hops: this.hops(INTERNET_NODE, fwId, nicHop, node.id),
            segments: fromInternet
              ? [
                  {
                    lo: ports[0],
                    hi: ports[1],
                    status: 'open',
                    rules: [
                      {
                        name: `${nameOf(r)}/${String(getPath(rule, 'name'))}`,
                        detail: `DNAT to ${privateIp}:${describePorts([ports])} from *`,
                        location: r.locate(at),
                      },
                    ],
                  },
                ]
              : [],
            via: `firewall ${nameOf(r)} DNAT`,
            ...(fromInternet ? {} : { closedReason: 'the DNAT rule allows listed sources only' }),
          });
        });
      });
    }
  }

  private traceEndpoint(node: ArchNode): void {
    const r = node.resource as AzureResource;
    const verdict = publicEndpoint(r, node.kind, this.children);
    if (!verdict) return;
    this.drafts.push({
      target: node.id,
      kind: verdict.kind,
      hops: [INTERNET_NODE, node.id],
      segments: [],
      verdict,
    });
    // App Service behind an application gateway by host name.
    if (node.kind === 'app-service' && typeof r.name === 'string') {
      const host = `${r.name.toLowerCase()}.azurewebsites.net`;
      for (const agw of this.gateways) {
        const pools = arr(getPath(agw.body, 'properties.backendAddressPools'));
        const served = pools.some((p) =>
          arr(getPath(p, 'properties.backendAddresses')).some(
            (a) => String(getPath(a, 'fqdn') ?? '').toLowerCase() === host,
          ),
        );
        if (served) {
          this.edge(agw.id.toLowerCase(), node.id, 'backend');
          this.gatewayPath(agw, node.id, [node.id]);
        }
      }
    }
  }

  /** Front Door / CDN origins matched to App Service and storage host names. */
  private traceFrontDoors(): void {
    const hosts = new Map<string, string>();
    for (const n of this.nodes.values()) {
      if (n.kind === 'app-service') hosts.set(`${n.name.toLowerCase()}.azurewebsites.net`, n.id);
      if (n.kind === 'storage') {
        for (const svc of ['blob', 'web', 'file', 'dfs'])
          hosts.set(`${n.name.toLowerCase()}.${svc}.core.windows.net`, n.id);
      }
    }
    for (const r of this.resources) {
      const t = r.type.toLowerCase();
      let host: Value | undefined;
      let profileId: string | undefined;
      if (t === 'microsoft.cdn/profiles/origingroups/origins' && typeof r.name === 'string') {
        host = getPath(r.body, 'properties.hostName');
        const id = r.id.toLowerCase();
        const cut = id.indexOf('/origingroups/');
        profileId = cut < 0 ? id : id.slice(0, cut);
      } else continue;
      if (typeof host !== 'string') continue;
      const hostName = host.toLowerCase().replace(/\.z\d+\.web\./, '.web.');
      const target = hosts.get(hostName);
      if (!target || !profileId || !this.nodes.has(profileId)) continue;
      this.edge(profileId, target, 'origin');
      const fd = this.nodes.get(profileId) as ArchNode;
      this.drafts.push({
        target,
        kind: 'front-door',
        hops: [INTERNET_NODE, profileId, target],
        segments: [
          {
            lo: 443,
            hi: 443,
            status: 'open',
            rules: [
              { name: fd.name, detail: `routes internet requests to origin ${host}`, location: r.location },
            ],
          },
        ],
        via: `Front Door ${fd.name}`,
      });
    }
  }

  /** Private endpoints, service endpoints, VNet integration and Bastion management edges. */
  private linkDataPaths(): void {
    for (const r of this.resources) {
      const t = r.type.toLowerCase();
      const id = r.id.toLowerCase();
      if (t === 'microsoft.network/privateendpoints') {
        const subnet = refAt(getPath(r.body, 'properties.subnet'), 'properties.subnet');
        if (subnet && 'id' in subnet) this.edge(id, subnet.id, 'in-subnet');
        for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'])
          for (const c of arr(getPath(r.body, `properties.${key}`))) {
            const target = getPath(c, 'properties.privateLinkServiceId');
            if (typeof target === 'string') this.edge(id, target.toLowerCase(), 'private-link');
          }
      } else if (t === 'microsoft.web/sites') {
        const subnet = getPath(r.body, 'properties.virtualNetworkSubnetId');
        if (typeof subnet === 'string') this.edge(id, subnet.toLowerCase(), 'vnet-integration');
      } else if (t === 'microsoft.network/bastionhosts') {
        let vnet: string | undefined;
        for (const c of arr(getPath(r.body, 'properties.ipConfigurations'))) {
          const subnet = refAt(getPath(c, 'properties.subnet'), 'x');
          if (subnet && 'id' in subnet) {
            this.edge(id, subnet.id, 'in-subnet');
            vnet = subnet.id.replace(/\/subnets\/[^/]+$/, '');
          }
          const pip = refAt(getPath(c, 'properties.publicIPAddress'), 'x');
          if (pip && 'id' in pip) this.edge(pip.id, id, 'attached');
        }
        if (vnet)
          for (const [compute, subnets] of this.computeSubnets)
            if ([...subnets].some((s) => s.startsWith(`${vnet}/subnets/`)))
              this.edge(id, compute, 'management', 'RDP/SSH via Bastion');
      } else if (t === 'microsoft.network/azurefirewalls') {
        for (const c of arr(getPath(r.body, 'properties.ipConfigurations'))) {
          const pip = refAt(getPath(c, 'properties.publicIPAddress'), 'x');
          if (pip && 'id' in pip) this.edge(pip.id, id, 'attached');
          const subnet = refAt(getPath(c, 'properties.subnet'), 'x');
          if (subnet && 'id' in subnet) this.edge(id, subnet.id, 'in-subnet');
        }
      }
      // Service endpoints: a data store's virtual-network rules name the subnets allowed in.
      const node = this.nodes.get(id);
      if (node?.role === 'data')
        for (const path of [
          'properties.networkAcls.virtualNetworkRules',
          'properties.virtualNetworkRules',
          'properties.networkRuleSet.virtualNetworkRules',
        ])
          for (const rule of arr(getPath(r.body, path))) {
            const subnet = getPath(rule, 'id') ?? getPath(rule, 'virtualNetworkResourceId');
            if (typeof subnet === 'string') this.edge(subnet.toLowerCase(), id, 'service-endpoint');
          }
    }
  }

  /** NSGs that open ports to the internet where no public entry point is traced: worth saying. */
  private noteLatentNsgs(): void {
    for (const d of this.drafts)
      for (const s of d.segments)
        for (const rule of s.rules) this.usedNsgs.add(rule.name.split('/')[0] as string);
    for (const [id, nsg] of this.nsgs) {
      const open = internetAllowed(nsg).filter((s) => s.status === 'open');
      if (open.length === 0 || this.usedNsgs.has(nsg.name)) continue;
      const subnets = [...this.subnets.values()]
        .filter((s) => s.nsg && 'id' in s.nsg && s.nsg.id === id)
        .map((s) => leaf(s.id));
      const rules = [...new Set(open.flatMap((s) => s.rules.map((r) => r.name)))];
      this.notes.push(
        `NSG ${nsg.name} allows ${describePorts(portsOf(open))} from the internet (${rules.join(', ')})${subnets.length ? ` on subnet(s) ${subnets.join(', ')}` : ''}; no public entry point to them is declared, so no path is traced`,
      );
    }
  }

  // --- results ------------------------------------------------------------------------------------

  private finishPaths(): ExposurePath[] {
    const order = new Map([...this.nodes.keys()].map((k, i) => [k, i]));
    const drafts = [...this.drafts].sort((a, b) => (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));
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
      this.pathSegments.set(id, d.segments);
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
  private reachability(node: ArchNode, own: ExposurePath[]): Reachability | undefined {
    const notes = [...(this.nodeNotes.get(node.id) ?? [])];
    const unresolved = this.unresolved.get(node.id);
    if (unresolved) notes.push(unresolved.reason);
    if (
      node.role === 'entry' ||
      ['load-balancer', 'application-gateway', 'firewall', 'bastion'].includes(node.kind)
    ) {
      const exposure = this.entryExposure(node);
      return exposure ? { node: node.id, exposure, paths: own, notes } : undefined;
    }
    if (node.role !== 'compute' && node.role !== 'data') return undefined;
    const exposure = combine(own.map(statusOf), Boolean(unresolved));
    const result: Reachability = { node: node.id, exposure, paths: own, notes };
    if (node.kind === 'virtual-machine' || node.kind === 'scale-set') {
      const mgmt = own.map((p): PathStatus => {
        const segments = this.pathSegments.get(p.id) ?? [];
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

  private entryExposure(node: ArchNode): Exposure | undefined {
    const r = node.resource as AzureResource;
    switch (node.kind) {
      case 'public-ip':
      case 'front-door':
      case 'traffic-manager':
        return 'internet';
      case 'load-balancer':
        return this.publicFrontends(r).size > 0 ? 'internet' : 'private';
      case 'application-gateway':
      case 'firewall':
      case 'bastion': {
        const key =
          node.kind === 'application-gateway'
            ? 'properties.frontendIPConfigurations'
            : 'properties.ipConfigurations';
        const refs = arr(getPath(r.body, key)).map((c) =>
          refAt(getPath(c, 'properties.publicIPAddress'), 'x'),
        );
        if (refs.some((x) => x && 'id' in x)) return 'internet';
        if (refs.some((x) => x && 'unknown' in x)) return 'unknown';
        return 'private';
      }
      default:
        return undefined;
    }
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
