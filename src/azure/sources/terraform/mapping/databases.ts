/** Databases and caches: Cosmos DB, PostgreSQL and MySQL flexible servers (with children), Redis. */
import { isObject, Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  childDraft,
  type Draft,
  enabled,
  type MappingContext,
  not,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const COSMOS = 'Microsoft.DocumentDB/databaseAccounts';
const PG = 'Microsoft.DBforPostgreSQL/flexibleServers';
const MYSQL = 'Microsoft.DBforMySQL/flexibleServers';
const REDIS = 'Microsoft.Cache/redis';
const PG_API = '2024-08-01';
const MYSQL_API = '2023-12-30';

function mapCosmos(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: COSMOS, apiVersion: '2024-05-15' });
  d.copy('kind', 'kind');
  d.copy('properties.databaseAccountOfferType', 'offer_type');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.isVirtualNetworkFilterEnabled', 'is_virtual_network_filter_enabled');
  // azurerm 3 gives a comma-separated string, 4 a set.
  d.copy('properties.ipRules', 'ip_range_filter', (v) => {
    const list =
      typeof v === 'string' ? v.split(',').filter((x) => x.trim() !== '') : Array.isArray(v) ? v : undefined;
    return list?.map((ip) =>
      ip instanceof Unknown ? ip : { ipAddressOrRange: typeof ip === 'string' ? ip.trim() : ip },
    );
  });
  d.copy('properties.virtualNetworkRules', 'virtual_network_rule', (v) =>
    Array.isArray(v) ? v.map((r) => (isObject(r) ? { id: r.id ?? null } : r)) : undefined,
  );
  d.copy('properties.disableLocalAuth', 'local_authentication_disabled');
  d.copy('properties.disableKeyBasedMetadataWriteAccess', 'access_key_metadata_writes_enabled', not);
  d.copy('properties.minimalTlsVersion', 'minimal_tls_version');
  d.copy('properties.backupPolicy.type', 'backup.0.type');
  d.copy('properties.enableAutomaticFailover', ['automatic_failover_enabled', 'enable_automatic_failover']);
  d.copy('properties.enableMultipleWriteLocations', [
    'multiple_write_locations_enabled',
    'enable_multiple_write_locations',
  ]);
  d.copy('properties.locations', 'geo_location', (v) =>
    Array.isArray(v)
      ? v.map((g) =>
          isObject(g)
            ? {
                locationName: g.location ?? null,
                failoverPriority: g.failover_priority ?? null,
                isZoneRedundant: g.zone_redundant ?? false,
              }
            : g,
        )
      : undefined,
  );
  return [d];
}

/** `GP_Standard_D4s_v3` -> `{ tier: GeneralPurpose, name: Standard_D4s_v3 }`, as the provider splits it. */
function flexibleSku(v: Value | undefined): { name: Value; tier?: Value } | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return { name: v };
  const tiers: Record<string, string> = { B: 'Burstable', GP: 'GeneralPurpose', MO: 'MemoryOptimized' };
  const at = v.indexOf('_');
  const tier = at > 0 ? tiers[v.slice(0, at)] : undefined;
  return tier ? { name: v.slice(at + 1), tier } : { name: v };
}

/** The settings PostgreSQL and MySQL flexible servers share. */
function flexibleServer(type: string, apiVersion: string) {
  return (i: TerraformInstance, ctx: MappingContext): Draft[] => {
    const d = standardDraft(ctx, i, { type, apiVersion });
    const sku = flexibleSku(attr(i, 'sku_name'));
    if (sku) {
      d.set('sku.name', sku.name, 'sku_name');
      d.set('sku.tier', sku.tier, 'sku_name');
    }
    d.copy('zones', 'zone', (v) => (typeof v === 'string' ? [v] : undefined));
    d.copy('properties.version', 'version');
    d.copy('properties.administratorLogin', 'administrator_login');
    d.copy('properties.network.delegatedSubnetResourceId', 'delegated_subnet_id');
    d.copy('properties.network.privateDnsZoneArmResourceId', 'private_dns_zone_id');
    d.copy('properties.network.publicNetworkAccess', 'public_network_access_enabled', enabled);
    d.copy('properties.backup.geoRedundantBackup', 'geo_redundant_backup_enabled', enabled);
    d.copy('properties.backup.backupRetentionDays', 'backup_retention_days');
    const ha = block(i, 'high_availability');
    if (ha instanceof Unknown) d.set('properties.highAvailability', ha, 'high_availability');
    else if (ha) {
      d.copy('properties.highAvailability.mode', 'high_availability.0.mode');
      d.copy(
        'properties.highAvailability.standbyAvailabilityZone',
        'high_availability.0.standby_availability_zone',
      );
    }
    const auth = block(i, 'authentication');
    if (auth instanceof Unknown) d.set('properties.authConfig', auth, 'authentication');
    else if (auth) {
      d.copy(
        'properties.authConfig.activeDirectoryAuth',
        'authentication.0.active_directory_auth_enabled',
        enabled,
      );
      d.copy('properties.authConfig.passwordAuth', 'authentication.0.password_auth_enabled', enabled);
      d.copy('properties.authConfig.tenantId', 'authentication.0.tenant_id');
    }
    return [d];
  };
}

/** A flexible server child (`configurations`, `firewallRules`, `administrators`) named by `server_id`. */
function serverChild(
  type: string,
  parentTf: string,
  apiVersion: string,
  fill: (d: Draft) => void,
  leaf?: string,
): (i: TerraformInstance, ctx: MappingContext) => Draft[] {
  return (i, ctx) => {
    const d = childDraft(ctx, i, {
      type,
      apiVersion,
      parentAttr: 'server_id',
      parentTypes: [parentTf],
      parentArm: type.slice(0, type.lastIndexOf('/')),
      ...(leaf ? { leaf } : {}),
    });
    fill(d);
    return [d];
  };
}

const configuration = (d: Draft): void => {
  d.copy('properties.value', 'value');
  d.set('properties.source', 'user-override');
};
const firewallRule = (d: Draft): void => {
  d.copy('properties.startIpAddress', 'start_ip_address');
  d.copy('properties.endIpAddress', 'end_ip_address');
};
const administrator = (d: Draft): void => {
  d.set('properties.administratorType', 'ActiveDirectory', 'object_id');
  d.copy('properties.login', ['login', 'principal_name']);
  d.copy('properties.sid', 'object_id');
  d.copy('properties.tenantId', 'tenant_id');
  d.copy('properties.principalType', 'principal_type');
};

function mapRedis(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: REDIS, apiVersion: '2024-03-01' });
  d.copy('properties.sku.name', 'sku_name');
  d.copy('properties.sku.family', 'family');
  d.copy('properties.sku.capacity', 'capacity');
  d.copy('properties.enableNonSslPort', ['non_ssl_port_enabled', 'enable_non_ssl_port']);
  d.copy('properties.minimumTlsVersion', 'minimum_tls_version');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.subnetId', 'subnet_id');
  d.copy('properties.redisVersion', 'redis_version');
  d.copy('zones', 'zones');
  return [d];
}

const PG_TF = 'azurerm_postgresql_flexible_server';
const MYSQL_TF = 'azurerm_mysql_flexible_server';

export const databaseMappings: TypeMapping[] = [
  { tfType: 'azurerm_cosmosdb_account', armType: COSMOS, map: mapCosmos },
  { tfType: PG_TF, armType: PG, map: flexibleServer(PG, PG_API) },
  {
    tfType: `${PG_TF}_configuration`,
    armType: `${PG}/configurations`,
    map: serverChild(`${PG}/configurations`, PG_TF, PG_API, configuration),
  },
  {
    tfType: `${PG_TF}_firewall_rule`,
    armType: `${PG}/firewallRules`,
    map: serverChild(`${PG}/firewallRules`, PG_TF, PG_API, firewallRule),
  },
  {
    tfType: `${PG_TF}_active_directory_administrator`,
    armType: `${PG}/administrators`,
    map: (i, ctx) => {
      const d = childDraft(ctx, i, {
        type: `${PG}/administrators`,
        apiVersion: PG_API,
        parentAttr: 'server_name',
        parentTypes: [PG_TF],
        parentArm: PG,
        leaf: typeof attr(i, 'object_id') === 'string' ? String(attr(i, 'object_id')) : 'administrator',
      });
      administrator(d);
      return [d];
    },
  },
  { tfType: MYSQL_TF, armType: MYSQL, map: flexibleServer(MYSQL, MYSQL_API) },
  {
    tfType: `${MYSQL_TF}_configuration`,
    armType: `${MYSQL}/configurations`,
    map: (i, ctx) => {
      const d = childDraft(ctx, i, {
        type: `${MYSQL}/configurations`,
        apiVersion: MYSQL_API,
        parentAttr: 'server_name',
        parentTypes: [MYSQL_TF],
        parentArm: MYSQL,
      });
      configuration(d);
      return [d];
    },
  },
  {
    tfType: `${MYSQL_TF}_firewall_rule`,
    armType: `${MYSQL}/firewallRules`,
    map: (i, ctx) => {
      const d = childDraft(ctx, i, {
        type: `${MYSQL}/firewallRules`,
        apiVersion: MYSQL_API,
        parentAttr: 'server_name',
        parentTypes: [MYSQL_TF],
        parentArm: MYSQL,
      });
      firewallRule(d);
      return [d];
    },
  },
  {
    tfType: `${MYSQL_TF}_active_directory_administrator`,
    informs: ['AZ-MYSQL-004'],
    armType: `${MYSQL}/administrators`,
    map: serverChild(`${MYSQL}/administrators`, MYSQL_TF, MYSQL_API, administrator, 'ActiveDirectory'),
  },
  { tfType: 'azurerm_redis_cache', armType: REDIS, map: mapRedis },
];
