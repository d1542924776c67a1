/**
 * Store benchmark (`npm run bench:store`; `npm run bench` runs it after the scanner bench):
 * saves R runs of N synthetic findings into a fresh DuckDB store in a temp folder, then
 * times the dashboard's two hot reads — the overview (listRuns) and a filtered findings
 * page (queryFindings with severity + status + text, 100 rows) — against the floor: the
 * same SQL run directly on a DuckDB connection, reading the rows without any mapping.
 *
 *   npm run bench:store -- [--runs 100] [--findings 10000] [--reps 20] [--json] [--keep]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openStore } from '../src/store/duckdb.ts';
import type { FindingQuery } from '../src/store/store.ts';
import { positiveInt, runAsScript } from './args.ts';
import { syntheticAssessment } from './store-corpus.ts';
import { median, timeIt } from './timing.ts';

interface Args {
  runs: number;
  findings: number;
  reps: number;
  json: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 100, findings: 10_000, reps: 20, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') args.runs = positiveInt(a, argv[++i]);
    else if (a === '--findings') args.findings = positiveInt(a, argv[++i]);
    else if (a === '--reps') args.reps = positiveInt(a, argv[++i]);
    else if (a === '--json') args.json = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/store.ts)`);
  }
  return args;
}

/** Medians of two operations timed turn about (after one warm-up each). */
async function timePair(
  reps: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number, number]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  return [median(ta), median(tb)];
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(os.tmpdir(), 'assay-bench-store-'));
  const file = join(dir, 'assay.duckdb');
  console.log(`assay store benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine  ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`,
  );
  console.log(`store    ${file} (${args.runs} runs of ${args.findings} synthetic findings)`);

  try {
    // Save: assessments are generated before the clock starts; only saveAssessment is timed.
    let store = await openStore(file);
    const saveTimes: number[] = [];
    const genStart = performance.now();
    let generateMs = 0;
    for (let i = 0; i < args.runs; i++) {
      const g = performance.now();
      const assessment = syntheticAssessment({ findings: args.findings, variant: i });
      generateMs += performance.now() - g;
      const t = performance.now();
      await store.saveAssessment(assessment, { label: `bench ${i + 1}` });
      saveTimes.push(performance.now() - t);
    }
    const wall = performance.now() - genStart;
    const saveTotal = saveTimes.reduce((a, b) => a + b, 0);
    await store.close();
    const size = statSync(file).size;
    console.log(
      `save     ${args.runs} runs: total ${(saveTotal / 1000).toFixed(1)} s, median ${ms(median(saveTimes))} per run (${Math.round(args.findings / (median(saveTimes) / 1000)).toLocaleString('en')} findings/s), max ${ms(Math.max(...saveTimes))}; generating took ${(generateMs / 1000).toFixed(1)} s of ${(wall / 1000).toFixed(1)} s wall`,
    );
    console.log(`size     ${(size / 1024 / 1024).toFixed(1)} MB on disk after close (checkpointed)`);

    // Reads: the store (a read-only open, as `assay history` and the dashboard do) and the floor,
    // the same statements on a plain connection reading rows as DuckDB values (no objects
    // built). Both stay open and are timed turn about, so neither gets the warmer cache.
    const openMs = await timeIt(5, async () => (await openStore(file, { readOnly: true })).close());
    store = await openStore(file, { readOnly: true });
    const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    const mid = Math.ceil(args.runs / 2);
    const q: FindingQuery = {
      run: mid,
      severity: ['critical', 'high'],
      status: ['fail'],
      text: 'encryption',
      limit: 100,
    };
    const overviewSql = [
      'SELECT * FROM runs WHERE run IN (SELECT run FROM runs ORDER BY run DESC) ORDER BY run DESC',
      'SELECT * FROM baselines WHERE run IN (SELECT run FROM runs ORDER BY run DESC) ORDER BY run, name',
    ];
    const where =
      'run = ? AND severity IN (?, ?) AND status IN (?) AND (contains(lower(message), ?) OR contains(lower(title), ?) OR contains(lower(subject_name), ?))';
    const params = [mid, 'critical', 'high', 'fail', 'encryption', 'encryption', 'encryption'];
    const pageSql = [
      `SELECT count(*) AS n FROM findings WHERE ${where}`,
      `SELECT check_id, title, severity, status, original_status, message, subject_id, subject_name, subject_type, subject_kind, file, line, "column", controls, evidence, waiver, extra FROM findings WHERE ${where} ORDER BY seq LIMIT 100 OFFSET 0`,
    ];
    const [overviewMs, floorOverviewMs] = await timePair(
      args.reps,
      () => store.listRuns(),
      async () => {
        for (const sql of overviewSql) (await conn.runAndReadAll(sql)).getRows();
      },
    );
    const page = await store.queryFindings(q);
    const [pageMs, floorPageMs] = await timePair(
      args.reps,
      () => store.queryFindings(q),
      async () => {
        for (const sql of pageSql) (await conn.runAndReadAll(sql, params)).getRows();
      },
    );
    const findingsSql = `SELECT check_id, title, severity, status, original_status, message, subject_id, subject_name, subject_type, subject_kind, file, line, "column", controls, evidence, waiver, extra FROM findings WHERE run = ? ORDER BY seq`;
    const [assessmentMs, floorAssessmentMs] = await timePair(
      Math.min(args.reps, 5),
      () => store.getAssessment(mid),
      async () => {
        (await conn.runAndReadAll('SELECT body FROM assessments WHERE run = ?', [mid])).getRows();
        (await conn.runAndReadAll(findingsSql, [mid])).getRows();
      },
    );
    await store.close();
    conn.closeSync();
    instance.closeSync();

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`open     read-only open + schema check + close: median ${ms(openMs)}`);
    console.log(
      `overview listRuns() of ${args.runs} runs: median ${ms(overviewMs)} of ${args.reps}; same SQL on the connection ${ms(floorOverviewMs)}; ratio ${ratio(overviewMs, floorOverviewMs)}`,
    );
    console.log(
      `page     queryFindings(run ${mid}, critical+high, fail, text 'encryption', 100 rows; ${page.total} match): median ${ms(pageMs)}; same SQL ${ms(floorPageMs)}; ratio ${ratio(pageMs, floorPageMs)}`,
    );
    console.log(
      `full     getAssessment(${mid}) with ${args.findings} findings: median ${ms(assessmentMs)}; same SQL ${ms(floorAssessmentMs)}; ratio ${ratio(assessmentMs, floorAssessmentMs)}`,
    );

    if (args.json) {
      const line = {
        benchmark: 'store',
        date: new Date().toISOString(),
        runs: args.runs,
        findingsPerRun: args.findings,
        saveTotalMs: Math.round(saveTotal),
        saveMedianMs: Number(median(saveTimes).toFixed(1)),
        sizeMb: Number((size / 1024 / 1024).toFixed(1)),
        openMs: Number(openMs.toFixed(2)),
        overviewMs: Number(overviewMs.toFixed(2)),
        overviewFloorMs: Number(floorOverviewMs.toFixed(2)),
        pageMs: Number(pageMs.toFixed(2)),
        pageFloorMs: Number(floorPageMs.toFixed(2)),
        pageTotal: page.total,
        getAssessmentMs: Number(assessmentMs.toFixed(1)),
        getAssessmentFloorMs: Number(floorAssessmentMs.toFixed(1)),
      };
      console.log(`BENCH_JSON ${JSON.stringify(line)}`);
    }
  } finally {
    if (args.keep) console.log(`kept     ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, main);
