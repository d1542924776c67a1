/**
 * The InnerSource history-scan benchmark: `scanInnerSource` on a synthetic repository of
 * 200,000 commits (generated with git fast-import, cached under bench/.corpus/) against the
 * floor, a raw `git log --numstat -M` (git's default rename detection, as the scan does) of the same repository read to the end by
 * this process, measured in the same run (alternating, after a warm-up of each).
 * Targets: scan / floor <= 1.3, peak RSS of this process < 512 MB (git runs as its own process).
 *
 *   tsx bench/innersource.ts [--commits N] [--runs N] [--json] [--force]
 *
 * `npm run bench` runs it after the ARM and readiness benchmarks (see bench/run.ts). Exit 0 whether targets are met or not
 * (MISS is printed); 1 on a crash.
 */
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import { join, relative } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { logArgs } from '../src/innersource/git/log.ts';
import { gitEnv } from '../src/innersource/git/run.ts';
import type { InnerSourceReport } from '../src/innersource/scan.ts';
import { MemoryHistoryState } from '../src/innersource/state.ts';
import { positiveInt, runAsScript } from './args.ts';
import {
  BENCH_DIR,
  DEFAULT_COMMITS,
  defaultCorpusDir,
  type InnerSourceCorpus,
  readCorpus,
} from './innersource-corpus.ts';

const RATIO_TARGET = 1.3;
const MEMORY_TARGET_MB = 512;
const MB = 1024 * 1024;
/** Measured runs are lowered when a pair of runs would not fit in this budget. */
const BUDGET_MS = 240_000;

interface Args {
  commits: number;
  runs: number;
  runsGiven: boolean;
  json: boolean;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { commits: DEFAULT_COMMITS, runs: 3, runsGiven: false, json: false, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--commits') args.commits = positiveInt(a, argv[++i]);
    else if (a === '--runs') {
      args.runs = positiveInt(a, argv[++i]);
      args.runsGiven = true;
    } else if (a === '--json') args.json = true;
    else if (a === '--force') args.force = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/innersource.ts)`);
  }
  return args;
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const fn = vm.runInNewContext('gc') as (() => void) | undefined;
  return typeof fn === 'function' ? fn : () => {};
})();

class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  sample = (): void => {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  };
  start(): void {
    this.peak = 0;
    this.sample();
    this.timer = setInterval(this.sample, 10);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}

/**
 * The floor: what reading the history costs before any parsing, in the same environment the
 * scanner uses, with the same diff work (rename detection, git's default and the scan's).
 */
const FLOOR_ARGS = ['log', '--numstat', '-M'];
function floorOnce(repo: string, args = FLOOR_ARGS): Promise<{ ms: number; bytes: number }> {
  return new Promise((res, rej) => {
    const start = performance.now();
    const child = spawn('git', args, {
      cwd: repo,
      env: gitEnv(repo),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    child.on('error', rej);
    child.on('close', (code) =>
      code === 0
        ? res({ ms: performance.now() - start, bytes })
        : rej(new Error(`git log exited with ${code}`)),
    );
  });
}

type Scan = typeof import('../src/innersource/scan.ts').scanInnerSource;

async function scanOnce(scan: Scan, repo: string, sampler: RssSampler, state?: MemoryHistoryState) {
  gc();
  sampler.start();
  const start = performance.now();
  let report: InnerSourceReport | undefined = await scan([repo], {
    root: BENCH_DIR,
    since: null,
    until: new Date('2025-01-01T00:00:00Z'),
    ...(state ? { state } : {}),
    onProgress: sampler.sample,
  });
  const ms = performance.now() - start;
  sampler.stop();
  const r = report.repositories[0];
  const out = {
    ms,
    peak: sampler.peak,
    commitsRead: r?.scan.commitsRead ?? 0,
    historyMs: r?.scan.ms ?? 0,
    mode: r?.scan.mode ?? 'none',
    commits: r?.history.commits ?? 0,
    contributors: r?.history.activeContributors ?? 0,
    botCommits: r?.history.botCommits ?? 0,
    merges: r?.history.merges ?? 0,
    errors: report.assessment.errors.length,
  };
  report = undefined;
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;
const fmtMb = (b: number) => `${(b / MB).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function ensureCorpus(args: Args): { corpus: InnerSourceCorpus; generated: boolean } {
  const dir = defaultCorpusDir(args.commits);
  const existing = args.force ? undefined : readCorpus(dir, args.commits);
  if (existing) return { corpus: existing, generated: false };
  // Generated in a child process, so generation's memory never counts towards this process's peak.
  execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      join(BENCH_DIR, 'innersource-corpus.ts'),
      '--commits',
      String(args.commits),
      '--out',
      dir,
      '--force',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const corpus = readCorpus(dir, args.commits);
  if (!corpus) throw new Error('corpus generation did not leave a usable manifest');
  return { corpus, generated: true };
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const args = parseArgs(argv);
  const git = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\nassay InnerSource history-scan benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine  ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${fmtMb(os.totalmem())} RAM, node ${process.version}, ${git}`,
  );
  const { corpus, generated } = ensureCorpus(args);
  console.log(
    `corpus   ${relative(process.cwd(), corpus.repo)}: ${corpus.commits} commits by ${corpus.people} people and 2 bots, ${corpus.files} files, merges and tags (${generated ? `generated with git fast-import in ${(corpus.generatedMs / 1000).toFixed(1)} s` : 'reused'})`,
  );

  const { scanInnerSource } = await import('../src/innersource/scan.ts');
  const sampler = new RssSampler();
  // Warm-up of each, so both read a warm page cache; then alternate so drift hits both alike.
  const warmFloor = await floorOnce(corpus.repo);
  const warmScan = await scanOnce(scanInnerSource, corpus.repo, sampler);
  let runs = args.runs;
  // A round is the floor, the scan and the scanner's own command unparsed (about as long as the scan).
  const round = warmFloor.ms + 2 * warmScan.ms;
  if (!args.runsGiven && round * runs > BUDGET_MS) {
    runs = Math.max(1, Math.floor(BUDGET_MS / round));
    console.log(`note     a round of measurements takes about ${fmtMs(round)}: measuring ${runs} round(s)`);
  }
  const floors: number[] = [];
  const scans: Awaited<ReturnType<typeof scanOnce>>[] = [];
  // Not the target, but telling: the scanner's own git command read to the end without parsing.
  const ownArgs = logArgs({ range: 'HEAD', bare: true });
  const own: number[] = [];
  for (let i = 0; i < runs; i++) {
    floors.push((await floorOnce(corpus.repo)).ms);
    scans.push(await scanOnce(scanInnerSource, corpus.repo, sampler));
    own.push((await floorOnce(corpus.repo, ownArgs)).ms);
  }
  const ownMs = median(own);
  const floorMs = median(floors);
  const scanMs = median(scans.map((s) => s.ms));
  const last = scans[scans.length - 1];
  const ratio = scanMs / floorMs;

  // Incremental: a full scan into state, then a rescan with HEAD unchanged reads nothing.
  const state = new MemoryHistoryState();
  await scanOnce(scanInnerSource, corpus.repo, sampler, state);
  const rescan = await scanOnce(scanInnerSource, corpus.repo, sampler, state);

  const peakSampled = Math.max(warmScan.peak, ...scans.map((s) => s.peak), rescan.peak);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const peak = Math.max(peakSampled, maxRss);

  console.log(
    `floor    git ${FLOOR_ARGS.join(' ')} (${fmtMb(warmFloor.bytes)} of output, read to the end): median ${fmtMs(floorMs)} of ${runs} [${floors.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  console.log(
    `scan     scanInnerSource([repo], all history): median ${fmtMs(scanMs)} of ${runs} [${scans.map((s) => s.ms.toFixed(0)).join(', ')}]; history pass ${fmtMs(last.historyMs)}`,
  );
  console.log(
    `result   ${last.commitsRead} commits read in one git log; ${last.commits} by people, ${last.merges} merges, ${last.botCommits} by bots; ${last.contributors} contributors after .mailmap; input errors ${last.errors}`,
  );
  console.log(`speed    ${Math.round(last.commitsRead / (scanMs / 1000))} commits/s`);
  console.log(
    `parsing  the scanner's own git log (-z, its format) read without parsing: median ${fmtMs(ownMs)}; scan / that = ${(scanMs / ownMs).toFixed(2)}`,
  );
  console.log(
    `ratio    scan / floor = ${fmtMs(scanMs)} / ${fmtMs(floorMs)} = ${ratio.toFixed(2)}  (target <= ${RATIO_TARGET})  ${verdict(ratio <= RATIO_TARGET)}`,
  );
  console.log(
    `memory   peak RSS ${fmtMb(peak)} (sampled ${fmtMb(peakSampled)}, process maxRSS ${fmtMb(maxRss)}; git is a separate process)  (target < ${MEMORY_TARGET_MB} MB)  ${verdict(peak < MEMORY_TARGET_MB * MB)}`,
  );
  console.log(
    `rescan   HEAD unchanged, watermark in the state: ${fmtMs(rescan.ms)}, ${rescan.commitsRead} commits read (mode ${rescan.mode})`,
  );
  if (args.json) {
    const line = {
      benchmark: 'innersource-scan',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, git },
      corpus: { commits: corpus.commits, head: corpus.head, generatorVersion: corpus.generatorVersion },
      runs,
      statistic: 'median',
      floorMs: Math.round(floorMs),
      floorRunsMs: floors.map(Math.round),
      scanMs: Math.round(scanMs),
      scanRunsMs: scans.map((s) => Math.round(s.ms)),
      commitsRead: last.commitsRead,
      ratio: Number(ratio.toFixed(3)),
      ratioTarget: RATIO_TARGET,
      ratioPass: ratio <= RATIO_TARGET,
      peakRssMb: Number((peak / MB).toFixed(1)),
      memoryTargetMb: MEMORY_TARGET_MB,
      memoryPass: peak < MEMORY_TARGET_MB * MB,
      unchangedRescanMs: Math.round(rescan.ms),
      ownCommandUnparsedMs: Math.round(ownMs),
    };
    console.log(`BENCH_JSON ${JSON.stringify(line)}`);
  }
}

runAsScript(import.meta.url, main);
