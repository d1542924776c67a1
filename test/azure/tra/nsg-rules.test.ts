import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  internetAllowed,
  intersect,
  parseNsg,
  type RuleSource,
  type Segment,
} from '../../../src/azure/architecture/nsg.ts';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import { Unknown, type Value } from '../../../src/azure/expressions/value.ts';
import type { AzureResource } from '../../../src/azure/resource.ts';
import { THREAT_CHECKS } from '../../../src/azure/tra/findings.ts';
import { THREAT_RULES } from '../../../src/azure/tra/rules.ts';
import { EXPOSURE_LIKELIHOOD } from '../../../src/azure/tra/threats.ts';

const resource = {
  type: 'Microsoft.Network/networkSecurityGroups',
  name: 'nsg',
  location: { file: 't.json', line: 1, column: 1 },
  locate: () => ({ file: 't.json', line: 2, column: 1 }),
} as unknown as AzureResource;

function rule(name: string, props: Record<string, Value>): RuleSource {
  return {
    nsgName: 'nsg',
    name,
    props: { direction: 'Inbound', protocol: 'Tcp', priority: 100, access: 'Allow', ...props },
    resource,
    at: 'x',
  };
}

const view = (segments: Segment[]) => segments.map((s) => `${s.status}:${s.lo}-${s.hi}`).sort();

describe('effective NSG rules from the internet', () => {
  it('opens the ports of an internet allow rule, less a higher-priority internet deny', () => {
    const nsg = parseNsg('nsg', resource, [
      rule('allow', { sourceAddressPrefix: '*', destinationPortRange: '20-30' }),
      rule('deny', {
        priority: 50,
        access: 'Deny',
        sourceAddressPrefix: 'Internet',
        destinationPortRange: '22',
      }),
      rule('later-deny', {
        priority: 200,
        access: 'Deny',
        sourceAddressPrefix: '*',
        destinationPortRange: '25',
      }),
    ]);
    assert.deepEqual(view(internetAllowed(nsg)), ['open:20-21', 'open:23-30']);
  });

  it('ignores rules from specific sources and outbound rules', () => {
    const nsg = parseNsg('nsg', resource, [
      rule('admin', { sourceAddressPrefix: '10.0.1.0/26', destinationPortRange: '3389' }),
      rule('out', { direction: 'Outbound', sourceAddressPrefix: '*', destinationPortRange: '*' }),
      rule('asg', { destinationPortRange: '443' }),
    ]);
    assert.deepEqual(internetAllowed(nsg), []);
  });

  it('leaves undecided what an unknown source, port or deny could change', () => {
    const u = new Unknown('parameter adminSource has no value');
    assert.deepEqual(
      view(
        internetAllowed(
          parseNsg('nsg', resource, [rule('a', { sourceAddressPrefix: u, destinationPortRange: '22' })]),
        ),
      ),
      ['unknown:22-22'],
    );
    const maybeDenied = parseNsg('nsg', resource, [
      rule('allow', { sourceAddressPrefix: '*', destinationPortRange: '80-90' }),
      rule('deny', { priority: 10, access: 'Deny', sourceAddressPrefix: u, destinationPortRange: '85' }),
    ]);
    assert.deepEqual(view(internetAllowed(maybeDenied)), ['open:80-84', 'open:86-90', 'unknown:85-85']);
  });

  it('intersects the subnet and NIC layers', () => {
    const a: Segment[] = [{ lo: 0, hi: 100, status: 'open', rules: [] }];
    const b: Segment[] = [{ lo: 50, hi: 200, status: 'unknown', rules: [], reason: 'x' }];
    assert.deepEqual(view(intersect(a, b)), ['unknown:50-100']);
  });
});

describe('threat rules', () => {
  const checkIds = new Set(azureChecks.map((c) => c.meta.id));

  it('cite only checks that exist, and unique ids', () => {
    const ids = THREAT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of THREAT_RULES)
      for (const id of [...r.checks, ...r.consequenceChecks, ...(r.triggers ?? [])])
        assert.ok(checkIds.has(id), `${r.id}: ${id}`);
    assert.equal(THREAT_CHECKS.length, THREAT_RULES.length);
  });

  it('cite only ISM controls that exist in the catalog', (t) => {
    const catalog = join(
      fileURLToPath(new URL('../../..', import.meta.url)),
      '..',
      'shared',
      'data',
      'ism-oscal',
      'ISM_catalog.json',
    );
    if (!existsSync(catalog)) {
      t.skip('ISM catalog not found');
      return;
    }
    const ids = new Set(
      [...readFileSync(catalog, 'utf8').matchAll(/"id"\s*:\s*"(ism-\d{4})"/g)].map((m) => m[1]),
    );
    assert.ok(ids.size > 1000);
    for (const r of THREAT_RULES) for (const c of r.controls) assert.ok(ids.has(c), `${r.id}: ${c}`);
  });

  it('are the ones docs/tra.md documents, with the same base likelihoods', () => {
    const doc = readFileSync(
      join(fileURLToPath(new URL('../../..', import.meta.url)), 'docs', 'tra.md'),
      'utf8',
    );
    for (const r of THREAT_RULES)
      assert.ok(doc.includes(`| ${r.id} |`), `${r.id} is not in the table of docs/tra.md`);
    const e = EXPOSURE_LIKELIHOOD;
    assert.ok(
      doc.includes(`internet ${e.internet}, unknown ${e.unknown}`) &&
        doc.includes(`restricted ${e.restricted}, private ${e.private}`),
      'base likelihoods differ from docs/tra.md',
    );
    const residency = THREAT_RULES.find((r) => r.driver === 'residency');
    assert.ok(doc.includes(`Residency threats\n   start at ${residency?.baseLikelihood}`));
  });
});
