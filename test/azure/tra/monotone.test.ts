/**
 * The rating never falls as exposure grows (issue 17, item 1): pairs of templates that differ
 * only in how open a virtual machine is, rated by the same rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ratingRank } from '../../../src/azure/tra/matrix.ts';
import { jumpBoxTemplate, traOf } from './templates.ts';

type Resource = { type: string; name: string; sku?: { name: string }; properties: Record<string, unknown> };

/** The jump box with a Basic public IP (open unless an NSG closes it), its NSG shaped by `nsg`. */
function variant(nsg: 'rdp-only' | 'all-ports' | 'none'): string {
  const doc = JSON.parse(jumpBoxTemplate({ rdpSource: 'Internet' })) as { resources: Resource[] };
  for (const r of doc.resources)
    if (r.type === 'Microsoft.Network/publicIPAddresses' && r.name === 'pip-jump') r.sku = { name: 'Basic' };
  if (nsg === 'none') {
    doc.resources = doc.resources.filter((r) => r.type !== 'Microsoft.Network/networkSecurityGroups');
    const vnet = doc.resources.find((r) => r.type === 'Microsoft.Network/virtualNetworks');
    for (const s of (vnet?.properties.subnets ?? []) as { properties: Record<string, unknown> }[])
      delete s.properties.networkSecurityGroup;
  }
  if (nsg === 'all-ports') {
    const group = doc.resources.find((r) => r.type === 'Microsoft.Network/networkSecurityGroups');
    const rules = (group?.properties.securityRules ?? []) as { properties: Record<string, unknown> }[];
    const rule = rules[0];
    if (rule) rule.properties.destinationPortRange = '*';
  }
  return JSON.stringify(doc, null, 2);
}

async function rdpThreat(nsg: 'rdp-only' | 'all-ports' | 'none') {
  const { threats } = await traOf(variant(nsg));
  const threat = threats.find((t) => t.ruleId === 'AZ-TRA-001' && t.element.name === 'vm-jump');
  assert.ok(threat, `no management-port threat on vm-jump (${nsg})`);
  return threat;
}

describe('TRA ratings are monotone in exposure', () => {
  it('a VM with no NSG rates at least as high as one whose NSG opens only RDP', async () => {
    const rdpOnly = await rdpThreat('rdp-only');
    const none = await rdpThreat('none');
    assert.equal(rdpOnly.exposure, 'internet');
    assert.equal(none.exposure, 'internet');
    assert.ok(
      ratingRank(none.residual.rating) >= ratingRank(rdpOnly.residual.rating),
      `no NSG ${none.residual.rating} ${none.residual.score} < RDP only ${rdpOnly.residual.rating} ${rdpOnly.residual.score}`,
    );
    assert.ok(none.residual.score >= rdpOnly.residual.score);
  });

  it('an NSG open on every port rates at least as high as one open only on RDP', async () => {
    const rdpOnly = await rdpThreat('rdp-only');
    const all = await rdpThreat('all-ports');
    assert.ok(
      all.residual.score >= rdpOnly.residual.score,
      `${all.residual.score} < ${rdpOnly.residual.score}`,
    );
  });

  it('an absent NSG counts as the NSG check failing, with its own step in the register', async () => {
    const none = await rdpThreat('none');
    assert.deepEqual(
      none.aggravating.map((f) => f.checkId),
      ['AZ-NET-001'],
    );
    assert.ok(none.steps.some((s) => s.reason === '+1 AZ-NET-001: no NSG filters the path to vm-jump'));
    assert.equal(none.residual.rating, 'Extreme');
  });
});
