/**
 * Report benchmark: every formatter on a run of a million findings, against a floor measured
 * in the same process: JSON.stringify of each finding, which any report must at least match
 * in work. Each report is drained piece by piece into a counting sink (no disk), as
 * `assay scan --report` writes it; a report that throws is printed as a crash.
 *
 *   npx tsx bench/reports.ts [--findings N] [--runs N] [--json]
 *
 * Target: each report within RATIO_TARGET times the floor, and none crashes. Exit 0 whether
 * the target is met or missed (MISS is printed); 1 on a crash of the benchmark itself.
 * Measured 2026-12-05 on 2 shared CPUs at 100,000 findings: table 3.3x, JSON 2.8x, SARIF 7.9x,
 * JUnit 6.1x, Markdown 5.0x, CSV 3.4x; OSCAL AR 28x and POA&M 17x (MISS: a SHA-1 UUID per
 * observation and about 2 KB of text each; observations are made as they are written).
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type Assessment, type Finding, SEVERITIES, type Status } from '../src/core/model.ts';
import { summarise } from '../src/core/scoring.ts';
import { FORMATS, type ReportFormat, renderPieces } from '../src/report/index.ts';
import { positiveInt, runAsScript } from './args.ts';

const RATIO_TARGET = 8;
const MB = 1024 * 1024;

interface Args {
  findings: number;
  runs: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { findings: 1_000_000, runs: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--findings') args.findings = positiveInt(a, argv[++i]);
    else if (a === '--runs') args.runs = positiveInt(a, argv[++i]);
    else if (a === '--json') args.json = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/reports.ts)`);
  }
  return args;
}

const STATUSES: Status[] = ['fail', 'fail', 'fail', 'pass', 'unknown', 'not-applicable'];

/** A scan's worth of findings over 2,000 files and 40 checks; sub-objects are shared where a scan shares them. */
function syntheticRun(count: number): Assessment {
  const checks = Array.from({ length: 40 }, (_, c) => ({
    id: `AZ-BENCH-${String(c).padStart(3, '0')}`,
    title: `Benchmark check ${c}`,
    severity: SEVERITIES[c % SEVERITIES.length],
    description: 'A check that exists for the report benchmark.',
    rationale: 'Reports must stay fast on large runs.',
    remediation: 'None.',
    controls: [`ISM-${1000 + c}`],
    resourceTypes: ['Microsoft.Storage/storageAccounts'],
  }));
  const findings: Finding[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const check = checks[i % checks.length];
    const status = STATUSES[i % STATUSES.length];
    findings[i] = {
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      status,
      subject: {
        id: `/subscriptions/s/resourceGroups/rg/providers/x/st${i}`,
        type: 'Microsoft.Storage/storageAccounts',
        name: `st${i}`,
      },
      message: status === 'pass' ? 'setting is as required' : `st${i} allows public network access`,
      location: { file: `templates/t${i % 2000}.json`, line: 1 + (i % 500), column: 5 },
      controls: check.controls,
      ...(status === 'unknown' ? { evidence: { reason: 'a parameter without a value' } } : {}),
    } as Finding;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'assay', version: 'bench' },
    id: 'bench',
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    domain: 'azure',
    root: 'bench',
    inputs: Array.from({ length: 2000 }, (_, f) => ({
      file: `templates/t${f}.json`,
      kind: 'arm-template',
      sha256: 'a'.repeat(64),
    })),
    checks,
    subjects: [],
    findings,
    errors: [],
    notes: [],
    summary: summarise(findings, count),
  } as unknown as Assessment;
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const fn = vm.runInNewContext('gc') as (() => void) | undefined;
  return typeof fn === 'function' ? fn : () => {};
})();

function floor(assessment: Assessment): { ms: number; chars: number } {
  gc();
  const start = performance.now();
  let chars = 0;
  for (const f of assessment.findings) chars += JSON.stringify(f).length;
  return { ms: performance.now() - start, chars };
}

function drain(
  format: ReportFormat,
  assessment: Assessment,
): { ms: number; chars: number; peakMb: number; error?: string } {
  gc();
  const start = performance.now();
  let chars = 0;
  let peak = 0;
  let n = 0;
  try {
    for (const piece of renderPieces(format, assessment, { color: false })) {
      chars += piece.length;
      if ((++n & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
  } catch (err) {
    return {
      ms: performance.now() - start,
      chars,
      peakMb: peak / MB,
      error: err instanceof Error ? err.message : String(err),
    };
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms: performance.now() - start, chars, peakMb: peak / MB };
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const args = parseArgs(argv);
  console.log(`\nassay report benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine  ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`,
  );
  const assessment = syntheticRun(args.findings);
  const f = floor(assessment);
  console.log(
    `floor    JSON.stringify of each of ${args.findings} findings: ${f.ms.toFixed(0)} ms, ${(f.chars / MB).toFixed(0)} M characters`,
  );
  const results: Record<string, { ms: number; ratio: number; mb: number; peakMb: number; error?: string }> =
    {};
  let missed = 0;
  for (const format of FORMATS) {
    const runs = Array.from({ length: args.runs }, () => drain(format, assessment));
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const ratio = best.ms / f.ms;
    const ok = !best.error && ratio <= RATIO_TARGET;
    if (!ok) missed++;
    results[format] = {
      ms: best.ms,
      ratio,
      mb: best.chars / MB,
      peakMb: best.peakMb,
      ...(best.error ? { error: best.error } : {}),
    };
    console.log(
      `${format.padEnd(10)} ${best.error ? `CRASH ${best.error}` : `${best.ms.toFixed(0)} ms, ${(best.chars / MB).toFixed(0)} M characters, ${ratio.toFixed(1)}x the floor, peak RSS ${best.peakMb.toFixed(0)} MB`} ${ok ? 'ok' : 'MISS'}`,
    );
  }
  console.log(
    `target   every report <= ${RATIO_TARGET}x the floor and none crashes: ${missed === 0 ? 'met' : `MISS (${missed})`}`,
  );
  if (args.json)
    console.log(`BENCH_JSON ${JSON.stringify({ findings: args.findings, floorMs: f.ms, results })}`);
}

runAsScript(import.meta.url, main);
