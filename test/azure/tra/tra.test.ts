import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArchitectureModel } from '../../../src/azure/architecture/model.ts';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { rate } from '../../../src/azure/tra/matrix.ts';
import type { TraResult } from '../../../src/azure/tra/run.ts';
import type { Threat } from '../../../src/azure/tra/threats.ts';
import { lineOf, templateText } from '../../helpers/arm.ts';
import { BASTION_SUBNET_PREFIX, jumpBoxTemplate, reachOf, traOf } from './templates.ts';

const names = (model: ArchitectureModel, ids: string[]) =>
  ids.map((id) => model.nodes.find((n) => n.id === id)?.name ?? id);

function threat(result: TraResult, ruleId: string, element: string): Threat {
  const t = result.threats.find((x) => x.ruleId === ruleId && x.element.name === element);
  assert.ok(
    t,
    `no ${ruleId} threat on ${element}: ${result.threats.map((x) => `${x.ruleId}@${x.element.name}`).join(', ')}`,
  );
  return t;
}

describe('acceptance: a VM with RDP open to * and a public IP', () => {
  it('is reachable from the internet by that path, with an elevation-of-privilege threat rated Extreme', async () => {
    const text = jumpBoxTemplate({ rdpSource: '*' });
    const result = await traOf(text);
    const reach = reachOf(result.model, 'vm-jump');
    assert.equal(reach.exposure, 'internet');
    assert.equal(reach.management, 'internet');
    const open = reach.paths.filter((p) => p.status === 'open');
    assert.equal(open.length, 1);
    const path = open[0]!;
    assert.equal(path.kind, 'public-ip');
    assert.deepEqual(names(result.model, path.hops), ['Internet', 'pip-jump', 'nic-jump', 'vm-jump']);
    assert.deepEqual(path.ports, [[3389, 3389]]);
    assert.deepEqual(
      path.rules.map((r) => [r.name, r.location.line]),
      [['nsg-app/allow-rdp', lineOf(text, '"name": "allow-rdp"') - 1]],
    );

    const t = threat(result, 'AZ-TRA-001', 'vm-jump');
    assert.ok(t.stride.includes('Elevation of privilege'));
    assert.deepEqual(t.paths, [path.id]);
    assert.deepEqual(
      t.aggravating.map((f) => f.checkId),
      ['AZ-NET-001'],
    );
    // docs/tra.md: base 4 (internet) + 1 (AZ-NET-001 fails) = 5; consequence 4; nothing mitigates.
    assert.deepEqual(t.inherent, rate(5, 4));
    assert.deepEqual(t.residual, rate(5, 4));
    assert.equal(t.residual.rating, 'Extreme');
    assert.equal(t.status, 'fail');
  });

  it('drops the residual risk by the documented steps when RDP is limited to the Bastion subnet', async () => {
    const result = await traOf(jumpBoxTemplate({ rdpSource: BASTION_SUBNET_PREFIX }));
    const reach = reachOf(result.model, 'vm-jump');
    assert.equal(reach.management, 'restricted', 'public IP still attached, but no management port open');
    assert.equal(reach.paths.filter((p) => p.status === 'open').length, 0);
    const t = threat(result, 'AZ-TRA-001', 'vm-jump');
    // docs/tra.md: base 3 (restricted) and no failing check = 3; AZ-NET-001 passes: -1 => 2.
    assert.deepEqual(t.inherent, rate(3, 4));
    assert.deepEqual(t.residual, rate(2, 4));
    assert.equal(t.residual.rating, 'Medium');
    assert.deepEqual(
      t.mitigating.map((f) => f.checkId),
      ['AZ-NET-001'],
    );
    assert.deepEqual(
      t.steps.map((s) => s.reason),
      [
        'base 3: exposure on management ports is restricted',
        '4: rule base',
        '-1 AZ-NET-001 passes on nsg-app',
      ],
    );
    assert.equal(t.status, 'pass', 'Medium is within the default appetite');
    // The Bastion's management path is in the model.
    const bastion = result.model.nodes.find((n) => n.name === 'bas-app');
    const vm = result.model.nodes.find((n) => n.name === 'vm-jump');
    assert.ok(
      result.model.edges.some((e) => e.from === bastion?.id && e.to === vm?.id && e.kind === 'management'),
    );
  });

  it('adds the threat as a finding on the VM, which a waiver can accept', async () => {
    const result = await traOf(jumpBoxTemplate({ rdpSource: '*' }), {
      waivers: [
        {
          id: 'W-1',
          source: 'waiver-file',
          checks: ['AZ-TRA-001'],
          justification: 'Jump box replaced next sprint',
          location: { file: 'assay.waivers.yaml', line: 1, column: 1 },
        },
      ],
    });
    const f = result.assessment.findings.find((x) => x.checkId === 'AZ-TRA-001');
    assert.ok(f);
    assert.equal(f.subject.name, 'vm-jump');
    assert.equal(f.status, 'waived');
    assert.equal(f.originalStatus, 'fail');
    assert.equal(f.severity, 'critical');
    assert.ok(result.assessment.subjects.some((s) => s.id === f.subject.id));
    assert.ok(result.assessment.checks.some((c) => c.id === 'AZ-TRA-001'));
    const other = result.assessment.findings.find((x) => x.checkId === 'AZ-NET-001');
    assert.equal(other?.status, 'fail', 'the waiver covers the threat only');
  });
});

const sqlServer = (publicNetworkAccess: unknown) => ({
  type: 'Microsoft.Sql/servers',
  apiVersion: '2023-05-01-preview',
  name: 'sql-app',
  location: 'australiaeast',
  properties: { administratorLogin: 'dba', minimalTlsVersion: '1.2', publicNetworkAccess },
});

describe('acceptance: unknown stays unknown', () => {
  it('gives a SQL server whose publicNetworkAccess is a parameter with no value unknown reachability', async () => {
    const result = await traOf(
      templateText([sqlServer("[parameters('publicAccess')]")], {
        parameters: { publicAccess: { type: 'string' } },
      }),
    );
    const reach = reachOf(result.model, 'sql-app');
    assert.equal(reach.exposure, 'unknown');
    assert.notEqual(reach.exposure, 'private');
    const path = reach.paths[0]!;
    assert.equal(path.status, 'unknown');
    assert.match(path.reason, /publicAccess/);
    const t = threat(result, 'AZ-TRA-003', 'sql-app');
    assert.equal(t.status, 'unknown');
    assert.equal(t.exposure, 'unknown');
  });

  it('is private when public network access is disabled, and open with an allow-all firewall rule', async () => {
    const closed = await traOf(templateText([sqlServer('Disabled')]));
    assert.equal(reachOf(closed.model, 'sql-app').exposure, 'private');
    const open = await traOf(
      templateText([
        sqlServer('Enabled'),
        {
          type: 'Microsoft.Sql/servers/firewallRules',
          apiVersion: '2023-05-01-preview',
          name: 'sql-app/everyone',
          properties: { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' },
        },
      ]),
    );
    const reach = reachOf(open.model, 'sql-app');
    assert.equal(reach.exposure, 'internet');
    assert.deepEqual(reach.paths[0]?.ports, [[1433, 1433]]);
  });

  it('is unknown when the NSG source prefix is a parameter with no value', async () => {
    const result = await traOf(
      jumpBoxTemplate({
        rdpSource: "[parameters('adminSource')]",
        parameters: { adminSource: { type: 'string' } },
      }),
    );
    const reach = reachOf(result.model, 'vm-jump');
    assert.equal(reach.management, 'unknown');
    assert.equal(reach.paths[0]?.status, 'unknown');
    assert.match(reach.paths[0]?.reason ?? '', /adminSource/);
    assert.equal(threat(result, 'AZ-TRA-001', 'vm-jump').status, 'unknown');
  });

  it('is unknown when the VM names a NIC that is not in the scan', async () => {
    const text = templateText([
      {
        type: 'Microsoft.Compute/virtualMachines',
        apiVersion: '2023-09-01',
        name: 'vm-orphan',
        location: 'australiaeast',
        properties: {
          networkProfile: {
            networkInterfaces: [
              { id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic-elsewhere')]" },
            ],
          },
        },
      },
    ]);
    const reach = reachOf((await traOf(text)).model, 'vm-orphan');
    assert.equal(reach.exposure, 'unknown');
    assert.match(reach.notes.join(' '), /nic-elsewhere is not in this scan/);
  });
});

const NET = '2023-09-01';
const rid = (type: string, ...names: string[]) =>
  `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;

describe('architecture paths', () => {
  it('weighs NSG priorities: a higher-priority deny from the internet closes a later allow', async () => {
    const text = jumpBoxTemplate({ rdpSource: '*' }).replace(
      '"securityRules": [',
      `"securityRules": [${JSON.stringify({
        name: 'deny-rdp',
        properties: {
          priority: 90,
          direction: 'Inbound',
          access: 'Deny',
          protocol: '*',
          sourceAddressPrefix: 'Internet',
          sourcePortRange: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '3389',
        },
      })},`,
    );
    const reach = reachOf((await traOf(text)).model, 'vm-jump');
    assert.equal(reach.management, 'restricted');
  });

  it('treats a Basic public IP with no NSG as open on every port, and a Standard one as closed', async () => {
    const build = (sku: string) =>
      templateText([
        {
          type: 'Microsoft.Network/virtualNetworks',
          apiVersion: NET,
          name: 'vnet',
          location: 'australiaeast',
          properties: {
            addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
            subnets: [{ name: 'snet', properties: { addressPrefix: '10.1.0.0/24' } }],
          },
        },
        {
          type: 'Microsoft.Network/publicIPAddresses',
          apiVersion: NET,
          name: 'pip',
          location: 'australiaeast',
          sku: { name: sku },
        },
        {
          type: 'Microsoft.Network/networkInterfaces',
          apiVersion: NET,
          name: 'nic',
          location: 'australiaeast',
          properties: {
            ipConfigurations: [
              {
                name: 'ip',
                properties: {
                  subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet') },
                  publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip') },
                },
              },
            ],
          },
        },
        {
          type: 'Microsoft.Compute/virtualMachines',
          apiVersion: '2023-09-01',
          name: 'vm',
          location: 'australiaeast',
          properties: {
            networkProfile: {
              networkInterfaces: [{ id: rid('Microsoft.Network/networkInterfaces', 'nic') }],
            },
          },
        },
      ]);
    const basic = reachOf((await traOf(build('Basic'))).model, 'vm');
    assert.equal(basic.exposure, 'internet');
    assert.deepEqual(basic.paths[0]?.ports, [[0, 65535]]);
    const standard = reachOf((await traOf(build('Standard'))).model, 'vm');
    assert.equal(standard.exposure, 'restricted');
    assert.match(standard.paths[0]?.reason ?? '', /Standard public IP is closed/);
  });

  it('traces a load-balancer NAT rule to the VM behind it', async () => {
    const base = JSON.parse(jumpBoxTemplate({ rdpSource: '*', publicIp: false })) as {
      resources: Record<string, unknown>[];
    };
    base.resources.push(
      {
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: NET,
        name: 'pip-lb',
        location: 'australiaeast',
        sku: { name: 'Standard' },
      },
      {
        type: 'Microsoft.Network/loadBalancers',
        apiVersion: NET,
        name: 'lb',
        location: 'australiaeast',
        sku: { name: 'Standard' },
        properties: {
          frontendIPConfigurations: [
            {
              name: 'fe',
              properties: { publicIPAddress: { id: rid('Microsoft.Network/publicIPAddresses', 'pip-lb') } },
            },
          ],
          inboundNatRules: [
            {
              name: 'rdp-jump',
              properties: {
                frontendIPConfiguration: {
                  id: rid('Microsoft.Network/loadBalancers/frontendIPConfigurations', 'lb', 'fe'),
                },
                protocol: 'Tcp',
                frontendPort: 50001,
                backendPort: 3389,
              },
            },
          ],
        },
      },
    );
    const nic = base.resources.find((r) => r.name === 'nic-jump') as {
      properties: { ipConfigurations: { properties: Record<string, unknown> }[] };
    };
    nic.properties.ipConfigurations[0]!.properties.loadBalancerInboundNatRules = [
      { id: rid('Microsoft.Network/loadBalancers/inboundNatRules', 'lb', 'rdp-jump') },
    ];
    const result = await traOf(JSON.stringify(base, null, 2));
    const reach = reachOf(result.model, 'vm-jump');
    const nat = reach.paths.find((p) => p.kind === 'nat-rule');
    assert.ok(nat);
    assert.equal(nat.status, 'open');
    assert.deepEqual(names(result.model, nat.hops), ['Internet', 'pip-lb', 'lb', 'nic-jump', 'vm-jump']);
    assert.deepEqual(nat.ports, [[3389, 3389]]);
    assert.equal(reach.management, 'internet');
  });

  it('links private endpoints to their data store and keeps the store private when public access is off', async () => {
    const result = await traOf(
      templateText([
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-01-01',
          name: 'stprivate',
          location: 'australiaeast',
          sku: { name: 'Standard_ZRS' },
          kind: 'StorageV2',
          properties: { publicNetworkAccess: 'Disabled', allowSharedKeyAccess: false },
        },
        {
          type: 'Microsoft.Network/privateEndpoints',
          apiVersion: NET,
          name: 'pe-st',
          location: 'australiaeast',
          properties: {
            subnet: { id: rid('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet') },
            privateLinkServiceConnections: [
              {
                name: 'blob',
                properties: {
                  privateLinkServiceId: rid('Microsoft.Storage/storageAccounts', 'stprivate'),
                  groupIds: ['blob'],
                },
              },
            ],
          },
        },
      ]),
    );
    assert.equal(reachOf(result.model, 'stprivate').exposure, 'private');
    const pe = result.model.nodes.find((n) => n.name === 'pe-st');
    const st = result.model.nodes.find((n) => n.name === 'stprivate');
    assert.ok(
      result.model.edges.some((e) => e.from === pe?.id && e.to === st?.id && e.kind === 'private-link'),
    );
    const t = threat(result, 'AZ-TRA-003', 'stprivate');
    assert.equal(t.exposure, 'private');
    assert.ok(t.mitigating.some((f) => f.checkId === 'AZ-STORAGE-004'));
  });
});

describe('threats from findings', () => {
  it('rates storage with public network access and shared-key auth as information disclosure, linked to the findings', async () => {
    const result = await traOf(
      templateText([
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-01-01',
          name: stName,
          location: 'australiaeast',
          sku: { name: 'Standard_LRS' },
          kind: 'StorageV2',
          properties: {
            allowSharedKeyAccess: true,
            minimumTlsVersion: 'TLS1_2',
            allowBlobPublicAccess: false,
          },
        },
      ]),
      { classification: 'PROTECTED' },
    );
    const t = threat(result, 'AZ-TRA-003', stName);
    assert.deepEqual(t.stride, ['Information disclosure']);
    assert.equal(t.exposure, 'internet');
    assert.deepEqual(t.aggravating.map((f) => f.checkId).sort(), ['AZ-STORAGE-004', 'AZ-STORAGE-005']);
    assert.ok(t.mitigating.some((f) => f.checkId === 'AZ-STORAGE-003'));
    // PROTECTED sets the consequence floor at 4 (docs/tra.md).
    assert.equal(t.inherent.consequence, 4);
    assert.deepEqual(t.inherent, rate(5, 4));
    assert.deepEqual(t.residual, rate(4, 4));
  });

  it('raises a residency threat where data replicates outside the boundary, naming the finding', async () => {
    const result = await traOf(
      templateText([
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-01-01',
          name: stName,
          location: 'southeastasia',
          sku: { name: 'Standard_RAGRS' },
          kind: 'StorageV2',
          properties: {},
        },
      ]),
      { boundary: resolveBoundary('sg') },
    );
    const t = threat(result, 'AZ-TRA-008', stName);
    assert.deepEqual(
      t.triggers.map((f) => `${f.checkId}:${f.status}`),
      ['AZ-RES-002:fail'],
    );
    assert.match(t.triggers[0]!.message, /East Asia/);
    assert.equal(t.status, 'fail');
    assert.ok(
      result.assessment.findings.some((f) => f.checkId === 'AZ-TRA-008' && f.subject.name === stName),
    );
  });
});

const stName = 'stpublicdata';
