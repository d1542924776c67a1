/**
 * `.tf.json` files (Terraform's JSON configuration syntax) are read as `.tf` files are: found by
 * a folder scan, evaluated the same way, with findings at lines of the JSON file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanAzure } from '../../../src/azure/scan.ts';
import { readTerraformConfig } from '../../../src/azure/sources/terraform/hcl-config/config.ts';
import { withTempFiles } from './helpers.ts';

const MAIN = `{
  "//": "storage written in Terraform's JSON syntax",
  "variable": {
    "tls": { "type": "string", "default": "TLS1_0" },
    "replicas": { "type": "number", "default": 2 }
  },
  "locals": { "prefix": "acme" },
  "resource": {
    "azurerm_storage_account": {
      "sa": {
        "count": "\${var.replicas}",
        "name": "\${local.prefix}sa0\${count.index}",
        "resource_group_name": "rg-app",
        "location": "australiaeast",
        "account_tier": "Standard",
        "account_replication_type": "LRS",
        "min_tls_version": "\${var.tls}",
        "tags": { "env": "prod" },
        "network_rules": {
          "default_action": "Deny",
          "ip_rules": ["203.0.113.0/24"]
        }
      }
    }
  }
}
`;

const KEY_VAULT_TF = `resource "azurerm_key_vault" "kv" {
  name                     = "kv-\${local.prefix}"
  resource_group_name      = "rg-app"
  location                 = "australiaeast"
  tenant_id                = "00000000-0000-0000-0000-000000000001"
  sku_name                 = "standard"
  purge_protection_enabled = false
}
`;

const lineOf = (text: string, at: string) => text.split('\n').findIndex((l) => l.includes(at)) + 1;

const statuses = (
  findings: { checkId: string; status: string; location: { file: string; line?: number } }[],
  id: string,
) => findings.filter((f) => f.checkId === id).map((f) => `${f.status} ${f.location.file}:${f.location.line}`);

describe('Terraform JSON configuration syntax (.tf.json)', () => {
  it('a folder scan finds it; variables, locals and count evaluate; findings point at its lines', async () => {
    await withTempFiles({ 'infra/main.tf.json': MAIN }, async (dir) => {
      const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
      assert.deepEqual(assessment.errors, []);
      const tls = `fail infra/main.tf.json:${lineOf(MAIN, '"min_tls_version"')}`;
      assert.deepEqual(statuses(assessment.findings, 'AZ-STORAGE-002'), [tls, tls]);
      // A nested block written as an object: the split network rules deny by default.
      const acl = `pass infra/main.tf.json:${lineOf(MAIN, '"default_action"')}`;
      assert.deepEqual(statuses(assessment.findings, 'AZ-STORAGE-005'), [acl, acl]);
      const names = assessment.subjects
        .filter((s) => s.type === 'Microsoft.Storage/storageAccounts')
        .map((s) => s.name);
      assert.deepEqual(names.sort(), ['acmesa00', 'acmesa01']);
      assert.ok(
        assessment.inputs.some((i) => i.kind === 'terraform-config' && i.file === 'infra/main.tf.json'),
      );
    });
  });

  it('a -var value overrides its default, as for a .tf file', async () => {
    await withTempFiles({ 'main.tf.json': MAIN }, async (dir) => {
      const { assessment } = await scanAzure([dir], {
        root: dir,
        now: '2026-01-01T00:00:00Z',
        terraformVars: { tls: 'TLS1_2' },
      });
      const line = lineOf(MAIN, '"min_tls_version"');
      assert.deepEqual(statuses(assessment.findings, 'AZ-STORAGE-002'), [
        `pass main.tf.json:${line}`,
        `pass main.tf.json:${line}`,
      ]);
    });
  });

  it('is one module with the .tf files beside it: a .tf resource reads a local the JSON declares', async () => {
    await withTempFiles({ 'main.tf.json': MAIN, 'vault.tf': KEY_VAULT_TF }, async (dir) => {
      const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
      assert.deepEqual(assessment.errors, []);
      assert.deepEqual(statuses(assessment.findings, 'AZ-KV-002'), [
        `fail vault.tf:${lineOf(KEY_VAULT_TF, 'purge_protection_enabled')}`,
      ]);
      assert.ok(assessment.subjects.some((s) => s.name === 'kv-acme'));
    });
  });

  it('dynamic blocks, a sensitive variable and a module call in JSON', async () => {
    const main = `{
  "variable": { "secret": { "default": "hunter2", "sensitive": true } },
  "module": { "net": { "source": "./net", "nsg_name": "nsg-\${var.secret}" } },
  "resource": {
    "azurerm_network_security_group": {
      "nsg": {
        "name": "nsg-app",
        "resource_group_name": "rg-app",
        "location": "australiaeast",
        "dynamic": {
          "security_rule": {
            "for_each": "\${toset([\\"22\\", \\"443\\"])}",
            "iterator": "port",
            "content": {
              "name": "allow-\${port.value}",
              "priority": "\${port.value == \\"22\\" ? 100 : 110}",
              "direction": "Inbound",
              "access": "Allow",
              "protocol": "Tcp",
              "source_port_range": "*",
              "destination_port_range": "\${port.value}",
              "source_address_prefix": "*",
              "destination_address_prefix": "*"
            }
          }
        }
      }
    }
  }
}
`;
    const net = `variable "nsg_name" {}\noutput "name" { value = var.nsg_name }\n`;
    await withTempFiles({ 'main.tf.json': main, 'net/main.tf': net }, async (dir) => {
      const { instances, errors } = await readTerraformConfig(dir);
      assert.deepEqual(errors, []);
      const nsg = instances.find((i) => i.address === 'azurerm_network_security_group.nsg');
      const rules = nsg?.values.security_rule as { name: string; priority: number }[];
      assert.deepEqual(
        rules.map((r) => `${r.name} ${r.priority}`),
        ['allow-22 100', 'allow-443 110'],
      );
      assert.equal(
        nsg?.locate('security_rule.0.destination_port_range').line,
        lineOf(main, '"destination_port_range"'),
      );
      const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
      assert.deepEqual(statuses(assessment.findings, 'AZ-NET-001'), [
        `fail main.tf.json:${lineOf(main, '"content"')}`,
      ]);
      assert.ok(!JSON.stringify(assessment).includes('hunter2'), 'a sensitive variable never appears');
    });
  });

  it('JSON that does not parse is one error naming the file and line; the other files are still read', async () => {
    const broken = '{\n  "resource": {\n    "azurerm_storage_account": {,\n  }\n}\n';
    await withTempFiles(
      { 'broken.tf.json': broken, 'vault.tf': KEY_VAULT_TF.replace('local.prefix', '"app"') },
      async (dir) => {
        const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
        assert.deepEqual(
          assessment.errors.map((e) => `${e.file}:${e.line} ${e.code}`),
          ['broken.tf.json:3 hcl-syntax'],
        );
        assert.equal(statuses(assessment.findings, 'AZ-KV-002').length, 1, 'vault.tf is still assessed');
      },
    );
  });
});
