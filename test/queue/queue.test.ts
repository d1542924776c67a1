import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import type PgBoss from 'pg-boss';
import { openQueue } from '../../src/queue/boss.ts';
import { deadLetters, listJobs, queueExists, storeDb } from '../../src/queue/control.ts';
import { openWorkerStore, runJob } from '../../src/queue/run-job.ts';
import { DEAD_QUEUE, JOBS_QUEUE, type QueueOptions } from '../../src/queue/settings.ts';
import { startWorker, type Worker } from '../../src/queue/worker.ts';
import { openStoreFor } from '../../src/store/open.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { useRecordedGraph } from '../azure/live/recorded-graph.ts';
import { runCli } from '../helpers/cli.ts';
import { describeOnPostgres } from '../helpers/store-contract.ts';
import { FAST_ENV, type QueuePlace, queuePlaces, waitFor } from './helpers.ts';

const TEMPLATE = resolve('examples/azure/web-app/main.json');
const LIVE_SUBSCRIPTION = '00000000-0000-0000-0000-00000000000a';
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

describeOnPostgres(
  'job queue',
  () => {
    const places = queuePlaces();
    const work = mkdtempSync(join(tmpdir(), 'assay-queue-'));
    let place: QueuePlace;
    let o: QueueOptions;
    let boss: PgBoss;
    let worker: Worker;
    let store: SqlStore;
    const lines: string[] = [];
    const cli = (args: string[]) =>
      runCli([...args, '--store', place.url, '--queue-schema', place.schema], { env: FAST_ENV });

    before(async () => {
      place = await places.create();
      o = {
        url: place.url,
        schema: place.schema,
        pollingSeconds: 0.5,
        maintenanceSeconds: 1,
        expireSeconds: 3,
        retryDelay: 0,
      };
      boss = await openQueue({ ...o, supervise: false });
      worker = await startWorker({
        ...o,
        concurrency: 2,
        workdir: join(work, 'clones'),
        graceMs: 5000,
        scheduleRefreshMs: 1000,
        say: (line) => lines.push(line),
      });
      store = await openWorkerStore(place.url);
    });
    after(async () => {
      await worker?.stop();
      await boss?.stop({ graceful: false }).catch(() => undefined);
      await store?.close();
      await places.drop();
      rmSync(work, { recursive: true, force: true });
    });

    const settled = (ids: string[]) =>
      waitFor(`jobs ${ids.join(', ')} to settle`, async () => {
        const rows = await listJobs(boss.getDb(), o, { limit: 1000 });
        const mine = rows.filter((r) => ids.includes(r.id));
        return mine.length === ids.length &&
          mine.every((r) => ['completed', 'failed', 'cancelled'].includes(r.state))
          ? mine
          : undefined;
      });

    it('runs submitted scan jobs once each, and a project job gives the project its run', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await cli(['jobs', 'submit', 'scan', TEMPLATE, '--label', `job ${i}`]);
        assert.equal(r.code, 0, r.err);
        ids.push(r.out.trim());
      }
      const p = await cli(['jobs', 'submit', 'scan', TEMPLATE, '--project', 'alpha']);
      assert.equal(p.code, 0, p.err);
      ids.push(p.out.trim());
      const rows = await settled(ids);
      assert.deepEqual(
        rows.map((r) => r.state),
        ['completed', 'completed', 'completed', 'completed'],
      );
      const runs = await store.all<{ key: string; run: number }>(
        'SELECT key, run FROM run_keys ORDER BY run',
      );
      assert.deepEqual(new Set(runs.map((r) => r.key)), new Set(ids.map((id) => `job:${id}`)));
      assert.equal((await store.listRuns()).length, 4);
      const pushes = await store.all<{ project: string; run: number }>(
        'SELECT project, run FROM server_pushes',
      );
      const projectRun = runs.find((r) => r.key === `job:${p.out.trim()}`)?.run;
      assert.deepEqual(pushes, [{ project: 'alpha', run: projectRun }]);
      const listed = await cli(['jobs', 'list', '--state', 'completed']);
      assert.equal(listed.code, 0, listed.err);
      for (const id of ids) assert.match(listed.out, new RegExp(`${id}\\s+completed`));
      assert.match(listed.out, /run \d+/);
      assert.ok(
        lines.some((l) => /saved as run \d+/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /: scan .*main\.json: started \(queued \d+\.\d s\)/.test(l)),
        lines.join('\n'),
      );
    });

    it('gives back the saved run when a job runs again, without saving a second', async () => {
      const payload = { kind: 'scan' as const, paths: [TEMPLATE] };
      const ctx = { storeUrl: place.url, store, workdir: work };
      const id = '00000000-0000-4000-8000-000000000001';
      const first = await runJob(id, payload, ctx);
      const again = await runJob(id, payload, ctx);
      assert.equal(first.saved, true);
      assert.deepEqual(again, { run: first.run, saved: false });
      const keyed = await store.all('SELECT run FROM run_keys WHERE key = ?', [`job:${id}`]);
      assert.equal(keyed.length, 1);
    });

    it('dead-letters an invalid payload and a missing input at once, with the reason, and keeps working', async () => {
      const bad = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [] });
      const missing = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [join(work, 'not-there')] });
      const good = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [TEMPLATE] });
      const config = await boss.send(JOBS_QUEUE, {
        kind: 'scan',
        paths: [TEMPLATE],
        config: join(work, 'nope.yaml'),
      });
      assert.ok(bad && missing && good && config);
      await settled([bad, missing, good, config]);
      const dead = await deadLetters(boss.getDb(), o);
      const byJob = new Map(dead.map((d) => [d.jobId, d]));
      assert.match(
        byJob.get(bad)?.reason ?? '',
        /not a valid job: paths: .*at least 1|not a valid job: paths/i,
      );
      assert.match(byJob.get(missing)?.reason ?? '', /not-there does not exist on this worker/);
      assert.match(byJob.get(config)?.reason ?? '', /nope\.yaml/);
      assert.equal((await boss.getJobById(JOBS_QUEUE, config))?.retryCount, 0, 'a bad config is not retried');
      assert.ok(!byJob.has(good));
      assert.equal((await boss.getJobById(JOBS_QUEUE, good))?.state, 'completed');
      // The server reads them through the store's own connections, to the same effect.
      assert.deepEqual(await deadLetters(storeDb(store), o), dead);
      assert.equal(await queueExists(storeDb(store), place.schema), true);
      assert.equal(await queueExists(storeDb(store), 'assay_no_such_queue'), false);
      const shown = await cli(['jobs', 'dead']);
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, /does not exist on this worker/);
      assert.match(shown.out, new RegExp(bad));
    });

    it('retries a failing job with backoff settings and dead-letters it when the retries run out', async () => {
      const empty = mkdtempSync(join(work, 'empty-'));
      const id = await boss.send(
        JOBS_QUEUE,
        { kind: 'scan', paths: [empty], project: 'beta' },
        { retryLimit: 1 },
      );
      assert.ok(id);
      const [row] = await settled([id]);
      assert.equal(row?.state, 'failed');
      assert.equal(row?.retries, 1);
      const dead = await waitFor('the dead letter', async () => {
        const found = await deadLetters(boss.getDb(), o, { project: 'beta' });
        return found.length > 0 ? found : undefined;
      });
      assert.equal(dead.length, 1);
      assert.match(dead[0]?.reason ?? '', /stopped without saving/);
      assert.equal(dead[0]?.project, 'beta');
      // Another project's dead letters do not show it.
      assert.equal((await deadLetters(boss.getDb(), o, { project: 'alpha' })).length, 0);
      assert.equal((await boss.getQueue(DEAD_QUEUE))?.name, DEAD_QUEUE);
    });

    it('runs each kind: an InnerSource clone fetched incrementally, a readiness ingest, a live scan', async () => {
      // A git repository reached by URL: cloned on the first job, fetched on the next.
      const origin = join(work, 'origin');
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', origin, ...args], {
          env: { ...process.env, ...GIT_ENV },
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .toString()
          .trim();
      mkdirSync(origin);
      git('init', '--quiet', '--initial-branch=main');
      writeFileSync(join(origin, 'README.md'), '# demo\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'first');
      const url = `file://${origin}`;
      const first = await cli(['jobs', 'submit', 'innersource', url, '--all-history']);
      assert.equal(first.code, 0, first.err);
      await settled([first.out.trim()]);
      writeFileSync(join(origin, 'CONTRIBUTING.md'), '# how\n');
      git('add', '.');
      git('commit', '--quiet', '-m', 'second');
      const head = git('rev-parse', 'HEAD');
      const second = await cli(['jobs', 'submit', 'innersource', url, '--all-history']);
      assert.equal(second.code, 0, second.err);
      const readinessStore = join(work, 'readiness.duckdb');
      const readiness = await cli([
        'jobs',
        'submit',
        'readiness',
        'examples/readiness/framework.yaml',
        '--cases',
        'examples/readiness/cases.csv',
        '--preset',
        'generic',
        '--job-store',
        readinessStore,
        '--project',
        'gamma',
      ]);
      assert.equal(readiness.code, 0, readiness.err);
      const recorded = useRecordedGraph(resolve('test/azure/live/fixtures/sdk/graph-responses.json'));
      try {
        const live = await cli(['jobs', 'submit', 'live', '--azure-subscription', LIVE_SUBSCRIPTION]);
        assert.equal(live.code, 0, live.err);
        const rows = await settled([second.out.trim(), readiness.out.trim(), live.out.trim()]);
        assert.deepEqual(
          rows.map((r) => [r.kind, r.state]),
          [
            ['live', 'completed'],
            ['readiness', 'completed'],
            ['innersource', 'completed'],
          ],
          JSON.stringify(rows.map((r) => r.output)),
        );
      } finally {
        recorded.restore();
      }
      assert.ok(recorded.seen.requests.every((r) => r.scope === LIVE_SUBSCRIPTION));
      assert.ok(recorded.seen.requests.length >= 1);
      const kinds = (await store.listRuns()).map((r) => r.kind);
      assert.equal(kinds.filter((k) => k === 'innersource').length, 2);
      assert.ok(kinds.includes('scan'));
      // Reports name the repository as its URL does, not by the clone's folder.
      assert.deepEqual(await store.all('SELECT DISTINCT repository FROM innersource_repository_metrics'), [
        { repository: 'origin' },
      ]);
      // The watermark moved to the new head: the next scan reads only what is newer.
      const marks = await store.all<{ head: string }>('SELECT head FROM innersource_history');
      assert.deepEqual(
        marks.map((m) => m.head),
        [head],
      );
      const readinessRuns = await openStoreFor(readinessStore, { readOnly: true });
      try {
        const runs = await readinessRuns.listRuns();
        assert.deepEqual(
          runs.map((r) => r.kind),
          ['readiness'],
        );
        assert.equal((await readinessRuns.all('SELECT key FROM run_keys')).length, 1);
        assert.deepEqual(await readinessRuns.all('SELECT project, run FROM server_pushes'), [
          { project: 'gamma', run: runs[0]?.run },
        ]);
      } finally {
        await readinessRuns.close();
      }
      // Without a DuckDB store of its own, a readiness job is refused at once.
      const refused = await boss.send(JOBS_QUEUE, {
        kind: 'readiness',
        framework: resolve('examples/readiness/framework.yaml'),
        cases: resolve('examples/readiness/cases.csv'),
      });
      assert.ok(refused);
      await settled([refused]);
      const dead = await deadLetters(boss.getDb(), o);
      assert.match(dead.find((d) => d.jobId === refused)?.reason ?? '', /saves to a DuckDB store file/);
    });

    it('validates submitted jobs with clear messages', async () => {
      const unknown = await cli(['jobs', 'submit', 'deploy', 'x']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /unknown job kind 'deploy'; expected scan, innersource, readiness, live/);
      const noCases = await cli(['jobs', 'submit', 'readiness', 'framework.yaml']);
      assert.equal(noCases.code, 2);
      assert.match(noCases.err, /needs --cases/);
      const live = await cli(['jobs', 'submit', 'live']);
      assert.equal(live.code, 2);
      assert.match(live.err, /at least one subscription or management group/);
      const project = await cli(['jobs', 'submit', 'scan', TEMPLATE, '--project', 'Not A Name']);
      assert.equal(project.code, 2);
      assert.match(project.err, /project: a project name/);
      const state = await cli(['jobs', 'list', '--state', 'sleeping']);
      assert.equal(state.code, 2);
      assert.match(state.err, /--state expects one of created, retry/);
    });

    it('cancels a job that has not run, and says so when there is none', async () => {
      // A job that may start only later, so the worker leaves it be.
      const id = await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [TEMPLATE] }, { startAfter: 3600 });
      assert.ok(id);
      const r = await cli(['jobs', 'cancel', id]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.trim(), `cancelled ${id}`);
      assert.equal((await boss.getJobById(JOBS_QUEUE, id))?.state, 'cancelled');
      const again = await cli(['jobs', 'cancel', id]);
      assert.equal(again.code, 2);
      assert.match(again.err, /no unfinished job/);
      const bad = await cli(['jobs', 'cancel', 'nope']);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /'nope' is not a job id/);
    });

    it('adds, lists and removes cron schedules per project', async () => {
      const schedule = (project: string, cron: string, ...more: string[]) =>
        cli(['jobs', 'schedule', 'scan', TEMPLATE, '--project', project, '--cron', cron, ...more]);
      const add = await schedule('alpha', '0 3 * * *');
      assert.equal(add.code, 0, add.err);
      assert.match(add.out, /scheduled assay-cron-alpha-scan: 0 3 \* \* \*/);
      const other = await schedule('beta', '30 1 * * *', '--name', 'nightly');
      assert.equal(other.code, 0, other.err);
      const list = await cli(['jobs', 'schedules', '--project', 'alpha', '-f', 'json']);
      assert.equal(list.code, 0, list.err);
      const schedules = JSON.parse(list.out).schedules as { queue: string; project: string; cron: string }[];
      assert.deepEqual(
        schedules.map((s) => [s.queue, s.project, s.cron]),
        [['assay-cron-alpha-scan', 'alpha', '0 3 * * *']],
      );
      // A cron time puts a job on the schedule's queue; the worker finds the new queue and runs it.
      const fired = await boss.send('assay-cron-alpha-scan', {
        kind: 'scan',
        paths: [TEMPLATE],
        project: 'alpha',
      });
      assert.ok(fired);
      const [ran] = await settled([fired]);
      assert.equal(ran?.state, 'completed');
      const owned = await store.all<{ run: number }>(
        'SELECT p.run FROM server_pushes p JOIN run_keys k ON k.run = p.run WHERE p.project = ? AND k.key = ?',
        ['alpha', `job:${fired}`],
      );
      assert.equal(owned.length, 1);
      const noProject = await cli(['jobs', 'schedule', 'scan', TEMPLATE, '--cron', '0 3 * * *']);
      assert.equal(noProject.code, 2);
      assert.match(noProject.err, /add --project/);
      const badCron = await schedule('alpha', 'often');
      assert.equal(badCron.code, 2);
      assert.match(badCron.err, /the schedule was not added/);
      const removed = await cli(['jobs', 'unschedule', 'scan', '--project', 'alpha']);
      assert.equal(removed.code, 0, removed.err);
      const gone = await cli(['jobs', 'unschedule', 'scan', '--project', 'alpha']);
      assert.equal(gone.code, 2);
      assert.match(gone.err, /no schedule 'scan' in project 'alpha'/);
      const rest = JSON.parse((await cli(['jobs', 'schedules', '-f', 'json'])).out).schedules as {
        queue: string;
      }[];
      assert.deepEqual(
        rest.map((s) => s.queue),
        ['assay-cron-beta-nightly'],
      );
    });
  },
  {},
);
