/**
 * Acceptance test of the queue's delivery: real worker processes (`node bin/assay.js worker`),
 * 40 small scan jobs, one worker SIGKILLed in the middle of a save, a second SIGKILLed after a
 * save but before its job was marked done, a third started; every
 * job ends with exactly one saved run (none lost, none twice). Spawning is the point here, so
 * this test does not run the CLI in-process as the others do.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, it } from 'node:test';
import type PgBoss from 'pg-boss';
import { openQueue } from '../../src/queue/boss.ts';
import { listJobs } from '../../src/queue/control.ts';
import { JOBS_QUEUE } from '../../src/queue/settings.ts';
import { PAUSE_AFTER_JOB_ENV } from '../../src/queue/worker.ts';
import { openStoreFor } from '../../src/store/open.ts';
import { PAUSE_IN_SAVE_ENV } from '../../src/store/sql-history.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { describeOnPostgres } from '../helpers/store-contract.ts';
import { FAST_ENV, type QueuePlace, queuePlaces, waitFor } from './helpers.ts';

const JOBS = 40;
const TEMPLATE = resolve('examples/azure/web-app/main.json');
const BIN = resolve('bin/assay.js');

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startWorker(place: QueuePlace, env: Record<string, string> = {}): Proc {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--store',
      place.url,
      '--queue-schema',
      place.schema,
      '--concurrency',
      '2',
      '--poll',
      '0.5',
    ],
    { env: { ...process.env, ...FAST_ENV, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => err, exited };
}

describeOnPostgres(
  'job queue: a worker killed mid-run',
  () => {
    const places = queuePlaces();
    let place: QueuePlace;
    let boss: PgBoss;
    let store: SqlStore;
    const procs: Proc[] = [];

    before(async () => {
      place = await places.create();
      boss = await openQueue({
        url: place.url,
        schema: place.schema,
        supervise: false,
        expireSeconds: 3,
        retryDelay: 0,
      });
      store = await openStoreFor(place.url);
    });
    after(async () => {
      for (const p of procs)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      await boss?.stop({ graceful: false }).catch(() => undefined);
      await store?.close();
      await places.drop();
    });

    it('completes every job exactly once when a worker is SIGKILLed and another takes over', {
      timeout: 90_000,
    }, async () => {
      const ids: string[] = [];
      for (let i = 0; i < JOBS; i++) {
        const id = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [TEMPLATE], label: `job ${i}` });
        assert.ok(id);
        ids.push(id);
      }
      // The first worker pauses inside each save, so the kill lands in the middle of one.
      const first = startWorker(place, { [PAUSE_IN_SAVE_ENV]: '150' });
      procs.push(first);
      await waitFor('the first worker to save a few runs and pause in the next', async () =>
        (first.stderr().match(/saved as run/g) ?? []).length >= 3 &&
        /test pause inside the save/.test(
          first
            .stderr()
            .split(/saved as run \d+/)
            .at(-1) ?? '',
        )
          ? true
          : undefined,
      );
      first.child.kill('SIGKILL');
      assert.equal(await first.exited, null, 'the first worker died by signal');
      const savedByFirst = (first.stderr().match(/saved as run/g) ?? []).length;
      assert.ok(savedByFirst < JOBS, 'the first worker was killed before the end');

      // The second dies after a save has committed but before pg-boss heard the job was done.
      const middle = startWorker(place, { [PAUSE_AFTER_JOB_ENV]: '60000' });
      procs.push(middle);
      await waitFor('the second worker to pause after a save', async () =>
        /test pause after the save/.test(middle.stderr()) ? true : undefined,
      );
      middle.child.kill('SIGKILL');
      assert.equal(await middle.exited, null, 'the second worker died by signal');

      const second = startWorker(place);
      procs.push(second);
      const rows = await waitFor(
        'every job to complete',
        async () => {
          const all = await listJobs(boss.getDb(), { schema: place.schema }, { limit: 1000 });
          return all.length === JOBS && all.every((r) => r.state === 'completed') ? all : undefined;
        },
        70_000,
      );
      assert.equal(rows.length, JOBS);

      const keys = await store.all<{ key: string; run: number }>('SELECT key, run FROM run_keys');
      assert.deepEqual(
        new Set(keys.map((k) => k.key)),
        new Set(ids.map((id) => `job:${id}`)),
        'one key per job',
      );
      const runs = await store.listRuns();
      assert.equal(runs.length, JOBS, 'one run per job: none lost, none saved twice');
      assert.deepEqual(new Set(runs.map((r) => r.label)), new Set(ids.map((_, i) => `job ${i}`)));
      assert.deepEqual(new Set(keys.map((k) => Number(k.run))), new Set(runs.map((r) => r.run)));
      // The killed worker's active jobs came back: some job was attempted more than once.
      assert.ok(
        rows.some((r) => r.retries > 0),
        `a job the killed worker held was retried\n${second.stderr()}`,
      );

      // The jobs saved by the worker killed before completion were found saved, not saved again.
      assert.match(second.stderr(), /already saved as run \d+/);

      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, 'SIGTERM stops a worker cleanly');
      assert.match(second.stderr(), /stopped: \d+ done/);

      // SIGTERM during a job: the worker takes no more, lets it finish, then exits 0.
      const last = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [TEMPLATE], label: 'last' });
      assert.ok(last);
      const graceful = startWorker(place, { [PAUSE_AFTER_JOB_ENV]: '1500' });
      procs.push(graceful);
      await waitFor('the last job to be running', async () =>
        /test pause after the save/.test(graceful.stderr()) ? true : undefined,
      );
      graceful.child.kill('SIGTERM');
      assert.equal(await graceful.exited, 0);
      assert.match(graceful.stderr(), /stopping: no new jobs[\s\S]*saved as run \d+[\s\S]*stopped: 1 done/);
      assert.equal((await boss.getJobById(JOBS_QUEUE, last))?.state, 'completed');
      assert.equal((await store.listRuns()).length, JOBS + 1);
    });
  },
  {},
);
