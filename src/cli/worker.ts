/**
 * `assay worker`: runs queued jobs (src/queue/worker.ts) until SIGTERM or SIGINT, then stops
 * gracefully: no new jobs, running ones finish within `--grace`, the rest are failed and retried.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startWorker } from '../queue/worker.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './errors.ts';
import { addStoreOption, type StoreFlags, storePath } from './store-options.ts';

interface WorkerFlags extends StoreFlags {
  concurrency?: string;
  queueSchema?: string;
  workdir?: string;
  grace?: string;
  poll?: string;
  config?: string;
}

export function registerWorker(program: Command): void {
  addStoreOption(
    program
      .command('worker')
      .description(
        'run queued jobs (assay jobs submit|schedule) and save their runs in the store; any number of workers, on any machines',
      )
      .option('--concurrency <n>', 'jobs run at once by this worker (default: 1)')
      .option(
        '--queue-schema <name>',
        'PostgreSQL schema of the queue (default: $ASSAY_QUEUE_SCHEMA, else assay_jobs)',
      )
      .option('--workdir <dir>', 'where git URLs of InnerSource jobs are cloned (default: .assay/jobs)')
      .option(
        '--grace <seconds>',
        'on SIGTERM/SIGINT, how long running jobs may finish before they are handed back (default: 30)',
      )
      .option('--poll <seconds>', 'how often an idle worker asks for jobs (default: 2)')
      .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)'),
  ).action(async (flags: WorkerFlags) => {
    process.exitCode = await runWorker(flags);
  });
}

export function positiveNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
  whole = true,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n)))
    throw new UsageError(`${flag} expects a positive ${whole ? 'whole ' : ''}number, got '${value}'`);
  return n;
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const { config } = loadConfig(flags.config);
  const concurrency = positiveNumber(flags.concurrency, '--concurrency', 1);
  const grace = positiveNumber(flags.grace, '--grace', 30, false);
  const poll = positiveNumber(flags.poll, '--poll', 2, false);
  if (poll < 0.5) throw new UsageError('--poll is at least 0.5 seconds');
  const worker = await startWorker({
    url: storePath(flags, config),
    ...(flags.queueSchema !== undefined ? { schema: flags.queueSchema } : {}),
    concurrency,
    workdir: resolve(flags.workdir ?? '.assay/jobs'),
    graceMs: grace * 1000,
    pollingSeconds: poll,
    ...queueTimingsFromEnv(),
  });
  const stop = () => {
    void worker.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await worker.stopped;
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  return 0;
}

/**
 * Test and bench knobs (seconds): how soon a dead worker's job is retried
 * (ASSAY_QUEUE_EXPIRE_S), maintenance pace (ASSAY_QUEUE_MAINTENANCE_S), first retry delay
 * (ASSAY_QUEUE_RETRY_DELAY_S). Production keeps the defaults (docs/queue.md).
 */
export function queueTimingsFromEnv(): {
  expireSeconds?: number;
  maintenanceSeconds?: number;
  retryDelay?: number;
  scheduleRefreshMs?: number;
} {
  const num = (name: string): number | undefined => {
    const v = process.env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  };
  const expire = num('ASSAY_QUEUE_EXPIRE_S');
  const maintenance = num('ASSAY_QUEUE_MAINTENANCE_S');
  const retryDelay = num('ASSAY_QUEUE_RETRY_DELAY_S');
  return {
    ...(expire !== undefined && expire >= 1 ? { expireSeconds: expire } : {}),
    ...(maintenance !== undefined && maintenance >= 1
      ? { maintenanceSeconds: maintenance, scheduleRefreshMs: maintenance * 1000 }
      : {}),
    ...(retryDelay !== undefined ? { retryDelay } : {}),
  };
}
