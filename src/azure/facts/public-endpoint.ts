/**
 * One source of Azure exposure facts: whether a platform service's own internet-facing
 * endpoint is open to every network, limited to some, closed, or decided by a value the
 * template leaves unknown. Computed once from the normalised model (`AzureResource`), read by
 * both the TRA (architecture/endpoints.ts turns it into a path verdict) and the public-network
 * checks (checks/endpoint-outcome.ts turns it into a check outcome). docs/tra.md lists the rules.
 */
import type { SourceLocation } from '../../core/model.ts';
import { sameText } from '../checks/define.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';

/** How far the public endpoint reaches. */
export type EndpointExposure = 'open' | 'limited' | 'closed' | 'unknown';

/** Why: which mechanism decided the exposure (checks that accept only some mechanisms read it). */
export type EndpointBasis =
  /** `publicNetworkAccess` (or its equivalent) is Disabled. */
  | 'disabled'
  /** The service sits in a virtual network (delegated subnet, VNet injection, internal mode, private cluster, internal ingress, private-link-only export). */
  | 'private-network'
  /** `SecuredByPerimeter`: a network security perimeter admits only its members and inbound rules. */
  | 'perimeter'
  /** A firewall or rule set denies by default. */
  | 'default-deny'
  /** IP or virtual network rules (or authorised ranges) name the sources allowed. */
  | 'listed-sources'
  /** Only the 0.0.0.0 "all Azure services" firewall rule (any tenant). */
  | 'azure-services'
  /** Public access is on but no firewall rule admits any address. */
  | 'no-rule'
  /** Every network may connect. */
  | 'every-network'
  /** A deciding value is unknown. */
  | 'undecided';

/** A property (of the resource or of a child, such as a firewall rule) that decides the exposure. */
export interface EndpointProperty {
  /** What a person reads in the TRA, e.g. `stdata properties.publicNetworkAccess` or a firewall rule name. */
  name: string;
  /** Path on the resource that holds it. */
  path: string;
  detail: string;
  location: SourceLocation;
}

export interface PublicEndpointFact {
  exposure: EndpointExposure;
  basis: EndpointBasis;
  /** One sentence a person can check. */
  reason: string;
  /** The deciding properties, most decisive first, with their locations. */
  properties: EndpointProperty[];
  /** Path on the resource itself that a finding about this endpoint points at. */
  at: string;
  /** The unknown value, when `exposure` is unknown. */
  unknown?: Unknown;
  /** When unknown: the exposures the unknown values still leave possible. */
  possible?: EndpointExposure[];
  /** When unknown and `limited` is possible: the mechanism that would limit it. */
  limitedBy?: EndpointBasis;
  /** Inclusive port ranges the endpoint listens on. */
  ports: [number, number][];
}

/** Child resources of a resource (`parent/child` names) by type, with whether an unknown name hides one. */
export type ChildLookup = (
  parent: AzureResource,
  type: string,
) => { found: AzureResource[]; undecided?: Unknown };

/** The services with a public endpoint this module decides. */
export type EndpointService =
  | 'storage'
  | 'key-vault'
  | 'container-registry'
  | 'cosmos-db'
  | 'event-hubs'
  | 'service-bus'
  | 'log-analytics'
  | 'sql-server'
  | 'postgresql'
  | 'mysql'
  | 'redis'
  | 'app-service'
  | 'kubernetes'
  | 'container-app'
  | 'api-management'
  | 'disk';

const nameOf = (r: AzureResource) => (typeof r.name === 'string' ? r.name : '?');
const is = (v: Value | undefined, text: string) => typeof v === 'string' && sameText(v, text);
const display = (v: Value | undefined) => (v === undefined ? 'not set' : JSON.stringify(v));

/** A property of `r` that decides the endpoint: `stdata properties.publicNetworkAccess` `Disabled`. */
const prop = (r: AzureResource, path: string, detail: string): EndpointProperty => ({
  name: `${nameOf(r)} ${path}`,
  path,
  detail,
  location: r.locate(path),
});

const ALL_BUT_UNKNOWN: EndpointExposure[] = ['open', 'limited', 'closed'];

/**
 * An unknown verdict. With `limitedBy`, the unknown value only decides between open and limited
 * by that mechanism (public access itself is known to be on); without, anything is possible.
 */
function undecided(
  r: AzureResource,
  ports: [number, number][],
  path: string,
  u: Unknown,
  limitedBy?: EndpointBasis,
  what = path,
): PublicEndpointFact {
  return {
    exposure: 'unknown',
    basis: 'undecided',
    reason: `${what} is unknown (${u.reason}), so whether the public endpoint is open cannot be decided`,
    properties: [prop(r, path, `${what === path ? 'unknown' : `${what} unknown`}: ${u.reason}`)],
    at: path,
    unknown: u,
    possible: limitedBy ? ['open', 'limited'] : ALL_BUT_UNKNOWN,
    ...(limitedBy ? { limitedBy } : {}),
    ports,
  };
}

function decided(
  exposure: Exclude<EndpointExposure, 'unknown'>,
  basis: EndpointBasis,
  ports: [number, number][],
  reason: string,
  at: string,
  properties: EndpointProperty[],
): PublicEndpointFact {
  return { exposure, basis, reason, properties, at, ports };
}

/** A closed endpoint decided by one property of the resource. */
const closedBy = (
  r: AzureResource,
  basis: EndpointBasis,
  ports: [number, number][],
  reason: string,
  path: string,
  detail: string,
): PublicEndpointFact => decided('closed', basis, ports, reason, path, [prop(r, path, detail)]);

/**
 * `publicNetworkAccess` Disabled closes the public endpoint; `SecuredByPerimeter` hands the
 * decision to a network security perimeter, which admits only its members and its own inbound
 * rules (https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts):
 * limited.
 */
function accessDecidedByProperty(
  r: AzureResource,
  ports: [number, number][],
  pnaPath: string,
  pna: Value | undefined,
): PublicEndpointFact | undefined {
  if (is(pna, 'Disabled'))
    return decided('closed', 'disabled', ports, `${pnaPath} is Disabled`, pnaPath, [
      prop(r, pnaPath, 'Disabled'),
    ]);
  if (is(pna, 'SecuredByPerimeter'))
    return decided(
      'limited',
      'perimeter',
      ports,
      `${pnaPath} is SecuredByPerimeter: a network security perimeter admits only its members and its inbound rules`,
      pnaPath,
      [prop(r, pnaPath, 'SecuredByPerimeter')],
    );
  return undefined;
}

/** A restriction beside the default action (Cosmos IP rules, a namespace's rule set, App Service restrictions). */
type Restriction =
  | { basis: 'default-deny' | 'listed-sources'; detail: string; path: string; on?: AzureResource }
  | { unknown: Unknown; path: string; basis: 'default-deny' | 'listed-sources'; what?: string }
  | undefined;

/**
 * The common pattern: `publicNetworkAccess` Disabled closes the endpoint; a firewall default
 * action Deny (or another restriction) limits it to listed networks; otherwise it accepts every
 * network. `openAt` chooses the property an open verdict points at: the default action when it
 * is set (`action-first`), or `publicNetworkAccess` when it is set (`access-first`).
 */
function aclEndpoint(
  r: AzureResource,
  ports: [number, number][],
  pnaPath: string,
  actionPath: string | undefined,
  options: { extra?: () => Restriction; openAt?: 'action-first' | 'access-first' } = {},
): PublicEndpointFact {
  const pna = getPath(r.body, pnaPath);
  const closedOrPerimeter = accessDecidedByProperty(r, ports, pnaPath, pna);
  if (closedOrPerimeter) return closedOrPerimeter;
  const action = actionPath ? getPath(r.body, actionPath) : undefined;
  if (actionPath && is(action, 'Deny'))
    return decided(
      'limited',
      'default-deny',
      ports,
      `${actionPath} is Deny: only the listed networks and addresses reach the public endpoint`,
      actionPath,
      [prop(r, actionPath, 'Deny')],
    );
  const extra = options.extra?.();
  if (extra && 'unknown' in extra)
    return undecided(
      r,
      ports,
      extra.path,
      extra.unknown,
      pna instanceof Unknown ? undefined : extra.basis,
      extra.what,
    );
  if (extra)
    return decided('limited', extra.basis, ports, extra.detail, extra.on ? pnaPath : extra.path, [
      extra.on
        ? { name: nameOf(extra.on), path: extra.path, detail: extra.detail, location: extra.on.location }
        : prop(r, extra.path, extra.detail),
    ]);
  if (pna instanceof Unknown) return undecided(r, ports, pnaPath, pna);
  if (actionPath && action instanceof Unknown) return undecided(r, ports, actionPath, action, 'default-deny');
  const why = actionPath
    ? `${pnaPath} is ${display(pna)} and ${actionPath} is ${display(action)}: the public endpoint accepts every network`
    : `${pnaPath} is ${display(pna)}: the public endpoint accepts every network`;
  const at =
    options.openAt === 'action-first'
      ? actionPath && action !== undefined
        ? actionPath
        : pna !== undefined
          ? pnaPath
          : 'properties'
      : pna !== undefined
        ? pnaPath
        : actionPath && action !== undefined
          ? actionPath
          : 'properties';
  const decisive = actionPath && pna === undefined ? actionPath : pnaPath;
  const value = decisive === pnaPath ? pna : action;
  return decided('open', 'every-network', ports, why, at, [
    prop(r, decisive, `is ${display(value)}: every network may connect`),
  ]);
}

/** Firewall-rule children (SQL, PostgreSQL, MySQL, Redis): the widest range they allow. */
function firewallEndpoint(
  r: AzureResource,
  ports: [number, number][],
  pnaPath: string,
  children: ChildLookup,
  ruleType: string,
  keys: [string, string],
  emptyMeans: 'limited' | 'open',
): PublicEndpointFact {
  const [startKey, endKey] = keys;
  const pna = getPath(r.body, pnaPath);
  const closedOrPerimeter = accessDecidedByProperty(r, ports, pnaPath, pna);
  if (closedOrPerimeter) return closedOrPerimeter;
  if (pna instanceof Unknown) return undecided(r, ports, pnaPath, pna);
  const { found, undecided: hidden } = children(r, ruleType);
  let restricted: AzureResource | undefined;
  let azureOnly: AzureResource | undefined;
  for (const fw of found) {
    const start = getPath(fw.body, `properties.${startKey}`);
    const end = getPath(fw.body, `properties.${endKey}`);
    const u = start instanceof Unknown ? start : end instanceof Unknown ? end : undefined;
    if (u) {
      const fact = undecided(fw, ports, `properties.${startKey}`, u, 'listed-sources');
      return { ...fact, at: pnaPath };
    }
    if (start === '0.0.0.0' && end === '255.255.255.255') {
      const name = nameOf(fw);
      return decided(
        'open',
        'every-network',
        ports,
        `firewall rule ${name} allows every address (0.0.0.0 - 255.255.255.255)`,
        pnaPath,
        [
          {
            name,
            path: `properties.${startKey}`,
            detail: 'allows 0.0.0.0 - 255.255.255.255',
            location: fw.locate(`properties.${startKey}`),
          },
        ],
      );
    }
    if (start === '0.0.0.0' && end === '0.0.0.0') azureOnly ??= fw;
    else restricted ??= fw;
  }
  if (hidden)
    return {
      exposure: 'unknown',
      basis: 'undecided',
      reason: `a firewall rule's name is unknown (${hidden.reason}), so it may belong to this server and open it`,
      properties: [],
      at: pnaPath,
      unknown: hidden,
      possible: ['open', 'limited'],
      limitedBy: 'listed-sources',
      ports,
    };
  const limited = restricted ?? azureOnly;
  if (limited) {
    const name = nameOf(limited);
    const onlyAzure = limited === azureOnly && !restricted;
    const detail = onlyAzure
      ? `firewall rule ${name} allows all Azure services (any tenant)`
      : `firewall rules allow listed addresses only (e.g. ${name})`;
    return decided('limited', onlyAzure ? 'azure-services' : 'listed-sources', ports, detail, pnaPath, [
      { name, path: `properties.${startKey}`, detail, location: limited.location },
    ]);
  }
  return emptyMeans === 'limited'
    ? decided(
        'limited',
        'no-rule',
        ports,
        `${pnaPath} is ${display(pna)} but no firewall rule allows any address`,
        pnaPath,
        [prop(r, pnaPath, display(pna))],
      )
    : decided(
        'open',
        'every-network',
        ports,
        `${pnaPath} is ${display(pna)} and no firewall rule limits it`,
        pnaPath,
        [prop(r, pnaPath, display(pna))],
      );
}

/**
 * A service that is either injected into a subnet (closed) or guarded by firewall-rule children
 * (PostgreSQL and MySQL flexible servers, Redis). An unknown subnet may make it private, unless
 * public access is off anyway.
 */
function injectedOrFirewall(
  r: AzureResource,
  ports: [number, number][],
  children: ChildLookup,
  o: {
    subnetPath: string;
    injectedReason: string;
    pnaPath: string;
    ruleType: string;
    keys: [string, string];
    emptyMeans: 'limited' | 'open';
  },
): PublicEndpointFact {
  const subnet = getPath(r.body, o.subnetPath);
  if (typeof subnet === 'string' && subnet !== '')
    return decided('closed', 'private-network', ports, o.injectedReason, o.subnetPath, [
      prop(r, o.subnetPath, 'private network'),
    ]);
  if (subnet instanceof Unknown && !is(getPath(r.body, o.pnaPath), 'Disabled'))
    return undecided(r, ports, o.subnetPath, subnet);
  return firewallEndpoint(r, ports, o.pnaPath, children, o.ruleType, o.keys, o.emptyMeans);
}

function nonEmpty(v: Value | undefined): boolean | Unknown {
  if (v instanceof Unknown) return v;
  return Array.isArray(v) && v.length > 0;
}

/** The public endpoint of a platform service, or undefined for a service without one. */
export function publicEndpointFact(
  r: AzureResource,
  service: EndpointService,
  children: ChildLookup,
): PublicEndpointFact {
  switch (service) {
    case 'storage':
    case 'key-vault':
      return aclEndpoint(
        r,
        [[443, 443]],
        'properties.publicNetworkAccess',
        'properties.networkAcls.defaultAction',
        {
          openAt: 'action-first',
        },
      );
    case 'container-registry':
      return aclEndpoint(
        r,
        [[443, 443]],
        'properties.publicNetworkAccess',
        'properties.networkRuleSet.defaultAction',
      );
    case 'cosmos-db':
      return aclEndpoint(r, [[443, 443]], 'properties.publicNetworkAccess', undefined, {
        extra: () => cosmosRestriction(r),
      });
    case 'event-hubs':
    case 'service-bus':
      return aclEndpoint(
        r,
        [
          [443, 443],
          [5671, 5672],
        ],
        'properties.publicNetworkAccess',
        undefined,
        { extra: () => ruleSetRestriction(r, children) },
      );
    case 'log-analytics':
      return logAnalytics(r);
    case 'sql-server':
      return firewallEndpoint(
        r,
        [[1433, 1433]],
        'properties.publicNetworkAccess',
        children,
        'Microsoft.Sql/servers/firewallRules',
        ['startIpAddress', 'endIpAddress'],
        'limited',
      );
    case 'postgresql':
    case 'mysql':
      return injectedOrFirewall(r, service === 'postgresql' ? [[5432, 5432]] : [[3306, 3306]], children, {
        subnetPath: 'properties.network.delegatedSubnetResourceId',
        injectedReason: 'the server is injected into a delegated subnet (private access)',
        pnaPath: 'properties.network.publicNetworkAccess',
        ruleType: `${r.type}/firewallRules`,
        keys: ['startIpAddress', 'endIpAddress'],
        emptyMeans: 'limited',
      });
    case 'redis':
      return injectedOrFirewall(
        r,
        getPath(r.body, 'properties.enableNonSslPort') === true ? [[6379, 6380]] : [[6380, 6380]],
        children,
        {
          subnetPath: 'properties.subnetId',
          injectedReason: 'the cache is injected into a virtual network',
          pnaPath: 'properties.publicNetworkAccess',
          ruleType: 'Microsoft.Cache/redis/firewallRules',
          keys: ['startIP', 'endIP'],
          emptyMeans: 'open',
        },
      );
    case 'app-service': {
      const httpsOnly = getPath(r.body, 'properties.httpsOnly') === true;
      const ports: [number, number][] = httpsOnly
        ? [[443, 443]]
        : [
            [80, 80],
            [443, 443],
          ];
      return aclEndpoint(
        r,
        ports,
        'properties.publicNetworkAccess',
        'properties.siteConfig.ipSecurityRestrictionsDefaultAction',
        { extra: () => appRestrictions(r), openAt: 'action-first' },
      );
    }
    case 'kubernetes':
      return apiServer(r);
    case 'container-app': {
      const ports: [number, number][] = [[443, 443]];
      const path = 'properties.configuration.ingress.external';
      const external = getPath(r.body, path);
      if (external instanceof Unknown) return undecided(r, ports, path, external);
      return external === true
        ? decided('open', 'every-network', ports, 'ingress is external', path, [prop(r, path, 'true')])
        : decided('closed', 'private-network', ports, 'ingress is internal or absent', path, []);
    }
    case 'api-management': {
      const ports: [number, number][] = [[443, 443]];
      const path = 'properties.virtualNetworkType';
      const vnetType = getPath(r.body, path);
      if (is(vnetType, 'Internal'))
        return closedBy(
          r,
          'private-network',
          ports,
          'the gateway is deployed in internal virtual-network mode',
          path,
          'Internal',
        );
      if (vnetType instanceof Unknown) return undecided(r, ports, path, vnetType);
      return aclEndpoint(r, ports, 'properties.publicNetworkAccess', undefined);
    }
    case 'disk':
      return diskExport(r);
  }
}

/** Cosmos DB: IP rules, or the virtual network filter, limit the public endpoint. */
function cosmosRestriction(r: AzureResource): Restriction {
  const ipPath = 'properties.ipRules';
  const filterPath = 'properties.isVirtualNetworkFilterEnabled';
  const vnetPath = 'properties.virtualNetworkRules';
  const ips = nonEmpty(getPath(r.body, ipPath));
  if (ips === true)
    return { basis: 'listed-sources', detail: 'IP rules limit the public endpoint', path: ipPath };
  const filter = getPath(r.body, filterPath);
  const vnets = nonEmpty(getPath(r.body, vnetPath));
  if (filter === true && vnets === true)
    return {
      basis: 'listed-sources',
      detail: 'virtual network rules limit the public endpoint',
      path: vnetPath,
    };
  for (const [path, value] of [
    [ipPath, ips],
    [filterPath, filter],
    [vnetPath, vnets],
  ] as const)
    if (value instanceof Unknown) return { unknown: value, path, basis: 'listed-sources' };
  // The filter with no rules at all (and no IP rules) is kept open: see docs/tra.md on Cosmos DB.
  return undefined;
}

/** Event Hubs, Service Bus: a `<namespace>/networkRuleSets` child that denies by default. */
function ruleSetRestriction(r: AzureResource, children: ChildLookup): Restriction {
  const { found, undecided: hidden } = children(r, `${r.type}/networkRuleSets`);
  let unknownAction: Unknown | undefined;
  for (const set of found) {
    const action = getPath(set.body, 'properties.defaultAction');
    if (action instanceof Unknown) unknownAction ??= action;
    else if (is(action, 'Deny'))
      return {
        basis: 'default-deny',
        detail: `the network rule set ${nameOf(set)} denies access by default`,
        path: 'properties.defaultAction',
        on: set,
      };
  }
  // The rule set is a child: the namespace's own publicNetworkAccess is where a person looks.
  const path = 'properties.publicNetworkAccess';
  if (unknownAction)
    return {
      unknown: unknownAction,
      path,
      basis: 'default-deny',
      what: "a network rule set's default action",
    };
  return hidden
    ? { unknown: hidden, path, basis: 'default-deny', what: "a network rule set's name" }
    : undefined;
}

/** App Service access restrictions: deny by default is read as the default action; listed allow rules beside. */
function appRestrictions(r: AzureResource): Restriction {
  // An explicit default action (Allow, or unknown) decides unmatched traffic itself.
  if (getPath(r.body, 'properties.siteConfig.ipSecurityRestrictionsDefaultAction') !== undefined)
    return undefined;
  const path = 'properties.siteConfig.ipSecurityRestrictions';
  const restrictions = getPath(r.body, path);
  if (restrictions instanceof Unknown) return { unknown: restrictions, path, basis: 'listed-sources' };
  if (Array.isArray(restrictions) && restrictions.length > 0) {
    const allowsAny = restrictions.some(
      (x) =>
        isObject(x) &&
        is(getPath(x, 'action'), 'Allow') &&
        ['any', '*', '0.0.0.0/0'].includes(String(getPath(x, 'ipAddress')).toLowerCase()),
    );
    if (!allowsAny)
      return { basis: 'listed-sources', detail: 'access restrictions allow listed sources only', path };
  }
  return undefined;
}

function logAnalytics(r: AzureResource): PublicEndpointFact {
  const ports: [number, number][] = [[443, 443]];
  const ingestionPath = 'properties.publicNetworkAccessForIngestion';
  const queryPath = 'properties.publicNetworkAccessForQuery';
  const ingestion = getPath(r.body, ingestionPath);
  const query = getPath(r.body, queryPath);
  if (is(ingestion, 'Disabled') && is(query, 'Disabled'))
    return decided('closed', 'disabled', ports, 'public ingestion and query are Disabled', queryPath, [
      prop(r, ingestionPath, 'Disabled'),
      prop(r, queryPath, 'Disabled'),
    ]);
  // The first of the two that is not Disabled decides; both are Enabled by default.
  const [path, value] = is(ingestion, 'Disabled') ? [queryPath, query] : [ingestionPath, ingestion];
  if (value instanceof Unknown) return undecided(r, ports, path, value);
  const perimeter = is(value, 'SecuredByPerimeter');
  return decided(
    perimeter ? 'limited' : 'open',
    perimeter ? 'perimeter' : 'every-network',
    ports,
    `public ingestion is ${display(ingestion)} and query is ${display(query)} (Enabled by default)`,
    path,
    [prop(r, path, `is ${display(value)}${value === undefined ? ' (Enabled by default)' : ''}`)],
  );
}

function apiServer(r: AzureResource): PublicEndpointFact {
  const ports: [number, number][] = [[443, 443]];
  const privPath = 'properties.apiServerAccessProfile.enablePrivateCluster';
  const rangesPath = 'properties.apiServerAccessProfile.authorizedIPRanges';
  const priv = getPath(r.body, privPath);
  if (priv === true)
    return decided('closed', 'private-network', ports, 'the API server is private', privPath, [
      prop(r, privPath, 'true'),
    ]);
  if (priv instanceof Unknown) return undecided(r, ports, privPath, priv);
  const ranges = nonEmpty(getPath(r.body, rangesPath));
  if (ranges instanceof Unknown) return undecided(r, ports, rangesPath, ranges, 'listed-sources');
  if (ranges)
    return decided(
      'limited',
      'listed-sources',
      ports,
      'the API server accepts authorised IP ranges only',
      rangesPath,
      [prop(r, rangesPath, 'set')],
    );
  return decided(
    'open',
    'every-network',
    ports,
    'the API server is public with no authorised IP ranges',
    'properties.apiServerAccessProfile',
    [prop(r, 'properties.apiServerAccessProfile', 'public, with no authorised IP ranges')],
  );
}

/**
 * A managed disk's import/export endpoint: `networkAccessPolicy` DenyAll or AllowPrivate (only
 * through a disk access private endpoint), or `publicNetworkAccess` Disabled, keep disk
 * contents off the public network; the default (AllowAll) lets anyone with a SAS URL download it.
 */
function diskExport(r: AzureResource): PublicEndpointFact {
  const ports: [number, number][] = [[443, 443]];
  const policyPath = 'properties.networkAccessPolicy';
  const pnaPath = 'properties.publicNetworkAccess';
  const policy = getPath(r.body, policyPath);
  const pna = getPath(r.body, pnaPath);
  if (is(policy, 'DenyAll') || is(policy, 'AllowPrivate'))
    return closedBy(
      r,
      is(policy, 'DenyAll') ? 'disabled' : 'private-network',
      ports,
      `disk export is limited (networkAccessPolicy = ${String(policy)})`,
      policyPath,
      String(policy),
    );
  if (is(pna, 'Disabled'))
    return closedBy(
      r,
      'disabled',
      ports,
      'disk export over the public network is disabled (publicNetworkAccess = Disabled)',
      pnaPath,
      'Disabled',
    );
  if (policy instanceof Unknown) return undecided(r, ports, policyPath, policy);
  if (pna instanceof Unknown) return undecided(r, ports, pnaPath, pna);
  return decided(
    'open',
    'every-network',
    ports,
    `the disk can be exported from any network (networkAccessPolicy ${policy === undefined ? 'not set, default AllowAll' : JSON.stringify(policy)})`,
    policy !== undefined ? policyPath : 'properties',
    [prop(r, policyPath, display(policy))],
  );
}
