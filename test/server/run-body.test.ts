import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { syntheticAssessment } from '../../bench/store-corpus.ts';
import { LazyStore } from '../../src/server/lazy-store.ts';
import { readRunBody } from '../../src/server/run-body.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { MemoryStore } from '../helpers/memory-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-run-body-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('run body (the assessment without findings)', () => {
  it('reads the same body from DuckDB fast path as getAssessment gives, minus findings', async () => {
    const file = join(dir, 'a.duckdb');
    const writer = await openStore(file);
    await writer.saveAssessment(syntheticAssessment({ findings: 500 }));
    await writer.close();
    const store = await openStore(file, { readOnly: true });
    try {
      const { findings, ...expected } = (await store.getAssessment(1))!;
      assert.equal(findings.length, 500);
      assert.deepEqual(await readRunBody(store, 1), expected);
      assert.equal(await readRunBody(store, 2), undefined);
      const lazy = new LazyStore(() => openStore(file, { readOnly: true }), 10);
      assert.deepEqual(await lazy.runBody(1), expected);
      await lazy.close();
    } finally {
      await store.close();
    }
  });

  it('falls back to getAssessment for a store without SQL', async () => {
    const store = new MemoryStore();
    const a = syntheticAssessment({ findings: 20 });
    await store.saveAssessment(a);
    const { findings: _f, ...expected } = a;
    assert.deepEqual(await readRunBody(store, 1), expected);
  });
});
