/**
 * The template's own network topology, for checks that can be decided from it: which network
 * interfaces, gateways and endpoints sit in which subnet, which of them carry an NSG, and which
 * virtual networks have a public IP address in them. References are followed by resource id
 * (case-insensitive), as ARM binds them; a reference the template leaves unknown is reported
 * as such, never guessed.
 */
import { trimTrailing } from '../../core/trim-char.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import { resourceIndex } from './define.ts';

/** One IP configuration that places something in a subnet. */
export interface SubnetAttachment {
  /** The resource that declares it (a NIC, a VM or scale set with inline NICs, a gateway, ...). */
  resource: AzureResource;
  /** Says what it is, e.g. `network interface nic1`. */
  label: string;
  /** The subnet id it names (lower case), or the Unknown hiding it. */
  subnet: string | Unknown;
  /** The NSG on the interface itself, when the holder is a NIC (standalone or inline). */
  nsg?: string | Unknown;
  /** Whether the holder can carry a NIC-level NSG at all (gateways and endpoints cannot). */
  nicLike: boolean;
  /** A public IP on this configuration (or on the gateway's frontend): why it is public. */
  publicIp?: string;
  /** Ids (lower case) of the public IP address resources it uses, or the Unknowns hiding them. */
  publicIpIds: (string | Unknown)[];
}

const NIC = 'microsoft.network/networkinterfaces';
const VM = 'microsoft.compute/virtualmachines';
const VMSS = 'microsoft.compute/virtualmachinescalesets';
const LB = 'microsoft.network/loadbalancers';
const AGW = 'microsoft.network/applicationgateways';
const FIREWALL = 'microsoft.network/azurefirewalls';
const BASTION = 'microsoft.network/bastionhosts';
const PRIVATE_ENDPOINT = 'microsoft.network/privateendpoints';
const NETWORK_GATEWAY = 'microsoft.network/virtualnetworkgateways';

const arr = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);
const nameOf = (r: AzureResource) => (typeof r.name === 'string' ? r.name : '(unknown name)');

/** The id of `{ id: ... }`, lower case without a trailing slash; the Unknown that hides it; or undefined. */
export function refId(v: Value | undefined): string | Unknown | undefined {
  if (v instanceof Unknown) return v;
  const id = isObject(v) ? v.id : typeof v === 'string' ? v : undefined;
  if (id instanceof Unknown) return id;
  if (typeof id === 'string' && id !== '') return trimTrailing(id.toLowerCase(), '/');
  return undefined;
}

function hasValue(v: Value | undefined): boolean {
  return v !== undefined && v !== null;
}

/** IP configurations of a NIC-shaped object (`properties.ipConfigurations`). */
function nicAttachments(resource: AzureResource, nic: Value | undefined, label: string): SubnetAttachment[] {
  const nsg = refId(getPath(nic, 'properties.networkSecurityGroup'));
  const out: SubnetAttachment[] = [];
  for (const config of arr(getPath(nic, 'properties.ipConfigurations'))) {
    const subnet = refId(getPath(config, 'properties.subnet'));
    if (subnet === undefined) continue;
    const pip = refId(getPath(config, 'properties.publicIPAddress'));
    const publicIpIds = pip === undefined ? [] : [pip];
    const a: SubnetAttachment = { resource, label, subnet, nicLike: true, publicIpIds };
    if (nsg !== undefined) a.nsg = nsg;
    if (hasValue(getPath(config, 'properties.publicIPAddress')))
      a.publicIp = `${label} has a public IP address`;
    if (hasValue(getPath(config, 'properties.publicIPAddressConfiguration')))
      a.publicIp = `${label} creates a public IP address`;
    out.push(a);
  }
  return out;
}

/** Gateways and hosts whose IP configurations name a subnet, public when a frontend has a public IP. */
function gatewayAttachments(r: AzureResource, configPath: string, frontendPath: string, what: string) {
  const label = `${what} ${nameOf(r)}`;
  const frontends = arr(getPath(r.body, frontendPath));
  const isPublic = frontends.some((f) => hasValue(getPath(f, 'properties.publicIPAddress')));
  const pips = frontends.flatMap((f) => {
    const id = refId(getPath(f, 'properties.publicIPAddress'));
    return id === undefined ? [] : [id];
  });
  const out: SubnetAttachment[] = [];
  for (const config of arr(getPath(r.body, configPath))) {
    const subnet = refId(getPath(config, 'properties.subnet'));
    if (subnet === undefined) continue;
    const a: SubnetAttachment = { resource: r, label, subnet, nicLike: false, publicIpIds: pips };
    if (isPublic || hasValue(getPath(config, 'properties.publicIPAddress')))
      a.publicIp = `${label} has a public IP address`;
    out.push(a);
  }
  return out;
}

/** Every subnet attachment one resource declares. */
export function attachmentsOf(r: AzureResource): SubnetAttachment[] {
  const type = r.type.toLowerCase();
  switch (type) {
    case NIC:
      return nicAttachments(r, r.body as Value, `network interface ${nameOf(r)}`);
    case VM:
    case VMSS: {
      const path =
        type === VM
          ? 'properties.networkProfile.networkInterfaceConfigurations'
          : 'properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations';
      const what = type === VM ? 'virtual machine' : 'scale set';
      return arr(getPath(r.body, path)).flatMap((n) =>
        nicAttachments(r, n, `${what} ${nameOf(r)} (${String(getPath(n, 'name') ?? 'NIC')})`),
      );
    }
    case AGW:
      return gatewayAttachments(
        r,
        'properties.gatewayIPConfigurations',
        'properties.frontendIPConfigurations',
        'application gateway',
      );
    case FIREWALL:
      return gatewayAttachments(r, 'properties.ipConfigurations', 'properties.ipConfigurations', 'firewall');
    case BASTION:
      return gatewayAttachments(
        r,
        'properties.ipConfigurations',
        'properties.ipConfigurations',
        'Bastion host',
      );
    case LB:
      return gatewayAttachments(
        r,
        'properties.frontendIPConfigurations',
        'properties.frontendIPConfigurations',
        'load balancer',
      );
    case NETWORK_GATEWAY:
      return gatewayAttachments(
        r,
        'properties.ipConfigurations',
        'properties.ipConfigurations',
        'virtual network gateway',
      );
    case PRIVATE_ENDPOINT: {
      const subnet = refId(getPath(r.body, 'properties.subnet'));
      return subnet === undefined
        ? []
        : [{ resource: r, label: `private endpoint ${nameOf(r)}`, subnet, nicLike: false, publicIpIds: [] }];
    }
    default:
      return [];
  }
}

/** Public load balancers, by id, with the NICs in their back-end pools: those NICs' subnets are reached. */
function publicLoadBalancers(context: AzureCheckContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const lb of resourceIndex(context).ofType('Microsoft.Network/loadBalancers')) {
    const frontends = arr(getPath(lb.body, 'properties.frontendIPConfigurations'));
    if (frontends.some((f) => hasValue(getPath(f, 'properties.publicIPAddress'))))
      out.set(lb.id.toLowerCase(), `public load balancer ${nameOf(lb)}`);
  }
  return out;
}

const TYPES = [
  'Microsoft.Network/networkInterfaces',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Compute/virtualMachineScaleSets',
  'Microsoft.Network/applicationGateways',
  'Microsoft.Network/azureFirewalls',
  'Microsoft.Network/bastionHosts',
  'Microsoft.Network/loadBalancers',
  'Microsoft.Network/privateEndpoints',
  'Microsoft.Network/virtualNetworkGateways',
];

/** Attachments per scan (the resource list is the scan's identity), so each VNet or subnet does not re-read them. */
const cache = new WeakMap<readonly AzureResource[], SubnetAttachment[]>();

/** Every subnet attachment in the scan, with NICs behind a public load balancer marked public. */
export function allAttachments(context: AzureCheckContext): SubnetAttachment[] {
  let found = cache.get(context.resources);
  if (!found) {
    found = readAttachments(context);
    cache.set(context.resources, found);
  }
  return found;
}

function readAttachments(context: AzureCheckContext): SubnetAttachment[] {
  const index = resourceIndex(context);
  const lbs = publicLoadBalancers(context);
  const out: SubnetAttachment[] = [];
  for (const type of TYPES) {
    for (const r of index.ofType(type)) {
      const found = attachmentsOf(r);
      if (
        lbs.size > 0 &&
        found.length > 0 &&
        (type.endsWith('networkInterfaces') || type.includes('Compute'))
      ) {
        const behind = publicLbBehind(r, lbs);
        if (behind) for (const a of found) a.publicIp ??= `${a.label} is in the back-end pool of ${behind}`;
      }
      out.push(...found);
    }
  }
  return out;
}

/** The public load balancer whose back-end pool a NIC-bearing resource joins, if any. */
function publicLbBehind(r: AzureResource, lbs: Map<string, string>): string | undefined {
  for (const [id, label] of lbs) if (joinsPool(r, id)) return label;
  return undefined;
}

/** Whether a NIC-bearing resource names one of a load balancer's back-end pools (by id, lower case). */
function joinsPool(r: AzureResource, lbId: string): boolean {
  return bodyText(r).includes(`${lbId}/backendaddresspools/`);
}

/** A resource's body as lower-case JSON, made once per resource: asked once per load balancer. */
const bodyTexts = new WeakMap<AzureResource, string>();

function bodyText(r: AzureResource): string {
  let text = bodyTexts.get(r);
  if (text === undefined) {
    text = JSON.stringify(r.body).toLowerCase();
    bodyTexts.set(r, text);
  }
  return text;
}

/** Ids (lower case) of the subnets of a virtual network: inline ones and `vnet/subnets` children share the prefix. */
export function subnetPrefix(vnet: AzureResource): string {
  return `${vnet.id.toLowerCase()}/subnets/`;
}

export type VnetExposure =
  | { kind: 'public'; via: string[] }
  | { kind: 'private' }
  | { kind: 'unknown'; reason: Unknown; via: string };

/**
 * Whether the template's topology puts a public IP address in a virtual network: a NIC, VM or
 * scale set with a public IP (or behind a public load balancer), or an application gateway,
 * virtual network gateway, firewall, Bastion host or load balancer with a public frontend, in
 * one of its subnets.
 */
export function vnetExposure(context: AzureCheckContext, vnet: AzureResource): VnetExposure {
  const index = attachmentIndex(context);
  const via = index.publicByVnetPrefix.get(subnetPrefix(vnet));
  if (via) return { kind: 'public', via: [...via] };
  if (index.firstUnknownPublic) return { kind: 'unknown', ...index.firstUnknownPublic };
  return { kind: 'private' };
}

/** The attachments that name a subnet id (lower case), and the first unknown subnet reference seen. */
export function attachmentsInSubnet(
  context: AzureCheckContext,
  subnetId: string,
): { found: SubnetAttachment[]; unknownRef?: Unknown } {
  const index = attachmentIndex(context);
  const found = [...(index.bySubnet.get(subnetId.toLowerCase()) ?? [])];
  return index.firstUnknownSubnet ? { found, unknownRef: index.firstUnknownSubnet } : { found };
}

/**
 * The scan's attachments looked up by what the checks ask of them, in attachment order, so a
 * question about one VNet, subnet or public IP does not walk every attachment of the scan
 * (that walk, once per VNet, was an eighth of a 2,000-template scan).
 */
interface AttachmentIndex {
  /** The reasons public attachments are public, by each subnet-id prefix ending in `/subnets/`. */
  publicByVnetPrefix: Map<string, string[]>;
  /** The first public attachment whose subnet is unknown. */
  firstUnknownPublic?: { reason: Unknown; via: string };
  bySubnet: Map<string, SubnetAttachment[]>;
  firstUnknownSubnet?: Unknown;
  /** Positions of the attachments naming each public IP id. */
  byPublicIp: Map<string, number[]>;
  /** Attachments with a public IP reference that is unknown: position, reason, label. */
  hiddenPublicIp: { at: number; reason: Unknown; via: string }[];
}

const indexes = new WeakMap<readonly SubnetAttachment[], AttachmentIndex>();

function attachmentIndex(context: AzureCheckContext): AttachmentIndex {
  const all = allAttachments(context);
  let index = indexes.get(all);
  if (index) return index;
  index = { publicByVnetPrefix: new Map(), bySubnet: new Map(), byPublicIp: new Map(), hiddenPublicIp: [] };
  all.forEach((a, at) => {
    const idx = index as AttachmentIndex;
    if (a.subnet instanceof Unknown) {
      idx.firstUnknownSubnet ??= a.subnet;
      if (a.publicIp) idx.firstUnknownPublic ??= { reason: a.subnet, via: a.publicIp };
    } else {
      push(idx.bySubnet, a.subnet, a);
      // Every prefix up to a `/subnets/`, so a lookup by a VNet's prefix is the old startsWith.
      if (a.publicIp)
        for (let i = a.subnet.indexOf(SUBNETS); i >= 0; i = a.subnet.indexOf(SUBNETS, i + 1))
          push(idx.publicByVnetPrefix, a.subnet.slice(0, i + SUBNETS.length), a.publicIp);
    }
    const named = new Set<string>();
    let hidden: Unknown | undefined;
    for (const x of a.publicIpIds) {
      if (typeof x === 'string') named.add(x);
      else hidden ??= x;
    }
    for (const id of named) push(idx.byPublicIp, id, at);
    if (hidden) idx.hiddenPublicIp.push({ at, reason: hidden, via: a.label });
  });
  indexes.set(all, index);
  return index;
}

const SUBNETS = '/subnets/';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export type PublicIpNetwork =
  | { kind: 'network'; vnetId: string; via: string }
  | { kind: 'unknown'; reason: Unknown; via: string }
  /** A load balancer frontend whose back-end pool has no member in the scan. */
  | { kind: 'empty-pool'; via: string }
  /** A NAT gateway: outbound only, and not a resource DDoS Protection covers. */
  | { kind: 'nat-gateway'; via: string }
  | { kind: 'unattached' };

type Undecided = { reason: Unknown; via: string };

/**
 * The virtual network a public IP address is used in, by the template's topology: the subnet
 * of the first NIC, gateway, firewall or Bastion host that names it; for a load balancer
 * frontend, the network of its back-end pool's members (the id of a subnet's network is the
 * subnet id up to `/subnets/`). An address can be attached to one resource only, so the first
 * decided use settles it.
 */
export function publicIpNetwork(context: AzureCheckContext, pip: AzureResource): PublicIpNetwork {
  const id = pip.id.toLowerCase();
  const attachments = allAttachments(context);
  const byId = attachmentIndex(context);
  const naming = byId.byPublicIp.get(id) ?? [];
  // The first attachment, in order, that leaves the address undecided: one naming it on an
  // unknown subnet, or one whose public IP reference is itself unknown.
  let undecided: (Undecided & { at: number }) | undefined;
  for (const at of naming) {
    const a = attachments[at] as SubnetAttachment;
    const network = networkOfSubnet(a.subnet, a.label);
    if (network.kind === 'network') return network;
    if (network.kind === 'unknown') undecided ??= { reason: network.reason, via: network.via, at };
  }
  const hidden = byId.hiddenPublicIp.find((h) => !naming.includes(h.at));
  if (hidden && (!undecided || hidden.at < undecided.at)) undecided = hidden;
  const index = resourceIndex(context);
  for (const lb of index.ofType('Microsoft.Network/loadBalancers')) {
    const frontends = arr(getPath(lb.body, 'properties.frontendIPConfigurations'));
    if (!frontends.some((f) => refId(getPath(f, 'properties.publicIPAddress')) === id)) continue;
    const pool = poolNetwork(context, lb);
    if (pool.kind !== 'unknown') return pool;
    undecided ??= { reason: pool.reason, via: pool.via, at: attachments.length };
  }
  for (const nat of index.ofType('Microsoft.Network/natGateways')) {
    const ips = arr(getPath(nat.body, 'properties.publicIpAddresses'));
    if (ips.some((x) => refId(x) === id)) return { kind: 'nat-gateway', via: `NAT gateway ${nameOf(nat)}` };
  }
  return undecided
    ? { kind: 'unknown', reason: undecided.reason, via: undecided.via }
    : { kind: 'unattached' };
}

function networkOfSubnet(
  subnet: string | Unknown,
  via: string,
): { kind: 'network'; vnetId: string; via: string } | ({ kind: 'unknown' } & Undecided) | { kind: 'none' } {
  if (subnet instanceof Unknown) return { kind: 'unknown', reason: subnet, via };
  const at = subnet.indexOf('/subnets/');
  return at > 0 ? { kind: 'network', vnetId: subnet.slice(0, at), via } : { kind: 'none' };
}

/**
 * The network of a load balancer's back-end pool: the subnet of a NIC, VM or scale set that
 * joins the pool, or the virtual network an IP-based pool names.
 */
function poolNetwork(context: AzureCheckContext, lb: AzureResource): PublicIpNetwork {
  const label = `load balancer ${nameOf(lb)}`;
  const lbId = lb.id.toLowerCase();
  let undecided: Undecided | undefined;
  for (const a of allAttachments(context)) {
    if (!a.nicLike || !joinsPool(a.resource, lbId)) continue;
    const network = networkOfSubnet(a.subnet, `${label}, whose back-end pool holds ${a.label}`);
    if (network.kind === 'network') return network;
    if (network.kind === 'unknown') undecided ??= network;
  }
  for (const pool of arr(getPath(lb.body, 'properties.backendAddressPools'))) {
    const named = [
      getPath(pool, 'properties.virtualNetwork'),
      ...arr(getPath(pool, 'properties.loadBalancerBackendAddresses')).map((b) =>
        getPath(b, 'properties.virtualNetwork'),
      ),
    ].map(refId);
    const vnetId = named.find((x): x is string => typeof x === 'string');
    if (vnetId) return { kind: 'network', vnetId, via: `${label}, whose back-end pool names the network` };
    const hidden = named.find((x): x is Unknown => x instanceof Unknown);
    if (hidden) undecided ??= { reason: hidden, via: label };
  }
  return undecided ? { kind: 'unknown', ...undecided } : { kind: 'empty-pool', via: label };
}
