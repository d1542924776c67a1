/**
 * Queue benchmark (docs/queue.md): throughput and queue lag of N small scan jobs run by 1, 2
 * and 4 `assay worker` processes, then a fault loop (W workers, one SIGKILLed and replaced
 * every few seconds, K kills) that checks every job saved exactly one run. Each case gets a
 * PostgreSQL store schema and a pg-boss schema of its own, dropped afterwards.
 *
 *   npx tsx bench/scale/queue.ts [--url postgres://...] [--jobs 100] [--workers 1,2,4]
 *                                [--concurrency 1] [--kills 10] [--fault-jobs 100] [--json]
 *
 * Lag is a job's wait from submission to a worker starting it (pg-boss `created_on` to
 * `started_on`), with every job submitted once the workers are up: mostly backlog, so it
 * falls as workers are added. Throughput counts from submission to the last completion.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { openQueue } from '../../src/queue/boss.ts';
import { listJobs } from '../../src/queue/control.ts';
import { JOBS_QUEUE } from '../../src/queue/settings.ts';
import { openStoreFor } from '../../src/store/open.ts';
import { positiveInt, runAsScript } from '../args.ts';

export interface QueueBenchOptions {
  /** A PostgreSQL database the bench may create and drop schemas in. */
  url: string;
  jobs: number;
  workers: number[];
  /** Jobs each worker process runs at once. */
  concurrency: number;
  kills: number;
  faultJobs: number;
  /** Progress lines (default: none). */
  say?: (line: string) => void;
}

export interface ThroughputResult {
  workers: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  lagP50Ms: number;
  lagP95Ms: number;
  lagMaxMs: number;
}

export interface FaultResult {
  jobs: number;
  kills: number;
  seconds: number;
  runs: number;
  distinctKeys: number;
  retried: number;
  exactlyOnce: boolean;
}

/** The queue's own capacity: no-op jobs fetched and completed one at a time, no worker process. */
export interface FloorResult {
  jobs: number;
  /** Fetch-and-complete loops run side by side. */
  loops: number;
  seconds: number;
  jobsPerSecond: number;
}

export interface QueueBenchResult {
  floor: FloorResult;
  throughput: ThroughputResult[];
  fault: FaultResult;
}

const BIN = resolve('bin/assay.js');
const TEMPLATE = resolve('examples/azure/web-app/main.json');
const FAST_ENV = {
  ASSAY_QUEUE_EXPIRE_S: '3',
  ASSAY_QUEUE_MAINTENANCE_S: '1',
  ASSAY_QUEUE_RETRY_DELAY_S: '0',
};

interface Place {
  storeUrl: string;
  schema: string;
}

interface Proc {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
}

function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function makePlace(url: string): Promise<Place> {
  const id = randomBytes(4).toString('hex');
  const store = `assay_bench_store_${id}`;
  await withAdmin(url, (c) => c.query(`CREATE SCHEMA ${store}`));
  return { storeUrl: schemaUrl(url, store), schema: `assay_bench_queue_${id}` };
}

async function dropPlace(url: string, p: Place): Promise<void> {
  const store = new URL(p.storeUrl).searchParams.get('options')?.split('=')[1];
  await withAdmin(url, async (c) => {
    if (store) await c.query(`DROP SCHEMA IF EXISTS ${store} CASCADE`);
    await c.query(`DROP SCHEMA IF EXISTS ${p.schema} CASCADE`);
  });
}

function startWorker(p: Place, concurrency: number): Proc {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'worker',
      '--store',
      p.storeUrl,
      '--queue-schema',
      p.schema,
      '--concurrency',
      String(concurrency),
      '--poll',
      '0.5',
    ],
    { env: { ...process.env, ...FAST_ENV }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const ready = new Promise<void>((ok, fail) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (/started: concurrency/.test(err)) ok();
    });
    child.on('exit', (code) =>
      fail(new Error(`worker exited (${code}) before it started: ${err.slice(-500)}`)),
    );
  });
  ready.catch(() => undefined);
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, ready, exited };
}

async function stopAll(procs: Proc[]): Promise<void> {
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Submits `jobs` scan jobs; resolves when all are completed, with the job rows. */
async function runBatch(p: Place, jobs: number, onTick?: () => Promise<void>) {
  const boss = await openQueue({
    url: p.storeUrl,
    schema: p.schema,
    supervise: false,
    expireSeconds: 3,
    retryDelay: 0,
  });
  try {
    const started = Date.now();
    for (let i = 0; i < jobs; i++)
      await boss.send(JOBS_QUEUE, { kind: 'scan', paths: [TEMPLATE], label: `bench ${i}` });
    for (;;) {
      const rows = await listJobs(boss.getDb(), { schema: p.schema }, { limit: jobs + 10 });
      if (rows.length >= jobs && rows.every((r) => r.state === 'completed'))
        return { rows, seconds: (Date.now() - started) / 1000 };
      if (Date.now() - started > 15 * 60_000) throw new Error('the queue did not drain in 15 minutes');
      await onTick?.();
      await sleep(250);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}

/** The queue's pg-boss with the bench's timings (set when the queue is first created). */
function benchQueueOpen(p: Place) {
  return openQueue({ url: p.storeUrl, schema: p.schema, supervise: false, expireSeconds: 3, retryDelay: 0 });
}

/** A fresh place with its queue made and `count` workers started; both gone after `fn`. */
async function withWorkers<T>(
  o: QueueBenchOptions,
  count: number,
  fn: (place: Place, procs: Proc[]) => Promise<T>,
): Promise<T> {
  const place = await makePlace(o.url);
  await (await benchQueueOpen(place)).stop({ graceful: false, wait: true });
  const procs = Array.from({ length: count }, () => startWorker(place, o.concurrency));
  try {
    await Promise.all(procs.map((p) => p.ready));
    return await fn(place, procs);
  } finally {
    await stopAll(procs);
    await dropPlace(o.url, place);
  }
}

function throughput(o: QueueBenchOptions, workers: number): Promise<ThroughputResult> {
  return withWorkers(o, workers, async (place) => {
    const { rows, seconds } = await runBatch(place, o.jobs);
    const lags = rows
      .map((r) => (r.startedOn ? Date.parse(r.startedOn) - Date.parse(r.createdOn) : 0))
      .sort((a, b) => a - b);
    return {
      workers,
      jobs: o.jobs,
      seconds: Number(seconds.toFixed(2)),
      jobsPerSecond: Number((o.jobs / seconds).toFixed(2)),
      lagP50Ms: percentile(lags, 50),
      lagP95Ms: percentile(lags, 95),
      lagMaxMs: lags.at(-1) ?? 0,
    };
  });
}

function faultLoop(o: QueueBenchOptions): Promise<FaultResult> {
  let kills = 0;
  let lastKill = Date.now();
  return withWorkers(o, Math.max(2, o.workers.at(-1) ?? 2), async (place, procs) => {
    const { rows, seconds } = await runBatch(place, o.faultJobs, async () => {
      if (kills >= o.kills || Date.now() - lastKill < 700) return;
      const live = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
      const victim = live[Math.floor(Math.random() * live.length)];
      if (!victim) return;
      victim.child.kill('SIGKILL');
      await victim.exited;
      kills++;
      lastKill = Date.now();
      o.say?.(`fault: killed worker ${kills} of ${o.kills}`);
      procs.push(startWorker(place, o.concurrency));
    });
    const store = await openStoreFor(place.storeUrl);
    try {
      const runs = (await store.listRuns()).length;
      const keys = await store.all<{ key: string }>('SELECT key FROM run_keys');
      const expected = new Set(rows.map((r) => `job:${r.id}`));
      const distinct = new Set(keys.map((k) => k.key));
      const exactlyOnce =
        runs === o.faultJobs && distinct.size === o.faultJobs && [...expected].every((k) => distinct.has(k));
      return {
        jobs: o.faultJobs,
        kills,
        seconds: Number(seconds.toFixed(2)),
        runs,
        distinctKeys: distinct.size,
        retried: rows.filter((r) => r.retries > 0).length,
        exactlyOnce,
      };
    } finally {
      await store.close();
    }
  });
}

/**
 * The floor: the same queue with no work in the jobs. `loops` fetch-and-complete loops (one job
 * per fetch, the workers' discipline) drain `jobs` no-op jobs; what they reach is the most a
 * fleet of workers could get from this queue whatever the jobs cost.
 */
async function floor(o: QueueBenchOptions, loops: number): Promise<FloorResult> {
  const place = await makePlace(o.url);
  const boss = await benchQueueOpen(place);
  try {
    const queue = 'assay-bench-noop';
    await boss.createQueue(queue);
    await boss.insert(Array.from({ length: o.jobs }, () => ({ name: queue, data: {} })));
    const started = Date.now();
    let done = 0;
    const loop = async () => {
      for (;;) {
        const [job] = await boss.fetch(queue);
        if (!job) return;
        await boss.complete(queue, job.id);
        done++;
      }
    };
    await Promise.all(Array.from({ length: loops }, loop));
    const seconds = (Date.now() - started) / 1000;
    return {
      jobs: done,
      loops,
      seconds: Number(seconds.toFixed(2)),
      jobsPerSecond: Number((done / seconds).toFixed(2)),
    };
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await dropPlace(o.url, place);
  }
}

/**
 * Speed-ups from the measured rows: 1 to 2 workers as measured, and what 4 workers would give
 * if the jobs waited on I/O instead of computing: each worker keeps its one-worker rate until
 * the queue's own capacity (the floor) caps the sum.
 */
export function speedups(r: QueueBenchResult): { oneToTwo?: number; fourIfIoBound?: number } {
  const rate = (w: number) => r.throughput.find((t) => t.workers === w)?.jobsPerSecond;
  const one = rate(1);
  const two = rate(2);
  if (!one) return {};
  return {
    oneToTwo: two === undefined ? undefined : Number((two / one).toFixed(2)),
    fourIfIoBound: Number((Math.min(4 * one, r.floor.jobsPerSecond) / one).toFixed(2)),
  };
}

/** Runs the floor, the throughput cases, then the fault loop. */
export async function benchQueue(o: QueueBenchOptions): Promise<QueueBenchResult> {
  o.say?.(`floor: ${o.jobs} no-op jobs, 4 fetch-and-complete loops`);
  const floorResult = await floor(o, 4);
  const results: ThroughputResult[] = [];
  for (const w of o.workers) {
    o.say?.(`throughput: ${o.jobs} jobs, ${w} worker(s) x concurrency ${o.concurrency}`);
    results.push(await throughput(o, w));
  }
  o.say?.(`fault loop: ${o.faultJobs} jobs, ${o.kills} kills`);
  return { floor: floorResult, throughput: results, fault: await faultLoop(o) };
}

const QUICK = { jobs: 30, workers: [1, 2], kills: 2, faultJobs: 20 };

function parseArgs(argv: string[]): QueueBenchOptions & { json: boolean } {
  const o = {
    url: process.env.ASSAY_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test',
    jobs: 1000,
    workers: [1, 2, 4],
    concurrency: 1,
    kills: 10,
    faultJobs: 100,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') o.url = argv[++i] ?? o.url;
    else if (a === '--quick') Object.assign(o, QUICK);
    else if (a === '--jobs') o.jobs = positiveInt(a, argv[++i]);
    else if (a === '--workers') o.workers = (argv[++i] ?? '').split(',').map((w) => positiveInt(a, w));
    else if (a === '--concurrency') o.concurrency = positiveInt(a, argv[++i]);
    else if (a === '--kills') o.kills = positiveInt(a, argv[++i]);
    else if (a === '--fault-jobs') o.faultJobs = positiveInt(a, argv[++i]);
    else if (a === '--json') o.json = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/scale/queue.ts)`);
  }
  return o;
}

/** Runs the queue bench and prints it; false when a job was lost or saved twice. */
export async function runQueue(argv: string[]): Promise<boolean> {
  const o = parseArgs(argv);
  const result = await benchQueue({ ...o, say: (line) => console.error(line) });
  const f0 = result.floor;
  console.log(
    `floor: ${f0.jobs} no-op jobs through pg-boss on ${f0.loops} loops in ${f0.seconds} s = ${f0.jobsPerSecond} jobs/s`,
  );
  console.log('workers  jobs  seconds  jobs/s  ratio to floor  lag p50 ms  lag p95 ms  lag max ms');
  for (const r of result.throughput)
    console.log(
      `${String(r.workers).padStart(7)}  ${String(r.jobs).padStart(4)}  ${String(r.seconds).padStart(7)}  ${String(r.jobsPerSecond).padStart(6)}  ${(f0.jobsPerSecond / r.jobsPerSecond).toFixed(2).padStart(14)}  ${String(r.lagP50Ms).padStart(10)}  ${String(r.lagP95Ms).padStart(10)}  ${String(r.lagMaxMs).padStart(10)}`,
    );
  const s = speedups(result);
  if (s.oneToTwo !== undefined)
    console.log(`speed-up 1 -> 2 workers (measured, ${cpus().length} cores): ${s.oneToTwo}x`);
  if (s.fourIfIoBound !== undefined)
    console.log(
      `speed-up 1 -> 4 workers if the jobs were I/O-bound (4 x the one-worker rate, capped by the floor): ${s.fourIfIoBound}x`,
    );
  const f = result.fault;
  console.log(
    `fault loop: ${f.jobs} jobs, ${f.kills} SIGKILLs, ${f.seconds} s; ${f.runs} runs, ${f.distinctKeys} keys, ${f.retried} jobs retried; exactly once: ${f.exactlyOnce ? 'yes' : 'NO'}`,
  );
  if (o.json) console.log(`BENCH_JSON ${JSON.stringify({ ...result, speedups: s })}`);
  return f.exactlyOnce;
}

async function main(): Promise<void> {
  if (!(await runQueue(process.argv.slice(2)))) process.exitCode = 1;
}

runAsScript(import.meta.url, main);
