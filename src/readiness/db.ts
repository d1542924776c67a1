/**
 * The SQL connection readiness analytics run on. It is the subset of the store's SqlRunner
 * (src/store/store.ts) that ingest and KPIs need: a run that is not saved opens its own
 * in-memory DuckDB; a saved run loads its cases into the project store (`CaseStore`).
 */
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export interface CaseDb {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
}

/**
 * A database that keeps cases between runs: the project store (its SqlStore satisfies this).
 * Cases are replaced per source in one transaction, so a failed ingest leaves the old ones.
 */
export interface CaseStore extends CaseDb {
  transaction<T>(fn: (sql: CaseDb) => Promise<T>): Promise<T>;
}

export interface OwnedCaseDb extends CaseDb {
  close(): Promise<void>;
}

function toValues(params: unknown[] | undefined): DuckDBValue[] | undefined {
  if (!params) return undefined;
  return params.map((p) => {
    if (p === undefined || p === null) return null;
    if (typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean' || typeof p === 'bigint')
      return p;
    return String(p);
  });
}

/**
 * Memory DuckDB may use before it spills to disk; keeps a 5-million-case run under 2 GB RSS
 * (bench/readiness.ts measures it). A run saved to the store sets the same cap there.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/** Opens DuckDB (in memory unless a path is given). Results come back as plain JS values. */
export async function openCaseDb(
  path = ':memory:',
  options: { memoryLimit?: string } = {},
): Promise<OwnedCaseDb> {
  const instance = await DuckDBInstance.create(path, {
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
  });
  const connection = await instance.connect();
  return {
    async all<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const reader = await connection.runAndReadAll(sql, toValues(params));
      return reader.getRowObjectsJS() as T[];
    },
    async run(sql: string, params?: unknown[]): Promise<void> {
      await connection.run(sql, toValues(params));
    },
    async close(): Promise<void> {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. read_csv options cannot be bound as parameters, so they are quoted here. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
