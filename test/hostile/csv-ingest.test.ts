/**
 * Hostile case exports, generated here: many unterminated quotes, and one line of many
 * megabytes. Each ends within a generous bound and names what it could not read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareCsv } from '../../src/readiness/csv-source.ts';
import { openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-hostile-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BOUND_MS = 20_000;
const HEADER = 'id,cloud,priority,assignment_group,state,opened_at,resolved_at,sla_met';

describe('hostile case exports', () => {
  it('an unterminated quote every 100 rows of 30,000: each is reported, the other rows load', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 30_000; i++) {
      const state = i % 100 === 0 ? '"Resolved' : 'Resolved';
      lines.push(`C${i},fr,2 - High,G${i % 3},${state},2025-02-01 09:00:00,2025-02-01 15:00:00,true`);
    }
    const file = join(dir, 'quotes.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const db = await openCaseDb();
    const start = performance.now();
    try {
      const r = await ingestCases(db, { file, mapping: resolveMapping({ format: 'csv' }) });
      assert.equal(r.unread.length, 300);
      assert.deepEqual(r.unread[0], {
        line: 101,
        endLine: 101,
        quoteLine: 101,
        reason: r.unread[0].reason,
      });
      assert.equal(r.loaded, 29_700);
    } finally {
      await db.close();
    }
    assert.ok(performance.now() - start < BOUND_MS);
  });

  it('a 30 MB line without a line break is read in linear time', async () => {
    const file = join(dir, 'one-line.csv');
    writeFileSync(file, `a,b\n"${'x'.repeat(30_000_000)}`);
    const start = performance.now();
    const prepared = await prepareCsv(file, { delimiter: ',' });
    prepared.dispose();
    assert.equal(prepared.unread.length, 1);
    assert.match(prepared.unread[0].reason, /unterminated quote at line 2 .*end of the file/);
    assert.ok(performance.now() - start < BOUND_MS);
  });
});
