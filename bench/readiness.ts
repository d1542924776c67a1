/**
 * Readiness benchmark: ingest N synthetic support cases (default 5,000,000) from CSV and
 * compute every KPI, against the floor: the same CSV loaded by DuckDB's read_csv straight
 * into the case table and the same KPI SQL, with nothing of assay around it.
 *
 *   npx tsx bench/readiness.ts [--count N] [--force] [--json]
 *
 * The corpus is generated once by DuckDB into bench/.corpus/ (git-ignored), deterministic.
 * Each side runs in its own child process so its peak RSS is its own. Targets: ratio <= 1.5,
 * peak RSS < 2 GB. Exit 0 whether targets are met or missed (MISS is printed); 1 on a crash.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCaseDb, sqlString } from '../src/readiness/db.ts';
import { CASES_TABLE, ingestCases } from '../src/readiness/ingest.ts';
import { computeKpis, kpiSql } from '../src/readiness/kpis.ts';
import { resolveMapping } from '../src/readiness/mapping.ts';
import { positiveInt } from './args.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(HERE, '.corpus');
const RATIO_TARGET = 1.5;
const MEMORY_TARGET_MB = 2048;
const AS_OF = new Date('2025-07-01T00:00:00Z');
const MB = 1024 * 1024;

interface Args {
  count: number;
  force: boolean;
  json: boolean;
  phase?: 'floor' | 'assay';
  file?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 5_000_000, force: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') args.count = positiveInt(a, argv[++i]);
    else if (a === '--force') args.force = true;
    else if (a === '--json') args.json = true;
    else if (a === '--phase') args.phase = argv[++i] as Args['phase'];
    else if (a === '--file') args.file = argv[++i];
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/readiness.ts)`);
  }
  return args;
}

/**
 * Synthetic cases over 26 weeks and three clouds, from a hash of the row number (so the file
 * is the same on every machine): priorities, groups, response and resolution times, SLA,
 * reopens and reassignments; about 2% still open.
 */
async function generate(file: string, count: number): Promise<void> {
  const db = await openCaseDb();
  const tmp = `${file}.tmp`;
  const h = (salt: number) => `(hash(i * 7919 + ${salt}) % 1000000) / 1000000.0`;
  try {
    await db.run(`COPY (
      WITH r AS (SELECT i, ${h(1)} AS a, ${h(2)} AS b, ${h(3)} AS c, ${h(4)} AS d, ${h(5)} AS e, ${h(6)} AS f FROM range(${count}) t(i)),
      x AS (SELECT i, a, b, c, d, e, f,
        TIMESTAMP '2024-12-30 00:00:00' + to_seconds((a * 182 * 86400)::BIGINT) AS opened,
        CASE WHEN b < 0.05 THEN '1 - Critical' WHEN b < 0.25 THEN '2 - High' WHEN b < 0.75 THEN '3 - Moderate' ELSE '4 - Low' END AS priority
        FROM r)
      SELECT 'CS' || i AS id,
        CASE i % 3 WHEN 0 THEN 'fr-partner' WHEN 1 THEN 'de-partner' ELSE 'sg-gcc' END AS cloud,
        priority,
        'Group ' || (i % 50) AS assignment_group,
        CASE WHEN f < 0.02 THEN 'In Progress' ELSE 'Resolved' END AS state,
        strftime(opened, '%Y-%m-%d %H:%M:%S') AS opened_at,
        strftime(opened + to_seconds((60 + c * 7200)::BIGINT), '%Y-%m-%d %H:%M:%S') AS first_response_at,
        CASE WHEN f < 0.02 THEN '' ELSE strftime(opened + to_seconds((3600 + d * d * 259200)::BIGINT), '%Y-%m-%d %H:%M:%S') END AS resolved_at,
        '' AS closed_at,
        CASE WHEN f < 0.02 THEN '' WHEN d < 0.93 THEN 'true' ELSE 'false' END AS sla_met,
        CASE WHEN e < 0.03 THEN 1 ELSE 0 END AS reopen_count,
        CASE WHEN e > 0.85 THEN 1 + (i % 2) ELSE 0 END AS reassignment_count
      FROM x) TO ${sqlString(tmp)} (HEADER, DELIMITER ',')`);
  } finally {
    await db.close();
  }
  renameSync(tmp, file);
}

const CASE_COLUMNS = `{'id': 'VARCHAR', 'cloud': 'VARCHAR', 'priority': 'VARCHAR', 'assignment_group': 'VARCHAR', 'state': 'VARCHAR',
  'opened_at': 'TIMESTAMP', 'first_response_at': 'TIMESTAMP', 'resolved_at': 'TIMESTAMP', 'closed_at': 'TIMESTAMP',
  'sla_met': 'BOOLEAN', 'reopen_count': 'INTEGER', 'reassignment_count': 'INTEGER'}`;

/** The floor: DuckDB reads the CSV into the case table as it is, then the same KPI SQL. */
async function floor(file: string): Promise<{ ms: number; rows: number; cases: number }> {
  const db = await openCaseDb();
  try {
    const start = performance.now();
    await db.run(`CREATE TABLE ${CASES_TABLE} AS SELECT id, cloud, priority, assignment_group AS grp, state, opened_at,
      first_response_at, resolved_at, closed_at, coalesce(resolved_at, closed_at) AS done_at, sla_met, reopen_count,
      reassignment_count, 1 AS events,
      -- The support columns the generated export has no column for, as ingest leaves them.
      NULL::VARCHAR AS category, NULL::VARCHAR AS ci, NULL::VARCHAR AS channel, NULL::BOOLEAN AS response_sla_met,
      NULL::TIMESTAMP AS response_due_at, NULL::BOOLEAN AS first_contact_resolved, NULL::BOOLEAN AS escalated,
      NULL::BOOLEAN AS csat_satisfied
      FROM read_csv(${sqlString(file)}, header = true, auto_detect = false, columns = ${CASE_COLUMNS}, nullstr = '')`);
    const rows = await db.all(kpiSql(AS_OF));
    const ms = performance.now() - start;
    const [{ n }] = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${CASES_TABLE}`);
    return { ms, rows: rows.length, cases: Number(n) };
  } finally {
    await db.close();
  }
}

/** assay: ingest through the generic mapping (typed read, rejects, consolidation), then computeKpis. */
async function assay(
  file: string,
): Promise<{ ms: number; rows: number; cases: number; ingestMs: number; bad: number }> {
  const db = await openCaseDb();
  try {
    const start = performance.now();
    const report = await ingestCases(db, {
      file,
      mapping: resolveMapping({ preset: 'generic', format: 'csv' }),
    });
    const ingestMs = performance.now() - start;
    const rows = await computeKpis(db, { asOf: AS_OF });
    return {
      ms: performance.now() - start,
      rows: rows.length,
      cases: report.cases,
      ingestMs,
      bad: report.badRows.length,
    };
  } finally {
    await db.close();
  }
}

function runPhase(phase: 'floor' | 'assay', file: string): Record<string, number> & { maxRssMb: number } {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, '--file', file],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MB },
  );
  const line = out.split('\n').find((l) => l.startsWith('PHASE '));
  if (!line) throw new Error(`${phase} printed no result`);
  return JSON.parse(line.slice(6)) as Record<string, number> & { maxRssMb: number };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.phase && args.file) {
    const r = args.phase === 'floor' ? await floor(args.file) : await assay(args.file);
    console.log(`PHASE ${JSON.stringify({ ...r, maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB })}`);
    return;
  }
  const machine = `${os.cpus().length} CPUs, ${(os.totalmem() / MB).toFixed(0)} MB RAM, node ${process.version}`;
  console.log(`assay readiness benchmark (support cases -> KPIs), ${new Date().toISOString()}`);
  console.log(`machine  ${machine}`);
  mkdirSync(CORPUS, { recursive: true });
  const file = resolve(CORPUS, `readiness-cases-${args.count}.csv`);
  if (args.force || !existsSync(file)) {
    const t = performance.now();
    await generate(file, args.count);
    console.log(`corpus   generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`corpus   reused ${file}`);
  console.log(`         ${args.count} cases, ${(statSync(file).size / MB).toFixed(0)} MB`);

  // One run each (a run of 5 million cases takes about a minute on 2 cores); the floor goes
  // first, so the page cache is as warm for assay as for it.
  const f = runPhase('floor', file);
  const a = runPhase('assay', file);
  const ratio = a.ms / f.ms;
  const peak = a.maxRssMb;
  const ok = (b: boolean) => (b ? 'PASS' : 'MISS');
  console.log(
    `floor    DuckDB read_csv into the case table + KPI SQL: ${(f.ms / 1000).toFixed(2)} s, ${f.cases} cases, ${f.rows} KPI rows, peak RSS ${f.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `assay    ingest (typed read, rejects, mapping) ${(a.ingestMs / 1000).toFixed(2)} s + KPIs = ${(a.ms / 1000).toFixed(2)} s, ${a.cases} cases, ${a.bad} bad rows, ${a.rows} KPI rows`,
  );
  console.log(
    `ratio    assay / floor = ${ratio.toFixed(2)}  (target <= ${RATIO_TARGET})  ${ok(ratio <= RATIO_TARGET)}`,
  );
  console.log(
    `memory   peak RSS ${peak.toFixed(0)} MB  (target < ${MEMORY_TARGET_MB} MB)  ${ok(peak < MEMORY_TARGET_MB)}`,
  );
  if (a.rows !== f.rows || a.cases !== f.cases)
    console.log('WARNING  assay and the floor disagree on cases or KPI rows');
  if (args.json)
    console.log(
      `BENCH_JSON ${JSON.stringify({ benchmark: 'readiness-kpis', cases: args.count, floorMs: Math.round(f.ms), assayMs: Math.round(a.ms), ingestMs: Math.round(a.ingestMs), ratio: Number(ratio.toFixed(3)), ratioTarget: RATIO_TARGET, peakRssMb: Math.round(peak), memoryTargetMb: MEMORY_TARGET_MB })}`,
    );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
