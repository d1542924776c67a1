/**
 * Public endpoints of platform services (storage, databases, Key Vault, App Service, AKS...):
 * whether the service's own internet-facing endpoint is open to everyone, limited to some
 * networks, closed, or decided by a value the template leaves unknown.
 */
import type { SourceLocation } from '../../core/model.ts';
import { sameText } from '../checks/define.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import type { NodeKind, PathKind, PathRule, PathStatus } from './model.ts';

export interface EndpointVerdict {
  kind: PathKind;
  status: PathStatus;
  ports: [number, number][];
  reason: string;
  rules: PathRule[];
  unknownFrom?: SourceLocation;
}

/** Child resources of a resource (`parent/child` names) by type, with whether an unknown name hides one. */
export type ChildLookup = (
  parent: AzureResource,
  type: string,
) => { found: AzureResource[]; undecided?: Unknown };

/** A property that decides an endpoint: `stdata properties.publicNetworkAccess` `is "Enabled"`. */
const rule = (r: AzureResource, path: string, detail: string): PathRule => ({
  name: `${typeof r.name === 'string' ? r.name : '?'} ${path}`,
  detail,
  location: r.locate(path),
});

function undecided(
  r: AzureResource,
  kind: PathKind,
  ports: [number, number][],
  path: string,
  u: Unknown,
): EndpointVerdict {
  return {
    kind,
    status: 'unknown',
    ports,
    reason: `${path} is unknown (${u.reason}), so whether the public endpoint is open cannot be decided`,
    rules: [rule(r, path, `unknown: ${u.reason}`)],
    unknownFrom: u.location ?? r.locate(path),
  };
}

const is = (v: Value | undefined, text: string) => typeof v === 'string' && sameText(v, text);
const display = (v: Value | undefined) => (v === undefined ? 'not set' : JSON.stringify(v));

/**
 * The common pattern: `publicNetworkAccess` Disabled closes the endpoint; a firewall default
 * action Deny limits it to listed networks; otherwise it accepts every network.
 */
function aclEndpoint(
  r: AzureResource,
  ports: [number, number][],
  pnaPath: string,
  actionPath: string | undefined,
  extraRestriction?: () => { restricted: boolean; detail: string; path: string } | Unknown | undefined,
): EndpointVerdict {
  const kind: PathKind = 'public-endpoint';
  const pna = getPath(r.body, pnaPath);
  const closedOrPerimeter = accessDecidedByProperty(r, kind, ports, pnaPath, pna);
  if (closedOrPerimeter) return closedOrPerimeter;
  const action = actionPath ? getPath(r.body, actionPath) : undefined;
  if (actionPath && is(action, 'Deny'))
    return {
      kind,
      status: 'restricted',
      ports,
      reason: `${actionPath} is Deny: only the listed networks and addresses reach the public endpoint`,
      rules: [rule(r, actionPath, 'Deny')],
    };
  const extra = extraRestriction?.();
  if (extra instanceof Unknown) return undecided(r, kind, ports, pnaPath, extra);
  if (extra?.restricted)
    return {
      kind,
      status: 'restricted',
      ports,
      reason: extra.detail,
      rules: [rule(r, extra.path, extra.detail)],
    };
  if (pna instanceof Unknown) return undecided(r, kind, ports, pnaPath, pna);
  if (actionPath && action instanceof Unknown) return undecided(r, kind, ports, actionPath, action);
  const why = actionPath
    ? `${pnaPath} is ${display(pna)} and ${actionPath} is ${display(action)}: the public endpoint accepts every network`
    : `${pnaPath} is ${display(pna)}: the public endpoint accepts every network`;
  const decisive = actionPath && pna === undefined ? actionPath : pnaPath;
  const value = decisive === pnaPath ? pna : action;
  return {
    kind,
    status: 'open',
    ports,
    reason: why,
    rules: [rule(r, decisive, `is ${display(value)}: every network may connect`)],
  };
}

/**
 * `publicNetworkAccess` Disabled closes the public endpoint; `SecuredByPerimeter` hands the
 * decision to a network security perimeter, which admits only its members and its own inbound
 * rules (https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts):
 * restricted, as the checks that accept it assume.
 */
function accessDecidedByProperty(
  r: AzureResource,
  kind: PathKind,
  ports: [number, number][],
  pnaPath: string,
  pna: Value | undefined,
): EndpointVerdict | undefined {
  if (is(pna, 'Disabled'))
    return {
      kind,
      status: 'closed',
      ports,
      reason: `${pnaPath} is Disabled`,
      rules: [rule(r, pnaPath, 'Disabled')],
    };
  if (is(pna, 'SecuredByPerimeter'))
    return {
      kind,
      status: 'restricted',
      ports,
      reason: `${pnaPath} is SecuredByPerimeter: a network security perimeter admits only its members and its inbound rules`,
      rules: [rule(r, pnaPath, 'SecuredByPerimeter')],
    };
  return undefined;
}

/** Firewall-rule children (SQL, PostgreSQL, MySQL, Redis): the widest range they allow. */
function firewallEndpoint(
  r: AzureResource,
  ports: [number, number][],
  pnaPath: string,
  children: ChildLookup,
  ruleType: string,
  startKey: string,
  endKey: string,
  emptyMeans: PathStatus,
): EndpointVerdict {
  const kind: PathKind = 'public-endpoint';
  const pna = getPath(r.body, pnaPath);
  const closedOrPerimeter = accessDecidedByProperty(r, kind, ports, pnaPath, pna);
  if (closedOrPerimeter) return closedOrPerimeter;
  if (pna instanceof Unknown) return undecided(r, kind, ports, pnaPath, pna);
  const { found, undecided: hidden } = children(r, ruleType);
  let restricted: AzureResource | undefined;
  let azureOnly: AzureResource | undefined;
  for (const fw of found) {
    const start = getPath(fw.body, `properties.${startKey}`);
    const end = getPath(fw.body, `properties.${endKey}`);
    const u = start instanceof Unknown ? start : end instanceof Unknown ? end : undefined;
    if (u) return undecided(fw, kind, ports, `properties.${startKey}`, u);
    if (start === '0.0.0.0' && end === '255.255.255.255') {
      const name = typeof fw.name === 'string' ? fw.name : '?';
      return {
        kind,
        status: 'open',
        ports,
        reason: `firewall rule ${name} allows every address (0.0.0.0 - 255.255.255.255)`,
        rules: [
          { name, detail: 'allows 0.0.0.0 - 255.255.255.255', location: fw.locate(`properties.${startKey}`) },
        ],
      };
    }
    if (start === '0.0.0.0' && end === '0.0.0.0') azureOnly ??= fw;
    else restricted ??= fw;
  }
  if (hidden)
    return {
      kind,
      status: 'unknown',
      ports,
      reason: `a firewall rule's name is unknown (${hidden.reason}), so it may belong to this server and open it`,
      rules: [],
      unknownFrom: hidden.location ?? r.location,
    };
  const limited = restricted ?? azureOnly;
  if (limited) {
    const name = typeof limited.name === 'string' ? limited.name : '?';
    const detail =
      limited === azureOnly && !restricted
        ? `firewall rule ${name} allows all Azure services (any tenant)`
        : `firewall rules allow listed addresses only (e.g. ${name})`;
    return {
      kind,
      status: 'restricted',
      ports,
      reason: detail,
      rules: [{ name, detail, location: limited.location }],
    };
  }
  return {
    kind,
    status: emptyMeans,
    ports,
    reason:
      emptyMeans === 'restricted'
        ? `${pnaPath} is ${display(pna)} but no firewall rule allows any address`
        : `${pnaPath} is ${display(pna)} and no firewall rule limits it`,
    rules: [rule(r, pnaPath, display(pna))],
  };
}

function nonEmpty(v: Value | undefined): boolean | Unknown {
  if (v instanceof Unknown) return v;
  return Array.isArray(v) && v.length > 0;
}

/** The public endpoint of a platform service, or undefined for kinds without one. */
export function publicEndpoint(
  r: AzureResource,
  kind: NodeKind,
  children: ChildLookup,
): EndpointVerdict | undefined {
  switch (kind) {
    case 'storage':
      return aclEndpoint(
        r,
        [[443, 443]],
        'properties.publicNetworkAccess',
        'properties.networkAcls.defaultAction',
      );
    case 'key-vault':
      return aclEndpoint(
        r,
        [[443, 443]],
        'properties.publicNetworkAccess',
        'properties.networkAcls.defaultAction',
      );
    case 'container-registry':
      return aclEndpoint(
        r,
        [[443, 443]],
        'properties.publicNetworkAccess',
        'properties.networkRuleSet.defaultAction',
      );
    case 'cosmos-db':
      return aclEndpoint(r, [[443, 443]], 'properties.publicNetworkAccess', undefined, () => {
        const vnet = getPath(r.body, 'properties.isVirtualNetworkFilterEnabled');
        const ips = nonEmpty(getPath(r.body, 'properties.ipRules'));
        if (vnet instanceof Unknown) return vnet;
        if (ips instanceof Unknown) return ips;
        if (vnet === true || ips)
          return {
            restricted: true,
            detail: 'virtual network filters or IP rules limit the public endpoint',
            path: vnet === true ? 'properties.isVirtualNetworkFilterEnabled' : 'properties.ipRules',
          };
        return undefined;
      });
    case 'event-hubs':
    case 'service-bus': {
      const type = `${r.type}/networkRuleSets`;
      return aclEndpoint(
        r,
        [
          [443, 443],
          [5671, 5672],
        ],
        'properties.publicNetworkAccess',
        undefined,
        () => {
          const { found, undecided: hidden } = children(r, type);
          for (const set of found) {
            const action = getPath(set.body, 'properties.defaultAction');
            if (action instanceof Unknown) return action;
            if (is(action, 'Deny'))
              return {
                restricted: true,
                detail: 'network rule set default action is Deny',
                path: 'properties',
              };
          }
          return hidden;
        },
      );
    }
    case 'log-analytics': {
      const ingestion = getPath(r.body, 'properties.publicNetworkAccessForIngestion');
      const query = getPath(r.body, 'properties.publicNetworkAccessForQuery');
      const ports: [number, number][] = [[443, 443]];
      if (is(ingestion, 'Disabled') && is(query, 'Disabled'))
        return {
          kind: 'public-endpoint',
          status: 'closed',
          ports,
          reason: 'public ingestion and query are Disabled',
          rules: [rule(r, 'properties.publicNetworkAccessForIngestion', 'Disabled')],
        };
      const u = ingestion instanceof Unknown ? ingestion : query instanceof Unknown ? query : undefined;
      if (u) return undecided(r, 'public-endpoint', ports, 'properties.publicNetworkAccessForIngestion', u);
      return {
        kind: 'public-endpoint',
        status: 'open',
        ports,
        reason: `public ingestion is ${display(ingestion)} and query is ${display(query)} (Enabled by default)`,
        rules: [
          rule(
            r,
            'properties.publicNetworkAccessForIngestion',
            `is ${display(ingestion)} and publicNetworkAccessForQuery is ${display(query)} (Enabled by default)`,
          ),
        ],
      };
    }
    case 'sql-server':
      return firewallEndpoint(
        r,
        [[1433, 1433]],
        'properties.publicNetworkAccess',
        children,
        'Microsoft.Sql/servers/firewallRules',
        'startIpAddress',
        'endIpAddress',
        'restricted',
      );
    case 'postgresql':
    case 'mysql': {
      const delegated = getPath(r.body, 'properties.network.delegatedSubnetResourceId');
      const port: [number, number] = kind === 'postgresql' ? [5432, 5432] : [3306, 3306];
      if (typeof delegated === 'string' && delegated !== '')
        return {
          kind: 'public-endpoint',
          status: 'closed',
          ports: [port],
          reason: 'the server is injected into a delegated subnet (private access)',
          rules: [rule(r, 'properties.network.delegatedSubnetResourceId', 'private access')],
        };
      return firewallEndpoint(
        r,
        [port],
        'properties.network.publicNetworkAccess',
        children,
        `${r.type}/firewallRules`,
        'startIpAddress',
        'endIpAddress',
        'restricted',
      );
    }
    case 'redis': {
      const subnet = getPath(r.body, 'properties.subnetId');
      const nonTls = getPath(r.body, 'properties.enableNonSslPort') === true;
      const ports: [number, number][] = nonTls ? [[6379, 6380]] : [[6380, 6380]];
      if (typeof subnet === 'string' && subnet !== '')
        return {
          kind: 'public-endpoint',
          status: 'closed',
          ports,
          reason: 'the cache is injected into a virtual network',
          rules: [rule(r, 'properties.subnetId', 'VNet injection')],
        };
      return firewallEndpoint(
        r,
        ports,
        'properties.publicNetworkAccess',
        children,
        'Microsoft.Cache/redis/firewallRules',
        'startIP',
        'endIP',
        'open',
      );
    }
    case 'app-service': {
      const httpsOnly = getPath(r.body, 'properties.httpsOnly') === true;
      const ports: [number, number][] = httpsOnly
        ? [[443, 443]]
        : [
            [80, 80],
            [443, 443],
          ];
      return aclEndpoint(r, ports, 'properties.publicNetworkAccess', undefined, () => {
        const defaultAction = getPath(r.body, 'properties.siteConfig.ipSecurityRestrictionsDefaultAction');
        if (defaultAction instanceof Unknown) return defaultAction;
        if (is(defaultAction, 'Deny'))
          return {
            restricted: true,
            detail: 'access restrictions deny by default',
            path: 'properties.siteConfig.ipSecurityRestrictionsDefaultAction',
          };
        const restrictions = getPath(r.body, 'properties.siteConfig.ipSecurityRestrictions');
        if (restrictions instanceof Unknown) return restrictions;
        if (Array.isArray(restrictions) && restrictions.length > 0) {
          const allowsAny = restrictions.some(
            (x) =>
              isObject(x) &&
              is(getPath(x, 'action'), 'Allow') &&
              /^(any|\*|0\.0\.0\.0\/0)$/i.test(String(getPath(x, 'ipAddress'))),
          );
          if (!allowsAny)
            return {
              restricted: true,
              detail: 'access restrictions allow listed sources only',
              path: 'properties.siteConfig.ipSecurityRestrictions',
            };
        }
        return undefined;
      });
    }
    case 'kubernetes': {
      const ports: [number, number][] = [[443, 443]];
      const priv = getPath(r.body, 'properties.apiServerAccessProfile.enablePrivateCluster');
      if (priv === true)
        return {
          kind: 'api-server',
          status: 'closed',
          ports,
          reason: 'the API server is private',
          rules: [rule(r, 'properties.apiServerAccessProfile.enablePrivateCluster', 'true')],
        };
      if (priv instanceof Unknown)
        return undecided(
          r,
          'api-server',
          ports,
          'properties.apiServerAccessProfile.enablePrivateCluster',
          priv,
        );
      const ranges = nonEmpty(getPath(r.body, 'properties.apiServerAccessProfile.authorizedIPRanges'));
      if (ranges instanceof Unknown)
        return undecided(
          r,
          'api-server',
          ports,
          'properties.apiServerAccessProfile.authorizedIPRanges',
          ranges,
        );
      if (ranges)
        return {
          kind: 'api-server',
          status: 'restricted',
          ports,
          reason: 'the API server accepts authorised IP ranges only',
          rules: [rule(r, 'properties.apiServerAccessProfile.authorizedIPRanges', 'set')],
        };
      return {
        kind: 'api-server',
        status: 'open',
        ports,
        reason: 'the API server is public with no authorised IP ranges',
        rules: [rule(r, 'properties.apiServerAccessProfile', 'public, with no authorised IP ranges')],
      };
    }
    case 'container-app': {
      const ports: [number, number][] = [[443, 443]];
      const external = getPath(r.body, 'properties.configuration.ingress.external');
      if (external instanceof Unknown)
        return undecided(r, 'public-endpoint', ports, 'properties.configuration.ingress.external', external);
      return external === true
        ? {
            kind: 'public-endpoint',
            status: 'open',
            ports,
            reason: 'ingress is external',
            rules: [rule(r, 'properties.configuration.ingress.external', 'true')],
          }
        : {
            kind: 'public-endpoint',
            status: 'closed',
            ports,
            reason: 'ingress is internal or absent',
            rules: [],
          };
    }
    case 'api-management': {
      const ports: [number, number][] = [[443, 443]];
      const vnetType = getPath(r.body, 'properties.virtualNetworkType');
      if (is(vnetType, 'Internal'))
        return {
          kind: 'public-endpoint',
          status: 'closed',
          ports,
          reason: 'the gateway is deployed in internal virtual-network mode',
          rules: [rule(r, 'properties.virtualNetworkType', 'Internal')],
        };
      if (vnetType instanceof Unknown)
        return undecided(r, 'public-endpoint', ports, 'properties.virtualNetworkType', vnetType);
      return aclEndpoint(r, ports, 'properties.publicNetworkAccess', undefined);
    }
    default:
      return undefined;
  }
}
