/**
 * One store contract, run against every backend: DuckDB always, PostgreSQL when a server
 * answers on 127.0.0.1:5432 (user postgres, trust auth, database `test`). Each PostgreSQL
 * store of a test is a schema of its own (`assay_test_<random>_<n>`, chosen by `search_path`
 * in the URL's `options`), dropped when the file's tests end. With no server the PostgreSQL
 * suite is skipped with the reason printed, except under CI=true, where it fails.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { type OpenStoreForOptions, openStoreFor } from '../../src/store/open.ts';
import type { SqlStore } from '../../src/store/store.ts';

/** The test database; ASSAY_TEST_PG_URL names another (a developer's server, or a dead port to see the skip). */
export const PG_ADMIN_URL = process.env.ASSAY_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface StoreBackend {
  name: 'DuckDB' | 'PostgreSQL';
  /** A spec (file path or URL) of a new, empty store. */
  fresh(): Promise<string>;
  open(spec: string, options?: OpenStoreForOptions): Promise<SqlStore>;
  /** How messages name the store of `spec` (a file's base name, a URL's database). */
  named: RegExp;
}

function duckdbBackend(): StoreBackend {
  let dir: string | undefined;
  let n = 0;
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    name: 'DuckDB',
    async fresh() {
      dir ??= mkdtempSync(join(tmpdir(), 'assay-contract-'));
      return join(dir, `s${++n}`, 'assay.duckdb');
    },
    open: (spec, options) => openStoreFor(spec, options),
    named: /assay\.duckdb/,
  };
}

/** Whether PostgreSQL answers; the reason when it does not. */
async function reachPostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${PG_ADMIN_URL} is not reachable (${err instanceof Error ? err.message || String((err as { code?: string }).code) : String(err)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgProblem = await reachPostgres();

/** A URL of the test database whose sessions use `schema`. */
export function schemaUrl(schema: string, password?: string): string {
  const url = new URL(PG_ADMIN_URL);
  if (password !== undefined) url.password = encodeURIComponent(password);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

/** Schemas made for this test file, all dropped when its tests end. */
export function postgresSchemas(): { create(): Promise<string>; drop(): Promise<void> } {
  const prefix = `assay_test_${randomBytes(4).toString('hex')}`;
  const made: string[] = [];
  let admin: pg.Client | undefined;
  const connect = async () => {
    if (!admin) {
      admin = new pg.Client(PG_ADMIN_URL);
      admin.on('error', () => undefined);
      await admin.connect();
    }
    return admin;
  };
  return {
    async create() {
      const schema = `${prefix}_${made.length + 1}`;
      await (await connect()).query(`CREATE SCHEMA ${schema}`);
      made.push(schema);
      return schema;
    },
    async drop() {
      if (!admin) return;
      for (const s of made) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await admin.end();
      admin = undefined;
    },
  };
}

/** Trust authentication ignores it; it is there to show that no message prints it. */
export const TEST_PASSWORD = 'n0t-shown-anywhere';

function postgresBackend(password?: string): StoreBackend {
  const schemas = postgresSchemas();
  after(() => schemas.drop());
  return {
    name: 'PostgreSQL',
    fresh: async () => schemaUrl(await schemas.create(), password),
    open: (spec, options) => openStoreFor(spec, options),
    named: /postgres:\/\/\S+\/test\?/,
  };
}

/**
 * Declares `body`'s tests once per backend, under `<title> (DuckDB)` and `<title> (PostgreSQL)`.
 * The PostgreSQL suite is skipped when no server answers, or fails under CI=true.
 */
export function describeStoreContract(title: string, body: (backend: StoreBackend) => void): void {
  describe(`${title} (DuckDB)`, () => body(duckdbBackend()));
  describeOnPostgres(title, body, {});
}

/**
 * Declares `body`'s tests for PostgreSQL alone, under `<title> (PostgreSQL)`, skipped or failed as
 * above. Its store URLs carry TEST_PASSWORD unless `password` says otherwise.
 */
export function describeOnPostgres(
  title: string,
  body: (backend: StoreBackend) => void,
  options: { password?: string } = { password: TEST_PASSWORD },
): void {
  const name = `${title} (PostgreSQL)`;
  if (pgProblem === undefined) {
    describe(name, () => body(postgresBackend(options.password)));
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs a PostgreSQL server under CI=true', () => {
        assert.fail(`${pgProblem}; CI must run the store tests against PostgreSQL (.ci/run starts it)`);
      });
    });
    return;
  }
  process.stderr.write(`skipping ${name}: ${pgProblem}\n`);
  describe(name, { skip: pgProblem }, () => undefined);
}
