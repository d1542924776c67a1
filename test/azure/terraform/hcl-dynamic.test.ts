/**
 * A `dynamic` block whose `for_each` is unknown: the block list it would make is unknown with
 * the reason, never an empty list a check would pass.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Unknown } from '../../../src/azure/expressions/value.ts';
import { scanAzure } from '../../../src/azure/scan.ts';
import { readTerraformConfig } from '../../../src/azure/sources/terraform/hcl-config/config.ts';
import { withTempFiles } from './helpers.ts';

const MAIN = `variable "open_ports" {
  type = list(string)
}

resource "azurerm_network_security_group" "nsg" {
  name                = "nsg-app"
  resource_group_name = "rg-app"
  location            = "australiaeast"
  security_rule {
    name                       = "deny-all"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  dynamic "security_rule" {
    for_each = var.open_ports
    content {
      name                       = "allow-\${security_rule.value}"
      priority                   = 100 + security_rule.key
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = security_rule.value
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}
`;

const dynamicLine = MAIN.split('\n').findIndex((l) => l.includes('dynamic "security_rule"')) + 1;

it('a dynamic block with an unknown for_each makes the nested attribute unknown, with the reason', async () => {
  await withTempFiles({ 'main.tf': MAIN }, async (dir) => {
    const { instances, notes } = await readTerraformConfig(dir);
    const rules = instances[0]?.values.security_rule;
    assert.ok(rules instanceof Unknown, 'security_rule is unknown, not a list without the dynamic rules');
    assert.match(
      rules.reason,
      /dynamic "security_rule" blocks are unknown: for_each is unknown \(variable open_ports has no value\)/,
    );
    assert.equal(rules.location?.line, dynamicLine);
    assert.ok(
      notes.some((n) => n.line === dynamicLine && /the security_rule blocks are unknown/.test(n.message)),
    );

    const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
    for (const id of ['AZ-NET-001', 'AZ-NET-002', 'AZ-NET-003']) {
      const found = assessment.findings.filter((f) => f.checkId === id);
      assert.deepEqual(
        found.map((f) => f.status),
        ['unknown'],
        `${id} is unknown (not pass): ${found.map((f) => f.message).join('; ')}`,
      );
      assert.match(found[0]?.message ?? '', /for_each is unknown/);
    }
  });
});

it('the same block with a known for_each is expanded, and decides the checks', async () => {
  await withTempFiles({ 'main.tf': MAIN, 'terraform.tfvars': 'open_ports = ["22"]\n' }, async (dir) => {
    const { assessment } = await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z' });
    const ssh = assessment.findings.filter((f) => f.checkId === 'AZ-NET-001');
    assert.deepEqual(
      ssh.map((f) => `${f.status} ${f.location.line}`),
      [`fail ${MAIN.split('\n').findIndex((l) => l.includes('content {')) + 1}`],
    );
  });
});
