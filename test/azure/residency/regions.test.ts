import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BoundaryError,
  BUILT_IN_BOUNDARIES,
  describeBoundaryLocation,
  inBoundary,
  resolveBoundary,
} from '../../../src/azure/residency/boundary.ts';
import { normaliseRegion, REGIONS, regionFact } from '../../../src/azure/residency/regions.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const derived = join(repo, '..', 'shared', 'data', 'azure-regions', 'regions-list.derived.csv');

describe('region facts', () => {
  it('has unique names, and every pair is a known region of the same cloud', () => {
    const names = REGIONS.map((r) => r.name);
    assert.equal(new Set(names).size, names.length);
    for (const r of REGIONS) {
      if (!r.pair) continue;
      const pair = regionFact(r.pair);
      assert.ok(pair, `${r.name}: pair ${r.pair} unknown`);
      assert.equal(pair.cloud, r.cloud, `${r.name} pairs across clouds`);
    }
  });

  it('knows the pairs that leave the country and the restricted regions', () => {
    assert.equal(regionFact('southeastasia')?.pair, 'eastasia');
    assert.equal(regionFact('eastasia')?.country, 'HK');
    assert.equal(regionFact('brazilsouth')?.pair, 'southcentralus');
    assert.equal(regionFact('australiacentral')?.pair, 'australiacentral2');
    assert.equal(regionFact('newzealandnorth')?.pair, undefined);
    for (const r of ['australiacentral2', 'francesouth', 'germanynorth'])
      assert.equal(regionFact(r)?.restricted, true, r);
    assert.equal(regionFact('usgovvirginia')?.cloud, 'AzureUSGovernment');
  });

  it('reads display names and programmatic names alike', () => {
    assert.equal(normaliseRegion('Australia East'), 'australiaeast');
    assert.equal(regionFact('West US 2')?.name, 'westus2');
    assert.equal(regionFact('mars'), undefined);
  });

  it("agrees with Microsoft's published region list where both have a region", (t) => {
    if (!existsSync(derived)) {
      t.skip(`reference list not found at ${derived}`);
      return;
    }
    const [head, ...rows] = readFileSync(derived, 'utf8').trim().split('\n');
    const cols = (head ?? '').split(',');
    const at = (name: string) => cols.indexOf(name);
    let compared = 0;
    for (const line of rows) {
      // Physical locations may be quoted with commas; the fields compared come before them or are simple.
      const cells =
        line.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
      const name = cells[at('programmatic_name')] as string;
      const fact = regionFact(name);
      assert.ok(fact, `${name} is in Microsoft's list but not in assay's`);
      const pair = cells[at('paired_region')] as string;
      assert.equal(fact.pair ? regionFact(fact.pair)?.displayName : 'N/A', pair, `${name}: pair`);
      assert.equal(fact.restricted, cells[at('restricted_access')] === 'yes', `${name}: restricted`);
      assert.equal(fact.availabilityZones, cells[at('availability_zones')] === 'yes', `${name}: zones`);
      compared++;
    }
    assert.ok(compared > 50);
  });
});

describe('boundaries', () => {
  it('builds the built-in profiles', () => {
    assert.deepEqual([...resolveBoundary('au').regions].sort(), [
      'australiacentral',
      'australiacentral2',
      'australiaeast',
      'australiasoutheast',
    ]);
    assert.deepEqual([...resolveBoundary('au-canberra').regions].sort(), [
      'australiacentral',
      'australiacentral2',
    ]);
    assert.deepEqual([...resolveBoundary('nz').regions], ['newzealandnorth']);
    assert.deepEqual([...resolveBoundary('sg').regions], ['southeastasia']);
    assert.deepEqual([...resolveBoundary('fr').regions].sort(), ['francecentral', 'francesouth']);
    assert.deepEqual([...resolveBoundary('de').regions].sort(), ['germanynorth', 'germanywestcentral']);
    const eu = resolveBoundary('eu-data-boundary');
    for (const r of ['westeurope', 'northeurope', 'swedencentral', 'switzerlandnorth', 'norwayeast'])
      assert.ok(eu.regions.has(r), r);
    for (const r of ['uksouth', 'eastus', 'israelcentral']) assert.ok(!eu.regions.has(r), r);
    const gov = resolveBoundary('us-gov');
    assert.ok(gov.regions.has('usgovvirginia'));
    assert.ok(!gov.regions.has('eastus'), 'the public cloud is outside the government cloud');
    assert.deepEqual(Object.keys(BUILT_IN_BOUNDARIES).sort(), [
      'au',
      'au-canberra',
      'de',
      'eu-data-boundary',
      'fr',
      'nz',
      'sg',
      'us-gov',
    ]);
  });

  it('takes project profiles first, and names unknown profiles and regions', () => {
    const custom = resolveBoundary('au', { au: { title: 'Sydney only', regions: ['Australia East'] } });
    assert.deepEqual([...custom.regions], ['australiaeast']);
    assert.throws(
      () => resolveBoundary('atlantis'),
      (e: Error) =>
        e instanceof BoundaryError && /unknown boundary 'atlantis'; expected one of au,/.test(e.message),
    );
    assert.throws(
      () => resolveBoundary('x', { x: { regions: ['moonbase'] } }),
      /unknown region\(s\) moonbase/,
    );
    assert.throws(() => resolveBoundary('y', { y: { countries: ['ZZ'] } }), /contains no known region/);
  });

  it('says why a location is outside', () => {
    const au = resolveBoundary('au');
    assert.ok(inBoundary(au, 'Australia East'));
    assert.equal(describeBoundaryLocation(au, 'australiaeast'), undefined);
    assert.equal(describeBoundaryLocation(au, 'eastus'), 'East US (eastus, Virginia) is outside boundary au');
  });
});
