/**
 * Load-balancer paths: which frontends carry a public IP, and for a NIC in a backend pool or
 * behind an inbound NAT rule or pool, the ports each rule forwards through the NSGs.
 */

import type { Unknown, Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { type ArchNode, INTERNET_NODE, type PathKind } from './model.ts';
import type { IpConfig, Nic } from './network.ts';
import { ALL_PORTS, allPortsUndecided, describePorts, restrictTo } from './nsg.ts';
import { skuOpen, throughNsgs } from './nsg-layers.ts';
import { arr, leaf, nameOf, type Ref, refAt, refList } from './refs.ts';
import { type GraphState, hops } from './state.ts';

/** Frontends of a load balancer that have a public IP, by lower-cased frontend id. */
export function publicFrontends(lb: AzureResource): Map<string, { pip?: string; unknown?: Unknown }> {
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

export function traceLoadBalancers(
  g: GraphState,
  node: ArchNode,
  nic: Nic,
  nicHop: string,
  cfg: IpConfig,
): void {
  const viaRules = (refs: Ref[], collection: string, poolKey: string, what: PathKind) => {
    for (const ref of refs) {
      if ('unknown' in ref) {
        g.drafts.push({
          target: node.id,
          kind: what,
          hops: hops(INTERNET_NODE, nicHop, node.id),
          segments: [
            allPortsUndecided(
              `a load balancer reference is unknown (${ref.unknown.reason})`,
              ref.unknown.location ?? nic.resource.locate(ref.at),
            ),
          ],
        });
        continue;
      }
      const lbId = ref.id.replace(/\/(backendaddresspools|inboundnatrules|inboundnatpools)\/[^/]+$/, '');
      const lb = g.byId.get(lbId);
      if (!lb) {
        g.note(node.id, `load balancer ${leaf(lbId)} is not in this scan`);
        continue;
      }
      g.edge(lbId, nicHop, what === 'load-balancer' ? 'backend' : 'nat');
      const frontends = publicFrontends(lb);
      const matches = (rule: Value) => {
        if (poolKey === 'self') {
          const n = getPath(rule, 'name');
          return typeof n === 'string' && `${lbId}/${collection.toLowerCase()}/${n.toLowerCase()}` === ref.id;
        }
        const single = refAt(getPath(rule, `properties.${poolKey}`), 'x');
        const pools = [...refList(getPath(rule, `properties.${poolKey}s`), 'x'), ...(single ? [single] : [])];
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
        const through = throughNsgs(g, nic, cfg, skuOpen(getPath(lb.body, 'sku.name')), 'load balancer');
        let segments = restrictTo(through.segments, [ports]);
        if (front.unknown)
          segments = segments.map((s) => ({
            ...s,
            status: 'unknown' as const,
            reason: `the frontend public IP is unknown (${front.unknown?.reason})`,
          }));
        if (front.pip) g.edge(front.pip, lbId, 'attached');
        g.drafts.push({
          target: node.id,
          kind: what,
          hops: hops(INTERNET_NODE, front.pip, lbId, nicHop, node.id),
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
