/**
 * The job queue: pg-boss on the store's own PostgreSQL database, in a schema of its own
 * (settings.ts), so workers need no broker beside the database they save to. Opening it
 * starts pg-boss (creating its schema the first time) with the jobs and dead-letter queues.
 */
import PgBoss from 'pg-boss';
import { UsageError } from '../cli/errors.ts';
import { isPostgresSpec, maskStoreUrl } from '../store/open.ts';
import { ensureQueues, type QueueOptions, queueSchema } from './settings.ts';

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
    await ensureQueues(boss, o);
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new UsageError(`could not open the job queue in ${maskStoreUrl(o.url)}: ${oneLine(err, o.url)}`);
  }
  return boss;
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
