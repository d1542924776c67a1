import { trimTrailing } from '../../../core/trim-char.ts';
import { Unknown, type Value } from '../value.ts';
import { argError, asInt, asString, type CallSite, define, valueError } from './registry.ts';

function allStrings(args: Value[], site: CallSite): string[] {
  return args.map((_a, i) => asString(args, i, site));
}

/**
 * `Namespace/type1/type2` with names `n1, n2` -> `Namespace/type1/n1/type2/n2`. ARM requires one
 * name per type segment; a name holding several segments (`vnet/subnet`) is accepted when the
 * total matches, as templates commonly do.
 */
function typeAndNames(type: string, names: string[], site: CallSite): string {
  // ARM accepts a trailing slash ('Microsoft.Network/virtualNetworks/subnets/'), and published templates use it.
  const parts = trimTrailing(type, '/').split('/');
  const ns = parts[0];
  const types = parts.slice(1);
  if (!ns || types.length === 0 || types.some((t) => t === '')) {
    throw argError(
      site,
      `'${type}' is not a valid resource type: it must be 'Namespace/type[/childType...]'.`,
    );
  }
  let segs = names;
  if (segs.length !== types.length) segs = names.flatMap((n) => n.split('/'));
  if (segs.length !== types.length) {
    throw argError(
      site,
      `the type '${type}' requires ${types.length} resource name argument(s) but ${names.length} were given (${names.map((n) => `'${n}'`).join(', ')}).`,
    );
  }
  let out = ns;
  for (let i = 0; i < types.length; i++) out += `/${types[i]}/${segs[i]}`;
  return out;
}

/** Index of the resource type argument: the first of the leading `maxBefore + 1` arguments holding a '/'. */
function typeIndex(args: string[], maxBefore: number, site: CallSite): number {
  for (let i = 0; i <= maxBefore && i < args.length - 1; i++) if (args[i].includes('/')) return i;
  throw argError(
    site,
    `the function requires a resource type including the provider namespace (e.g. 'Microsoft.Storage/storageAccounts') followed by the resource name(s); arguments were ${args.map((a) => `'${a}'`).join(', ')}.`,
  );
}

define('resourceId', 2, Number.POSITIVE_INFINITY, (raw, site) => {
  const args = allStrings(raw, site);
  const t = typeIndex(args, 2, site);
  const s = site.ctx.scope;
  const sub = t === 2 ? args[0] : s.subscriptionId;
  const rg = t === 2 ? args[1] : t === 1 ? args[0] : s.resourceGroupName;
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${typeAndNames(args[t], args.slice(t + 1), site)}`;
});

define('subscriptionResourceId', 2, Number.POSITIVE_INFINITY, (raw, site) => {
  const args = allStrings(raw, site);
  const t = typeIndex(args, 1, site);
  const sub = t === 1 ? args[0] : site.ctx.scope.subscriptionId;
  return `/subscriptions/${sub}/providers/${typeAndNames(args[t], args.slice(t + 1), site)}`;
});

define('tenantResourceId', 2, Number.POSITIVE_INFINITY, (raw, site) => {
  const args = allStrings(raw, site);
  const t = typeIndex(args, 0, site);
  return `/providers/${typeAndNames(args[t], args.slice(t + 1), site)}`;
});

define('managementGroupResourceId', 2, Number.POSITIVE_INFINITY, (raw, site) => {
  const args = allStrings(raw, site);
  const t = typeIndex(args, 1, site);
  const mg = t === 1 ? args[0] : site.ctx.scope.managementGroupName;
  return `/providers/Microsoft.Management/managementGroups/${mg}/providers/${typeAndNames(args[t], args.slice(t + 1), site)}`;
});

define('extensionResourceId', 3, Number.POSITIVE_INFINITY, (raw, site) => {
  const args = allStrings(raw, site);
  const base = trimTrailing(args[0], '/');
  return `${base}/providers/${typeAndNames(args[1], args.slice(2), site)}`;
});

function describeTarget(v: Value): string {
  return typeof v === 'string' ? v : v instanceof Unknown ? '<unknown>' : JSON.stringify(v);
}

// reference() reads live state: Unknown unless the expander can resolve it from the template.
define(
  'reference',
  1,
  3,
  (args, site) => {
    const full = typeof args[2] === 'string' && args[2].toLowerCase() === 'full';
    if (!(args[0] instanceof Unknown) && site.ctx.resolveReference) {
      const known = site.ctx.resolveReference(args[0], full);
      if (known !== undefined) return known;
    }
    return new Unknown(
      `reference('${describeTarget(args[0])}') is known only at deployment`,
      site.ctx.location,
    );
  },
  'none',
);

// Every list* function (listKeys, listSecrets, listAccountSas, ...) returns secrets or live state.
define(
  'list*',
  1,
  3,
  (args, site) =>
    new Unknown(`${site.name}('${describeTarget(args[0])}') is known only at deployment`, site.ctx.location),
  'none',
);

define(
  'providers',
  1,
  2,
  (args, site) =>
    new Unknown(
      `providers('${args.map(describeTarget).join("', '")}') is known only at deployment`,
      site.ctx.location,
    ),
  'none',
);

/** Regions with availability zones (three logical zones each). */
const ZONAL_REGIONS = new Set([
  'australiaeast',
  'eastus',
  'eastus2',
  'westeurope',
  'northeurope',
  'southeastasia',
  'uksouth',
  'francecentral',
  'germanywestcentral',
  'japaneast',
  'canadacentral',
  'centralus',
  'westus2',
  'westus3',
  'koreacentral',
  'swedencentral',
  'norwayeast',
  'brazilsouth',
  'southafricanorth',
  'centralindia',
  'eastasia',
  'qatarcentral',
  'switzerlandnorth',
  'uaenorth',
  'polandcentral',
  'italynorth',
  'israelcentral',
  'newzealandnorth',
  'mexicocentral',
  'spaincentral',
  'usgovvirginia',
]);

define('pickZones', 3, 5, (args, site) => {
  asString(args, 0, site);
  asString(args, 1, site);
  const location = asString(args, 2, site).toLowerCase().replace(/\s+/g, '');
  const count = args.length > 3 ? asInt(args, 3, site) : 1;
  const offset = args.length > 4 ? asInt(args, 4, site) : 0;
  if (!ZONAL_REGIONS.has(location)) return [];
  if (count < 1 || offset < 0 || offset + count > 3) {
    throw valueError(site, `${count} zone(s) from offset ${offset} exceed the 3 zones of '${location}'.`);
  }
  const zones: Value[] = [];
  for (let i = 0; i < count; i++) zones.push(String(offset + i + 1));
  return zones;
});

define('deployer', 0, 0, (_args, site) => ({
  objectId: new Unknown('deployer().objectId is known only at deployment', site.ctx.location),
  tenantId: site.ctx.scope.tenantId,
  userPrincipalName: new Unknown(
    'deployer().userPrincipalName is known only at deployment',
    site.ctx.location,
  ),
}));
