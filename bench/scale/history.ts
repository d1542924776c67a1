/**
 * History-at-scale benchmark (issue 18; part of `npm run bench:scale`): a store of 1,000 runs
 * and 5 million findings on DuckDB (a temp file) and on PostgreSQL (a scratch schema), then the
 * `history`, `diff` (the two newest runs) and `trend` commands' reads, timed through the same
 * functions the commands call (seriesRuns, resolveRuns, getAssessment, diffAssessments,
 * buildTrend, renderHistory) on a read-only store, side by side. Floor: a raw
 * `SELECT count(*) FROM findings` on the same backend.
 *
 * Building: the first `--seed` runs (default 10) are saved with saveAssessment (timed: the
 * figure a real save gets); the rest are bulk SQL into the same tables (INSERT ... SELECT of
 * runs already there, doubling, with new run numbers and assessment ids), because a million
 * findings a minute through saveAssessment on PostgreSQL would take most of the time budget.
 *
 *   npx tsx bench/scale/history.ts [--runs 1000] [--findings 5000000] [--seed 10] [--reps 5]
 *     [--backend both|duckdb|postgres] [--pg-no-index] [--json]
 *
 * --pg-no-index: on PostgreSQL, after the measurements, drops the schema's index on findings
 * (run, seq) (core v4) and times diff again: what the index changes, as stores before v4 were.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { resolveRuns } from '../../src/cli/diff.ts';
import { renderHistory } from '../../src/cli/history.ts';
import { seriesRuns } from '../../src/cli/series-options.ts';
import { buildTrend } from '../../src/cli/trend.ts';
import { diffAssessments } from '../../src/store/diff.ts';
import { openStoreFor } from '../../src/store/open.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { positiveInt, runAsScript } from '../args.ts';
import { syntheticAssessment } from '../store-corpus.ts';
import { timeIt } from '../timing.ts';
import { loadLine, machineLine, ms, scratchSchema } from './common.ts';

export type Backend = 'DuckDB' | 'PostgreSQL';

export interface HistoryOptions {
  runs: number;
  findings: number;
  seed: number;
  reps: number;
  backends: Backend[];
  /** PostgreSQL: also time diff with an index on findings (run, seq). */
  pgNoIndex?: boolean;
  json: boolean;
  log?: (line: string) => void;
}

export const HISTORY_DEFAULTS: HistoryOptions = {
  runs: 1000,
  findings: 5_000_000,
  seed: 10,
  reps: 5,
  backends: ['DuckDB', 'PostgreSQL'],
  json: false,
};

export function parseHistoryArgs(argv: string[], base: HistoryOptions = HISTORY_DEFAULTS): HistoryOptions {
  const o = { ...base };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = positiveInt(a, argv[++i]);
    else if (a === '--findings') o.findings = positiveInt(a, argv[++i]);
    else if (a === '--seed') o.seed = positiveInt(a, argv[++i]);
    else if (a === '--reps') o.reps = positiveInt(a, argv[++i]);
    else if (a === '--backend') {
      const b = argv[++i];
      if (b === 'both') o.backends = ['DuckDB', 'PostgreSQL'];
      else if (b === 'duckdb') o.backends = ['DuckDB'];
      else if (b === 'postgres') o.backends = ['PostgreSQL'];
      else throw new Error(`--backend expects both, duckdb or postgres; got ${b}`);
    } else if (a === '--pg-no-index') o.pgNoIndex = true;
    else if (a === '--json') o.json = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/scale/history.ts)`);
  }
  if (o.findings < o.runs) throw new Error('--findings is the total: at least one per run');
  return o;
}

export interface BackendResult {
  backend: Backend;
  runs: number;
  findings: number;
  seedRuns: number;
  /** saveAssessment of the seed runs: findings per second. */
  saveFindingsPerSecond: number;
  copySeconds: number;
  /** The store's size: the DuckDB file, or the schema's tables on PostgreSQL. */
  storeBytes: number;
  findingsTableBytes?: number;
  openMs: number;
  historyMs: number;
  diffMs: number;
  trendMs: number;
  countMs: number;
  /** With --pg-no-index: diff again without the index on findings (run, seq), and the index's size. */
  unindexed?: { diffMs: number; indexBytes: number };
  countsOk: boolean;
}

/** The quoted columns of a table, in order. */
async function columns(store: SqlStore, table: string): Promise<string[]> {
  const rows = await store.all<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
     WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.name);
}

const TABLES = ['runs', 'run_series', 'assessments', 'baselines', 'control_results', 'findings'];

async function build(
  spec: string,
  backend: Backend,
  o: HistoryOptions,
  perRun: number,
  log: (l: string) => void,
): Promise<{ seedRuns: number; saveFindingsPerSecond: number; copySeconds: number }> {
  const store = await openStoreFor(spec);
  try {
    const seedRuns = Math.min(o.seed, o.runs);
    let saveMs = 0;
    for (let i = 0; i < seedRuns; i++) {
      const a = syntheticAssessment({ findings: perRun, variant: i });
      const t = performance.now();
      await store.saveAssessment(a, { label: `seed ${i + 1}` });
      saveMs += performance.now() - t;
    }
    const saveFindingsPerSecond = (seedRuns * perRun) / (saveMs / 1000);
    const cols = new Map<string, string[]>();
    for (const t of TABLES) cols.set(t, await columns(store, t));
    const t0 = performance.now();
    let have = seedRuns;
    while (have < o.runs) {
      const m = Math.min(have, o.runs - have);
      await copyRuns(store, m, have, cols);
      have += m;
    }
    if (backend === 'PostgreSQL') await store.run('VACUUM ANALYZE');
    else await store.run('CHECKPOINT');
    const copySeconds = (performance.now() - t0) / 1000;
    log(
      `build    ${backend}: ${seedRuns} runs by saveAssessment (${Math.round(saveFindingsPerSecond).toLocaleString('en')} findings/s), ${o.runs - seedRuns} by bulk SQL copies; copies and ${backend === 'PostgreSQL' ? 'VACUUM ANALYZE' : 'CHECKPOINT'} took ${copySeconds.toFixed(1)} s; load ${loadLine()}`,
    );
    return { seedRuns, saveFindingsPerSecond, copySeconds };
  } finally {
    await store.close();
  }
}

/**
 * Copies runs 1..m to have+1..have+m in every table, in one transaction: new run numbers, a new
 * assessment id and label per run, findings in run order (as saves leave them).
 */
async function copyRuns(store: SqlStore, m: number, have: number, cols: Map<string, string[]>) {
  await store.transaction(async (sql) => {
    for (const table of TABLES) {
      const names = cols.get(table) ?? [];
      const exprs = names.map((c) => {
        if (c === 'run') return `run + ${have}`;
        if (table === 'runs' && c === 'assessment_id')
          return `assessment_id || '-copy-' || CAST(run + ${have} AS VARCHAR)`;
        if (table === 'runs' && c === 'label') return `'copy of run ' || CAST(run AS VARCHAR)`;
        return `"${c}"`;
      });
      const order = table === 'findings' ? 'run, seq' : 'run';
      await sql.run(
        `INSERT INTO ${table} (${names.map((c) => `"${c}"`).join(', ')}) SELECT ${exprs.join(', ')} FROM ${table} WHERE run <= ${m} ORDER BY ${order}`,
      );
    }
  });
}

async function measure(
  spec: string,
  backend: Backend,
  o: HistoryOptions,
  perRun: number,
): Promise<
  Omit<
    BackendResult,
    'seedRuns' | 'saveFindingsPerSecond' | 'copySeconds' | 'storeBytes' | 'findingsTableBytes'
  >
> {
  const openMs = await timeIt(o.reps, async () => (await openStoreFor(spec, { readOnly: true })).close());
  const store = await openStoreFor(spec, { readOnly: true });
  try {
    let historyRuns = 0;
    let diffFindings = 0;
    let trendPoints = 0;
    // What `assay history` does between opening and printing (src/cli/history.ts).
    const historyMs = await timeIt(o.reps, async () => {
      const { runs, series } = await seriesRuns(store, {}, 'every', undefined);
      historyRuns = runs.length;
      renderHistory(runs, series);
    });
    // `assay diff` with its defaults: previous against latest (src/cli/diff.ts).
    const diffMs = await timeIt(o.reps, async () => {
      const [a, b] = await resolveRuns(store, ['previous', 'latest'], undefined);
      const [before, after] = await Promise.all([store.getAssessment(a.run), store.getAssessment(b.run)]);
      if (!before || !after) throw new Error('diff: a run has no assessment');
      diffAssessments(before, after);
      diffFindings = before.findings.length + after.findings.length;
    });
    // `assay trend` with its defaults: the latest series, last 30 runs (src/cli/trend.ts).
    const trendMs = await timeIt(o.reps, async () => {
      const { runs } = await seriesRuns(store, {}, 'latest', 30);
      trendPoints = buildTrend(runs).points.length;
    });
    let counted = 0;
    const countMs = await timeIt(o.reps, async () => {
      counted = Number((await store.all<{ n: number }>('SELECT count(*) AS n FROM findings'))[0].n);
    });
    const storedRuns = Number((await store.all<{ n: number }>('SELECT count(*) AS n FROM runs'))[0].n);
    const countsOk =
      storedRuns === o.runs &&
      counted === o.runs * perRun &&
      historyRuns === o.runs &&
      diffFindings === 2 * perRun &&
      trendPoints === Math.min(30, o.runs);
    if (!countsOk)
      console.error(
        `counts (${backend}): runs ${storedRuns}/${o.runs}, findings ${counted}/${o.runs * perRun}, history ${historyRuns}, diff findings ${diffFindings}/${2 * perRun}, trend points ${trendPoints}`,
      );
    return {
      backend,
      runs: storedRuns,
      findings: counted,
      openMs,
      historyMs,
      diffMs,
      trendMs,
      countMs,
      countsOk,
    };
  } finally {
    await store.close();
  }
}

async function sizeOf(
  spec: string,
  backend: Backend,
  file?: string,
): Promise<{ store: number; findings?: number }> {
  if (backend === 'DuckDB') return { store: file ? statSync(file).size : 0 };
  const store = await openStoreFor(spec, { readOnly: true });
  try {
    const rows = await store.all<{ total: number; findings: number }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS total,
              coalesce(sum(CASE WHEN c.relname = 'findings' THEN pg_total_relation_size(c.oid) END), 0) AS findings
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    return { store: Number(rows[0].total), findings: Number(rows[0].findings) };
  } finally {
    await store.close();
  }
}

/** Drops the index on findings (run, seq) of a PostgreSQL store and times diff again. */
async function withoutIndex(
  spec: string,
  o: HistoryOptions,
  perRun: number,
): Promise<BackendResult['unindexed']> {
  const store = await openStoreFor(spec);
  let indexBytes: number;
  try {
    const rows = await store.all<{ bytes: number }>(`SELECT pg_relation_size('findings_by_run') AS bytes`);
    indexBytes = Number(rows[0].bytes);
    await store.run('DROP INDEX findings_by_run');
    await store.run('ANALYZE findings');
  } finally {
    await store.close();
  }
  const again = await measure(spec, 'PostgreSQL', o, perRun);
  return { diffMs: again.diffMs, indexBytes };
}

async function oneBackend(
  backend: Backend,
  o: HistoryOptions,
  log: (l: string) => void,
): Promise<BackendResult> {
  const perRun = Math.floor(o.findings / o.runs);
  let spec: string;
  let file: string | undefined;
  let cleanup: () => Promise<void>;
  if (backend === 'DuckDB') {
    const dir = mkdtempSync(join(os.tmpdir(), 'assay-bench-scale-'));
    file = join(dir, 'assay.duckdb');
    spec = file;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const scratch = await scratchSchema('history');
    spec = scratch.url;
    cleanup = () => scratch.drop();
  }
  try {
    const built = await build(spec, backend, o, perRun, log);
    const size = await sizeOf(spec, backend, file);
    const measured = await measure(spec, backend, o, perRun);
    const unindexed =
      backend === 'PostgreSQL' && o.pgNoIndex ? await withoutIndex(spec, o, perRun) : undefined;
    return {
      ...measured,
      ...(unindexed ? { unindexed } : {}),
      ...built,
      storeBytes: size.store,
      ...(size.findings !== undefined ? { findingsTableBytes: size.findings } : {}),
    };
  } finally {
    await cleanup();
  }
}

export async function runHistory(o: HistoryOptions): Promise<BackendResult[]> {
  const log = o.log ?? ((line: string) => console.log(line));
  const perRun = Math.floor(o.findings / o.runs);
  log(`assay history-at-scale benchmark, ${new Date().toISOString()}`);
  log(machineLine());
  log(
    `store    ${o.runs} runs x ${perRun} findings = ${(o.runs * perRun).toLocaleString('en')} findings per backend; ${o.reps} reps, medians; load ${loadLine()}`,
  );
  const results: BackendResult[] = [];
  for (const b of o.backends) results.push(await oneBackend(b, o, log));

  const pad = (s: string, n: number) => s.padEnd(n);
  const ratio = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
  const cell = (r: BackendResult, x: number) => `${ms(x)} (x${ratio(x / r.countMs)})`;
  log(`${pad('query', 40)}${results.map((r) => pad(r.backend, 24)).join('')}`);
  const row = (name: string, pick: (r: BackendResult) => number, ratio = true) =>
    log(`${pad(name, 40)}${results.map((r) => pad(ratio ? cell(r, pick(r)) : ms(pick(r)), 24)).join('')}`);
  row(`history (all ${o.runs} runs)`, (r) => r.historyMs);
  row(`diff previous latest (2 x ${perRun})`, (r) => r.diffMs);
  row('trend (latest series, 30 runs)', (r) => r.trendMs);
  row('floor: SELECT count(*) FROM findings', (r) => r.countMs, false);
  row('read-only open + close', (r) => r.openMs, false);
  log(`(x N: the query's time over the floor's, same backend)`);
  for (const r of results)
    if (r.unindexed)
      log(
        `index    ${r.backend}: without the index on findings (run, seq) (${(r.unindexed.indexBytes / 1024 ** 2).toFixed(0)} MB) diff takes ${ms(r.unindexed.diffMs)} (x${ratio(r.unindexed.diffMs / r.countMs)})`,
      );
  for (const r of results)
    log(
      `size     ${r.backend}: ${(r.storeBytes / 1024 ** 3).toFixed(2)} GiB${r.findingsTableBytes !== undefined ? ` (findings table with TOAST ${(r.findingsTableBytes / 1024 ** 3).toFixed(2)} GiB)` : ' (file, checkpointed)'}: ${Math.round(r.findings / (r.storeBytes / 1024 ** 3)).toLocaleString('en')} findings per GiB; check ${r.countsOk ? 'OK' : 'FAILED'} (${r.runs} runs, ${r.findings.toLocaleString('en')} findings)`,
    );
  log(`load     after: ${loadLine()}`);
  if (o.json)
    log(
      `BENCH_JSON ${JSON.stringify({ benchmark: 'scale-history', date: new Date().toISOString(), results })}`,
    );
  return results;
}

runAsScript(import.meta.url, async () => {
  const results = await runHistory(parseHistoryArgs(process.argv.slice(2)));
  if (results.some((r) => !r.countsOk))
    throw new Error('the store does not hold the runs and findings built');
});
