/**
 * Edges that are not internet paths but show how things connect: private endpoints and their
 * private links, App Service VNet integration, Bastion and firewall attachments, Bastion
 * management reach to compute, and service endpoints named in data stores' network rules.
 */

import { getPath } from '../resource.ts';
import { arr, refAt } from './refs.ts';
import type { GraphState } from './state.ts';

/** Private endpoints, service endpoints, VNet integration and Bastion management edges. */
export function linkDataPaths(g: GraphState): void {
  for (const r of g.resources) {
    const t = r.type.toLowerCase();
    const id = r.id.toLowerCase();
    if (t === 'microsoft.network/privateendpoints') {
      const subnet = refAt(getPath(r.body, 'properties.subnet'), 'properties.subnet');
      if (subnet && 'id' in subnet) g.edge(id, subnet.id, 'in-subnet');
      for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections'])
        for (const c of arr(getPath(r.body, `properties.${key}`))) {
          const target = getPath(c, 'properties.privateLinkServiceId');
          if (typeof target === 'string') g.edge(id, target.toLowerCase(), 'private-link');
        }
    } else if (t === 'microsoft.web/sites') {
      const subnet = getPath(r.body, 'properties.virtualNetworkSubnetId');
      if (typeof subnet === 'string') g.edge(id, subnet.toLowerCase(), 'vnet-integration');
    } else if (t === 'microsoft.network/bastionhosts') {
      let vnet: string | undefined;
      for (const c of arr(getPath(r.body, 'properties.ipConfigurations'))) {
        const subnet = refAt(getPath(c, 'properties.subnet'), 'x');
        if (subnet && 'id' in subnet) {
          g.edge(id, subnet.id, 'in-subnet');
          vnet = subnet.id.replace(/\/subnets\/[^/]+$/, '');
        }
        const pip = refAt(getPath(c, 'properties.publicIPAddress'), 'x');
        if (pip && 'id' in pip) g.edge(pip.id, id, 'attached');
      }
      if (vnet)
        for (const [compute, subnets] of g.computeSubnets)
          if ([...subnets].some((s) => s.startsWith(`${vnet}/subnets/`)))
            g.edge(id, compute, 'management', 'RDP/SSH via Bastion');
    } else if (t === 'microsoft.network/azurefirewalls') {
      for (const c of arr(getPath(r.body, 'properties.ipConfigurations'))) {
        const pip = refAt(getPath(c, 'properties.publicIPAddress'), 'x');
        if (pip && 'id' in pip) g.edge(pip.id, id, 'attached');
        const subnet = refAt(getPath(c, 'properties.subnet'), 'x');
        if (subnet && 'id' in subnet) g.edge(id, subnet.id, 'in-subnet');
      }
    }
    // Service endpoints: a data store's virtual-network rules name the subnets allowed in.
    const node = g.nodes.get(id);
    if (node?.role === 'data')
      for (const path of [
        'properties.networkAcls.virtualNetworkRules',
        'properties.virtualNetworkRules',
        'properties.networkRuleSet.virtualNetworkRules',
      ])
        for (const rule of arr(getPath(r.body, path))) {
          const subnet = getPath(rule, 'id') ?? getPath(rule, 'virtualNetworkResourceId');
          if (typeof subnet === 'string') g.edge(subnet.toLowerCase(), id, 'service-endpoint');
        }
  }
}
