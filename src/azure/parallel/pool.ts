import { Worker } from 'node:worker_threads';
import { packagePath, RUNNING_FROM_SOURCE } from '../../core/package-root.ts';
import type { JobMessage, ResultMessage, RootJob, RootResult, WorkerInit } from './protocol.ts';

/**
 * Starts a worker. Bundled (dist/), the worker is its own compiled entry beside this code.
 * From the sources, the worker registers tsx's loader before importing `worker.ts`; it does not
 * inherit the parent's `execArgv` (`--import tsx` under `node --test`), so the loader is
 * registered exactly once.
 */
function startWorker(init: WorkerInit): Worker {
  if (!RUNNING_FROM_SOURCE) {
    return new Worker(packagePath('dist', 'worker.js'), { execArgv: [], workerData: { init } });
  }
  const boot = [
    "const { workerData } = require('node:worker_threads');",
    'import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });',
  ].join('\n');
  return new Worker(boot, {
    eval: true,
    execArgv: [],
    workerData: {
      tsx: import.meta.resolve('tsx/esm/api'),
      entry: new URL('./worker.ts', import.meta.url).href,
      init,
    },
  });
}

/** A job's outcome: a worker's result, or `main` with what `onMain` returned when the calling thread took it. */
export type JobOutcome<M = never> = RootResult | { ok: 'main'; local: M };

/**
 * Expands root templates in up to `threads` threads, each taking the next job when it is done
 * with one. With `onMain`, the calling thread is one of them: it runs `onMain(index)` for the
 * jobs it takes (it has every template parsed already, so it expands without a second parse)
 * and yields between them so the workers' results are taken in; `threads - 1` workers start.
 * `onResult` is called once per job, in the order they finish; a job whose worker failed gets
 * `ok: false`, so the caller can expand it itself.
 */
export async function expandInWorkers<M = never>(
  jobs: readonly RootJob[],
  init: WorkerInit,
  threads: number,
  onResult: (index: number, result: JobOutcome<M>) => void,
  onMain?: (index: number) => M,
): Promise<void> {
  const queue = jobs.map((_, i) => i);
  // A throw of `onResult` (in an event handler) ends the run and is thrown here, not left uncaught.
  let failure: { error: unknown } | undefined;
  const deliver = (index: number, result: JobOutcome<M>) => {
    if (failure) return;
    try {
      onResult(index, result);
    } catch (error) {
      failure = { error };
      queue.length = 0;
    }
  };
  const run = () =>
    new Promise<void>((resolve) => {
      const worker = startWorker(init);
      let current: number | undefined;
      const fail = (reason: string) => {
        if (current !== undefined) deliver(current, { ok: false, reason });
        current = undefined;
      };
      const next = () => {
        current = queue.shift();
        if (current === undefined) void worker.terminate();
        else worker.postMessage({ index: current, job: jobs[current] as RootJob } satisfies JobMessage);
      };
      worker.on('message', ({ index, result }: ResultMessage) => {
        if (index !== current) return;
        current = undefined;
        deliver(index, result);
        next();
      });
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', () => {
        fail('the worker stopped');
        resolve();
      });
      next();
    });
  const main = async () => {
    if (!onMain) return;
    for (let index = queue.shift(); index !== undefined && !failure; index = queue.shift()) {
      let local: M;
      try {
        local = onMain(index);
      } catch (error) {
        failure = { error };
        queue.length = 0;
        return;
      }
      deliver(index, { ok: 'main', local });
      // Let the workers' results in before the next job.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  const workers = Math.max(1, Math.min(onMain ? threads - 1 : threads, jobs.length));
  await Promise.all([main(), ...Array.from({ length: workers }, run)]);
  // Every worker stopped early: what is left is the caller's.
  for (const index of queue.splice(0)) deliver(index, { ok: false, reason: 'no worker left' });
  if (failure) throw failure.error;
}
