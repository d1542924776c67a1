/**
 * One source of Azure exposure facts (issue 13, item 4): for every platform service with a
 * public-network check, a table of declarations is scanned once with the TRA, and each case's
 * check status and TRA endpoint status must agree by the one mapping docs/tra.md documents:
 *
 *   TRA open       -> check fail
 *   TRA closed     -> check pass
 *   TRA restricted -> check pass when the check accepts the limiting mechanism, else fail
 *   TRA unknown    -> check unknown, or fail when no exposure the check accepts is still possible
 *
 * Each row also pins both statuses, so a change to either side shows here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PathStatus } from '../../../src/azure/architecture/model.ts';
import { endpointFactOf } from '../../../src/azure/checks/endpoint-outcome.ts';
import type { EndpointBasis } from '../../../src/azure/facts/public-endpoint.ts';
import { runTra, type TraResult } from '../../../src/azure/tra/run.ts';
import type { Status } from '../../../src/core/model.ts';
import { lineOf, templateText } from '../../helpers/arm.ts';
import { reachOf } from '../tra/templates.ts';

/** Which limited endpoints a check's control accepts (as in its `endpointCheck` call). */
type Accepts = 'any-limit' | readonly EndpointBasis[];

interface Service {
  key: string;
  check: string;
  type: string;
  apiVersion: string;
  accepts: Accepts;
  /** Properties every declaration of the type needs. */
  base?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

interface Case {
  name: string;
  service: Service;
  properties: Record<string, unknown>;
  /** Child resources (`<name>/...`), given the parent's name. */
  children?: (name: string) => Record<string, unknown>[];
  tra: PathStatus | 'no-node';
  check: Status;
  /** What limits a restricted endpoint (checks that accept only some mechanisms read it). */
  limitedBy?: EndpointBasis;
}

const UNKNOWN = "[parameters('undecided')]";

const S = {
  storage: {
    key: 'storage',
    check: 'AZ-STORAGE-005',
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-05-01',
    accepts: 'any-limit',
    extra: { kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
  },
  vault: {
    key: 'vault',
    check: 'AZ-KV-004',
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: '2023-07-01',
    accepts: 'any-limit',
    base: { tenantId: '00000000-0000-0000-0000-000000000000', sku: { family: 'A', name: 'standard' } },
  },
  registry: {
    key: 'registry',
    check: 'AZ-ACR-002',
    type: 'Microsoft.ContainerRegistry/registries',
    apiVersion: '2023-07-01',
    accepts: 'any-limit',
    extra: { sku: { name: 'Premium' } },
  },
  cosmos: {
    key: 'cosmos',
    check: 'AZ-COSMOS-001',
    type: 'Microsoft.DocumentDB/databaseAccounts',
    apiVersion: '2024-05-15',
    accepts: 'any-limit',
    base: { databaseAccountOfferType: 'Standard' },
  },
  eventHubs: {
    key: 'eventhubs',
    check: 'AZ-EH-003',
    type: 'Microsoft.EventHub/namespaces',
    apiVersion: '2024-01-01',
    accepts: 'any-limit',
  },
  serviceBus: {
    key: 'servicebus',
    check: 'AZ-SB-003',
    type: 'Microsoft.ServiceBus/namespaces',
    apiVersion: '2022-10-01-preview',
    accepts: 'any-limit',
  },
  sql: {
    key: 'sql',
    check: 'AZ-SQL-003',
    type: 'Microsoft.Sql/servers',
    apiVersion: '2023-08-01-preview',
    accepts: ['perimeter'],
    base: { administratorLogin: 'sqladmin', minimalTlsVersion: '1.2' },
  },
  postgres: {
    key: 'postgres',
    check: 'AZ-PG-001',
    type: 'Microsoft.DBforPostgreSQL/flexibleServers',
    apiVersion: '2023-12-01-preview',
    accepts: [],
  },
  mysql: {
    key: 'mysql',
    check: 'AZ-MYSQL-001',
    type: 'Microsoft.DBforMySQL/flexibleServers',
    apiVersion: '2023-12-30',
    accepts: [],
  },
  redis: {
    key: 'redis',
    check: 'AZ-REDIS-003',
    type: 'Microsoft.Cache/redis',
    apiVersion: '2024-03-01',
    accepts: [],
    base: { sku: { name: 'Premium', family: 'P', capacity: 1 } },
  },
  app: {
    key: 'app',
    check: 'AZ-APP-007',
    type: 'Microsoft.Web/sites',
    apiVersion: '2023-12-01',
    // Only an explicit deny-by-default or Disabled: listed rules alone are not enough for the check.
    accepts: ['default-deny'],
  },
  workspace: {
    key: 'workspace',
    check: 'AZ-LOG-002',
    type: 'Microsoft.OperationalInsights/workspaces',
    apiVersion: '2023-09-01',
    accepts: [],
  },
  disk: {
    key: 'disk',
    check: 'AZ-VM-005',
    type: 'Microsoft.Compute/disks',
    apiVersion: '2023-10-02',
    accepts: 'any-limit',
    extra: { sku: { name: 'Premium_LRS' } },
    base: { creationData: { createOption: 'Empty' }, diskSizeGB: 32 },
  },
} satisfies Record<string, Service>;

const rule = (type: string, apiVersion: string, keys: [string, string], range: [string, string]) => {
  return (parent: string) => [
    {
      type: `${type}/firewallRules`,
      apiVersion,
      name: `${parent}/rule`,
      properties: { [keys[0]]: range[0], [keys[1]]: range[1] },
    },
  ];
};
const sqlRule = (range: [string, string]) =>
  rule(S.sql.type, S.sql.apiVersion, ['startIpAddress', 'endIpAddress'], range);
const pgRule = (range: [string, string]) =>
  rule(S.postgres.type, S.postgres.apiVersion, ['startIpAddress', 'endIpAddress'], range);
const redisRule = (range: [string, string]) =>
  rule(S.redis.type, S.redis.apiVersion, ['startIP', 'endIP'], range);
const ruleSet = (s: Service, action: string) => (parent: string) => [
  {
    type: `${s.type}/networkRuleSets`,
    apiVersion: s.apiVersion,
    name: `${parent}/default`,
    properties: { defaultAction: action },
  },
];
const SUBNET = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'data')]";

/** One table row: a declaration's properties, and the TRA and check statuses it must give. */
function row(
  service: Service,
  name: string,
  properties: Record<string, unknown>,
  tra: PathStatus,
  check: Status,
  more: Pick<Case, 'children' | 'limitedBy'> = {},
): Case {
  return { name, service, properties, tra, check, ...more };
}

/** The common body set: disabled, firewall deny, default allow, unset, unknown. */
function aclCases(s: Service, acl: string): Case[] {
  const deny = { limitedBy: 'default-deny' } as const;
  return [
    row(s, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
    row(
      s,
      'deny',
      { publicNetworkAccess: 'Enabled', [acl]: { defaultAction: 'Deny' } },
      'restricted',
      'pass',
      deny,
    ),
    row(s, 'allow', { publicNetworkAccess: 'Enabled', [acl]: { defaultAction: 'Allow' } }, 'open', 'fail'),
    row(s, 'unset', {}, 'open', 'fail'),
    row(s, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
    row(
      s,
      'unknown-action',
      { publicNetworkAccess: 'Enabled', [acl]: { defaultAction: UNKNOWN } },
      'unknown',
      'unknown',
    ),
    // Decidable although public access is unknown: Disabled closes it, Enabled leaves it limited.
    row(
      s,
      'unknown-but-deny',
      { publicNetworkAccess: UNKNOWN, [acl]: { defaultAction: 'Deny' } },
      'restricted',
      'pass',
      deny,
    ),
  ];
}

const perimeter = (s: Service, check: Status): Case =>
  row(s, 'perimeter', { publicNetworkAccess: 'SecuredByPerimeter' }, 'restricted', check, {
    limitedBy: 'perimeter',
  });

const OFFICE = { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' };
const LISTED: [string, string] = ['203.0.113.1', '203.0.113.9'];
const EVERY: [string, string] = ['0.0.0.0', '255.255.255.255'];

const CASES: Case[] = [
  ...aclCases(S.storage, 'networkAcls'),
  perimeter(S.storage, 'pass'),
  ...aclCases(S.vault, 'networkAcls'),
  perimeter(S.vault, 'pass'),
  ...aclCases(S.registry, 'networkRuleSet'),

  row(S.cosmos, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
  perimeter(S.cosmos, 'pass'),
  row(S.cosmos, 'ip-rules', { ipRules: [{ ipAddressOrRange: '203.0.113.0/24' }] }, 'restricted', 'pass'),
  row(
    S.cosmos,
    'vnet-rules',
    { isVirtualNetworkFilterEnabled: true, virtualNetworkRules: [{ id: SUBNET }] },
    'restricted',
    'pass',
  ),
  // The documented restriction is "one or more subnets added"; a filter with no rules is not read as one.
  row(S.cosmos, 'vnet-filter-no-rules', { isVirtualNetworkFilterEnabled: true }, 'open', 'fail'),
  row(S.cosmos, 'unset', {}, 'open', 'fail'),
  row(S.cosmos, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
  row(
    S.cosmos,
    'unknown-ip-rules',
    { publicNetworkAccess: 'Enabled', ipRules: UNKNOWN },
    'unknown',
    'unknown',
  ),
  row(
    S.cosmos,
    'unknown-but-ip-rules',
    { publicNetworkAccess: UNKNOWN, ipRules: [{ ipAddressOrRange: '203.0.113.0/24' }] },
    'restricted',
    'pass',
  ),

  ...[S.eventHubs, S.serviceBus].flatMap((s): Case[] => [
    row(s, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
    perimeter(s, 'pass'),
    row(s, 'deny-rule-set', { publicNetworkAccess: 'Enabled' }, 'restricted', 'pass', {
      children: ruleSet(s, 'Deny'),
    }),
    row(s, 'allow-rule-set', { publicNetworkAccess: 'Enabled' }, 'open', 'fail', {
      children: ruleSet(s, 'Allow'),
    }),
    row(s, 'unset', {}, 'open', 'fail'),
    row(s, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
    row(s, 'unknown-rule-set', { publicNetworkAccess: 'Enabled' }, 'unknown', 'unknown', {
      children: ruleSet(s, UNKNOWN),
    }),
  ]),

  row(S.sql, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
  perimeter(S.sql, 'pass'),
  row(S.sql, 'listed-rule', { publicNetworkAccess: 'Enabled' }, 'restricted', 'fail', {
    children: sqlRule(LISTED),
  }),
  row(S.sql, 'no-rule', { publicNetworkAccess: 'Enabled' }, 'restricted', 'fail'),
  row(S.sql, 'allow-all', {}, 'open', 'fail', { children: sqlRule(EVERY) }),
  row(S.sql, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
  // Open or limited by a firewall rule: the check fails either way.
  row(S.sql, 'unknown-rule', { publicNetworkAccess: 'Enabled' }, 'unknown', 'fail', {
    children: sqlRule([UNKNOWN, '203.0.113.9']),
  }),

  ...[S.postgres, S.mysql].flatMap((s): Case[] => [
    row(s, 'delegated-subnet', { network: { delegatedSubnetResourceId: SUBNET } }, 'closed', 'pass'),
    row(s, 'disabled', { network: { publicNetworkAccess: 'Disabled' } }, 'closed', 'pass'),
    row(s, 'unset', {}, 'restricted', 'fail'),
    row(s, 'unknown', { network: { publicNetworkAccess: UNKNOWN } }, 'unknown', 'unknown'),
    row(s, 'unknown-subnet', { network: { delegatedSubnetResourceId: UNKNOWN } }, 'unknown', 'unknown'),
  ]),
  row(S.postgres, 'listed-rule', { network: { publicNetworkAccess: 'Enabled' } }, 'restricted', 'fail', {
    children: pgRule(LISTED),
  }),
  row(S.postgres, 'allow-all', { network: { publicNetworkAccess: 'Enabled' } }, 'open', 'fail', {
    children: pgRule(EVERY),
  }),

  row(S.redis, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
  row(S.redis, 'subnet', { subnetId: SUBNET }, 'closed', 'pass'),
  perimeter(S.redis, 'fail'),
  row(S.redis, 'listed-rule', { publicNetworkAccess: 'Enabled' }, 'restricted', 'fail', {
    children: redisRule(LISTED),
  }),
  row(S.redis, 'unset', {}, 'open', 'fail'),
  row(S.redis, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
  row(S.redis, 'unknown-subnet', { subnetId: UNKNOWN }, 'unknown', 'unknown'),

  row(S.app, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
  row(S.app, 'deny', { siteConfig: { ipSecurityRestrictionsDefaultAction: 'Deny' } }, 'restricted', 'pass', {
    limitedBy: 'default-deny',
  }),
  row(
    S.app,
    'listed-rules-default-unset',
    { siteConfig: { ipSecurityRestrictions: [OFFICE] } },
    'restricted',
    'fail',
    { limitedBy: 'listed-sources' },
  ),
  row(
    S.app,
    'listed-rules-default-allow',
    { siteConfig: { ipSecurityRestrictionsDefaultAction: 'Allow', ipSecurityRestrictions: [OFFICE] } },
    'open',
    'fail',
  ),
  row(S.app, 'unset', {}, 'open', 'fail'),
  row(S.app, 'unknown', { publicNetworkAccess: UNKNOWN }, 'unknown', 'unknown'),
  row(
    S.app,
    'unknown-action',
    { siteConfig: { ipSecurityRestrictionsDefaultAction: UNKNOWN } },
    'unknown',
    'unknown',
  ),

  row(
    S.workspace,
    'disabled',
    { publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Disabled' },
    'closed',
    'pass',
  ),
  row(
    S.workspace,
    'perimeter',
    { publicNetworkAccessForIngestion: 'SecuredByPerimeter', publicNetworkAccessForQuery: 'Disabled' },
    'restricted',
    'fail',
    { limitedBy: 'perimeter' },
  ),
  row(
    S.workspace,
    'query-enabled',
    { publicNetworkAccessForIngestion: 'Disabled', publicNetworkAccessForQuery: 'Enabled' },
    'open',
    'fail',
  ),
  row(S.workspace, 'unset', {}, 'open', 'fail'),
  row(
    S.workspace,
    'unknown',
    { publicNetworkAccessForIngestion: UNKNOWN, publicNetworkAccessForQuery: 'Disabled' },
    'unknown',
    'unknown',
  ),
  // Ingestion is already public, whatever the query setting is.
  row(
    S.workspace,
    'ingestion-on-query-unknown',
    { publicNetworkAccessForIngestion: 'Enabled', publicNetworkAccessForQuery: UNKNOWN },
    'open',
    'fail',
  ),

  // Disks have no node in the architecture: the fact itself stands for the TRA's side.
  row(S.disk, 'deny-all', { networkAccessPolicy: 'DenyAll' }, 'closed', 'pass'),
  row(S.disk, 'allow-private', { networkAccessPolicy: 'AllowPrivate' }, 'closed', 'pass'),
  row(S.disk, 'disabled', { publicNetworkAccess: 'Disabled' }, 'closed', 'pass'),
  row(S.disk, 'unset', {}, 'open', 'fail'),
  row(S.disk, 'unknown', { networkAccessPolicy: UNKNOWN }, 'unknown', 'unknown'),
];

/** The one mapping (docs/tra.md): the check status the TRA's endpoint status allows. */
function allowedCheckStatuses(c: Case): Status[] {
  switch (c.tra) {
    case 'open':
      return ['fail'];
    case 'closed':
      return ['pass'];
    case 'restricted': {
      const accepted =
        c.service.accepts === 'any-limit' ||
        (c.limitedBy !== undefined && c.service.accepts.includes(c.limitedBy));
      return accepted ? ['pass'] : ['fail'];
    }
    case 'unknown':
      return c.service.accepts === 'any-limit' ? ['unknown'] : ['unknown', 'fail'];
    default:
      return [];
  }
}

const nameOf = (c: Case) => `${c.service.key}-${c.name}`;

function declaration(c: Case): Record<string, unknown>[] {
  const name = nameOf(c);
  return [
    {
      type: c.service.type,
      apiVersion: c.service.apiVersion,
      name,
      location: 'australiaeast',
      ...(c.service.extra ?? {}),
      properties: { ...(c.service.base ?? {}), ...c.properties },
    },
    ...(c.children?.(name) ?? []).map((child) => ({ ...child, dependsOn: [name] })),
  ];
}

const work = mkdtempSync(join(tmpdir(), 'assay-facts-'));
after(() => rmSync(work, { recursive: true, force: true }));
let result: TraResult;

before(async () => {
  const text = templateText(CASES.flatMap(declaration), {
    parameters: { undecided: { type: 'string' } },
  });
  writeFileSync(join(work, 'main.json'), text);
  result = await runTra([join(work, 'main.json')], { root: work, now: '2026-01-01T00:00:00Z' });
});

function traStatus(c: Case): PathStatus | undefined {
  const name = nameOf(c);
  if (c.service === S.disk) {
    const r = result.resources.find((x) => x.name === name);
    assert.ok(r, `no resource ${name}`);
    const fact = endpointFactOf(r, { resources: result.resources, now: '2026-01-01T00:00:00Z' }, 'disk');
    return fact.exposure === 'limited' ? 'restricted' : fact.exposure;
  }
  return reachOf(result.model, name).paths.find((p) => p.kind === 'public-endpoint')?.status;
}

function checkStatus(c: Case): Status | undefined {
  const name = nameOf(c);
  const found = result.assessment.findings.filter(
    (f) => f.checkId === c.service.check && f.subject.name === name,
  );
  assert.equal(found.length, 1, `one ${c.service.check} finding for ${name}`);
  return found[0]?.status;
}

describe('public endpoints: the checks and the TRA read one fact', () => {
  it('every case has a distinct name', () => {
    const names = CASES.map(nameOf);
    assert.equal(new Set(names).size, names.length);
  });

  for (const c of CASES) {
    it(`${c.service.check} ${c.name}: TRA ${c.tra}, check ${c.check}`, () => {
      const tra = traStatus(c);
      const check = checkStatus(c);
      assert.equal(tra, c.tra, 'TRA endpoint status');
      assert.equal(check, c.check, 'check status');
      assert.ok(
        allowedCheckStatuses(c).includes(check as Status),
        `check ${check} disagrees with TRA ${tra} under the documented mapping`,
      );
    });
  }

  it('names the deciding properties with their lines, and the check points at the same line', () => {
    const text = readFileSync(join(work, 'main.json'), 'utf8');
    const r = result.resources.find((x) => x.name === 'storage-deny');
    assert.ok(r);
    const fact = endpointFactOf(r, { resources: result.resources, now: '2026-01-01T00:00:00Z' }, 'storage');
    assert.equal(fact.exposure, 'limited');
    assert.equal(fact.basis, 'default-deny');
    assert.deepEqual(
      fact.properties.map((p) => p.path),
      ['properties.networkAcls.defaultAction'],
    );
    const line = lineOf(text, '"defaultAction": "Deny"', '"name": "storage-deny"');
    assert.equal(fact.properties[0]?.location.line, line);
    const finding = result.assessment.findings.find(
      (f) => f.checkId === 'AZ-STORAGE-005' && f.subject.name === 'storage-deny',
    );
    assert.equal(finding?.location.line, line);
  });

  it('an unknown names the value that leaves it open, and what it could still be', () => {
    const r = result.resources.find((x) => x.name === 'sql-unknown-rule');
    assert.ok(r);
    const fact = endpointFactOf(
      r,
      { resources: result.resources, now: '2026-01-01T00:00:00Z' },
      'sql-server',
    );
    assert.equal(fact.exposure, 'unknown');
    assert.deepEqual(fact.possible, ['open', 'limited']);
    assert.equal(fact.limitedBy, 'listed-sources');
    assert.match(fact.reason, /properties\.startIpAddress is unknown/);
    const hub = result.resources.find((x) => x.name === 'eventhubs-unknown-rule-set');
    assert.ok(hub);
    const hubFact = endpointFactOf(
      hub,
      { resources: result.resources, now: '2026-01-01T00:00:00Z' },
      'event-hubs',
    );
    assert.match(hubFact.reason, /network rule set's default action is unknown/);
  });

  it('covers every service with a public-network check', () => {
    const checks = new Set(CASES.map((c) => c.service.check));
    assert.equal(checks.size, Object.keys(S).length);
  });
});
