/**
 * Reading the network resources into the graph: virtual networks and their subnets (inline or
 * as child resources), network security groups with their rules, and network interfaces with
 * their IP configurations. Everything later stages trace through starts here.
 */

import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { parseNsg, type RuleSource } from './nsg.ts';
import { arr, nameOf, type Ref, refAt, refList } from './refs.ts';
import type { GraphState, Subnet } from './state.ts';

const NSG_RULE_TYPE = 'microsoft.network/networksecuritygroups/securityrules';

export interface IpConfig {
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

export interface Nic {
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
export function inlineNics(r: AzureResource, path: string): Nic[] {
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

export function readNetwork(g: GraphState, r: AzureResource): void {
  const t = r.type.toLowerCase();
  if (t === 'microsoft.network/virtualnetworks') {
    const vnetId = r.id.toLowerCase();
    const subnets = getPath(r.body, 'properties.subnets');
    if (subnets instanceof Unknown) {
      g.notes.push(
        `the subnets of ${nameOf(r)} are unknown (${subnets.reason}); NSGs on them cannot be traced`,
      );
      return;
    }
    arr(subnets).forEach((s, i) => {
      const name = getPath(s, 'name');
      if (typeof name !== 'string') return;
      const at = `properties.subnets[${i}]`;
      const id = `${vnetId}/subnets/${name.toLowerCase()}`;
      addSubnet(g, id, vnetId, name, getPath(s, 'properties'), r, at);
    });
  } else if (t === 'microsoft.network/virtualnetworks/subnets' && typeof r.name === 'string') {
    const id = r.id.toLowerCase();
    addSubnet(
      g,
      id,
      id.replace(/\/subnets\/[^/]+$/, ''),
      r.name.split('/').pop() ?? r.name,
      getPath(r.body, 'properties'),
      r,
    );
  }
}

function addSubnet(
  g: GraphState,
  id: string,
  vnetId: string,
  name: string,
  props: Value | undefined,
  r: AzureResource,
  at?: string,
): void {
  const subnetNode =
    g.nodes.get(id) ??
    g.addNode({
      id,
      kind: 'subnet',
      role: 'network',
      name,
      type: 'Microsoft.Network/virtualNetworks/subnets',
      resource: r,
      ...(g.options.subjectIds?.get(r) ? { subjectId: g.options.subjectIds.get(r) as string } : {}),
      location: at ? r.locate(at) : r.location,
    });
  const subnet: Subnet = { id, vnetId, resource: r, ...(at ? { at } : {}) };
  const nsg = refAt(
    getPath(props, 'networkSecurityGroup'),
    at ? `${at}.properties.networkSecurityGroup` : 'properties.networkSecurityGroup',
  );
  if (nsg) subnet.nsg = nsg;
  else if (props instanceof Unknown) subnet.nsg = { unknown: props, at: at ?? 'properties' };
  g.subnets.set(id, subnet);
  g.edge(vnetId, subnetNode.id, 'contains');
  if (nsg && 'id' in nsg) g.edge(nsg.id, id, 'protects');
}

export function readNsg(g: GraphState, r: AzureResource): void {
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
  for (const child of g.children(r, NSG_RULE_TYPE).found)
    sources.push({
      nsgName: name,
      name: nameOf(child).split('/').pop() ?? nameOf(child),
      props: getPath(child.body, 'properties'),
      resource: child,
      at: undefined,
    });
  const parsed = parseNsg(name, r, sources, rules instanceof Unknown ? rules : undefined);
  g.nsgs.set(r.id.toLowerCase(), parsed);
}

export function readNic(g: GraphState, r: AzureResource): void {
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
    if ('id' in nsg) g.edge(nsg.id, nic.node as string, 'protects');
  }
  for (const c of nic.ipConfigs) {
    if (c.subnet && 'id' in c.subnet) g.edge(nic.node as string, c.subnet.id, 'in-subnet');
    if (c.privateIp) g.privateIps.set(c.privateIp, nic.node as string);
  }
  g.nics.set(nic.node as string, nic);
}
