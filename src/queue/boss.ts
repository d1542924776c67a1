/**
 * The job queue: pg-boss on the store's own PostgreSQL database, in a schema of its own
 * (`assay_jobs` unless `--queue-schema` or $ASSAY_QUEUE_SCHEMA says otherwise), so workers need
 * no broker beside the database they save to. One queue takes submitted jobs, one per cron
 * schedule takes that schedule's jobs, and one keeps the dead letters. Everything the queue
 * does goes through here, so the names and defaults are in one place (docs/queue.md).
 */
import PgBoss from 'pg-boss';
import { UsageError } from '../cli/errors.ts';
import { isPostgresSpec, maskStoreUrl } from '../store/open.ts';

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

/** The queue's connection settings (only a PostgreSQL store has a queue). */
export function bossConfig(o: QueueOptions): PgBoss.ConstructorOptions {
  if (!isPostgresSpec(o.url))
    throw new UsageError(
      'the job queue needs a PostgreSQL store: --store postgres://... or $ASSAY_STORE_URL (a DuckDB file has no queue)',
    );
  const supervise = o.supervise !== false;
  return {
    connectionString: o.url,
    schema: queueSchema(o.schema),
    application_name: 'assay-queue',
    max: 4,
    supervise,
    schedule: supervise,
    ...(o.maintenanceSeconds !== undefined ? { maintenanceIntervalSeconds: o.maintenanceSeconds } : {}),
    ...(o.pollingSeconds !== undefined ? { cronWorkerIntervalSeconds: Math.max(1, o.pollingSeconds) } : {}),
  };
}

/** Started pg-boss with the jobs and dead-letter queues in place. */
export async function openQueue(o: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss(bossConfig(o));
  // Errors of the background loops (maintenance, polling) are said, never thrown at the process.
  boss.on('error', (err) => process.stderr.write(`assay: queue: ${oneLine(err, o.url)}\n`));
  try {
    await boss.start();
    await ensureQueue(boss, DEAD_QUEUE, {});
    await ensureQueue(boss, JOBS_QUEUE, queueDefaults(o));
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new UsageError(`could not open the job queue in ${maskStoreUrl(o.url)}: ${oneLine(err, o.url)}`);
  }
  return boss;
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

/** An error as one line, with the URL's password never in it. */
export function oneLine(err: unknown, url: string): string {
  let text = err instanceof Error ? err.message : String(err);
  try {
    const password = new URL(url).password;
    if (password.length >= 4) text = text.split(decodeURIComponent(password)).join('***');
  } catch {
    // Not a URL: nothing to hide.
  }
  return text.replace(/\s+/g, ' ').trim();
}
