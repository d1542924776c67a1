/**
 * What the queue tests share: a PostgreSQL store of its own (a schema of the test database) and a
 * pg-boss schema of its own, both dropped when the file's tests end, and short queue timings.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_ADMIN_URL, postgresSchemas, schemaUrl } from '../helpers/store-contract.ts';

export interface QueuePlace {
  /** The store URL (its own schema of the test database). */
  url: string;
  /** The pg-boss schema. */
  schema: string;
}

/** Creates places on demand; `drop()` removes every store and queue schema made. */
export function queuePlaces(): { create(): Promise<QueuePlace>; drop(): Promise<void> } {
  const stores = postgresSchemas();
  const queues: string[] = [];
  return {
    async create() {
      const schema = `assay_q_${randomBytes(5).toString('hex')}`;
      queues.push(schema);
      return { url: schemaUrl(await stores.create()), schema };
    },
    async drop() {
      await stores.drop();
      const admin = new pg.Client(PG_ADMIN_URL);
      admin.on('error', () => undefined);
      await admin.connect();
      try {
        for (const s of queues) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Queue timings for tests: fast polling, maintenance each second, a dead worker's job back after 3 s, no retry delay. */
export const FAST_ENV = {
  ASSAY_QUEUE_EXPIRE_S: '3',
  ASSAY_QUEUE_MAINTENANCE_S: '1',
  ASSAY_QUEUE_RETRY_DELAY_S: '0',
};

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
