/**
 * `npm run bench:scale` (issue 18): the ingest bench (ingest.ts), the history-at-scale bench
 * (history.ts) and the queue bench (queue.ts), one after another, then
 * a summary of their ratios and count checks. Ratios and counts are printed, never pass/fail
 * timings; the exit code is 1 only for a crash or a failed count check.
 *
 *   npm run bench:scale -- [--quick] [--only ingest|history|queue] [--json]
 *     ingest:  [--seconds 60] [--floor-seconds 10] [--connections 4] [--repeat-every 50] [--in-process]
 *     history: [--runs 1000] [--findings 5000000] [--seed 10] [--reps 5] [--backend both|duckdb|postgres] [--pg-no-index]
 *
 * --quick scales down to about a minute: ingest 15 s (floor 5 s), history 200 runs and
 * 1,000,000 findings; flags given after it still win.
 *
 * The queue part runs queue.ts's `runQueue` (--quick: 30 jobs on 1 and 2 workers, 2 kills in 20
 * jobs); run bench/scale/queue.ts itself for its own flags.
 */
import { runAsScript } from '../args.ts';
import { HISTORY_DEFAULTS, type HistoryOptions, parseHistoryArgs, runHistory } from './history.ts';
import { INGEST_DEFAULTS, type IngestOptions, parseIngestArgs, runIngest } from './ingest.ts';
import { runQueue } from './queue.ts';

const INGEST_FLAGS = new Set([
  '--seconds',
  '--floor-seconds',
  '--connections',
  '--findings-per-push',
  '--repeat-every',
]);
const HISTORY_FLAGS = new Set(['--runs', '--findings', '--seed', '--reps', '--backend']);

export const QUICK_INGEST: IngestOptions = { ...INGEST_DEFAULTS, seconds: 15, floorSeconds: 5 };
export const QUICK_HISTORY: HistoryOptions = { ...HISTORY_DEFAULTS, runs: 200, findings: 1_000_000, reps: 3 };

type Part = 'ingest' | 'history' | 'queue';

interface Plan {
  parts: Part[];
  quick: boolean;
  ingest: IngestOptions;
  history: HistoryOptions;
}

export function planScale(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const json = argv.includes('--json');
  const ingestArgs: string[] = [];
  const historyArgs: string[] = [];
  let parts: Part[] = ['ingest', 'history', 'queue'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick' || a === '--json' || a === '--') continue;
    if (a === '--only') {
      const p = argv[++i];
      if (p !== 'ingest' && p !== 'history' && p !== 'queue')
        throw new Error(`--only expects ingest, history or queue; got ${p}`);
      parts = [p];
    } else if (a === '--in-process') ingestArgs.push(a);
    else if (a === '--pg-no-index') historyArgs.push(a);
    // The ingest bench's own --findings is per push; here --findings is the history total.
    else if (a === '--findings-per-push') ingestArgs.push('--findings', argv[++i]);
    else if (INGEST_FLAGS.has(a)) ingestArgs.push(a, argv[++i]);
    else if (HISTORY_FLAGS.has(a)) historyArgs.push(a, argv[++i]);
    else throw new Error(`unknown argument ${a} (see the header of bench/scale/index.ts)`);
  }
  return {
    parts,
    quick,
    ingest: { ...parseIngestArgs(ingestArgs, quick ? QUICK_INGEST : INGEST_DEFAULTS), json },
    history: { ...parseHistoryArgs(historyArgs, quick ? QUICK_HISTORY : HISTORY_DEFAULTS), json },
  };
}

/** The queue bench: throughput against its floor, speed-ups, and the SIGKILL fault loop. */
async function runQueuePart(quick: boolean): Promise<{ ok: boolean; line: string }> {
  const ok = await runQueue(quick ? ['--quick'] : []);
  return { ok, line: `queue    figures above; exactly once under SIGKILL: ${ok ? 'yes' : 'NO'}` };
}

export async function runScale(argv: string[]): Promise<boolean> {
  const plan = planScale(argv);
  const summary: string[] = [];
  let ok = true;
  if (plan.parts.includes('ingest')) {
    const r = await runIngest(plan.ingest);
    ok &&= r.countsOk;
    summary.push(
      `ingest   ${r.pushesPerSecond.toFixed(1)} pushes/s, ratio ${r.ratio.toFixed(2)} to the node:http floor; ${r.distinctAcked} acknowledged, ${r.storedRuns} stored (${r.inFlightStored} in flight at stop), counts ${r.countsOk ? 'OK' : 'FAILED'}`,
    );
    console.log('');
  }
  if (plan.parts.includes('history')) {
    const results = await runHistory(plan.history);
    for (const r of results) {
      ok &&= r.countsOk;
      summary.push(
        `history  ${r.backend}: history x${(r.historyMs / r.countMs).toFixed(2)}, diff x${(r.diffMs / r.countMs).toFixed(2)}, trend x${(r.trendMs / r.countMs).toFixed(2)} of count(*) (${r.runs} runs, ${r.findings.toLocaleString('en')} findings), counts ${r.countsOk ? 'OK' : 'FAILED'}`,
      );
    }
    console.log('');
  }
  if (plan.parts.includes('queue')) {
    const q = await runQueuePart(plan.quick);
    ok &&= q.ok;
    summary.push(q.line);
  }
  console.log('summary');
  for (const line of summary) console.log(line);
  return ok;
}

runAsScript(import.meta.url, async () => {
  if (!(await runScale(process.argv.slice(2))))
    throw new Error('a count check failed (see above): runs or findings were lost or duplicated');
});
