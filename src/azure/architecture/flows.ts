/**
 * Internal data flows derived from the template, each with the property it was read from:
 * - App Service app settings and connection strings (inline `siteConfig` or `sites/config`)
 *   and Container Apps environment variables that name a resource in the scan: by host name
 *   (`x.database.windows.net`, `x.vault.azure.net`...), by resource id, by `AccountName=` or
 *   `VaultName=`, or through the resource id an unknown value (`reference()`, `listKeys()`)
 *   was computed from;
 * - private endpoints (subnet -> private endpoint -> resource), service endpoints (subnet ->
 *   resource), App Service VNet integration (app -> subnet);
 * - role assignments (principal -> scope), with a user-assigned identity read as the
 *   workloads that carry it;
 * - diagnostic settings (resource -> log destination).
 * The channel says which endpoint a flow uses; the boundaries it crosses come from
 * boundaries.ts. Pure.
 */

import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import type { Boundaries } from './boundaries.ts';
import type { ArchNode, DataFlow, FlowChannel, FlowKind, NodeKind } from './model.ts';
import { arr } from './refs.ts';
import type { GraphState } from './state.ts';

/** Host-name suffixes of data services, and the node kind each names (the label before it is the resource name). */
const HOST_SUFFIXES: readonly [string, NodeKind][] = [
  ['.database.windows.net', 'sql-server'],
  ['.blob.core.windows.net', 'storage'],
  ['.queue.core.windows.net', 'storage'],
  ['.table.core.windows.net', 'storage'],
  ['.file.core.windows.net', 'storage'],
  ['.dfs.core.windows.net', 'storage'],
  ['.vault.azure.net', 'key-vault'],
  ['.documents.azure.com', 'cosmos-db'],
  ['.servicebus.windows.net', 'service-bus'],
  ['.redis.cache.windows.net', 'redis'],
  ['.postgres.database.azure.com', 'postgresql'],
  ['.mysql.database.azure.com', 'mysql'],
  ['.azurecr.io', 'container-registry'],
];

/** `Key=name` pairs of connection strings and Key Vault references that name a resource. */
const NAME_KEYS: readonly [string, NodeKind][] = [
  ['accountname=', 'storage'],
  ['vaultname=', 'key-vault'],
];

/** Markers of a secret inside a connection string. */
const SECRET_MARKERS = ['password=', 'pwd=', 'accountkey=', 'sharedaccesskey=', 'accesskey=', 'primarykey='];

/** Well-known built-in role definition ids, their names, and whether they grant control. */
export const BUILT_IN_ROLES: Readonly<Record<string, { name: string; privileged: boolean }>> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', privileged: true },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { name: 'Contributor', privileged: true },
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': { name: 'User Access Administrator', privileged: true },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', privileged: false },
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': { name: 'Storage Blob Data Owner', privileged: true },
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': { name: 'Storage Blob Data Contributor', privileged: false },
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1': { name: 'Storage Blob Data Reader', privileged: false },
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': { name: 'Key Vault Administrator', privileged: true },
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': { name: 'Key Vault Secrets Officer', privileged: false },
  '4633458b-17de-408a-b874-0445c86b69e6': { name: 'Key Vault Secrets User', privileged: false },
  '7f951dda-4ed3-4680-a7ca-43fe172d538d': { name: 'AcrPull', privileged: false },
  '090c5cfd-751d-490a-894a-3ce6f1109419': { name: 'Azure Service Bus Data Owner', privileged: true },
};

/** A setting: its name, value and where it is written. */
interface Setting {
  name: string;
  value: Value | undefined;
  property: string;
  connectionString: boolean;
}

/** The text a value gives to search: a string, or the reason of an Unknown (it names the resource it reads). */
function textOf(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Unknown) return v.reason;
  return undefined;
}

/** Runs of characters that can make up a host name, resource id or `Key=value` pair, lower-cased. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  const lower = text.toLowerCase();
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    const word =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 45 ||
      c === 46 ||
      c === 47 ||
      c === 95 ||
      c === 61;
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      out.push(lower.slice(start, i));
      start = -1;
    }
  }
  return out;
}

interface Lookup {
  byId: Map<string, ArchNode>;
  byKindName: Map<string, ArchNode>;
  /** User-assigned identity id -> compute nodes that carry it. */
  identityUsers: Map<string, string[]>;
}

function lookup(g: GraphState): Lookup {
  const byKindName = new Map<string, ArchNode>();
  for (const n of g.nodes.values()) byKindName.set(`${n.kind}|${n.name.toLowerCase()}`, n);
  const identityUsers = new Map<string, string[]>();
  for (const n of g.nodes.values()) {
    if (n.role !== 'compute' || !n.resource) continue;
    const users = getPath(n.resource.body, 'identity.userAssignedIdentities');
    if (isObject(users))
      for (const key of Object.keys(users)) {
        const id = key.toLowerCase();
        identityUsers.set(id, [...(identityUsers.get(id) ?? []), n.id]);
      }
  }
  return { byId: g.nodes, byKindName, identityUsers };
}

/** The node a resource id names: the id itself or the nearest enclosing resource that is a node. */
function nodeOfId(id: string, l: Lookup): ArchNode | undefined {
  let at = id.replace(/\/+$/, '');
  while (at.includes('/providers/')) {
    const n = l.byId.get(at);
    if (n) return n;
    const cut = at.lastIndexOf('/');
    if (cut <= 0) return undefined;
    at = at.slice(0, cut);
  }
  return undefined;
}

/** Nodes a setting's text names, in order of appearance. */
function targetsIn(text: string, l: Lookup): ArchNode[] {
  const out: ArchNode[] = [];
  const push = (n: ArchNode | undefined) => {
    if (n && !out.includes(n)) out.push(n);
  };
  for (const token of tokens(text)) {
    if (token.includes('/providers/')) {
      const start = token.indexOf('/subscriptions/');
      push(nodeOfId(start >= 0 ? token.slice(start) : token, l));
    }
    for (const [key, kind] of NAME_KEYS)
      if (token.startsWith(key)) push(l.byKindName.get(`${kind}|${token.slice(key.length)}`));
    for (const part of token.split('/'))
      for (const [suffix, kind] of HOST_SUFFIXES)
        if (part.endsWith(suffix) && part.length > suffix.length) {
          const label = part.slice(0, -suffix.length);
          push(l.byKindName.get(`${kind}|${label.slice(label.lastIndexOf('.') + 1)}`));
        }
  }
  return out;
}

function settingsOf(r: AzureResource): Setting[] {
  const t = r.type.toLowerCase();
  const out: Setting[] = [];
  if (t === 'microsoft.web/sites' || t === 'microsoft.web/sites/slots') {
    arr(getPath(r.body, 'properties.siteConfig.appSettings')).forEach((s, i) => {
      const name = getPath(s, 'name');
      out.push({
        name: typeof name === 'string' ? name : `appSettings[${i}]`,
        value: getPath(s, 'value'),
        property: `properties.siteConfig.appSettings[${i}].value`,
        connectionString: false,
      });
    });
    arr(getPath(r.body, 'properties.siteConfig.connectionStrings')).forEach((s, i) => {
      const name = getPath(s, 'name');
      out.push({
        name: typeof name === 'string' ? name : `connectionStrings[${i}]`,
        value: getPath(s, 'connectionString'),
        property: `properties.siteConfig.connectionStrings[${i}].connectionString`,
        connectionString: true,
      });
    });
  } else if (t === 'microsoft.web/sites/config' || t === 'microsoft.web/sites/slots/config') {
    const leafName = typeof r.name === 'string' ? (r.name.split('/').pop() ?? '').toLowerCase() : '';
    const props = getPath(r.body, 'properties');
    if (isObject(props) && (leafName === 'appsettings' || leafName === 'connectionstrings'))
      for (const [name, v] of Object.entries(props)) {
        const cs = leafName === 'connectionstrings';
        out.push({
          name,
          value: cs && isObject(v) ? v.value : v,
          property: `properties.${name}${cs ? '.value' : ''}`,
          connectionString: cs,
        });
      }
  } else if (t === 'microsoft.app/containerapps') {
    arr(getPath(r.body, 'properties.template.containers')).forEach((c, i) => {
      arr(getPath(c, 'env')).forEach((e, j) => {
        const name = getPath(e, 'name');
        out.push({
          name: typeof name === 'string' ? name : `env[${j}]`,
          value: getPath(e, 'value'),
          property: `properties.template.containers[${i}].env[${j}].value`,
          connectionString: false,
        });
      });
    });
  }
  return out;
}

/** The app node a `sites/config` resource belongs to (its id less `/config/<name>`). */
function ownerOf(r: AzureResource, l: Lookup): ArchNode | undefined {
  const id = r.id.toLowerCase();
  const cut = id.lastIndexOf('/config/');
  return l.byId.get(cut > 0 ? id.slice(0, cut) : id);
}

function kindOf(s: Setting, text: string): FlowKind {
  const lower = text.toLowerCase();
  if (lower.includes('@microsoft.keyvault(')) return 'key-vault-reference';
  if (
    s.connectionString ||
    /connection/i.test(s.name) ||
    lower.includes('server=') ||
    lower.includes('endpoint=') ||
    lower.includes('defaultendpointsprotocol=')
  )
    return 'connection-string';
  return 'app-setting';
}

function carriesSecret(v: Value | undefined, text: string): boolean {
  const lower = text.toLowerCase();
  if (v instanceof Unknown && /^list[a-z]*\(/i.test(v.reason)) return true;
  if (lower.includes('@microsoft.keyvault(')) return false;
  return SECRET_MARKERS.some((m) => lower.includes(m));
}

/** Every data flow of the graph, with its channel and the boundaries it crosses. */
export function deriveFlows(g: GraphState, boundaries: Boundaries): DataFlow[] {
  const l = lookup(g);
  const flows: Omit<DataFlow, 'id' | 'crosses'>[] = [];
  const integration = new Map<string, string>();
  for (const e of g.edges) if (e.kind === 'vnet-integration') integration.set(e.from, e.to);
  const peOf = new Map<string, { pe: string; subnet?: string }[]>();
  const peSubnet = new Map<string, string>();
  for (const e of g.edges)
    if (e.kind === 'in-subnet' && g.nodes.get(e.from)?.kind === 'private-endpoint')
      peSubnet.set(e.from, e.to);
  for (const e of g.edges)
    if (e.kind === 'private-link') {
      const subnet = peSubnet.get(e.from);
      peOf.set(e.to, [...(peOf.get(e.to) ?? []), { pe: e.from, ...(subnet ? { subnet } : {}) }]);
    }
  const serviceEndpoints = new Set(
    g.edges.filter((e) => e.kind === 'service-endpoint').map((e) => `${e.from}|${e.to}`),
  );
  const vnetOf = (subnet: string) => subnet.replace(/\/subnets\/[^/]+$/, '');
  /** Subnets a source node sends from: its VNet integration subnet, or its NICs' subnets. */
  const sourceSubnets = (node: string): string[] => {
    const s = integration.get(node);
    if (s) return [s];
    return [...(g.computeSubnets.get(node) ?? [])];
  };
  const channelTo = (
    from: string,
    to: string,
  ): { channel: FlowChannel; via?: string; fromSubnet?: string } => {
    const subnets = sourceSubnets(from);
    const origin = subnets[0] ? { fromSubnet: subnets[0] } : {};
    for (const pe of peOf.get(to) ?? [])
      for (const s of subnets)
        if (pe.subnet && vnetOf(s) === vnetOf(pe.subnet))
          return { channel: 'private-endpoint', via: pe.pe, fromSubnet: s };
    for (const s of subnets)
      if (serviceEndpoints.has(`${s}|${to}`)) return { channel: 'service-endpoint', fromSubnet: s };
    return { channel: 'public-endpoint', ...origin };
  };

  for (const r of g.resources) {
    const t = r.type.toLowerCase();
    const id = r.id.toLowerCase();
    // Settings that name resources.
    const settings = settingsOf(r);
    if (settings.length) {
      const app = t.endsWith('/config') ? ownerOf(r, l) : g.nodes.get(id);
      if (app)
        for (const s of settings) {
          const text = textOf(s.value);
          if (!text) continue;
          for (const target of targetsIn(text, l)) {
            if (target.id === app.id || target.role !== 'data') continue;
            flows.push({
              kind: kindOf(s, text),
              from: app.id,
              to: target.id,
              ...channelTo(app.id, target.id),
              label: s.name,
              evidence: { property: s.property, location: r.locate(s.property) },
              carriesSecret: carriesSecret(s.value, text),
            });
          }
        }
    }
    if (t === 'microsoft.network/privateendpoints') {
      const subnet = peSubnet.get(id);
      const dns = g.index
        .ofType('Microsoft.Network/privateEndpoints/privateDnsZoneGroups')
        .some((z) => z.id.toLowerCase().startsWith(`${id}/`));
      for (const e of g.edges)
        if (e.kind === 'private-link' && e.from === id && subnet)
          flows.push({
            kind: 'private-endpoint',
            from: subnet,
            to: e.to,
            via: id,
            channel: 'private-endpoint',
            label: 'private link',
            evidence: {
              property: 'properties.privateLinkServiceConnections',
              location: r.locate('properties.privateLinkServiceConnections'),
            },
            privateDns: dns,
          });
    } else if (t === 'microsoft.web/sites') {
      const subnet = integration.get(id);
      if (subnet) {
        const routeAll =
          getPath(r.body, 'properties.vnetRouteAllEnabled') === true ||
          getPath(r.body, 'properties.siteConfig.vnetRouteAllEnabled') === true ||
          getPath(r.body, 'properties.outboundVnetRouting.allTraffic') === true;
        flows.push({
          kind: 'vnet-integration',
          from: id,
          to: subnet,
          channel: 'virtual-network',
          label: 'outbound via VNet integration',
          evidence: {
            property: 'properties.virtualNetworkSubnetId',
            location: r.locate('properties.virtualNetworkSubnetId'),
          },
          routeAll,
        });
      }
    } else if (t.endsWith('roleassignments')) {
      for (const f of roleFlows(r, l))
        flows.push(g.nodes.get(f.to)?.role === 'data' ? { ...f, ...channelTo(f.from, f.to) } : f);
    } else if (t.endsWith('diagnosticsettings')) {
      const cut = id.indexOf('/providers/microsoft.insights/diagnosticsettings/');
      const source = cut > 0 ? nodeOfId(id.slice(0, cut), l) : undefined;
      if (source)
        for (const key of ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId']) {
          const dest = getPath(r.body, `properties.${key}`);
          const target = typeof dest === 'string' ? nodeOfId(dest.toLowerCase(), l) : undefined;
          if (target && target.id !== source.id)
            flows.push({
              kind: 'diagnostics',
              from: source.id,
              to: target.id,
              channel: 'platform',
              label: 'diagnostic logs',
              evidence: { property: `properties.${key}`, location: r.locate(`properties.${key}`) },
            });
        }
    }
  }
  for (const e of g.edges)
    if (e.kind === 'service-endpoint') {
      const subnet = g.nodes.get(e.from);
      const policies = subnet?.resource ? subnetPolicies(subnet, subnet.resource) : false;
      const target = g.nodes.get(e.to);
      if (target?.resource)
        flows.push({
          kind: 'service-endpoint',
          from: e.from,
          to: e.to,
          channel: 'service-endpoint',
          label: 'service endpoint',
          evidence: { property: 'properties', location: target.resource.locate('properties.networkAcls') },
          endpointPolicy: policies,
        });
    }
  return flows.map((f, i) => ({ id: `F${i + 1}`, ...f, crosses: crossings(f, boundaries, g) }));
}

/** Whether a subnet declares a service endpoint policy (inline in its VNet, or standalone). */
function subnetPolicies(subnet: ArchNode, r: AzureResource): boolean {
  const own = r.type.toLowerCase() === 'microsoft.network/virtualnetworks/subnets';
  const body = own
    ? getPath(r.body, 'properties')
    : arr(getPath(r.body, 'properties.subnets')).find(
        (s) => typeof getPath(s, 'name') === 'string' && (getPath(s, 'name') as string) === subnet.name,
      );
  const policies = getPath(own ? body : getPath(body, 'properties'), 'serviceEndpointPolicies');
  return Array.isArray(policies) && policies.length > 0;
}

function roleFlows(r: AzureResource, l: Lookup): Omit<DataFlow, 'id' | 'crosses'>[] {
  const id = r.id.toLowerCase();
  const cut = id.indexOf('/providers/microsoft.authorization/roleassignments/');
  const scopeId = cut > 0 ? id.slice(0, cut) : undefined;
  const scopeText = textOf(getPath(r.body, 'scope'));
  const scope =
    (scopeId ? nodeOfId(scopeId, l) : undefined) ?? (scopeText ? targetsIn(scopeText, l)[0] : undefined);
  if (!scope) return [];
  const principalText = textOf(getPath(r.body, 'properties.principalId'));
  if (!principalText) return [];
  const principals: string[] = [];
  for (const token of tokens(principalText)) {
    if (!token.includes('/providers/')) continue;
    const start = token.indexOf('/subscriptions/');
    const at = (start >= 0 ? token.slice(start) : token).replace(/\/+$/, '');
    const users = l.identityUsers.get(at);
    if (users) principals.push(...users);
    else {
      const n = nodeOfId(at, l);
      if (n) principals.push(n.id);
    }
  }
  const roleId = textOf(getPath(r.body, 'properties.roleDefinitionId')) ?? '';
  const guid = roleId.toLowerCase().split('/').pop() ?? '';
  const role = BUILT_IN_ROLES[guid];
  return [...new Set(principals)]
    .filter((p) => p !== scope.id)
    .map((p) => ({
      kind: 'role-assignment' as const,
      from: p,
      to: scope.id,
      channel: 'control-plane' as const,
      label: role?.name ?? 'role assignment',
      evidence: { property: 'properties.principalId', location: r.locate('properties.principalId') },
      privileged: role?.privileged ?? false,
    }));
}

/**
 * Boundaries a flow crosses: those one end sits in and the other does not; the internet for a
 * flow through a public endpoint; the private endpoint it goes through; the sovereign boundary
 * when one end is inside it and the other outside.
 */
function crossings(f: Omit<DataFlow, 'id' | 'crosses'>, b: Boundaries, g: GraphState): string[] {
  const a = b.zonesOf(f.fromSubnet ?? f.from);
  const z = b.zonesOf(f.via ?? f.to);
  const out: string[] = [];
  for (const x of a) if (x !== 'sovereign' && !z.has(x)) out.push(x);
  for (const x of z) if (x !== 'sovereign' && !a.has(x)) out.push(x);
  if (f.channel === 'public-endpoint' && !out.includes('internet')) out.push('internet');
  if (f.via && !out.includes(`pe:${f.via}`)) out.push(`pe:${f.via}`);
  if (b.sovereign) {
    const ends = [g.nodes.get(f.from), g.nodes.get(f.to)];
    if (ends.every((n) => n?.resource) && a.has('sovereign') !== z.has('sovereign')) out.push('sovereign');
  }
  return out;
}
