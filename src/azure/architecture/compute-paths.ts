/**
 * Internet paths to virtual machines and scale sets: their NICs (standalone or inline), and
 * for each IP configuration the public IP, load-balancer, application-gateway and firewall
 * DNAT paths that reach it.
 */

import { appendAll } from '../../core/extent.ts';
import { Unknown } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { firewallPaths, gatewayPath } from './entry-paths.ts';
import { traceLoadBalancers } from './load-balancers.ts';
import { type ArchNode, INTERNET_NODE } from './model.ts';
import { type IpConfig, inlineNics, type Nic } from './network.ts';
import { allPortsUndecided } from './nsg.ts';
import { skuOpen, throughNsgs } from './nsg-layers.ts';
import { leaf, refList } from './refs.ts';
import { type GraphState, hops } from './state.ts';

function nicsOf(g: GraphState, node: ArchNode): Nic[] {
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
      g.unresolved.set(node.id, {
        reason: `a network interface reference is unknown (${ref.unknown.reason})`,
        from: ref.unknown.location ?? r.locate(ref.at),
      });
      continue;
    }
    const nic = g.nics.get(ref.id);
    if (!nic) {
      g.unresolved.set(node.id, {
        reason: `network interface ${leaf(ref.id)} is not in this scan`,
        from: r.locate(ref.at),
      });
      continue;
    }
    g.edge(ref.id, node.id, 'attached');
    out.push(nic);
  }
  appendAll(out, inlineNics(r, 'properties.networkProfile.networkInterfaceConfigurations'));
  return out;
}

export function traceCompute(g: GraphState, node: ArchNode): void {
  if (node.kind !== 'virtual-machine' && node.kind !== 'scale-set') return;
  const subnets = new Set<string>();
  for (const nic of nicsOf(g, node)) {
    const nicHop = nic.node ?? node.id;
    for (const cfg of nic.ipConfigs) {
      if (cfg.subnet && 'id' in cfg.subnet) {
        subnets.add(cfg.subnet.id);
        if (!nic.node) g.edge(node.id, cfg.subnet.id, 'in-subnet');
      }
      tracePublicIp(g, node, nic, nicHop, cfg);
      traceLoadBalancers(g, node, nic, nicHop, cfg);
      traceGateways(g, node, nicHop, cfg);
    }
  }
  g.computeSubnets.set(node.id, subnets);
}

function tracePublicIp(g: GraphState, node: ArchNode, nic: Nic, nicHop: string, cfg: IpConfig): void {
  if (cfg.publicIp) {
    if ('unknown' in cfg.publicIp) {
      g.drafts.push({
        target: node.id,
        kind: 'public-ip',
        hops: hops(INTERNET_NODE, nicHop, node.id),
        segments: [
          allPortsUndecided(
            `the public IP reference is unknown (${cfg.publicIp.unknown.reason})`,
            cfg.publicIp.unknown.location ?? nic.resource.locate(cfg.publicIp.at),
          ),
        ],
      });
      return;
    }
    const pipId = cfg.publicIp.id;
    const pip = g.byId.get(pipId);
    if (!pip) g.note(node.id, `public IP ${leaf(pipId)} is not in this scan; its SKU is unknown`);
    g.edge(pipId, nicHop, 'attached');
    const sku = pip
      ? getPath(pip.body, 'sku.name')
      : new Unknown(`public IP ${leaf(pipId)} is not in this scan`);
    const through = throughNsgs(g, nic, cfg, skuOpen(sku), 'public IP');
    g.drafts.push({
      target: node.id,
      kind: 'public-ip',
      hops: hops(INTERNET_NODE, pipId, nicHop, node.id),
      segments: through.segments,
      ...(through.closedReason ? { closedReason: through.closedReason } : {}),
    });
  } else if (cfg.inlinePublicIp) {
    const through = throughNsgs(g, nic, cfg, skuOpen(cfg.inlinePublicIp.sku), 'public IP');
    g.drafts.push({
      target: node.id,
      kind: 'public-ip',
      hops: hops(INTERNET_NODE, nicHop, node.id),
      segments: through.segments,
      via: 'a public IP declared on the NIC configuration',
      ...(through.closedReason ? { closedReason: through.closedReason } : {}),
    });
  }
}

function traceGateways(g: GraphState, node: ArchNode, nicHop: string, cfg: IpConfig): void {
  for (const ref of cfg.agwPools) {
    if ('unknown' in ref) continue;
    const agwId = ref.id.replace(/\/backendaddresspools\/[^/]+$/, '');
    const agw = g.byId.get(agwId);
    if (!agw) {
      g.note(node.id, `application gateway ${leaf(agwId)} is not in this scan`);
      continue;
    }
    g.edge(agwId, nicHop, 'backend');
    gatewayPath(g, agw, node.id, [nicHop, node.id]);
  }
  if (cfg.privateIp) firewallPaths(g, node, nicHop, cfg.privateIp);
}
