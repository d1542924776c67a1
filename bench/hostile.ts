/**
 * Hostile-input benchmark: a scan of a folder holding every hostile template of
 * bench/hostile-corpus.ts (exponential values, 800 x 800 x 800 resource loops, endless
 * evaluation, hidden templates, backtracking arguments) and one good template, with the
 * default budgets, as `assay scan` runs it.
 *
 *   npx tsx bench/hostile.ts [--json]
 *
 * Targets (issue 19): the scan ends within 60 s with a peak memory under 1 GB, and reports the
 * good template. Also printed: each template's time, and the ratio to the floor (reading and
 * JSON.parse of the same files), for information: the floor of a few small files is tiny.
 * Exit 0 whether the targets are met or missed (MISS is printed); 1 on a crash.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { scanAzure } from '../src/azure/scan.ts';
import { runAsScript } from './args.ts';
import { HOSTILE_BUDGETS, writeHostileCorpus } from './hostile-corpus.ts';

const TIME_TARGET_MS = 60_000;
const MEMORY_TARGET_BYTES = 1024 ** 3;
const MB = 1024 * 1024;

function floor(dir: string): number {
  const start = performance.now();
  let keys = 0;
  for (const name of readdirSync(dir))
    keys += Object.keys(JSON.parse(readFileSync(join(dir, name), 'utf8'))).length;
  if (keys === 0) throw new Error('floor parsed nothing');
  return performance.now() - start;
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const dir = mkdtempSync(join(os.tmpdir(), 'assay-hostile-bench-'));
  try {
    const files = writeHostileCorpus(dir);
    floor(dir);
    const floorMs = floor(dir);
    const times: [string, number][] = [];
    let last = performance.now();
    const start = last;
    const cpu = process.cpuUsage();
    const { assessment } = await scanAzure([dir], {
      root: dir,
      bicep: null,
      now: '2025-01-01T00:00:00Z',
      onProgress: (_done, _total, file) => {
        const now = performance.now();
        times.push([file, now - last]);
        last = now;
      },
    });
    const ms = performance.now() - start;
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    const peak = process.resourceUsage().maxRSS * 1024;
    const stopped = assessment.errors.filter((e) => e.code === 'budget-exceeded').map((e) => e.file);
    const goodReported = assessment.findings.some(
      (f) => f.location.file === 'good.json' && f.status === 'fail',
    );
    const expected = Object.keys(HOSTILE_BUDGETS);
    const allStopped = expected.every((f) => stopped.includes(f));

    console.log(`machine  ${os.cpus().length} CPUs, node ${process.version}, ${os.platform()} ${os.arch()}`);
    console.log(
      `corpus   ${files.length} templates (${expected.length} stopped by a budget), generated in ${dir}`,
    );
    for (const [file, t] of times.sort((a, b) => b[1] - a[1]).slice(0, 5))
      console.log(`slowest  ${file}: ${t.toFixed(0)} ms`);
    console.log(`floor    read + JSON.parse: ${floorMs.toFixed(1)} ms`);
    console.log(
      `scan     ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ratio to the floor ${(ms / floorMs).toFixed(0)} (for information)`,
    );
    console.log(
      `time     ${(ms / 1000).toFixed(1)} s  (target <= ${TIME_TARGET_MS / 1000} s)  ${verdict(ms <= TIME_TARGET_MS)}`,
    );
    console.log(
      `memory   peak RSS of the process ${(peak / MB).toFixed(0)} MB  (target < ${MEMORY_TARGET_BYTES / MB} MB)  ${verdict(peak < MEMORY_TARGET_BYTES)}`,
    );
    console.log(
      `result   good.json reported: ${goodReported ? 'yes' : 'NO'}; stopped by a budget: ${stopped.length} of ${expected.length} expected ${verdict(goodReported && allStopped)}`,
    );
    if (json)
      console.log(
        `BENCH_JSON ${JSON.stringify({ bench: 'hostile', ms, cpuMs, floorMs, peakRss: peak, goodReported, stopped })}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, main);
