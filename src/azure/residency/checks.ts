/**
 * Data-residency checks (`AZ-RES-*`): where each resource, its replicas, its backups and its
 * logs are stored, judged against the run's sovereign boundary (`--boundary`). Without a
 * boundary they do not run (scanAzure leaves out checks tagged `residency`).
 */

import type { CheckOutcome } from '../../core/model.ts';
import { trimTrailing } from '../../core/trim-char.ts';
import {
  type AzureCheck,
  defineCheck,
  fail,
  pass,
  resourceIndex,
  sameText,
  unknown,
} from '../checks/define.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import { type Boundary, boundaryRegionList } from './boundary.ts';
import {
  B2C_GEOGRAPHIES,
  isGlobalLocation,
  normaliseRegion,
  type RegionFact,
  regionFact,
} from './regions.ts';

export const RESIDENCY_TAG = 'residency';
/** Checks that apply to every resource type (they decide from `location`, which any resource may have). */
export const EVERY_RESOURCE_TAG = 'every-resource';

const REGIONS_DOC = 'https://learn.microsoft.com/azure/reliability/regions-list';
const PAIRS_DOC = 'https://learn.microsoft.com/azure/reliability/cross-region-replication-azure';
const ENV = 'https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-location';

const STORAGE = 'Microsoft.Storage/storageAccounts';
const COSMOS = 'Microsoft.DocumentDB/databaseAccounts';
const SQL_DATABASE = 'Microsoft.Sql/servers/databases';
const SQL_FAILOVER_GROUP = 'Microsoft.Sql/servers/failoverGroups';
const RSV = 'Microsoft.RecoveryServices/vaults';
const RSV_STORAGE = 'Microsoft.RecoveryServices/vaults/backupstorageconfig';
const BACKUP_VAULT = 'Microsoft.DataProtection/backupVaults';
const DIAGNOSTIC_SETTINGS = 'Microsoft.Insights/diagnosticSettings';
const APP_INSIGHTS = 'Microsoft.Insights/components';
const B2C = 'Microsoft.AzureActiveDirectory/b2cDirectories';

/** Legacy diagnostic settings declared as `<type>/providers/diagnosticSettings` children of common resources. */
const LEGACY_DIAGNOSTICS = [
  'Microsoft.KeyVault/vaults',
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Sql/servers/databases',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/applicationGateways',
  'Microsoft.Network/azureFirewalls',
  'Microsoft.Web/sites',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.EventHub/namespaces',
  'Microsoft.ServiceBus/namespaces',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.RecoveryServices/vaults',
].map((t) => `${t}/providers/diagnosticSettings`);

/** Services with no region: they run at Microsoft's edge or globally, whatever `location` says. */
const GLOBAL_SERVICES: Record<string, string> = {
  'microsoft.network/frontdoors': 'Front Door (classic)',
  'microsoft.cdn/profiles': 'Front Door / Azure CDN',
  'microsoft.network/frontdoorwebapplicationfirewallpolicies': 'Front Door WAF policy',
  'microsoft.network/trafficmanagerprofiles': 'Traffic Manager',
  'microsoft.network/dnszones': 'Azure DNS zone',
  'microsoft.network/privatednszones': 'Azure Private DNS zone',
  'microsoft.azureactivedirectory/b2cdirectories': 'Azure AD B2C',
  'microsoft.maps/accounts': 'Azure Maps',
};

const isType = (r: AzureResource, type: string) => r.type.toLowerCase() === type.toLowerCase();

function boundaryOf(context: AzureCheckContext): Boundary {
  // scanAzure runs residency checks only with a boundary; reaching here without one is a wiring bug.
  if (!context.boundary) throw new Error('residency check run without a boundary');
  return context.boundary;
}

/** A location value read from the template, classified. */
type Place =
  | { kind: 'region'; fact: RegionFact; text: string }
  | { kind: 'global' }
  | { kind: 'unknown'; reason: string; value?: Unknown }
  | { kind: 'none' };

const RG_LOCATION_UNKNOWN =
  'it comes from resourceGroup().location, which this run does not know (set --location or scan.scope.resourceGroupLocation)';

function placeOf(value: Value | undefined): Place {
  if (value === undefined || value === null) return { kind: 'none' };
  if (value instanceof Unknown) return { kind: 'unknown', reason: value.reason, value };
  if (typeof value !== 'string')
    return { kind: 'unknown', reason: `location is not a string (${JSON.stringify(value)})` };
  // scope.ts: an empty resource-group location means "not configured", never a region.
  if (value.trim() === '') return { kind: 'unknown', reason: RG_LOCATION_UNKNOWN };
  if (isGlobalLocation(value)) return { kind: 'global' };
  const fact = regionFact(value);
  if (!fact)
    return {
      kind: 'unknown',
      reason: `'${value}' is not a region assay knows (docs/residency.md lists them; Azure adds regions often)`,
    };
  return { kind: 'region', fact, text: value };
}

const label = (f: RegionFact) => `${f.displayName} (${f.name})`;

/** The verdict on one region against the boundary, located at `path`. */
function judgeRegion(
  r: AzureResource,
  boundary: Boundary,
  place: Place,
  path: string,
  what: string,
  extra = '',
): CheckOutcome | undefined {
  if (place.kind === 'none' || place.kind === 'global') return undefined;
  if (place.kind === 'unknown')
    return unknown(
      r,
      `cannot decide whether ${what} is inside boundary ${boundary.name}: ${place.reason}`,
      path,
      place.value,
    );
  const f = place.fact;
  const evidence = { region: f.name, country: f.country, boundary: boundary.name };
  if (boundary.regions.has(f.name))
    return pass(r, `${what} ${label(f)} is inside boundary ${boundary.name}${extra}`, path, evidence);
  return fail(
    r,
    `${what} ${label(f)}, ${f.physicalLocation}, is outside boundary ${boundary.name} (${boundaryRegionList(boundary)})${extra}`,
    path,
    evidence,
  );
}

/** The paired region geo-redundant copies go to, judged against the boundary. */
function judgeReplica(
  r: AzureResource,
  boundary: Boundary,
  primary: Place,
  path: string,
  what: string,
  extra = '',
): CheckOutcome {
  if (primary.kind === 'unknown')
    return unknown(
      r,
      `cannot decide where ${what} replicates to: the primary location is unknown (${primary.reason})`,
      path,
      primary.value,
    );
  if (primary.kind !== 'region')
    return unknown(r, `cannot decide where ${what} replicates to: the resource has no region`, path);
  const f = primary.fact;
  if (!f.pair)
    return unknown(
      r,
      `cannot decide where ${what} replicates to: ${label(f)} has no paired region, so the secondary is not fixed by Azure's region pairs`,
      path,
    );
  const secondary = regionFact(f.pair) as RegionFact;
  const evidence = { primary: f.name, secondary: secondary.name, boundary: boundary.name };
  if (boundary.regions.has(secondary.name))
    return pass(
      r,
      `${what} replicates to ${label(secondary)}, the pair of ${f.displayName}, inside boundary ${boundary.name}${extra}`,
      path,
      evidence,
    );
  return fail(
    r,
    `${what} replicates to ${label(secondary)}, ${secondary.physicalLocation}, the pair of ${f.displayName}: outside boundary ${boundary.name}${extra}`,
    path,
    evidence,
  );
}

/** Resource lookup by id (case-insensitive), through the scan's index. */
function findById(context: AzureCheckContext, id: string): AzureResource | undefined {
  return resourceIndex(context).withId(trimTrailing(id, '/'));
}

/** The resource a relative (`Microsoft.KeyVault/vaults/kv`) or full scope names, matched by type and name. */
function findByScope(context: AzureCheckContext, scope: string): AzureResource | undefined {
  if (scope.startsWith('/')) return findById(context, scope);
  const parts = scope.split('/');
  if (parts.length < 3) return undefined;
  const names: string[] = [];
  const types: string[] = [parts[0] as string, parts[1] as string];
  for (let i = 2; i < parts.length; i += 2) {
    names.push(parts[i] as string);
    if (parts[i + 1]) types.push(parts[i + 1] as string);
  }
  return resourceIndex(context).named(types.join('/'), names.join('/'));
}

/** The parent of a child resource (`vault/child` of type `.../vaults/x` -> the vault). */
function parentOf(
  context: AzureCheckContext,
  r: AzureResource,
  parentType: string,
): AzureResource | undefined {
  if (r.name instanceof Unknown) return undefined;
  const parentName = r.name.split('/')[0];
  return parentName === undefined ? undefined : resourceIndex(context).named(parentType, parentName);
}

/** SKUs and redundancy settings that keep a copy in the paired region. */
const isGeoRedundant = (v: string) =>
  /(^|_)(ra)?g(z)?rs$/i.test(v) || /^(geo|geozone|georedundant)$/i.test(v);

// ---------------------------------------------------------------------------------------------

function locationCheck(r: AzureResource, context: AzureCheckContext): CheckOutcome[] {
  const boundary = boundaryOf(context);
  const value = getPath(r.body, 'location');
  if (isType(r, B2C)) return b2cLocation(r, boundary, value);
  const kind =
    r.type.toLowerCase() === 'microsoft.resources/deployments' ? 'deployment location' : 'location';
  const outcome = judgeRegion(r, boundary, placeOf(value), 'location', kind);
  return outcome ? [outcome] : [];
}

/** B2C takes a geography (`Australia`, `United States`, `Europe`) for its directory data. */
function b2cLocation(r: AzureResource, boundary: Boundary, value: Value | undefined): CheckOutcome[] {
  if (value === undefined) return [];
  if (value instanceof Unknown)
    return [
      unknown(
        r,
        `cannot decide where the B2C directory data is stored: location is unknown (${value.reason})`,
        'location',
        value,
      ),
    ];
  if (typeof value !== 'string') return [];
  const key = normaliseRegion(value);
  if (!(key in B2C_GEOGRAPHIES))
    return [
      unknown(
        r,
        `cannot decide where the B2C directory data is stored: '${value}' is not a B2C data-residency location assay knows`,
        'location',
      ),
    ];
  const countries = B2C_GEOGRAPHIES[key];
  if (!countries)
    return [
      unknown(
        r,
        `B2C stores directory data somewhere in ${value}, an area of several countries; confirm it is inside boundary ${boundary.name}`,
        'location',
      ),
    ];
  const outside = countries.filter((c) => !boundary.countries.has(c));
  return outside.length === 0
    ? [pass(r, `B2C directory data is stored in ${value}, inside boundary ${boundary.name}`, 'location')]
    : [
        fail(r, `B2C directory data is stored in ${value}, outside boundary ${boundary.name}`, 'location', {
          geography: value,
        }),
      ];
}

/**
 * Where a storage account's replication is written: `sku.name`, or on API versions before
 * 2016-01-01 `properties.accountType` (e.g. `Standard_GRS`), which decides it the same way.
 */
function replicationPath(r: AzureResource): string {
  return getPath(r.body, 'sku.name') === undefined && getPath(r.body, 'properties.accountType') !== undefined
    ? 'properties.accountType'
    : 'sku.name';
}

function storageReplication(r: AzureResource, context: AzureCheckContext): CheckOutcome {
  const boundary = boundaryOf(context);
  const path = replicationPath(r);
  const sku = getPath(r.body, path);
  if (sku instanceof Unknown)
    return unknown(
      r,
      `cannot decide where the storage replicates to: ${path} is unknown (${sku.reason})`,
      path,
      sku,
    );
  if (typeof sku !== 'string')
    return unknown(
      r,
      'cannot decide where the storage replicates to: neither sku.name nor properties.accountType is set',
      path,
    );
  if (isGeoRedundant(sku)) {
    const readable = /^(standard|premium)v?\d?_ra/i.test(sku) ? '; read access is served from there too' : '';
    return judgeReplica(r, boundary, placeOf(getPath(r.body, 'location')), path, `${sku} storage`, readable);
  }
  if (/_(lrs|zrs)$/i.test(sku))
    return pass(r, `${sku} keeps every copy in the primary region`, path, { sku });
  return unknown(r, `cannot decide where the storage replicates to: unrecognised SKU ${sku}`, path);
}

function cosmosLocations(r: AzureResource, context: AzureCheckContext): CheckOutcome[] {
  const boundary = boundaryOf(context);
  const out: CheckOutcome[] = [];
  const multiWrite = getPath(r.body, 'properties.enableMultipleWriteLocations');
  const writes = multiWrite === true ? '; multi-region writes are enabled, so it accepts writes there' : '';
  const locations = getPath(r.body, 'properties.locations');
  let writeRegion: Place = placeOf(getPath(r.body, 'location'));
  let writePath = 'location';
  if (locations instanceof Unknown) {
    out.push(
      unknown(
        r,
        `cannot decide the replica locations: properties.locations is unknown (${locations.reason})`,
        'properties.locations',
        locations,
      ),
    );
  } else if (Array.isArray(locations)) {
    locations.forEach((loc, i) => {
      const path = `properties.locations[${i}].locationName`;
      const place = placeOf(loc instanceof Unknown ? loc : getPath(loc, 'locationName'));
      const priority = getPath(loc, 'failoverPriority');
      if (priority === 0 || (locations.length === 1 && priority === undefined)) {
        writeRegion = place;
        writePath = path;
      }
      const outcome = judgeRegion(r, boundary, place, path, 'replica location', writes);
      if (outcome && outcome.status !== 'pass') out.push(outcome);
    });
  }
  // Periodic backups (the default) are geo-redundant unless set otherwise: a copy goes to the pair.
  const policyType = getPath(r.body, 'properties.backupPolicy.type');
  const redundancyPath = 'properties.backupPolicy.periodicModeProperties.backupStorageRedundancy';
  const redundancy = getPath(r.body, redundancyPath);
  if (policyType instanceof Unknown) {
    out.push(
      unknown(
        r,
        `cannot decide where backups are kept: properties.backupPolicy.type is unknown (${policyType.reason})`,
        'properties.backupPolicy.type',
        policyType,
      ),
    );
  } else if (!(typeof policyType === 'string' && sameText(policyType, 'Continuous'))) {
    if (redundancy instanceof Unknown) {
      out.push(
        unknown(
          r,
          `cannot decide where backups are kept: ${redundancyPath} is unknown (${redundancy.reason})`,
          redundancyPath,
          redundancy,
        ),
      );
    } else if (redundancy === undefined || (typeof redundancy === 'string' && isGeoRedundant(redundancy))) {
      const backup = judgeReplica(
        r,
        boundary,
        writeRegion,
        redundancy === undefined ? writePath : redundancyPath,
        `periodic backup (${redundancy === undefined ? 'geo-redundant by default' : redundancy})`,
      );
      if (backup.status !== 'pass') out.push(backup);
    }
  }
  if (out.length > 0) return out;
  return [
    pass(
      r,
      `every replica location and backup copy is inside boundary ${boundary.name}`,
      Array.isArray(locations) ? 'properties.locations' : 'location',
    ),
  ];
}

function sqlResidency(r: AzureResource, context: AzureCheckContext): CheckOutcome[] {
  const boundary = boundaryOf(context);
  if (isType(r, SQL_FAILOVER_GROUP)) {
    const partners = getPath(r.body, 'properties.partnerServers');
    if (partners instanceof Unknown)
      return [
        unknown(
          r,
          `cannot decide where the failover partner is: properties.partnerServers is unknown (${partners.reason})`,
          'properties.partnerServers',
          partners,
        ),
      ];
    if (!Array.isArray(partners) || partners.length === 0) return [];
    return partners.map((p, i) => {
      const path = `properties.partnerServers[${i}].id`;
      const id = p instanceof Unknown ? p : getPath(p, 'id');
      if (id instanceof Unknown)
        return unknown(
          r,
          `cannot decide where the failover partner is: its id is unknown (${id.reason})`,
          path,
          id,
        );
      if (typeof id !== 'string')
        return unknown(r, 'cannot decide where the failover partner is: it has no id', path);
      const server = findById(context, id);
      if (!server)
        return unknown(
          r,
          `cannot decide where the failover partner is: server ${id.split('/').pop()} is not in this scan`,
          path,
        );
      const outcome = judgeRegion(
        r,
        boundary,
        placeOf(getPath(server.body, 'location')),
        path,
        `failover partner ${String(server.name)} in`,
      );
      return outcome ?? unknown(r, 'cannot decide where the failover partner is: it has no location', path);
    });
  }
  // Databases: geo-replicas are judged by their own location (AZ-RES-001); here, where backups go.
  const leaf = r.name instanceof Unknown ? undefined : r.name.split('/').pop();
  if (leaf?.toLowerCase() === 'master') return [];
  const createMode = getPath(r.body, 'properties.createMode');
  const replica =
    typeof createMode === 'string' && /secondary/i.test(createMode)
      ? ' (this database is a geo-replica)'
      : '';
  const paths = ['properties.requestedBackupStorageRedundancy', 'properties.backupStorageRedundancy'];
  const path = paths.find((p) => getPath(r.body, p) !== undefined) ?? (paths[0] as string);
  const redundancy = getPath(r.body, path);
  if (redundancy instanceof Unknown)
    return [
      unknown(
        r,
        `cannot decide where backups are kept: ${path} is unknown (${redundancy.reason})`,
        path,
        redundancy,
      ),
    ];
  if (typeof redundancy === 'string' && !isGeoRedundant(redundancy))
    return [pass(r, `backups are ${redundancy}-redundant and stay in the database's region${replica}`, path)];
  const what = `backup storage (${redundancy === undefined ? 'geo-redundant by default' : redundancy})`;
  return [
    judgeReplica(
      r,
      boundary,
      placeOf(getPath(r.body, 'location')),
      redundancy === undefined ? 'location' : path,
      what,
      replica,
    ),
  ];
}

function backupResidency(r: AzureResource, context: AzureCheckContext): CheckOutcome[] {
  const boundary = boundaryOf(context);
  let path: string;
  let redundancy: Value | undefined;
  let place: Place;
  let crr = false;
  if (isType(r, RSV_STORAGE)) {
    path =
      getPath(r.body, 'properties.storageModelType') === undefined
        ? 'properties.storageType'
        : 'properties.storageModelType';
    redundancy = getPath(r.body, path);
    crr = getPath(r.body, 'properties.crossRegionRestoreFlag') === true;
    const vault = parentOf(context, r, RSV);
    place = vault
      ? placeOf(getPath(vault.body, 'location'))
      : { kind: 'unknown', reason: 'the vault it configures is not in this scan' };
    if (redundancy === undefined) return [];
  } else if (isType(r, BACKUP_VAULT)) {
    path = 'properties.storageSettings';
    const settings = getPath(r.body, path);
    if (settings instanceof Unknown)
      return [
        unknown(
          r,
          `cannot decide where backups are kept: ${path} is unknown (${settings.reason})`,
          path,
          settings,
        ),
      ];
    const types = Array.isArray(settings) ? settings.map((s) => getPath(s, 'type')) : [];
    redundancy =
      types.find((t) => t instanceof Unknown) ??
      types.find((t) => typeof t === 'string' && isGeoRedundant(t)) ??
      types[0];
    place = placeOf(getPath(r.body, 'location'));
  } else {
    path = 'properties.redundancySettings.standardTierStorageRedundancy';
    redundancy = getPath(r.body, path);
    const restore = getPath(r.body, 'properties.redundancySettings.crossRegionRestore');
    crr = typeof restore === 'string' && sameText(restore, 'Enabled');
    place = placeOf(getPath(r.body, 'location'));
  }
  if (redundancy instanceof Unknown)
    return [
      unknown(
        r,
        `cannot decide where backups are kept: ${path} is unknown (${redundancy.reason})`,
        path,
        redundancy,
      ),
    ];
  if (typeof redundancy === 'string' && !isGeoRedundant(redundancy))
    return [pass(r, `backup storage is ${redundancy} and stays in the vault's region`, path)];
  const defaulted = redundancy === undefined;
  const what = `backup storage (${defaulted ? 'GeoRedundant by default' : String(redundancy)})`;
  const restore = crr ? '; cross-region restore is enabled, so backups can also be restored there' : '';
  return [
    judgeReplica(
      r,
      boundary,
      place,
      defaulted ? (isType(r, RSV) ? 'properties' : path) : path,
      what,
      restore,
    ),
  ];
}

/** Destination ids of a diagnostic setting (or an Application Insights workspace link), with their paths. */
function destinations(r: AzureResource): { path: string; value: Value }[] {
  const out: { path: string; value: Value }[] = [];
  const keys = isType(r, APP_INSIGHTS)
    ? ['properties.WorkspaceResourceId']
    : ['properties.workspaceId', 'properties.storageAccountId', 'properties.eventHubAuthorizationRuleId'];
  for (const path of keys) {
    const v = getPath(r.body, path);
    if (v !== undefined && v !== null && v !== '') out.push({ path, value: v });
  }
  return out;
}

/** The resource whose logs a diagnostic setting sends, when the scan has it. */
function diagnosticSource(r: AzureResource, context: AzureCheckContext): AzureResource | undefined {
  if (isType(r, APP_INSIGHTS)) return r;
  if (isType(r, DIAGNOSTIC_SETTINGS)) {
    const scope = getPath(r.body, 'scope');
    return typeof scope === 'string' ? findByScope(context, scope) : undefined;
  }
  const parentType = r.type.slice(0, r.type.toLowerCase().indexOf('/providers/'));
  return parentOf(context, r, parentType);
}

function logDestinations(r: AzureResource, context: AzureCheckContext): CheckOutcome[] {
  const boundary = boundaryOf(context);
  const source = diagnosticSource(r, context);
  const sourcePlace = source ? placeOf(getPath(source.body, 'location')) : undefined;
  return destinations(r).map(({ path, value }) => {
    if (value instanceof Unknown)
      return unknown(
        r,
        `cannot decide where logs are sent: ${path} is unknown (${value.reason})`,
        path,
        value,
      );
    if (typeof value !== 'string')
      return unknown(r, `cannot decide where logs are sent: ${path} is not an id`, path);
    // An Event Hubs authorisation rule id: the namespace is the part before /authorizationrules/.
    const id = value.replace(/\/authorizationrules\/[^/]+$/i, '');
    const target = findById(context, id);
    const name = id.split('/').pop() ?? id;
    if (!target)
      return unknown(r, `cannot decide where logs are sent: destination ${name} is not in this scan`, path);
    const place = placeOf(getPath(target.body, 'location'));
    const elsewhere =
      place.kind === 'region' && sourcePlace?.kind === 'region' && place.fact.name !== sourcePlace.fact.name
        ? `; it is in another region than ${String(source?.name)} (${sourcePlace.fact.displayName})`
        : '';
    return (
      judgeRegion(r, boundary, place, path, `log destination ${name} in`, elsewhere) ??
      unknown(r, `cannot decide where logs are sent: destination ${name} has no region`, path)
    );
  });
}

function globalService(r: AzureResource): CheckOutcome[] {
  const type = r.type.toLowerCase();
  const known = GLOBAL_SERVICES[type];
  const location = getPath(r.body, 'location');
  const topLevel = type.split('/').length === 2;
  const globalLocation = typeof location === 'string' && isGlobalLocation(location);
  if (!known && !(globalLocation && topLevel)) return [];
  const service = known ?? r.type;
  const where =
    isType(r, B2C) && typeof location === 'string'
      ? `it stores directory data in ${location}, but processes sign-ins globally`
      : 'it has no region: it processes data at Microsoft locations worldwide, outside any boundary';
  // A register item, not a breach: the service cannot be held to a region, so the finding is a
  // note (not-applicable to the boundary) that says what to record, never a fail.
  return [
    {
      status: 'not-applicable',
      message: `note: global service: ${service} ${where}; record it in the outsourced cloud service register and confirm what data it handles`,
      location: location === undefined ? r.location : r.locate('location'),
      evidence: { globalService: service, register: true },
    },
  ];
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-RES-001',
    title: 'Resources, resource groups and deployments are located inside the sovereign boundary',
    severity: 'high',
    rationale:
      'Where data is stored decides which laws can compel access to it and which jurisdictions it is exposed to. A resource deployed in a region outside the agreed boundary (for example a PROTECTED system in a region outside Australia) breaks the data-residency commitment documented for the system, and resource-group and deployment metadata (including template parameters) is stored where they are located.',
    remediation:
      "Set `location` to a region inside the boundary (see `assay boundaries` or docs/residency.md). When the location comes from `resourceGroup().location`, pass the resource group's region with `--location` so it can be judged.",
    tags: [RESIDENCY_TAG, EVERY_RESOURCE_TAG],
    references: [REGIONS_DOC, ENV],
    resourceTypes: [],
    evaluate: locationCheck,
  }),
  defineCheck({
    id: 'AZ-RES-002',
    title: 'Geo-redundant storage replicates to a region inside the boundary',
    severity: 'high',
    rationale:
      'Geo-redundant storage (GRS, RA-GRS, GZRS, RA-GZRS) copies every object to the paired region of the primary. Some pairs leave the country: Southeast Asia (Singapore) pairs with East Asia (Hong Kong), Brazil South with South Central US. The copy is as much the data as the original.',
    remediation:
      'Use `Standard_ZRS` or `Standard_LRS` (with backups inside the boundary), or choose a primary region whose pair is inside the boundary.',
    tags: [RESIDENCY_TAG],
    references: [PAIRS_DOC, 'https://learn.microsoft.com/azure/storage/common/storage-redundancy'],
    resourceTypes: [STORAGE],
    evaluate: storageReplication,
  }),
  defineCheck({
    id: 'AZ-RES-003',
    title: 'Cosmos DB replicas and backups stay inside the boundary',
    severity: 'high',
    rationale:
      'Each entry of `locations` holds a full replica of a Cosmos DB account, and with multi-region writes each accepts writes. Periodic backups are geo-redundant by default, so a copy is kept in the paired region of the write region.',
    remediation:
      'Keep every `properties.locations[].locationName` inside the boundary, and set `backupPolicy.periodicModeProperties.backupStorageRedundancy` to `Local` or `Zone` (or use continuous backup) when the pair is outside it.',
    tags: [RESIDENCY_TAG],
    references: [
      'https://learn.microsoft.com/azure/cosmos-db/distribute-data-globally',
      'https://learn.microsoft.com/azure/cosmos-db/periodic-backup-storage-redundancy',
    ],
    resourceTypes: [COSMOS],
    evaluate: cosmosLocations,
  }),
  defineCheck({
    id: 'AZ-RES-004',
    title: 'SQL failover partners and backup copies stay inside the boundary',
    severity: 'high',
    rationale:
      'A failover group replicates every database to its partner server, and Azure SQL Database keeps geo-redundant backup copies in the paired region unless told otherwise. Either puts the data where the partner or the pair is.',
    remediation:
      'Place failover partners inside the boundary, and set `requestedBackupStorageRedundancy` to `Local` or `Zone` on databases whose region pairs outside it.',
    tags: [RESIDENCY_TAG],
    references: [
      'https://learn.microsoft.com/azure/azure-sql/database/failover-group-sql-db',
      'https://learn.microsoft.com/azure/azure-sql/database/automated-backups-overview#backup-storage-redundancy',
    ],
    resourceTypes: [SQL_DATABASE, SQL_FAILOVER_GROUP],
    evaluate: sqlResidency,
  }),
  defineCheck({
    id: 'AZ-RES-005',
    title: 'Backup vault storage and cross-region restore stay inside the boundary',
    severity: 'medium',
    rationale:
      'Recovery Services vaults are geo-redundant by default: backup data is copied to the paired region, and with cross-region restore it can be restored there. Backups hold the same data as production.',
    remediation:
      'Set the vault storage redundancy to `ZoneRedundant` or `LocallyRedundant` when the pair is outside the boundary, and leave cross-region restore off.',
    tags: [RESIDENCY_TAG],
    references: [
      'https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault#set-storage-redundancy',
      PAIRS_DOC,
    ],
    resourceTypes: [RSV, RSV_STORAGE, BACKUP_VAULT],
    evaluate: backupResidency,
  }),
  defineCheck({
    id: 'AZ-RES-006',
    title: 'Logs and diagnostics are sent to destinations inside the boundary',
    severity: 'medium',
    rationale:
      'Resource logs carry names, addresses, queries and sometimes data. A diagnostic setting or Application Insights component that sends them to a workspace, storage account or event hub in another region moves them there.',
    remediation:
      'Send diagnostics to a Log Analytics workspace, storage account or event hub located inside the boundary.',
    tags: [RESIDENCY_TAG],
    references: ['https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings'],
    resourceTypes: [DIAGNOSTIC_SETTINGS, APP_INSIGHTS, ...LEGACY_DIAGNOSTICS],
    evaluate: logDestinations,
  }),
  defineCheck({
    id: 'AZ-RES-007',
    title: 'Global services are recorded and their data handling confirmed (informational)',
    severity: 'info',
    rationale:
      'Front Door, Azure CDN, Traffic Manager, DNS, Azure AD B2C and similar services have no region: they process requests, TLS sessions or directory data at Microsoft locations worldwide. They cannot be held to a regional boundary, so they belong in the outsourced cloud service register with what data they see. ' +
      'This is a register item, not a breach of the boundary: each is reported as not-applicable with a note saying what to record, never as a fail (docs/calibration.md).',
    remediation:
      'Record the service in the outsourced cloud service register, confirm which data it processes and where (for example, Front Door terminates TLS at the edge), and accept or avoid it.',
    tags: [RESIDENCY_TAG, EVERY_RESOURCE_TAG],
    references: ['https://learn.microsoft.com/azure/reliability/availability-service-by-category'],
    resourceTypes: [],
    evaluate: globalService,
  }),
];
