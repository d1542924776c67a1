/**
 * `assay worker`: takes jobs off the queue and runs them, up to `concurrency` at once, on as many
 * machines as wanted (pg-boss hands each job to one worker at a time). Each job's outcome is a
 * progress line on stderr. A payload that is not a valid job, or a job that can never run (a
 * missing file), goes to the dead letters with its reason at once; any other failure is retried
 * with backoff and dead-lettered when the retries run out. `stop()` (SIGTERM, SIGINT) takes no new
 * jobs, lets running ones finish for a grace period, then fails the rest so they are retried.
 */
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { SqlStore } from '../store/store.ts';
import { bossConfig, openQueue } from './boss.ts';
import { checkPayload, describeJob } from './payload.ts';
import { openWorkerStore, PermanentJobError, runJob } from './run-job.ts';
import { CRON_PREFIX, DEAD_QUEUE, JOBS_QUEUE, type QueueOptions } from './settings.ts';

export interface WorkerOptions extends QueueOptions {
  concurrency: number;
  /** Where git URLs of InnerSource jobs are cloned. */
  workdir: string;
  /** How long stop() waits for running jobs, in ms, before failing them (they are retried). */
  graceMs?: number;
  /** How often new cron schedules are looked for, in ms. */
  scheduleRefreshMs?: number;
  /** Progress lines (default: stderr). */
  say?: (line: string) => void;
}

export interface Worker {
  /** Resolves when the worker has stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
  /** Jobs this worker finished (saved or found saved), failed and dead-lettered. */
  counts: { done: number; failed: number; dead: number };
}

/** A count of free slots shared by every queue the worker polls. */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export async function startWorker(o: WorkerOptions): Promise<Worker> {
  const say = o.say ?? ((line: string) => process.stderr.write(`assay worker: ${line}\n`));
  // A store that cannot hold a queue is refused before anything is opened (or a DuckDB file made).
  bossConfig(o);
  const store = await openWorkerStore(o.url);
  let boss: PgBoss;
  try {
    boss = await openQueue(o);
  } catch (err) {
    await store.close();
    throw err;
  }
  const slots = new Slots(o.concurrency);
  const counts = { done: 0, failed: 0, dead: 0 };
  const worked = new Set<string>();
  const polling = o.pollingSeconds !== undefined ? { pollingIntervalSeconds: o.pollingSeconds } : {};

  const handle = async (jobs: PgBoss.JobWithMetadata<unknown>[]): Promise<unknown> => {
    const job = jobs[0];
    if (!job) return;
    await slots.take();
    try {
      return await handleOne(boss, store, o, job, counts, say);
    } finally {
      slots.give();
    }
  };
  const work = async (queue: string, pollers: number) => {
    worked.add(queue);
    for (let i = 0; i < pollers; i++) {
      let id: string | undefined;
      id = await boss.work(queue, { ...polling, batchSize: 1, includeMetadata: true }, async (jobs) => {
        try {
          return await handle(jobs);
        } finally {
          // A poller that found a job asks again at once: a backlog drains at the pace of the
          // jobs, not one job per polling interval; an idle poller waits the interval.
          if (id !== undefined && jobs.length > 0) boss.notifyWorker(id);
        }
      });
    }
  };
  await work(JOBS_QUEUE, o.concurrency);

  // Each cron schedule has its own queue: poll the ones made since the worker started too.
  const refresh = async () => {
    for (const q of await boss.getQueues())
      if (q.name.startsWith(CRON_PREFIX) && !worked.has(q.name)) await work(q.name, 1);
  };
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err) => say(`could not look for new schedules: ${String(err)}`));
  }, o.scheduleRefreshMs ?? 30_000);
  timer.unref();
  say(`started: concurrency ${o.concurrency}, pid ${process.pid}`);

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(timer);
      say('stopping: no new jobs; waiting for running ones');
      await boss.stop({ graceful: true, timeout: o.graceMs ?? 30_000, wait: true }).catch(() => undefined);
      await store.close().catch(() => undefined);
      say(`stopped: ${counts.done} done, ${counts.failed} failed, ${counts.dead} dead-lettered`);
      resolveStopped();
    })();
    return stopping;
  };
  return { stopped, stop, counts };
}

async function handleOne(
  boss: PgBoss,
  store: SqlStore,
  o: WorkerOptions,
  job: PgBoss.JobWithMetadata<unknown>,
  counts: Worker['counts'],
  say: (line: string) => void,
): Promise<unknown> {
  const checked = checkPayload(job.data);
  if ('problems' in checked) {
    await deadLetter(boss, job, `not a valid job: ${checked.problems.join('; ')}`);
    counts.dead++;
    say(`job ${job.id}: dead-lettered: not a valid job: ${checked.problems.join('; ')}`);
    return { dead: true };
  }
  const what = describeJob(checked.payload);
  const attempt = job.retryCount > 0 ? ` (retry ${job.retryCount} of ${job.retryLimit})` : '';
  const waited = Date.now() - new Date(job.createdOn).getTime();
  say(`job ${job.id}: ${what}${attempt}: started (queued ${(Math.max(0, waited) / 1000).toFixed(1)} s)`);
  const started = Date.now();
  try {
    const result = await runJob(job.id, checked.payload, { storeUrl: o.url, store, workdir: o.workdir });
    await pauseAfterJob(job.id, say);
    counts.done++;
    say(
      `job ${job.id}: ${result.saved ? 'saved' : 'already saved'} as run ${result.run} (${Date.now() - started} ms)`,
    );
    return result;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof PermanentJobError) {
      await deadLetter(boss, job, reason);
      counts.dead++;
      say(`job ${job.id}: dead-lettered: ${reason}`);
      return { dead: true };
    }
    counts.failed++;
    const last = job.retryCount >= job.retryLimit;
    say(
      `job ${job.id}: failed: ${reason}${last ? ' (no retries left: dead-lettered)' : '; it will be retried'}`,
    );
    throw err;
  }
}

/** Tests only: a pause between a job's save and its completion, where a kill leaves a saved run to be retried. */
export const PAUSE_AFTER_JOB_ENV = 'ASSAY_TEST_PAUSE_AFTER_JOB_MS';

async function pauseAfterJob(id: string, say: (line: string) => void): Promise<void> {
  const ms = Number(process.env[PAUSE_AFTER_JOB_ENV] ?? 0);
  if (!(ms > 0)) return;
  say(`job ${id}: test pause after the save, before completion (${PAUSE_AFTER_JOB_ENV})`);
  await new Promise((r) => setTimeout(r, ms));
}

/** Sends a job to the dead letters with its reason; the job itself completes (it is not retried). */
async function deadLetter(boss: PgBoss, job: PgBoss.JobWithMetadata<unknown>, reason: string): Promise<void> {
  // An id derived from the job's: sent again after a crash, it is the same dead letter, not a second.
  await boss.send(
    DEAD_QUEUE,
    { job: job.data, reason, jobId: job.id, queue: job.name },
    { id: derivedId(job.id) },
  );
}

/** A UUID worked out from another id (pg-boss ids are UUIDs). */
export function derivedId(id: string): string {
  const h = createHash('sha256').update(`dead:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
