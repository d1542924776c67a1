/**
 * Threat rules apply only to the elements they are about (issue 17, item 2): a NIC, an NSG or a
 * virtual network outside the boundary stores no data, so it gets a residency finding but no
 * "data stored outside the boundary" threat; the machine whose disks hold data does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { jumpBoxTemplate, traOf } from './templates.ts';

describe('residency threats only where data is', () => {
  it('rates the VM outside the boundary, not its NIC, NSG, virtual network or public IPs', async () => {
    const text = jumpBoxTemplate({ rdpSource: '10.0.0.0/8' }).replaceAll('"australiaeast"', '"eastus"');
    const result = await traOf(text, { boundary: resolveBoundary('au', {}) });
    const residency = result.threats.filter((t) => t.ruleId === 'AZ-TRA-008');
    const types = [...new Set(residency.map((t) => t.element.type))];
    assert.ok(types.includes('Microsoft.Compute/virtualMachines'), types.join(', '));
    for (const plumbing of [
      'Microsoft.Network/networkInterfaces',
      'Microsoft.Network/networkSecurityGroups',
      'Microsoft.Network/virtualNetworks',
      'Microsoft.Network/publicIPAddresses',
    ])
      assert.ok(!types.includes(plumbing), `${plumbing} has a residency threat`);
    const nicResidency = result.assessment.findings.find(
      (f) => f.checkId === 'AZ-RES-001' && f.subject.type === 'Microsoft.Network/networkInterfaces',
    );
    assert.equal(nicResidency?.status, 'fail', 'the NIC still has its residency finding');
  });
});
