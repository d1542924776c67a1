/** The Terraform plan and state readers, through the real Azure scan. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { azureModelJson } from '../../../src/azure/model-json.ts';
import { scanAzure } from '../../../src/azure/scan.ts';
import { readerFor } from '../../../src/azure/sources/index.ts';
import { terraformPlanReader } from '../../../src/azure/sources/terraform/plan.ts';
import { terraformStateReader } from '../../../src/azure/sources/terraform/state.ts';
import { renderTraMarkdown } from '../../../src/azure/tra/document.ts';
import { runTra } from '../../../src/azure/tra/run.ts';
import type { Finding } from '../../../src/core/model.ts';
import { reportData } from '../../../src/report/html.ts';
import { FORMATS, render } from '../../../src/report/index.ts';
import { readInputLines } from '../../../src/server/source.ts';
import { lineOf, templateText } from '../../helpers/arm.ts';
import { type Change, planText, scanFiles } from './helpers.ts';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const PLAN_DIR = join(FIXTURES, 'plan-modules');
const STATE_DIR = join(FIXTURES, 'state');
const MAIN_TF = readFileSync(join(PLAN_DIR, 'main.tf'), 'utf8');
const NET_TF = readFileSync(join(PLAN_DIR, 'modules/net/main.tf'), 'utf8');

async function scanFixture(dir: string) {
  return scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
}

function finding(findings: Finding[], checkId: string, subject: string): Finding {
  const found = findings.find((f) => f.checkId === checkId && f.subject.name === subject);
  assert.ok(found, `no ${checkId} finding on ${subject}`);
  return found;
}

describe('detection', () => {
  it('tells a plan from a state from anything else', () => {
    const plan = JSON.parse(readFileSync(join(PLAN_DIR, 'plan.json'), 'utf8'));
    const state = JSON.parse(readFileSync(join(STATE_DIR, 'state.json'), 'utf8'));
    assert.equal(readerFor(plan), terraformPlanReader);
    assert.equal(readerFor(state), terraformStateReader);
    assert.equal(readerFor({ format_version: '1.2', resource_changes: [] }), terraformPlanReader);
    assert.equal(readerFor({ values: { root_module: {} } }), undefined);
    assert.equal(readerFor({ format_version: '1.0' }), undefined);
    assert.equal(readerFor({ resources: [] }), undefined);
  });
});

describe('the plan reader', async () => {
  const result = await scanFixture(PLAN_DIR);
  const { findings } = result.assessment;

  it('records the plan as a terraform-plan input and reads it without errors', () => {
    assert.deepEqual(result.assessment.errors, []);
    assert.ok(result.assessment.inputs.some((i) => i.file === 'plan.json' && i.kind === 'terraform-plan'));
  });

  it('points findings at the .tf line of the attribute, in the module folder for module resources', () => {
    const tls = finding(findings, 'AZ-STORAGE-001', 'stlogs001');
    assert.equal(tls.status, 'pass');
    assert.deepEqual(
      [tls.location.file, tls.location.line],
      ['main.tf', lineOf(MAIN_TF, 'https_traffic_only_enabled')],
    );
    const ssh = finding(findings, 'AZ-NET-001', 'nsg-app');
    assert.equal(ssh.status, 'fail');
    assert.deepEqual(
      [ssh.location.file, ssh.location.line],
      ['modules/net/main.tf', lineOf(NET_TF, 'security_rule {')],
    );
    // Not in the .tf (a provider default): the resource block.
    const sharedKey = finding(findings, 'AZ-STORAGE-004', 'stlogs001');
    assert.equal(sharedKey.location.line, lineOf(MAIN_TF, 'resource "azurerm_storage_account" "logs"'));
  });

  it('keeps full module addresses and attaches split-out resources to their parent', () => {
    const subnet = result.resources.find((r) => r.type === 'Microsoft.Network/virtualNetworks/subnets');
    assert.ok(subnet);
    assert.equal(subnet.name, 'vnet-app/snet-app');
    const nsg = finding(findings, 'AZ-NET-004', 'vnet-app/snet-app');
    assert.equal(nsg.status, 'pass');
    // As for a template's subnet resource, the finding is on the subnet.
    assert.equal(nsg.location.line, lineOf(NET_TF, 'resource "azurerm_subnet" "app"'));
    assert.equal(
      subnet.locate('properties.networkSecurityGroup.id').line,
      lineOf(NET_TF, 'network_security_group_id'),
    );
    const firewall = finding(findings, 'AZ-STORAGE-005', 'stlogs001');
    assert.equal(firewall.status, 'pass');
    assert.equal(firewall.location.line, lineOf(MAIN_TF, 'default_action'));
  });

  it('makes known-after-apply values unknown with that reason, where they are', () => {
    const f = finding(findings, 'AZ-KV-004', 'kv-app-001');
    assert.equal(f.status, 'unknown');
    assert.equal(f.evidence?.reason, 'known after apply');
    assert.equal(f.location.line, lineOf(MAIN_TF, 'public_network_access_enabled'));
    // Known values beside it are still decided.
    assert.equal(finding(findings, 'AZ-KV-002', 'kv-app-001').status, 'fail');
  });

  it('makes sensitive values unknown, and no output holds them', () => {
    const f = finding(findings, 'AZ-STORAGE-002', 'stlogs001');
    assert.equal(f.status, 'unknown');
    assert.equal(f.evidence?.reason, '(sensitive)');
    const secret = 'Hunter2-TopSecret!';
    assert.ok(
      readFileSync(join(PLAN_DIR, 'plan.json'), 'utf8').includes(secret),
      'the fixture holds the secret',
    );
    const outputs = [
      JSON.stringify(result.assessment),
      JSON.stringify(azureModelJson(result.resources, { errors: [], notes: [] })),
      ...FORMATS.map((format) => render(format, result.assessment, { color: false, verbose: true })),
    ];
    for (const out of outputs) assert.ok(!out.includes(secret));
    // Nor the single-file report's embedded data, whose source snippets skip Terraform JSON.
    assert.ok(!JSON.stringify(reportData({ assessment: result.assessment })).includes(secret));
    assert.deepEqual(readInputLines(result.assessment, 'plan.json'), {
      note: 'Terraform JSON may hold sensitive values, so its lines are not shown',
    });
    // The sensitive TLS version is not shown either: only the reason is.
    assert.ok(!JSON.stringify(f).includes('TLS1_0'));
  });

  it('does not assess deleted instances, nor data sources', () => {
    const names = result.resources.map((r) => String(r.name));
    assert.ok(!names.includes('stold001'));
    assert.ok(!findings.some((f) => f.subject.name === 'stold001'));
    assert.deepEqual([...new Set(result.resources.map((r) => r.type))].sort(), [
      'Microsoft.KeyVault/vaults',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/virtualNetworks/subnets',
      'Microsoft.Sql/servers',
      'Microsoft.Storage/storageAccounts',
    ]);
  });

  it('maps azapi_resource as ARM: type, api version and body', () => {
    const sql = result.resources.find((r) => r.type === 'Microsoft.Sql/servers');
    assert.ok(sql);
    assert.equal(sql.apiVersion, '2021-11-01');
    assert.equal(finding(findings, 'AZ-SQL-002', 'sql-app-001').status, 'pass');
  });

  it('notes each unmapped azurerm type once, with its count', () => {
    const notes = result.assessment.notes.filter((n) => n.message.includes('not mapped'));
    assert.deepEqual(
      notes.map((n) => [n.level, n.message, n.file, n.line]),
      [
        [
          'info',
          'azurerm_virtual_desktop_host_pool not mapped to Azure Resource Manager: 1 instance not assessed (first azurerm_virtual_desktop_host_pool.pool)',
          'main.tf',
          lineOf(MAIN_TF, 'resource "azurerm_virtual_desktop_host_pool"'),
        ],
      ],
    );
  });
});

describe('the threat-and-risk assessment of a plan', () => {
  it('rates threats on the mapped resources, and its document holds no sensitive value', async () => {
    const tra = await runTra([PLAN_DIR], { root: PLAN_DIR, now: '2026-01-01T00:00:00Z' });
    assert.ok(tra.threats.length > 0);
    assert.ok(tra.model.nodes.some((n) => n.name === 'stlogs001'));
    const md = renderTraMarkdown({ ...tra, generatedAt: '2026-01-01T00:00:00Z' });
    assert.ok(md.includes('stlogs001'));
    assert.ok(!md.includes('Hunter2-TopSecret!'));
  });
});

describe('plan locations without the .tf files', () => {
  it('point at the instance in the plan JSON, module addresses kept', async () => {
    const after = { name: 'pip-edge', resource_group_name: 'rg', location: 'australiaeast', sku: 'Basic' };
    const address = 'module.net.azurerm_public_ip.edge[0]';
    const plan = planText([
      { module: 'module.net', address, type: 'azurerm_public_ip', name: 'edge', after },
    ]);
    const result = await scanFiles({ 'tfplan.json': plan }, ['AZ-NET-005']);
    const [f] = result.assessment.findings;
    assert.equal(f?.status, 'fail');
    assert.deepEqual([f?.location.file, f?.location.line], ['tfplan.json', lineOf(plan, '"sku"')]);
    assert.equal(result.resources[0]?.name, 'pip-edge');
  });

  it('say "not mapped" for an unmapped type rather than dropping it', async () => {
    const plan = planText([
      { type: 'azurerm_dns_zone', name: 'a', after: { name: 'a.example' } },
      { type: 'azurerm_dns_zone', name: 'b', after: { name: 'b.example' } },
      { type: 'random_string', name: 'suffix', after: { length: 4 } },
    ]);
    const result = await scanFiles({ 'plan.json': plan }, ['AZ-NET-005']);
    assert.deepEqual(
      result.assessment.notes.map((n) => n.message),
      [
        'azurerm_dns_zone not mapped to Azure Resource Manager: 2 instances not assessed (first azurerm_dns_zone.a)',
      ],
    );
  });
});

describe('plan actions and split-out resources', () => {
  it('assesses a replace (either order) and an update, and says when a split-out parent is missing', async () => {
    const pip = (name: string, actions: string[]): Change => ({
      type: 'azurerm_public_ip',
      name,
      actions,
      after: { name: `pip-${name}`, resource_group_name: 'rg', location: 'australiaeast', sku: 'Basic' },
    });
    const plan = planText([
      pip('a', ['delete', 'create']),
      pip('b', ['create', 'delete']),
      pip('c', ['update']),
      {
        type: 'azurerm_storage_account_network_rules',
        name: 'orphan',
        after: {
          storage_account_id:
            '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/elsewhere',
          default_action: 'Deny',
        },
      },
    ]);
    const result = await scanFiles({ 'plan.json': plan }, ['AZ-NET-005']);
    assert.deepEqual(
      result.assessment.findings.map((f) => [f.subject.name, f.status]),
      [
        ['pip-a', 'fail'],
        ['pip-b', 'fail'],
        ['pip-c', 'fail'],
      ],
    );
    assert.deepEqual(
      result.assessment.notes.map((n) => [n.level, n.line, n.message]),
      [
        [
          'warning',
          lineOf(plan, '"address": "azurerm_storage_account_network_rules.orphan"') - 1,
          'azurerm_storage_account_network_rules.orphan: the storage account it configures is not in the plan; its settings are not assessed',
        ],
      ],
    );
    assert.equal(result.resources[0]?.symbolicName, 'azurerm_public_ip.a');
  });
});

describe('attributes the configuration does not write', () => {
  it('keeps known values (a dynamic block) and reads computed ones as absent', async () => {
    const rule = {
      name: 'rdp',
      priority: 100,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      source_port_range: '*',
      destination_port_range: '3389',
      source_address_prefix: 'Internet',
      destination_address_prefix: '*',
    };
    const after = {
      name: 'nsg-dyn',
      resource_group_name: 'rg',
      location: 'australiaeast',
      security_rule: [rule],
    };
    const plan = planText([
      { type: 'azurerm_network_security_group', name: 'dyn', after, configured: ['name'] },
      {
        type: 'azurerm_network_security_group',
        name: 'split',
        after: { name: 'nsg-split', resource_group_name: 'rg', location: 'australiaeast' },
        after_unknown: { security_rule: true },
        configured: ['name'],
      },
    ]);
    const result = await scanFiles({ 'plan.json': plan }, ['AZ-NET-001']);
    assert.deepEqual(
      result.assessment.findings.map((f) => [f.subject.name, f.status]),
      [
        ['nsg-dyn', 'fail'],
        ['nsg-split', 'pass'],
      ],
    );
  });
});

describe('a plan without resource_changes', () => {
  it('is read from planned_values, child modules included', async () => {
    const resource = (address: string, values: Record<string, unknown>) => ({
      address,
      mode: 'managed',
      type: 'azurerm_public_ip',
      name: 'edge',
      values,
      sensitive_values: {},
    });
    const plan = JSON.stringify(
      {
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              resource('azurerm_public_ip.edge', {
                name: 'pip-root',
                resource_group_name: 'rg',
                sku: 'Basic',
              }),
            ],
            child_modules: [
              {
                address: 'module.edge',
                resources: [
                  resource('module.edge.azurerm_public_ip.edge', {
                    name: 'pip-child',
                    resource_group_name: 'rg',
                    sku: 'Standard',
                  }),
                ],
              },
            ],
          },
        },
      },
      null,
      2,
    );
    const result = await scanFiles({ 'plan.json': plan }, ['AZ-NET-005']);
    assert.deepEqual(
      result.assessment.findings.map((f) => [f.subject.name, f.status, f.location.line]),
      [
        ['pip-root', 'fail', lineOf(plan, '"sku"')],
        ['pip-child', 'pass', lineOf(plan, '"sku"', 'module.edge.azurerm_public_ip')],
      ],
    );
    assert.deepEqual(
      result.resources.map((r) => r.symbolicName),
      ['azurerm_public_ip.edge', 'module.edge.azurerm_public_ip.edge'],
    );
  });
});

describe('ids', () => {
  it("keep an existing resource's own id, and give its children their own", async () => {
    const id =
      '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stkeep';
    const after = {
      id,
      name: 'stkeep',
      resource_group_name: 'rg',
      location: 'australiaeast',
      blob_properties: [{ delete_retention_policy: [{ days: 7 }] }],
    };
    const plan = planText([{ type: 'azurerm_storage_account', name: 'keep', actions: ['no-op'], after }]);
    const result = await scanFiles({ 'plan.json': plan }, ['AZ-STORAGE-007']);
    assert.deepEqual(
      result.resources.map((r) => [r.type, r.id]),
      [
        ['Microsoft.Storage/storageAccounts', id],
        ['Microsoft.Storage/storageAccounts/blobServices', `${id}/blobServices/default`],
      ],
    );
    assert.deepEqual(
      result.assessment.findings.map((f) => [f.status, f.location.line]),
      [['pass', lineOf(plan, '"delete_retention_policy"')]],
    );
  });
});

describe('format_version', () => {
  it('refuses another major version by name, and the other inputs still run', async () => {
    const plan = planText([]).replace('"format_version": "1.2"', '"format_version": "2.0"');
    const template = templateText([
      {
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: '2023-09-01',
        name: 'pip',
        location: 'australiaeast',
        sku: { name: 'Basic' },
      },
    ]);
    const result = await scanFiles({ 'plan.json': plan, 'template.json': template }, ['AZ-NET-005']);
    assert.deepEqual(
      result.assessment.errors.map((e) => [e.file, e.line, e.code, e.message.split(':')[0]]),
      [['plan.json', 2, 'unsupported-format-version', 'unsupported format_version 2.0']],
    );
    assert.deepEqual(
      result.assessment.findings.map((f) => [f.location.file, f.status]),
      [['template.json', 'fail']],
    );
  });
});

describe('the state reader', async () => {
  const result = await scanFixture(STATE_DIR);
  const state = readFileSync(join(STATE_DIR, 'state.json'), 'utf8');

  it('assesses managed instances, with their real ids, at their place in the state', () => {
    assert.deepEqual(result.assessment.errors, []);
    assert.ok(result.assessment.inputs.some((i) => i.kind === 'terraform-state'));
    const rule = finding(result.assessment.findings, 'AZ-SQL-004', 'sql-data-001/office');
    assert.equal(rule.status, 'fail');
    assert.equal(rule.location.line, lineOf(state, '"start_ip_address"'));
    const server = result.resources.find((r) => r.type === 'Microsoft.Sql/servers');
    assert.equal(
      server?.id,
      '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-data-001',
    );
    assert.equal(finding(result.assessment.findings, 'AZ-SQL-003', 'sql-data-001').status, 'fail');
    assert.ok(!result.resources.some((r) => r.type === 'Microsoft.Resources/resourceGroups'));
  });

  it('never shows a sensitive value', () => {
    const secret = 'Correct-Horse-Battery-Staple';
    assert.ok(state.includes(secret));
    for (const format of FORMATS)
      assert.ok(!render(format, result.assessment, { color: false, verbose: true }).includes(secret));
    assert.ok(!JSON.stringify(azureModelJson(result.resources, { errors: [], notes: [] })).includes(secret));
  });
});
