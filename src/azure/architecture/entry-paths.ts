/**
 * Paths that enter through a service rather than a NIC's own address: application gateways
 * (to NICs and App Service host names), Azure Firewall DNAT rules, Front Door / CDN origins,
 * and the platform public endpoints of compute and data services (endpoints.ts decides those).
 */

import type { Unknown, Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { publicEndpoint } from './endpoints.ts';
import { type ArchNode, INTERNET_NODE } from './model.ts';
import { ALL_PORTS, describePorts } from './nsg.ts';
import { arr, nameOf, refAt } from './refs.ts';
import { type GraphState, hops } from './state.ts';

/** A path through an application gateway with a public frontend to one of its backends. */
export function gatewayPath(g: GraphState, agw: AzureResource, target: string, tail: string[]): void {
  const agwId = agw.id.toLowerCase();
  let pip: string | undefined;
  let hidden: Unknown | undefined;
  for (const fe of arr(getPath(agw.body, 'properties.frontendIPConfigurations'))) {
    const ref = refAt(getPath(fe, 'properties.publicIPAddress'), 'x');
    if (ref && 'id' in ref) pip ??= ref.id;
    else if (ref) hidden ??= ref.unknown;
  }
  if (!pip && !hidden) return;
  if (pip) g.edge(pip, agwId, 'attached');
  const listenerPorts = arr(getPath(agw.body, 'properties.frontendPorts'))
    .map((p) => getPath(p, 'properties.port'))
    .filter((p): p is number => typeof p === 'number');
  const backendPorts = arr(getPath(agw.body, 'properties.backendHttpSettingsCollection'))
    .map((s) => getPath(s, 'properties.port'))
    .filter((p): p is number => typeof p === 'number');
  const ports: [number, number][] = (backendPorts.length > 0 ? backendPorts : [443]).map((p) => [p, p]);
  g.drafts.push({
    target,
    kind: 'application-gateway',
    hops: hops(INTERNET_NODE, pip, agwId, ...tail),
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
export function firewallPaths(g: GraphState, node: ArchNode, nicHop: string, privateIp: string): void {
  for (const r of g.firewalls) {
    const fwId = r.id.toLowerCase();
    arr(getPath(r.body, 'properties.natRuleCollections')).forEach((col, ci) => {
      arr(getPath(col, 'properties.rules')).forEach((rule, ri) => {
        if (getPath(rule, 'translatedAddress') !== privateIp) return;
        const sources = arr(getPath(rule, 'sourceAddresses')).map(String);
        const port = Number(getPath(rule, 'translatedPort'));
        const ports: [number, number] = Number.isInteger(port) && port > 0 ? [port, port] : ALL_PORTS;
        const fromInternet = sources.some((s) => s === '*' || s === '0.0.0.0/0');
        const at = `properties.natRuleCollections[${ci}].properties.rules[${ri}]`;
        g.edge(fwId, nicHop, 'nat');
        g.drafts.push({
          target: node.id,
          kind: 'firewall-dnat',
          hops: hops(INTERNET_NODE, fwId, nicHop, node.id),
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

export function traceEndpoint(g: GraphState, node: ArchNode): void {
  const r = node.resource as AzureResource;
  const verdict = publicEndpoint(r, node.kind, g.children);
  if (!verdict) return;
  g.drafts.push({
    target: node.id,
    kind: verdict.kind,
    hops: [INTERNET_NODE, node.id],
    segments: [],
    verdict,
  });
  // App Service behind an application gateway by host name.
  if (node.kind === 'app-service' && typeof r.name === 'string') {
    const host = `${r.name.toLowerCase()}.azurewebsites.net`;
    for (const agw of g.gateways) {
      const pools = arr(getPath(agw.body, 'properties.backendAddressPools'));
      const served = pools.some((p) =>
        arr(getPath(p, 'properties.backendAddresses')).some(
          (a) => String(getPath(a, 'fqdn') ?? '').toLowerCase() === host,
        ),
      );
      if (served) {
        g.edge(agw.id.toLowerCase(), node.id, 'backend');
        gatewayPath(g, agw, node.id, [node.id]);
      }
    }
  }
}

/** Front Door / CDN origins matched to App Service and storage host names. */
export function traceFrontDoors(g: GraphState): void {
  const hosts = new Map<string, string>();
  for (const n of g.nodes.values()) {
    if (n.kind === 'app-service') hosts.set(`${n.name.toLowerCase()}.azurewebsites.net`, n.id);
    if (n.kind === 'storage') {
      for (const svc of ['blob', 'web', 'file', 'dfs'])
        hosts.set(`${n.name.toLowerCase()}.${svc}.core.windows.net`, n.id);
    }
  }
  for (const r of g.resources) {
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
    if (!target || !profileId || !g.nodes.has(profileId)) continue;
    g.edge(profileId, target, 'origin');
    const fd = g.nodes.get(profileId) as ArchNode;
    g.drafts.push({
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
