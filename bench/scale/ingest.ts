/**
 * Ingest benchmark (issue 18; part of `npm run bench:scale`): `assay server` on a PostgreSQL
 * store (a scratch schema, dropped afterwards) takes pushes of generated assessments (1,000
 * findings each, every one with a new assessment id, so each is a new run; every Nth push
 * repeats an id already acknowledged, to check idempotence) from autocannon on loopback for a
 * fixed time. It prints pushes/s, latency percentiles, non-2xx answers, the server's memory and
 * CPU, and checks by count that every acknowledged id is stored as exactly one run.
 *
 * The floor: a bare node:http server that reads each body whole and JSON.parses it
 * (floor-server.ts), driven the same way with the same bodies in the same run. The ratio is
 * floor pushes/s over assay pushes/s: how many times longer a push takes than receiving and
 * parsing its body.
 *
 * The project and push token are made with the Registry the `assay server project add` and
 * `token create` commands use; the server is `bin/assay.js server` as a child process (or
 * in this process with --in-process, as the test does).
 *
 *   npx tsx bench/scale/ingest.ts [--seconds 60] [--floor-seconds 10] [--connections 4]
 *     [--findings 1000] [--repeat-every 50] [--in-process] [--json]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startMultiServer } from '../../src/server/multi/listen.ts';
import { Registry, SERVER_MIGRATIONS } from '../../src/server/multi/registry.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { openStoreFor } from '../../src/store/open.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { positiveInt, runAsScript } from '../args.ts';
import { syntheticAssessment } from '../store-corpus.ts';
import {
  loadLine,
  machineLine,
  mb,
  ms,
  percentile,
  postgresCpuSeconds,
  procFigures,
  scratchSchema,
} from './common.ts';
import { startFloorServer } from './floor-server.ts';

export interface IngestOptions {
  seconds: number;
  floorSeconds: number;
  connections: number;
  findings: number;
  /** Every Nth push repeats an acknowledged assessment id. */
  repeatEvery: number;
  inProcess: boolean;
  json: boolean;
  log?: (line: string) => void;
}

export const INGEST_DEFAULTS: IngestOptions = {
  seconds: 60,
  floorSeconds: 10,
  connections: 4,
  findings: 1000,
  repeatEvery: 50,
  inProcess: false,
  json: false,
};

export function parseIngestArgs(argv: string[], base: IngestOptions = INGEST_DEFAULTS): IngestOptions {
  const o = { ...base };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') o.seconds = positiveInt(a, argv[++i]);
    else if (a === '--floor-seconds') o.floorSeconds = positiveInt(a, argv[++i]);
    else if (a === '--connections') o.connections = positiveInt(a, argv[++i]);
    else if (a === '--findings') o.findings = positiveInt(a, argv[++i]);
    else if (a === '--repeat-every') o.repeatEvery = positiveInt(a, argv[++i]);
    else if (a === '--in-process') o.inProcess = true;
    else if (a === '--json') o.json = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/scale/ingest.ts)`);
  }
  return o;
}

export interface IngestResult {
  seconds: number;
  connections: number;
  bodyBytes: number;
  pushes: number;
  pushesPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  floorPerSecond: number;
  /** Floor pushes/s over assay pushes/s. */
  ratio: number;
  rssBefore?: number;
  rssAfter?: number;
  rssPeak?: number;
  serverCpuSeconds?: number;
  postgresCpuSeconds?: number;
  distinctAcked: number;
  storedRuns: number;
  /** Stored runs whose push was sent when the load stopped, so its answer was never read. */
  inFlightStored: number;
  lost: number;
  duplicated: number;
  repeatsAnswered: number;
  tableBytes: number;
  countsOk: boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASSAY_BIN = fileURLToPath(new URL('../../bin/assay.js', import.meta.url));
const FLOOR_SCRIPT = fileURLToPath(new URL('./floor-server.ts', import.meta.url));

interface Target {
  url: string;
  /** The process serving, for its memory and CPU. */
  pid: number;
  close(): Promise<void>;
}

/** Starts a child process and resolves with the URL it prints on a line matching `pattern`. */
function startChild(args: string[], pattern: RegExp): Promise<Target> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ASSAY_STORE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start in 60 s: ${err}`));
    }, 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], pid: child.pid ?? 0, close });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before listening: ${err}`));
    });
  });
}

async function startAssay(storeUrl: string, inProcess: boolean): Promise<Target> {
  if (!inProcess)
    return startChild([ASSAY_BIN, 'server', '--store', storeUrl, '--port', '0'], /assay server: (\S+)/);
  // The same two steps as `assay server` (src/cli/server.ts runServer).
  registerMigrations(SERVER_MIGRATIONS);
  const store = await openStoreFor(storeUrl);
  const server = await startMultiServer(store, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    pid: process.pid,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}

async function startFloor(inProcess: boolean): Promise<Target> {
  if (!inProcess) return startChild(['--import', 'tsx', FLOOR_SCRIPT], /floor: (\S+)/);
  const { server, url } = await startFloorServer();
  return {
    url,
    pid: process.pid,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** What the load saw of the ids it pushed, to set against what the store holds afterwards. */
interface Tally {
  sent: Set<string>;
  answered: Set<string>;
  /** Assessment id -> run, from 201 answers. */
  acked: Map<string, number>;
  /** A 201 for an id acknowledged before: a second run of the same assessment. */
  createdTwice: number;
  repeatsSent: number;
  repeatsAnswered: number;
  /** A duplicate answer naming another run than the first push got. */
  wrongRun: number;
  statuses: Map<number, number>;
}

interface Load {
  pushes: number;
  seconds: number;
  latencies: number[];
  non2xx: number;
  errors: number;
  tally: Tally;
}

/**
 * Pushes for `seconds` on `connections` connections: each request's body is the template with
 * a fresh id, or every `repeatEvery`th an id already acknowledged.
 */
async function drive(
  url: string,
  token: string | undefined,
  body: (id: string) => string,
  o: { seconds: number; connections: number; repeatEvery: number },
): Promise<Load> {
  const tag = randomBytes(4).toString('hex');
  const tally: Tally = {
    sent: new Set(),
    answered: new Set(),
    acked: new Map(),
    createdTwice: 0,
    repeatsSent: 0,
    repeatsAnswered: 0,
    wrongRun: 0,
    statuses: new Map(),
  };
  const ackedList: string[] = [];
  let n = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: new URL('api/assessments', url).href,
    connections: o.connections,
    duration: o.seconds,
    timeout: 120,
    requests: [
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        setupRequest(req, context) {
          n++;
          let id: string;
          if (n % o.repeatEvery === 0 && ackedList.length > 0) {
            id = ackedList[(n * 7919) % ackedList.length];
            tally.repeatsSent++;
            context.repeat = true;
          } else id = `bench-${tag}-${n}`;
          context.id = id;
          tally.sent.add(id);
          return { ...req, body: body(id) };
        },
        onResponse(status, text, context) {
          const id = String(context.id);
          tally.answered.add(id);
          tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
          let answer: { run?: number; duplicate?: boolean } = {};
          try {
            answer = JSON.parse(text) as typeof answer;
          } catch {
            // The floor's answer, or an error page: only the status counts.
          }
          if (status === 201) {
            if (tally.acked.has(id)) tally.createdTwice++;
            else {
              tally.acked.set(id, Number(answer.run));
              ackedList.push(id);
            }
          } else if (status === 200 && answer.duplicate === true) {
            tally.repeatsAnswered++;
            if (tally.acked.get(id) !== Number(answer.run)) tally.wrongRun++;
          }
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    latencies.push(time);
  });
  const result = await instance;
  return {
    // Every answer read (autocannon's own total lives in a histogram object).
    pushes: latencies.length,
    seconds: result.duration,
    latencies,
    non2xx: result.non2xx,
    errors: result.errors,
    tally,
  };
}

/** Waits until no push is between its claim and its run (the server finished what it was given). */
async function settle(store: SqlStore): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const rows = await store.all<{ n: number }>('SELECT count(*) AS n FROM server_pushes WHERE run IS NULL');
    if (Number(rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface CountCheck {
  storedRuns: number;
  inFlightStored: number;
  lost: number;
  duplicated: number;
  unexplained: number;
  ok: boolean;
}

/** Every acknowledged id is one stored run with the run it was given; nothing stored twice. */
async function checkCounts(store: SqlStore, tally: Tally): Promise<CountCheck> {
  const rows = await store.all<{ id: string; run: number }>('SELECT assessment_id AS id, run FROM runs');
  const runsOf = new Map<string, number[]>();
  for (const r of rows) runsOf.set(r.id, [...(runsOf.get(r.id) ?? []), Number(r.run)]);
  let lost = 0;
  for (const [id, run] of tally.acked) if (!runsOf.get(id)?.includes(run)) lost++;
  let duplicated = 0;
  let inFlightStored = 0;
  let unexplained = 0;
  for (const [id, runs] of runsOf) {
    if (runs.length > 1) duplicated += runs.length - 1;
    if (tally.acked.has(id)) continue;
    // Sent when the load generator stopped: the server saved it, nobody read the answer.
    if (tally.sent.has(id) && !tally.answered.has(id)) inFlightStored++;
    else unexplained++;
  }
  const ok =
    lost === 0 &&
    duplicated === 0 &&
    unexplained === 0 &&
    tally.createdTwice === 0 &&
    tally.wrongRun === 0 &&
    rows.length === tally.acked.size + inFlightStored;
  return { storedRuns: rows.length, inFlightStored, lost, duplicated, unexplained, ok };
}

export async function runIngest(o: IngestOptions): Promise<IngestResult> {
  const log = o.log ?? ((line: string) => console.log(line));
  const scratch = await scratchSchema('ingest');
  log(`assay ingest benchmark, ${new Date().toISOString()}`);
  log(machineLine());
  log(
    `setup    PostgreSQL schema ${scratch.schema}; server ${o.inProcess ? 'in this process' : 'bin/assay.js server, a child process'}; autocannon ${o.connections} connections, ${o.seconds} s (floor ${o.floorSeconds} s); load ${loadLine()}`,
  );
  const assessment = syntheticAssessment({ findings: o.findings });
  const MARK = '\u0000assessment-id\u0000';
  const [head, tail] = JSON.stringify({ ...assessment, id: MARK }).split(JSON.stringify(MARK));
  const body = (id: string) => `${head}${JSON.stringify(id)}${tail}`;
  const bodyBytes = Buffer.byteLength(body('bench-00000000-1'));
  log(`body     ${o.findings} findings, ${(bodyBytes / 1024).toFixed(0)} KiB of JSON per push`);

  let target: Target | undefined;
  let store: SqlStore | undefined;
  try {
    // The project and token as `assay server project add` / `token create` make them.
    registerMigrations(SERVER_MIGRATIONS);
    store = await openStoreFor(scratch.url);
    const registry = new Registry(store);
    await registry.addProject('bench', 'bench/scale/ingest.ts');
    const { token } = await registry.createToken('push', ['bench'], 'ingest bench');

    const floorTarget = await startFloor(o.inProcess);
    let floor: Load;
    try {
      floor = await drive(floorTarget.url, undefined, body, { ...o, seconds: o.floorSeconds });
    } finally {
      await floorTarget.close();
    }
    const floorPerSecond = floor.pushes / floor.seconds;
    log(
      `floor    node:http, read body + JSON.parse: ${floorPerSecond.toFixed(1)} pushes/s, p50 ${ms(percentile(floor.latencies, 0.5))}, non-2xx ${floor.non2xx}`,
    );

    target = await startAssay(scratch.url, o.inProcess);
    const before = procFigures(target.pid);
    const pgBefore = postgresCpuSeconds();
    const load = await drive(target.url, token, body, o);
    await settle(store);
    const after = procFigures(target.pid);
    const pgAfter = postgresCpuSeconds();
    await target.close();
    target = undefined;

    const counts = await checkCounts(store, load.tally);
    const size = await store.all<{ bytes: number }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    const pushesPerSecond = load.pushes / load.seconds;
    const result: IngestResult = {
      seconds: load.seconds,
      connections: o.connections,
      bodyBytes,
      pushes: load.pushes,
      pushesPerSecond,
      p50: percentile(load.latencies, 0.5),
      p95: percentile(load.latencies, 0.95),
      p99: percentile(load.latencies, 0.99),
      non2xx: load.non2xx,
      errors: load.errors,
      floorPerSecond,
      ratio: floorPerSecond / pushesPerSecond,
      ...(before ? { rssBefore: before.rss } : {}),
      ...(after ? { rssAfter: after.rss, rssPeak: after.peakRss } : {}),
      ...(before && after ? { serverCpuSeconds: after.cpuSeconds - before.cpuSeconds } : {}),
      ...(pgBefore !== undefined && pgAfter !== undefined ? { postgresCpuSeconds: pgAfter - pgBefore } : {}),
      distinctAcked: load.tally.acked.size,
      storedRuns: counts.storedRuns,
      inFlightStored: counts.inFlightStored,
      lost: counts.lost,
      duplicated: counts.duplicated,
      repeatsAnswered: load.tally.repeatsAnswered,
      tableBytes: Number(size[0].bytes),
      countsOk: counts.ok,
    };
    const statuses = [...load.tally.statuses].map(([s, c]) => `${s}: ${c}`).join(', ');
    log(
      `assay    ${pushesPerSecond.toFixed(1)} pushes/s (${load.pushes} in ${load.seconds} s; ${(pushesPerSecond * o.findings).toFixed(0)} findings/s); latency p50 ${ms(result.p50)}, p95 ${ms(result.p95)}, p99 ${ms(result.p99)}; non-2xx ${load.non2xx}, errors ${load.errors} (${statuses})`,
    );
    log(`ratio    ${result.ratio.toFixed(2)} (floor pushes/s / assay pushes/s)`);
    const who = o.inProcess ? 'this process (server and load generator)' : 'server process';
    if (before && after)
      log(
        `memory   ${who}: RSS ${mb(before.rss)} before the load, ${mb(after.rss)} after, peak ${mb(after.peakRss)}`,
      );
    if (result.serverCpuSeconds !== undefined)
      log(
        `cpu      ${who}: ${result.serverCpuSeconds.toFixed(1)} CPU s (${(load.pushes / Math.max(result.serverCpuSeconds, 0.01)).toFixed(1)} pushes per CPU second)` +
          (result.postgresCpuSeconds !== undefined
            ? `; postgres processes ${result.postgresCpuSeconds.toFixed(1)} CPU s (${((result.postgresCpuSeconds / Math.max(load.pushes, 1)) * 1000).toFixed(0)} ms per push)`
            : ''),
      );
    log(
      `store    ${(result.tableBytes / 1024 / 1024).toFixed(0)} MB in the schema's tables after ${counts.storedRuns} runs`,
    );
    log(
      `check    ${counts.ok ? 'OK' : 'FAILED'}: ${result.distinctAcked} distinct assessment ids acknowledged (201), ${counts.storedRuns} runs stored` +
        ` (${counts.inFlightStored} more pushes were in flight when the load stopped: stored, answer unread); lost ${counts.lost}, duplicated ${counts.duplicated}, unexplained ${counts.unexplained}, second 201 for one id ${load.tally.createdTwice};` +
        ` ${load.tally.repeatsSent} repeats sent, ${load.tally.repeatsAnswered} answered 200 duplicate (${load.tally.wrongRun} naming another run)`,
    );
    log(`load     after: ${loadLine()}`);
    if (o.json)
      log(
        `BENCH_JSON ${JSON.stringify({ benchmark: 'scale-ingest', date: new Date().toISOString(), ...result })}`,
      );
    return result;
  } finally {
    await target?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await scratch.drop();
  }
}

runAsScript(import.meta.url, async () => {
  const result = await runIngest(parseIngestArgs(process.argv.slice(2)));
  // A miscount is a fault of the server, not a slow figure: fail loudly.
  if (!result.countsOk) throw new Error('the stored runs do not match the acknowledged pushes (see check)');
});
