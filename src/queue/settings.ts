/**
 * The queue's names and defaults, in one place (docs/queue.md), apart from pg-boss itself so
 * that what only reads the queue (the server's dead letters) does not load it. The queue lives
 * in a PostgreSQL schema of its own (`assay_jobs` unless `--queue-schema` or $ASSAY_QUEUE_SCHEMA
 * says otherwise). One queue takes submitted jobs, one per cron schedule takes that schedule's
 * jobs, and one keeps the dead letters.
 */
import type PgBoss from 'pg-boss';
import { UsageError } from '../cli/errors.ts';

export const QUEUE_SCHEMA_ENV = 'ASSAY_QUEUE_SCHEMA';
export const DEFAULT_QUEUE_SCHEMA = 'assay_jobs';
/** Submitted jobs. */
export const JOBS_QUEUE = 'assay-jobs';
/** Jobs that failed every attempt, and payloads that were not valid jobs. */
export const DEAD_QUEUE = 'assay-dead';
/** Each cron schedule has a queue `assay-cron-<project>-<name>`, which pg-boss keys its schedule on. */
export const CRON_PREFIX = 'assay-cron-';

/** Retry defaults: 3 retries, 30 s doubling with jitter (30-60 s, 60-120 s, 120-240 s), then dead. */
export const RETRY_DEFAULTS = { retryLimit: 3, retryDelay: 30, retryBackoff: true } as const;
/** A job still active after this long (its worker died) is failed and retried by maintenance. */
export const EXPIRE_SECONDS = 15 * 60;

export interface QueueOptions {
  /** The store's PostgreSQL URL; the queue lives in the same database. */
  url: string;
  schema?: string;
  /** Tests and benches shorten these; production keeps pg-boss's pace. */
  pollingSeconds?: number;
  maintenanceSeconds?: number;
  expireSeconds?: number;
  retryDelay?: number;
  /** Whether this instance runs cron and maintenance (workers do; one-shot commands need not). */
  supervise?: boolean;
}

export function queueSchema(given?: string): string {
  const schema = given ?? (process.env[QUEUE_SCHEMA_ENV] || DEFAULT_QUEUE_SCHEMA);
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(schema))
    throw new UsageError(
      `a queue schema is 1-50 lower-case letters, digits or '_', not starting with a digit; got '${schema}'`,
    );
  return schema;
}

/** Retries, backoff, expiry and the dead-letter queue, as every job queue has them. */
export function queueDefaults(
  o: Pick<QueueOptions, 'expireSeconds' | 'retryDelay'>,
): Omit<PgBoss.Queue, 'name'> {
  return {
    ...RETRY_DEFAULTS,
    ...(o.retryDelay !== undefined ? { retryDelay: o.retryDelay } : {}),
    expireInSeconds: o.expireSeconds ?? EXPIRE_SECONDS,
    deadLetter: DEAD_QUEUE,
  };
}

export async function ensureQueue(
  boss: PgBoss,
  name: string,
  options: Omit<PgBoss.Queue, 'name'>,
): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (err) {
    // Another worker created it first.
    if (!(await boss.getQueue(name))) throw err;
  }
}

/** The dead-letter queue, then the jobs queue that sends its failures there. */
export async function ensureQueues(
  boss: PgBoss,
  o: Pick<QueueOptions, 'expireSeconds' | 'retryDelay'>,
): Promise<void> {
  await ensureQueue(boss, DEAD_QUEUE, {});
  await ensureQueue(boss, JOBS_QUEUE, queueDefaults(o));
}
