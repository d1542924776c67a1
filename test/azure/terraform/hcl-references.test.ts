/**
 * References between resources in a configuration read without a plan: a split-out resource
 * (network rules, SQL server settings, diagnostic settings) that names its parent by an
 * expression (`azurerm_storage_account.sa.id`, `sa[0].id`) binds to that parent, and the
 * parent's checks see it, at the split-out resource's lines.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { scanAzure } from '../../../src/azure/scan.ts';
import { readTerraformConfig } from '../../../src/azure/sources/terraform/hcl-config/config.ts';
import { withTempFiles } from './helpers.ts';

const MAIN = `resource "azurerm_storage_account" "sa" {
  count                    = 2
  name                     = "stapp00\${count.index}"
  resource_group_name      = "rg-app"
  location                 = "australiaeast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "first" {
  storage_account_id = azurerm_storage_account.sa[0].id
  default_action     = "Deny"
}

resource "azurerm_mssql_server" "sql" {
  name                = "sql-app"
  resource_group_name = "rg-app"
  location            = "australiaeast"
  version             = "12.0"
}

resource "azurerm_mssql_server_extended_auditing_policy" "audit" {
  server_id              = azurerm_mssql_server.sql.id
  enabled                = true
  log_monitoring_enabled = true
}

resource "azurerm_mssql_server_security_alert_policy" "alerts" {
  resource_group_name = azurerm_mssql_server.sql.resource_group_name
  server_name         = azurerm_mssql_server.sql.name
  state               = "Enabled"
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-app"
  resource_group_name = "rg-app"
  location            = "australiaeast"
  tenant_id           = "00000000-0000-0000-0000-000000000001"
  sku_name            = "standard"
}

resource "azurerm_monitor_diagnostic_setting" "kv" {
  name                       = "to-law"
  target_resource_id         = azurerm_key_vault.kv.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.OperationalInsights/workspaces/law-app"
  enabled_log {
    category_group = "audit"
  }
}

module "pair" {
  source = "./pair"
  count  = 2
  name   = "stpair00\${count.index}"
}
`;

const PAIR = `variable "name" {}

resource "azurerm_storage_account" "sa" {
  name                     = var.name
  resource_group_name      = "rg-app"
  location                 = "australiaeast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "rules" {
  storage_account_id = azurerm_storage_account.sa.id
  default_action     = var.name == "stpair000" ? "Deny" : "Allow"
}
`;

const lineOf = (text: string, at: string) => text.split('\n').findIndex((l) => l.includes(at)) + 1;

it('each instance records the resources its attributes refer to, as a plan configuration does', async () => {
  await withTempFiles({ 'main.tf': MAIN, 'pair/main.tf': PAIR }, async (dir) => {
    const { instances } = await readTerraformConfig(dir);
    const refs = (address: string) =>
      Object.fromEntries(instances.find((i) => i.address === address)?.references ?? []);
    assert.deepEqual(refs('azurerm_storage_account_network_rules.first'), {
      storage_account_id: ['azurerm_storage_account.sa[0]'],
    });
    assert.deepEqual(refs('azurerm_mssql_server_security_alert_policy.alerts'), {
      resource_group_name: ['azurerm_mssql_server.sql'],
      server_name: ['azurerm_mssql_server.sql'],
    });
    assert.deepEqual(refs('module.pair[1].azurerm_storage_account_network_rules.rules'), {
      storage_account_id: ['module.pair.azurerm_storage_account.sa'],
    });
    assert.deepEqual(refs('azurerm_key_vault.kv'), {}, 'literal attributes refer to nothing');
  });
});

it('split-out resources bind to the parent they refer to, and the parent checks see them', async () => {
  await withTempFiles({ 'main.tf': MAIN, 'pair/main.tf': PAIR }, async (dir) => {
    const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
    assert.deepEqual(assessment.errors, []);
    assert.deepEqual(
      assessment.notes.filter((n) => /not in the plan/.test(n.message)),
      [],
      'every split-out resource found its parent',
    );
    const findings = (id: string) =>
      assessment.findings
        .filter((f) => f.checkId === id)
        .map((f) => `${f.subject.name} ${f.status} ${f.location.file}:${f.location.line}`)
        .sort();
    // sa[0] is closed by the rules that name it; sa[1] is not. Each module instance binds its own.
    assert.deepEqual(findings('AZ-STORAGE-005'), [
      `stapp000 pass main.tf:${lineOf(MAIN, 'default_action')}`,
      `stapp001 fail main.tf:${lineOf(MAIN, 'resource "azurerm_storage_account" "sa"')}`,
      `stpair000 pass pair/main.tf:${lineOf(PAIR, 'default_action')}`,
      `stpair001 fail pair/main.tf:${lineOf(PAIR, 'default_action')}`,
    ]);
    assert.deepEqual(findings('AZ-SQL-006'), [
      `sql-app pass main.tf:${lineOf(MAIN, 'enabled                = true')}`,
    ]);
    assert.deepEqual(findings('AZ-SQL-008'), [
      `sql-app pass main.tf:${lineOf(MAIN, 'state               = "Enabled"')}`,
    ]);
    const vault = assessment.findings.find((f) => f.checkId === 'AZ-LOG-005');
    assert.equal(vault?.status, 'pass', vault?.message);
    assert.match(vault?.message ?? '', /to-law/);
  });
});
