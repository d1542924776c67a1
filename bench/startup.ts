/**
 * Start-up benchmark (`npm run bench:startup`; `npm run bench` runs it last): how long the
 * `assay` command takes before it does any work, against the floor of starting Node itself.
 *
 * - `assay --version`, as a ratio to `node -e 0` measured in the same run. Target: at most 2.5.
 * - `assay scan` of one template (the bundled landing zone), same floor. Target: at most 5.
 *
 * Both run the compiled CLI (dist/, built first when it is missing or stale); the same two
 * commands from the TypeScript sources (ASSAY_FROM_SOURCE=1) are printed beside them.
 * Each figure is the median of `--reps` runs (default 9), after one warm-up run.
 *
 *   npm run bench:startup -- [--reps 9] [--json]
 *
 * Exit code 0 whether targets are met or missed (MISS is printed); 1 on a crash.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// @ts-expect-error bin/entry.js is plain JavaScript with JSDoc types, outside the TypeScript project.
import { chooseEntry } from '../bin/entry.js';
import { positiveInt, runAsScript } from './args.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'assay.js');
const TEMPLATE = join(ROOT, 'examples', 'azure', 'landing-zone', 'azuredeploy.json');
const TARGETS = { version: 2.5, scan: 5 };

/** Median wall time (ms) of running `args` with node, after one warm-up run. */
function median(args: string[], reps: number, env: Record<string, string> = {}): number {
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--reps');
  const reps = at > 0 ? positiveInt('--reps', process.argv[at + 1]) : 9;
  const json = process.argv.includes('--json');
  if (chooseEntry(pathToFileURL(`${ROOT}/`), process.env) !== 'dist') {
    console.log('dist/ is missing or older than the sources: building it (npm run build)');
    const b = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build.ts')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const floor = median(['-e', '0'], reps);
  const version = median([BIN, '--version'], reps);
  const scan = median([BIN, 'scan', TEMPLATE, '--format', 'json'], reps);
  const fromSource = { ASSAY_FROM_SOURCE: '1' };
  const versionSrc = median([BIN, '--version'], reps, fromSource);
  const scanSrc = median([BIN, 'scan', TEMPLATE, '--format', 'json'], reps, fromSource);
  const rows = [
    { name: 'assay --version', ms: version, ratio: version / floor, target: TARGETS.version },
    { name: 'assay scan (one template)', ms: scan, ratio: scan / floor, target: TARGETS.scan },
    { name: 'assay --version, from sources', ms: versionSrc, ratio: versionSrc / floor },
    { name: 'assay scan, from sources', ms: scanSrc, ratio: scanSrc / floor },
  ];
  if (json) {
    console.log(JSON.stringify({ floorMs: floor, reps, rows }, null, 2));
    return;
  }
  console.log(`start-up, median of ${reps} runs; floor: node -e 0 = ${floor.toFixed(0)} ms`);
  for (const r of rows) {
    const verdict =
      r.target === undefined ? '' : ` (target <= ${r.target}x: ${r.ratio <= r.target ? 'PASS' : 'MISS'})`;
    console.log(`  ${r.name.padEnd(32)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.ratio.toFixed(2)}x${verdict}`);
  }
}

runAsScript(import.meta.url, main);
