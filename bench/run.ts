/**
 * `npm run bench`: throughput and memory of the ARM scanner on a generated corpus, against
 * the floor (reading and JSON.parse of the same files) measured in the same process.
 *
 *   npm run bench -- [--count N] [--runs N] [--json] [--force] [--floor-only] [--isolate] [--dir DIR]
 *
 *   --count N     templates in the corpus (default 2000; generated once, then reused)
 *   --runs N      measured runs of the floor and of the scan, after one warm-up each
 *                 (default 3, lowered when a scan is so slow that 3 would not fit ~90 s)
 *   --json        also print one machine-readable line (prefix `BENCH_JSON `)
 *   --force       regenerate the corpus
 *   --floor-only  measure the floor only (while the scanner is not there)
 *   --isolate     diagnostics instead of the measured scan: scan each root template alone and
 *                 list input errors, throws and the slowest templates
 *   --dir DIR     corpus folder (default bench/.corpus/arm; its manifest is DIR.manifest.json)
 *
 * Exit code 0 whether targets are met or missed (MISS is printed); 1 on a crash.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { AzureScanResult } from '../src/azure/scan.ts';
import { isMainScript, positiveInt } from './args.ts';
import { stripJsonc } from './arm/compose.ts';
import {
  BENCH_DIR,
  type CorpusManifest,
  DEFAULT_CORPUS_DIR,
  DEFAULT_COUNT,
  describeCorpus,
  readCorpus,
} from './generate-arm-corpus.ts';

const RATIO_TARGET = 3;
const MEMORY_TARGET_MB = 512;
const FIXED_NOW = '2025-01-01T00:00:00Z';
/** Time the measured scan runs may take together before --runs is lowered (unless given). */
const SCAN_BUDGET_MS = 90_000;
const MB = 1024 * 1024;

interface Args {
  count: number;
  runs: number;
  runsGiven: boolean;
  json: boolean;
  force: boolean;
  floorOnly: boolean;
  isolate: boolean;
  dir: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    count: DEFAULT_COUNT,
    runs: 3,
    runsGiven: false,
    json: false,
    force: false,
    floorOnly: false,
    isolate: false,
    dir: DEFAULT_CORPUS_DIR,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') args.count = positiveInt(a, argv[++i]);
    else if (a === '--runs') {
      args.runs = positiveInt(a, argv[++i]);
      args.runsGiven = true;
    } else if (a === '--json') args.json = true;
    else if (a === '--force') args.force = true;
    else if (a === '--floor-only') args.floorOnly = true;
    else if (a === '--isolate') args.isolate = true;
    else if (a === '--dir') args.dir = resolve(argv[++i]);
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/run.ts)`);
  }
  return args;
}

// --- Memory ------------------------------------------------------------------------

/** Peak RSS seen by sampling (an interval timer, plus every onProgress call of the scan). */
class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  };
  start(intervalMs = 5): void {
    this.sample();
    this.timer = setInterval(this.sample, intervalMs);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }
}

/** A full GC between runs so one run's garbage does not count towards the next run's peak. */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const fn = vm.runInNewContext('gc') as (() => void) | undefined;
  return typeof fn === 'function' ? fn : () => {};
})();

/** `process.resourceUsage().maxRSS` is in kilobytes. */
function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

// --- Floor ---------------------------------------------------------------------------

function walkJson(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walkJson(full, out);
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(full);
  }
  return out;
}

interface FloorRun {
  ms: number;
  /** Process CPU time (user + system, all threads) in ms: less disturbed than wall time on a busy machine. */
  cpuMs: number;
  files: number;
  bytes: number;
}

/**
 * The floor: find every .json file under the corpus, read it and JSON.parse it. Files with
 * comments or trailing commas (listed in the manifest) go through stripJsonc() first, two
 * regular-expression passes, since JSON.parse rejects them and the scanner must read them.
 */
function floorOnce(dir: string, jsonc: Set<string>): FloorRun {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const files = walkJson(dir);
  let bytes = 0;
  let keys = 0;
  for (const file of files) {
    const buf = readFileSync(file);
    bytes += buf.length;
    const text = buf.toString('utf8');
    const rel = relative(dir, file).split(sep).join('/');
    const value = JSON.parse(jsonc.has(rel) ? stripJsonc(text) : text) as Record<string, unknown>;
    keys += Object.keys(value).length;
  }
  const ms = performance.now() - start;
  const cpuMs = cpuSince(cpu);
  if (keys === 0) throw new Error('floor parsed nothing');
  return { ms, cpuMs, files: files.length, bytes };
}

// --- Scan -----------------------------------------------------------------------------

type ScanFn = (paths: string[], options: Record<string, unknown>) => Promise<AzureScanResult>;

interface ScanSummary {
  ms: number;
  cpuMs: number;
  resources: number;
  findings: number;
  byStatus: Record<string, number>;
  templatesScanned: number;
  parameterFiles: number;
  errors: { file: string; code: string; message: string; line?: number }[];
  notes: number;
  peakRss: number;
  /** Worker threads the root templates were expanded in, and how many they expanded. */
  workers: AzureScanResult['workers'];
}

/** One scan; `jobs` 1 (the measured scan, on one thread) unless the parallel run asks for more. */
async function scanOnce(scan: ScanFn, dir: string, sampler: RssSampler, jobs = 1): Promise<ScanSummary> {
  gc();
  sampler.peak = 0;
  sampler.start();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let result: AzureScanResult | undefined = await scan([dir], {
    root: dir,
    now: FIXED_NOW,
    jobs,
    onProgress: sampler.sample,
  });
  const ms = performance.now() - start;
  const cpuMs = cpuSince(cpu);
  sampler.stop();
  const a = result.assessment;
  const summary: ScanSummary = {
    ms,
    cpuMs,
    resources: result.resources.length,
    findings: a.findings.length,
    byStatus: { ...a.summary.byStatus },
    templatesScanned: a.inputs.filter((i) => i.kind === 'arm-template').length,
    parameterFiles: a.inputs.filter((i) => i.kind === 'arm-parameters').length,
    errors: a.errors.map((e) => ({ file: e.file, code: e.code, message: e.message, line: e.line })),
    notes: a.notes.length,
    peakRss: sampler.peak,
    workers: result.workers,
  };
  result = undefined;
  return summary;
}

// --- Statistics and output -------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The commit measured, and whether src/ had uncommitted changes (the scanner is worked on while benched). */
function revision(): string {
  try {
    const git = (...a: string[]) =>
      execFileSync('git', a, {
        cwd: BENCH_DIR,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', '../src').length > 0;
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

/** 1-minute load average: on a shared 2-core machine anything well above 2 means the numbers are inflated. */
const loadAverage = (): string => os.loadavg()[0].toFixed(2);
const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;
const fmtMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function ensureCorpusInChild(args: Args): { manifest: CorpusManifest; generated: boolean; ms: number } {
  const start = performance.now();
  const existing = args.force ? undefined : readCorpus(args.dir, args.count);
  if (existing) return { manifest: existing, generated: false, ms: performance.now() - start };
  // Generate in a child process so generation's memory does not count towards this process's maxRSS.
  const script = join(BENCH_DIR, 'generate-arm-corpus.ts');
  const cliArgs = [script, '--count', String(args.count), '--out', args.dir, '--force'];
  execFileSync(process.execPath, [...process.execArgv, ...cliArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const manifest = readCorpus(args.dir, args.count);
  if (!manifest) throw new Error('corpus generation did not leave a usable manifest');
  return { manifest, generated: true, ms: performance.now() - start };
}

/** Input errors by code: distinct (file, line, message) with how often each was reported. */
function groupErrors(errors: ScanSummary['errors']): string[] {
  const byCode = new Map<string, Map<string, number>>();
  const files = new Map<string, Set<string>>();
  for (const e of errors) {
    const distinct = byCode.get(e.code) ?? new Map<string, number>();
    const key = `${e.file}${e.line ? `:${e.line}` : ''}  ${e.message}`;
    distinct.set(key, (distinct.get(key) ?? 0) + 1);
    byCode.set(e.code, distinct);
    const f = files.get(e.code) ?? new Set<string>();
    f.add(e.file);
    files.set(e.code, f);
  }
  const lines: string[] = [];
  for (const [code, distinct] of [...byCode].sort((a, b) => b[1].size - a[1].size)) {
    const total = [...distinct.values()].reduce((s, n) => s + n, 0);
    lines.push(
      `  ${code}: ${total} reported, ${distinct.size} distinct, in ${files.get(code)?.size ?? 0} files`,
    );
    for (const [key, n] of [...distinct].slice(0, 4)) lines.push(`    ${key}${n > 1 ? `  (x${n})` : ''}`);
    if (distinct.size > 4) lines.push(`    ... ${distinct.size - 4} more`);
  }
  return lines;
}

/**
 * Diagnostics: every root template scanned alone (with its parameter file when it has one;
 * linked templates are followed by the scanner). Collects input errors by code with the
 * templates they occur in, throws, and the slowest templates.
 */
async function isolate(scan: ScanFn, dir: string, manifest: CorpusManifest): Promise<void> {
  const paths = new Set(manifest.files.map((f) => f.path));
  const roots = manifest.files.filter((f) => f.kind === 'template' && !f.path.includes('/linked/'));
  const timings: { path: string; ms: number; resources: number }[] = [];
  const errors: ScanSummary['errors'] = [];
  const throws: string[] = [];
  let resources = 0;
  let findings = 0;
  const byCheck = new Map<string, number>();
  for (const f of roots) {
    const params = f.path.replace(/\.json$/, '.parameters.json');
    const inputs = [join(dir, f.path), ...(paths.has(params) ? [join(dir, params)] : [])];
    const start = performance.now();
    try {
      const r = await scan(inputs, { root: dir, now: FIXED_NOW });
      timings.push({ path: f.path, ms: performance.now() - start, resources: r.resources.length });
      resources += r.resources.length;
      findings += r.assessment.findings.length;
      for (const x of r.assessment.findings) byCheck.set(x.checkId, (byCheck.get(x.checkId) ?? 0) + 1);
      for (const e of r.assessment.errors)
        errors.push({ file: e.file, code: e.code, message: e.message, line: e.line });
    } catch (e) {
      throws.push(`${f.path}: ${(e as Error).stack ?? String(e)}`);
    }
  }
  timings.sort((a, b) => b.ms - a.ms);
  const totalMs = timings.reduce((sum, t) => sum + t.ms, 0);
  console.log(
    `isolate  ${roots.length} root templates scanned one by one: ${fmtMs(totalMs)} in total, ${resources} resources, ${findings} findings, ${errors.length} input errors, ${throws.length} throws`,
  );
  const top = [...byCheck]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  console.log(`  most findings: ${top}`);
  for (const line of groupErrors(errors)) console.log(line);
  for (const line of throws.slice(0, 20)) console.log(`  THROWS ${line}`);
  console.log('  slowest:');
  for (const t of timings.slice(0, 10)) {
    const bytes = manifest.files.find((f) => f.path === t.path)?.bytes ?? 0;
    console.log(`    ${t.path}  ${fmtMs(t.ms)}  ${(bytes / 1024).toFixed(0)} KB  ${t.resources} resources`);
  }
}

export async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${fmtMb(os.totalmem())} RAM, node ${process.version}, ${process.platform} ${process.arch}`;
  console.log(`assay ARM scanner benchmark, ${new Date().toISOString()}`);
  const rev = revision();
  console.log(`machine  ${machine}, load average ${loadAverage()}`);
  console.log(`code     ${rev}`);

  const corpus = ensureCorpusInChild(args);
  const m = corpus.manifest;
  const rel = relative(process.cwd(), args.dir) || '.';
  console.log(
    `corpus   ${rel} (${corpus.generated ? `generated in ${(corpus.ms / 1000).toFixed(1)} s` : 'reused'}, digest ${m.digest.slice(0, 12)})`,
  );
  for (const line of describeCorpus(m).split('\n')) console.log(`         ${line}`);

  const jsonc = new Set(m.files.filter((f) => f.jsonc).map((f) => f.path));
  // Floor: one warm-up, then `runs` measured runs; the median is reported.
  floorOnce(args.dir, jsonc);
  const floorRuns: FloorRun[] = [];
  for (let i = 0; i < args.runs; i++) {
    gc();
    floorRuns.push(floorOnce(args.dir, jsonc));
  }
  const floorMs = median(floorRuns.map((r) => r.ms));
  const floorCpuMs = median(floorRuns.map((r) => r.cpuMs));
  const files = floorRuns[0].files;
  const bytes = floorRuns[0].bytes;
  console.log(
    `floor    read + JSON.parse of ${files} .json files (${fmtMb(bytes)}; ${jsonc.size} with comments/trailing commas stripped by regex first): median ${fmtMs(floorMs)} of ${args.runs} [${floorRuns.map((r) => r.ms.toFixed(0)).join(', ')}] after 1 warm-up`,
  );
  if (args.floorOnly) return;

  const { scanAzure } = (await import('../src/azure/scan.ts')) as { scanAzure: ScanFn };
  if (args.isolate) {
    await isolate(scanAzure, args.dir, m);
    return;
  }
  const sampler = new RssSampler();
  const warm = await scanOnce(scanAzure, args.dir, sampler);
  // Measured runs: `runs` after the warm-up. When a scan is so slow that they would not fit the
  // budget (and --runs was not given), fewer; when even one would not, the warm-up run is the measurement.
  let runs = args.runs;
  let coldOnly = false;
  if (!args.runsGiven && warm.ms * runs > SCAN_BUDGET_MS) {
    runs = Math.floor(SCAN_BUDGET_MS / warm.ms);
    coldOnly = runs === 0;
    console.log(
      `note     one scan takes ${fmtMs(warm.ms)}: ${coldOnly ? 'reporting that first (cold) run, not repeating it' : `measuring ${runs} run(s) instead of ${args.runs}`} (--runs N to insist)`,
    );
  }
  const scanRuns: ScanSummary[] = [];
  for (let i = 0; i < runs; i++) scanRuns.push(await scanOnce(scanAzure, args.dir, sampler));
  if (coldOnly) scanRuns.push(warm);
  const scanMs = median(scanRuns.map((r) => r.ms));
  const scanCpuMs = median(scanRuns.map((r) => r.cpuMs));
  const cpuRatio = scanCpuMs / floorCpuMs;
  const bestScanMs = Math.min(...scanRuns.map((r) => r.ms));
  const bestFloorMs = Math.min(...floorRuns.map((r) => r.ms));
  const bestRatio = bestScanMs / bestFloorMs;
  const last = scanRuns[scanRuns.length - 1];
  const peakSampled = Math.max(warm.peakRss, ...scanRuns.map((r) => r.peakRss));
  const maxRss = maxRssBytes();
  const peak = Math.max(peakSampled, maxRss);
  const ratio = scanMs / floorMs;
  const templates = m.templates;
  const templatesPerS = templates / (scanMs / 1000);
  const mbPerS = bytes / MB / (scanMs / 1000);

  console.log(
    coldOnly
      ? `scan     scanAzure([corpus], { root: corpus, now: ${FIXED_NOW}, jobs: 1 }): ${fmtMs(scanMs)}, 1 cold run (no warm-up)`
      : `scan     scanAzure([corpus], { root: corpus, now: ${FIXED_NOW}, jobs: 1 }): median ${fmtMs(scanMs)} of ${runs} [${scanRuns.map((r) => r.ms.toFixed(0)).join(', ')}] after 1 warm-up (${fmtMs(warm.ms)})`,
  );
  const status = Object.entries(last.byStatus)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `result   templates ${templates} (${last.templatesScanned} read as templates, ${last.parameterFiles} parameter files), resources ${last.resources}, findings ${last.findings} (${status}), input errors ${last.errors.length}, notes ${last.notes}`,
  );
  if (last.errors.length > 0) for (const line of groupErrors(last.errors)) console.log(line);
  console.log(`speed    ${templatesPerS.toFixed(0)} templates/s, ${mbPerS.toFixed(1)} MB/s`);
  console.log(
    `ratio    scan / floor = ${fmtMs(scanMs)} / ${fmtMs(floorMs)} = ${ratio.toFixed(2)}  (target <= ${RATIO_TARGET})  ${verdict(ratio <= RATIO_TARGET)}`,
  );
  console.log(
    `         on CPU time: ${fmtMs(scanCpuMs)} / ${fmtMs(floorCpuMs)} = ${cpuRatio.toFixed(2)} (process user+system time, steadier when the machine is shared)`,
  );
  console.log(
    `         best runs: ${fmtMs(bestScanMs)} / ${fmtMs(bestFloorMs)} = ${bestRatio.toFixed(2)} (fastest scan over fastest floor, least disturbed by other load)`,
  );
  console.log(
    `memory   peak RSS ${fmtMb(peak)} (sampled during scans ${fmtMb(peakSampled)}, process maxRSS ${fmtMb(maxRss)})  (target < ${MEMORY_TARGET_MB} MB)  ${verdict(peak < MEMORY_TARGET_MB * MB)}`,
  );

  console.log(`load     1-minute load average now ${loadAverage()} (${os.cpus().length} CPUs)`);
  // Where the time goes: the same scan with no checks (discovery, parsing, expansion, assessment).
  const bare = await scanOnce((p, o) => scanAzure(p, { ...o, checks: [] }), args.dir, sampler);
  console.log(
    `breakdown scan without checks (checks: []): ${fmtMs(bare.ms)} = ${(bare.ms / floorMs).toFixed(2)} x floor (CPU ${fmtMs(bare.cpuMs)} = ${(bare.cpuMs / floorCpuMs).toFixed(2)} x); checks and findings: ~${fmtMs(Math.max(0, scanMs - bare.ms))} (${bare.resources} resources; 1 run, informational)`,
  );

  // The same scan with a worker per core (`--jobs N`, opt-in): wall time against one job.
  const cores = os.availableParallelism();
  let parallel: { jobs: number; ms: number; speedup: number; templatesInWorkers: number } | undefined;
  if (cores > 1) {
    const run = await scanOnce(scanAzure, args.dir, sampler, cores);
    parallel = {
      jobs: cores,
      ms: run.ms,
      speedup: scanMs / run.ms,
      templatesInWorkers: run.workers.templates,
    };
    console.log(
      `jobs     --jobs ${cores}: ${fmtMs(run.ms)} against ${fmtMs(scanMs)} with one job = ${parallel.speedup.toFixed(2)} x faster (${run.workers.threads} workers expanded ${run.workers.templates} root templates; 1 run, informational; memory above is the one-job scan's)`,
    );
  }

  if (args.json) {
    const line = {
      benchmark: 'arm-scan',
      date: new Date().toISOString(),
      revision: rev,
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      corpus: {
        digest: m.digest,
        generatorVersion: m.generatorVersion,
        templates,
        parameterFiles: m.parameterFiles,
        files,
        bytes,
      },
      resources: last.resources,
      findings: last.findings,
      byStatus: last.byStatus,
      inputErrors: last.errors.length,
      runs: scanRuns.length,
      statistic: coldOnly ? 'single cold run' : 'median',
      scanMs: Math.round(scanMs),
      scanRunsMs: scanRuns.map((r) => Math.round(r.ms)),
      warmupScanMs: Math.round(warm.ms),
      coldOnly,
      scanWithoutChecksMs: Math.round(bare.ms),
      scanWithoutChecksCpuMs: Math.round(bare.cpuMs),
      floorMs: Math.round(floorMs),
      floorRunsMs: floorRuns.map((r) => Math.round(r.ms)),
      scanCpuMs: Math.round(scanCpuMs),
      floorCpuMs: Math.round(floorCpuMs),
      cpuRatio: Number(cpuRatio.toFixed(3)),
      bestScanMs: Math.round(bestScanMs),
      bestFloorMs: Math.round(bestFloorMs),
      bestRatio: Number(bestRatio.toFixed(3)),
      templatesPerSecond: Math.round(templatesPerS),
      mbPerSecond: Number(mbPerS.toFixed(2)),
      ratio: Number(ratio.toFixed(3)),
      ratioTarget: RATIO_TARGET,
      ratioPass: ratio <= RATIO_TARGET,
      peakRssMb: Number((peak / MB).toFixed(1)),
      sampledPeakRssMb: Number((peakSampled / MB).toFixed(1)),
      maxRssMb: Number((maxRss / MB).toFixed(1)),
      memoryTargetMb: MEMORY_TARGET_MB,
      memoryPass: peak < MEMORY_TARGET_MB * MB,
      ...(parallel
        ? {
            parallelJobs: parallel.jobs,
            parallelScanMs: Math.round(parallel.ms),
            parallelSpeedup: Number(parallel.speedup.toFixed(3)),
            parallelTemplates: parallel.templatesInWorkers,
          }
        : {}),
    };
    console.log(`BENCH_JSON ${JSON.stringify(line)}`);
  }
}

if (isMainScript(import.meta.url)) {
  main().then(
    () => {
      // The readiness benchmark (support cases to KPIs) follows, in its own process.
      try {
        execFileSync(process.execPath, [...process.execArgv, join(BENCH_DIR, 'readiness.ts')], {
          stdio: 'inherit',
        });
        // Then the InnerSource history scan on a 200,000-commit repository, also in its own process.
        const json = process.argv.includes('--json') ? ['--json'] : [];
        execFileSync(process.execPath, [...process.execArgv, join(BENCH_DIR, 'innersource.ts'), ...json], {
          stdio: 'inherit',
        });
        // Then the TRA of a generated 5,000-resource template against its plain scan.
        execFileSync(process.execPath, [...process.execArgv, join(BENCH_DIR, 'tra.ts'), ...json], {
          stdio: 'inherit',
        });
        // Then a folder of hostile templates under the default budgets (60 s, 1 GB), in a process of its own so its peak memory is its own.
        execFileSync(process.execPath, [...process.execArgv, join(BENCH_DIR, 'hostile.ts'), ...json], {
          stdio: 'inherit',
        });
        process.exit(0);
      } catch {
        process.exit(1);
      }
    },
    (err: unknown) => {
      console.error(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
