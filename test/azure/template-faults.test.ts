/**
 * Template faults: expressions ARM refuses at deployment, decided from known values, are
 * reported in `assessment.faults`, not as input errors; the value becomes unknown and the rest
 * is assessed. An unknown operand is unknown without a fault; an unsupported thing stays an
 * input error. The same on the main thread and in workers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scanAzure } from '../../src/azure/scan.ts';
import { lineOf, templateText } from '../helpers/arm.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-faults-'));
after(() => rmSync(work, { recursive: true, force: true }));

function account(name: string, properties: Record<string, unknown>) {
  return {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name,
    location: 'australiaeast',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS' },
    properties,
  };
}

const faulty = templateText(
  [
    account('zero', { minimumTlsVersion: 'TLS1_2', largeFileSharesState: '[string(div(10, sub(3, 3)))]' }),
    account('range', {
      minimumTlsVersion: 'TLS1_2',
      accessTier: "[variables('tiers')[2]]",
      // Unknown operands: unknown, no fault.
      isHnsEnabled: "[equals(mod(10, length(reference('other').items)), 0)]",
      // Not a fault: an unsupported function stays an input error.
      dnsEndpointType: "[nosuchfunction('x')]",
    }),
  ],
  { variables: { tiers: ['Hot', 'Cool'] } },
);
writeFileSync(join(work, 'faulty.json'), faulty);
// A second root template so that two workers have work.
writeFileSync(join(work, 'plain.json'), templateText([account('plain', { minimumTlsVersion: 'TLS1_2' })]));

describe('template faults', () => {
  it('reports a division by zero and an index out of range as faults, not input errors', async () => {
    const { assessment, resources } = await scanAzure([work], {
      root: work,
      now: '2026-01-01T00:00:00Z',
      bicep: null,
      jobs: 1,
    });
    const faults = (assessment.faults ?? []).map((f) => `${f.file}:${f.line} ${f.code}`).sort();
    assert.deepEqual(faults, [
      `faulty.json:${lineOf(faulty, 'largeFileSharesState')} division-by-zero`,
      `faulty.json:${lineOf(faulty, 'accessTier')} index-out-of-range`,
    ]);
    // The fault message says what became unknown and how many resources that touched.
    const zero = assessment.faults?.find((f) => f.code === 'division-by-zero');
    assert.match(
      zero?.message ?? '',
      /div\(10, 0\).*properties\.largeFileSharesState is assessed as unknown on 1 /,
    );
    // The unsupported function is an input error, and only it.
    assert.deepEqual(
      assessment.errors.map((e) => `${e.line} ${e.code}`),
      [`${lineOf(faulty, 'dnsEndpointType')} unknown-function`],
    );
    // Still assessed: the resources are all there, the faulted value unknown.
    assert.equal(resources.filter((r) => r.file === 'faulty.json').length, 2);
  });

  it('files faults the same way in worker threads', async () => {
    const one = await scanAzure([work], { root: work, now: '2026-01-01T00:00:00Z', bicep: null, jobs: 1 });
    const two = await scanAzure([work], {
      root: work,
      now: '2026-01-01T00:00:00Z',
      bicep: null,
      jobs: 2,
      parallelFrom: { templates: 1, bytes: 0 },
    });
    assert.equal(two.workers.threads, 2);
    assert.equal(two.assessment.faults?.length, 2);
    assert.deepEqual(two.assessment.faults, one.assessment.faults);
    assert.deepEqual(two.assessment.errors, one.assessment.errors);
  });

  it('leaves the field out when there are none', async () => {
    const dir = mkdtempSync(join(work, 'clean-'));
    writeFileSync(join(dir, 'ok.json'), templateText([account('ok', { minimumTlsVersion: 'TLS1_2' })]));
    const { assessment } = await scanAzure([dir], { root: dir, bicep: null });
    assert.equal(assessment.faults, undefined);
  });
});
