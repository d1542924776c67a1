/**
 * Requests that name nothing answer 4xx, never 500: a run number past what the store can
 * hold is 404, a subject or source request without its name is 400, and a store held by a
 * writer is 503. Run against a real DuckDB store, where the 500 came from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { syntheticAssessment } from '../../bench/store-corpus.ts';
import { resolveToken } from '../../src/cli/serve.ts';
import { createApp } from '../../src/server/app.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { StoreError } from '../../src/store/errors.ts';
import type { SqlStore, Store } from '../../src/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-api-errors-'));
const assets = async () => ({ js: '', css: '', hash: 'f'.repeat(64) });
const HUGE = '99999999999999999999';
let store: SqlStore;

before(async () => {
  const file = join(dir, 'store.duckdb');
  const writer = await openStore(file);
  await writer.saveAssessment(syntheticAssessment({ findings: 20 }));
  await writer.close();
  store = await openStore(file, { readOnly: true });
});
after(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function status(app: ReturnType<typeof createApp>, path: string): Promise<[number, string]> {
  const res = await app.request(path, { headers: { host: 'localhost' } });
  const body = (await res.json()) as { error?: string };
  return [res.status, body.error ?? ''];
}

describe('API answers for requests that name nothing', () => {
  it('gives 404 for a run number past the store range on every run route', async () => {
    const app = createApp(store, { assets });
    for (const route of ['', '/findings', '/subject?id=x', '/source?file=x'])
      assert.deepEqual(
        await status(app, `/api/runs/${HUGE}${route}`),
        [404, `no run ${HUGE} in the store`],
        route,
      );
    assert.equal((await status(app, '/api/runs/2147483648'))[0], 404);
    assert.equal((await status(app, '/api/runs/1'))[0], 200);
  });

  it('gives 400 for a subject without an id and a source without a file', async () => {
    const app = createApp(store, { assets });
    assert.deepEqual(await status(app, '/api/runs/1/subject'), [
      400,
      'a subject is named by ?id=<subject id>',
    ]);
    assert.equal((await status(app, '/api/runs/1/subject?id='))[0], 400);
    assert.equal((await status(app, '/api/runs/1/source'))[0], 400);
    assert.equal((await status(app, '/api/runs/one'))[0], 400);
  });

  it('clamps huge paging numbers instead of failing', async () => {
    const app = createApp(store, { assets });
    assert.equal((await status(app, `/api/runs/1/findings?offset=${HUGE}`))[0], 200);
    assert.equal((await status(app, `/api/runs?limit=${HUGE}`))[0], 200);
  });

  it('gives 503 with Retry-After while another process writes the store', async () => {
    const inUse = () => Promise.reject(new StoreError('in-use', 's.duckdb', 'the store s.duckdb is in use'));
    const busy = { listRuns: inUse, listSeries: inUse } as unknown as Store;
    const res = await createApp(busy, { assets }).request('/api/runs', { headers: { host: 'localhost' } });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
  });
});

describe('serve token', () => {
  it('takes ASSAY_TOKEN silently and warns when --token puts the secret in the process list', () => {
    assert.deepEqual(resolveToken(undefined, { ASSAY_TOKEN: 's3cret-from-the-environment' }), {
      token: 's3cret-from-the-environment',
    });
    const flag = resolveToken('s3cret-on-the-command-line', { ASSAY_TOKEN: 'other' });
    assert.equal(flag.token, 's3cret-on-the-command-line');
    assert.match(flag.warning ?? '', /visible to other users .*\(ps\); set ASSAY_TOKEN instead/);
    assert.deepEqual(resolveToken(undefined, {}), {});
    assert.deepEqual(resolveToken(undefined, { ASSAY_TOKEN: '' }), {});
  });
});
