/**
 * A configuration read without a plan: an attribute the block leaves out takes the azurerm
 * provider's documented default (what a plan would show), so a check judges what the provider
 * sends, not ARM's default for an absent property.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import { scanAzure } from '../../../src/azure/scan.ts';
import {
  PROVIDER_DEFAULTS,
  providerDoc,
} from '../../../src/azure/sources/terraform/mapping/provider-defaults.ts';
import { withTempFiles } from './helpers.ts';

const MAIN = `resource "azurerm_storage_account" "sa" {
  name                     = "stapp001"
  resource_group_name      = "rg-app"
  location                 = "australiaeast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  shared_access_key_enabled = null
}

resource "azurerm_storage_account" "v3" {
  name                     = "stapp002"
  resource_group_name      = "rg-app"
  location                 = "australiaeast"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  allow_blob_public_access = false
}

resource "azurerm_mssql_server" "sql" {
  name                = "sql-app"
  resource_group_name = "rg-app"
  location            = "australiaeast"
  version             = "12.0"
}

resource "azurerm_mssql_server_extended_auditing_policy" "audit" {
  server_id              = azurerm_mssql_server.sql.id
  log_monitoring_enabled = true
}
`;

const lineOf = (at: string) => MAIN.split('\n').findIndex((l) => l.includes(at)) + 1;

it('an attribute left out takes the provider default, safe or not, at the resource line', async () => {
  await withTempFiles({ 'main.tf': MAIN }, async (dir) => {
    const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
    const of = (id: string, name: string) => {
      const f = assessment.findings.find((x) => x.checkId === id && x.subject.name === name);
      assert.ok(f, `${id} on ${name}`);
      return `${f.status} ${f.location.line}`;
    };
    const sa = lineOf('resource "azurerm_storage_account" "sa"');
    // min_tls_version defaults to TLS1_2 (ARM's default for an absent property would be TLS 1.0).
    assert.equal(of('AZ-STORAGE-002', 'stapp001'), `pass ${sa}`);
    // allow_nested_items_to_be_public defaults to true: anonymous access is allowed.
    assert.equal(of('AZ-STORAGE-003', 'stapp001'), `fail ${sa}`);
    // null is "not set": the default (true) applies.
    assert.equal(of('AZ-STORAGE-004', 'stapp001'), `fail ${lineOf('shared_access_key_enabled')}`);
    // azurerm 3's name set: no default is added under the v4 name.
    assert.equal(of('AZ-STORAGE-003', 'stapp002'), `pass ${lineOf('allow_blob_public_access')}`);
    // The auditing policy's enabled defaults to true.
    assert.equal(
      of('AZ-SQL-006', 'sql-app'),
      `pass ${lineOf('resource "azurerm_mssql_server_extended_auditing_policy"')}`,
    );
    assert.equal(of('AZ-SQL-002', 'sql-app'), `pass ${lineOf('resource "azurerm_mssql_server" "sql"')}`);
  });
});

it('every check a provider default decides cites the provider documentation', () => {
  for (const d of PROVIDER_DEFAULTS) {
    for (const id of d.checks) {
      const check = azureChecks.find((c) => c.meta.id === id);
      assert.ok(check, id);
      assert.ok(check.meta.references?.includes(providerDoc(d.type)), `${id} cites ${providerDoc(d.type)}`);
    }
  }
});
