/**
 * The queue commands without PostgreSQL: what they refuse, ASSAY_IDEMPOTENCY_KEY on a DuckDB
 * store, and idempotency keys in the in-memory test store.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, it } from 'node:test';
import { openStoreFor } from '../../src/store/open.ts';
import { runCli } from '../helpers/cli.ts';
import { MemoryStore } from '../helpers/memory-store.ts';
import { exampleAssessment } from '../store/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-queue-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const TEMPLATE = resolve('examples/azure/web-app/main.json');

it('refuses a store that cannot hold a queue, creating nothing', async () => {
  const file = join(dir, 'none', 'assay.duckdb');
  for (const args of [['worker'], ['jobs', 'list'], ['jobs', 'submit', 'scan', TEMPLATE]]) {
    const r = await runCli([...args, '--store', file]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /the job queue needs a PostgreSQL store/);
  }
  assert.equal(existsSync(file), false);
  const schema = await runCli([
    'jobs',
    'list',
    '--store',
    'postgres://x@127.0.0.1:1/db',
    '--queue-schema',
    'Bad-Name',
  ]);
  assert.equal(schema.code, 2);
  assert.match(schema.err, /a queue schema is 1-50 lower-case letters/);
});

it('saves a run once per ASSAY_IDEMPOTENCY_KEY, naming the earlier run on a repeat', async () => {
  const store = join(dir, 'keyed.duckdb');
  const scan = (key: string) =>
    runCli(['scan', TEMPLATE, '--save', '--store', store, '-f', 'json', '-o', join(dir, 'out.json')], {
      env: { ASSAY_IDEMPOTENCY_KEY: key },
    });
  const first = await scan('ci-1');
  assert.match(first.err, /saved as run 1 in/);
  const again = await scan('ci-1');
  assert.match(again.err, /already saved as run 1 in .* \(idempotency key ci-1\)/);
  const other = await scan('ci-2');
  assert.match(other.err, /saved as run 2 in/);
  const s = await openStoreFor(store, { readOnly: true });
  try {
    assert.deepEqual(
      (await s.listRuns()).map((r) => r.run),
      [2, 1],
    );
  } finally {
    await s.close();
  }
});

it('keeps idempotency keys in the in-memory test store as the SQL stores do', async () => {
  const store = new MemoryStore();
  const a = await exampleAssessment();
  const first = await store.saveAssessment(a, { idempotencyKey: 'k' });
  assert.deepEqual(await store.saveAssessment({ ...a, domain: 'other' }, { idempotencyKey: 'k' }), first);
  assert.equal((await store.saveAssessment(a, { idempotencyKey: 'j' })).run, 2);
  assert.equal((await store.listRuns()).length, 2);
});
