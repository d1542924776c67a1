/**
 * Steady dashboard traffic must not keep `scan --save` out of the store. DuckDB lets one
 * process own a file for writing, and a reader's open instance holds a lock: the writer's
 * marker (src/store/writer-waiting.ts) makes the dashboard's LazyStore let go and wait.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { syntheticAssessment } from '../../bench/store-corpus.ts';
import { LazyStore } from '../../src/server/lazy-store.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { announceWriter, writerWaiting, writerWaitingPath } from '../../src/store/writer-waiting.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-writer-waiting-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function storeWithOneRun(name: string): Promise<string> {
  const file = join(dir, name);
  const writer = await openStore(file);
  await writer.saveAssessment(syntheticAssessment({ findings: 50 }));
  await writer.close();
  return file;
}

/** Three request loops without pauses, as a busy dashboard; returns a stop function and the errors seen. */
function steadyTraffic(lazy: LazyStore): {
  busy: () => Promise<void>;
  stop: () => Promise<void>;
  errors: unknown[];
  requests: () => number;
} {
  let running = true;
  let requests = 0;
  const errors: unknown[] = [];
  const loop = async () => {
    while (running) {
      try {
        await lazy.listRuns();
        await lazy.runBody(1);
        requests++;
      } catch (err) {
        errors.push(err);
      }
    }
  };
  const loops = [loop(), loop(), loop()];
  return {
    /** Resolves once the loops have served a few requests, so the store is open and busy. */
    busy: async () => {
      while (requests < 3 && errors.length === 0) await new Promise((r) => setTimeout(r, 10));
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
    errors,
    requests: () => requests,
  };
}

describe('a writer gets the store while the dashboard is busy', () => {
  it('in one process: the save finishes well within its wait, and the readers then see the new run', async () => {
    const file = await storeWithOneRun('in-process.duckdb');
    const lazy = new LazyStore(() => openStore(file, { readOnly: true }), { storeFile: file });
    const traffic = steadyTraffic(lazy);
    try {
      await traffic.busy();
      const started = Date.now();
      const writer = await openStore(file, { waitMs: 8000 });
      await writer.saveAssessment(syntheticAssessment({ findings: 50 }));
      await writer.close();
      assert.ok(Date.now() - started < 8000, 'the writer did not need its whole wait');
      assert.equal(existsSync(writerWaitingPath(file)), false, 'the marker is gone once the writer closed');
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await traffic.stop();
      await lazy.close();
    }
    assert.deepEqual(traffic.errors, []);
    assert.ok(traffic.requests() >= 3);
    const check = new LazyStore(() => openStore(file, { readOnly: true }), { storeFile: file });
    assert.equal((await check.listRuns()).length, 2);
    await check.close();
  });

  it('across processes: a `scan --save`-like child saves while this process serves steady reads', async () => {
    const file = await storeWithOneRun('two-processes.duckdb');
    const lazy = new LazyStore(() => openStore(file, { readOnly: true }), { storeFile: file });
    const traffic = steadyTraffic(lazy);
    const script = `
      import { openStore } from './src/store/duckdb.ts';
      import { syntheticAssessment } from './bench/store-corpus.ts';
      const store = await openStore(${JSON.stringify(file)}, { waitMs: 8000 });
      await store.saveAssessment(syntheticAssessment({ findings: 50 }));
      await store.close();
    `;
    try {
      await traffic.busy();
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += String(d);
      });
      const code = await new Promise<number | null>((done) => child.on('close', done));
      assert.equal(code, 0, `the writer failed: ${stderr}`);
    } finally {
      await traffic.stop();
      await lazy.close();
    }
    assert.deepEqual(traffic.errors, []);
    const check = await openStore(file, { readOnly: true });
    assert.equal((await check.listRuns()).length, 2);
    await check.close();
  });
});

describe('writer marker', () => {
  it('is ignored and removed when the writer that left it is dead', () => {
    const file = join(dir, 'stale.duckdb');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(writerWaitingPath(file), JSON.stringify({ pid: dead, token: 'x' }));
    assert.equal(writerWaiting(file), false);
    assert.equal(existsSync(writerWaitingPath(file)), false);
  });

  it('is taken away only by the writer that put it down', () => {
    const file = join(dir, 'two-writers.duckdb');
    const a = announceWriter(file);
    const b = announceWriter(file);
    assert.equal(writerWaiting(file), true);
    a.withdraw();
    assert.equal(writerWaiting(file), true, "a's withdrawal leaves b's marker");
    b.withdraw();
    assert.equal(writerWaiting(file), false);
    a.renew();
    assert.equal(writerWaiting(file), false, 'a withdrawn claim is not renewed');
  });
});
