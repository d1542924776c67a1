import type { SqlStore } from './store.ts';

/**
 * The one place a store is opened from a spec: a `postgres://` or `postgresql://` URL opens
 * the PostgreSQL store, anything else is a DuckDB file path. Each driver is imported only when
 * its store is opened, so a run that saves to DuckDB never loads `pg`, and the other way round.
 */

/** The environment variable that names the store when neither `--store` nor a flag does. */
export const STORE_URL_ENV = 'ASSAY_STORE_URL';

export interface OpenStoreForOptions {
  /** Never writes (DuckDB: several readers may share the file; PostgreSQL: a read-only session). */
  readOnly?: boolean;
  /** DuckDB only: how long to retry while another process holds the file. */
  waitMs?: number;
}

const SCHEMES = ['postgres://', 'postgresql://'];

/** Whether the spec names a PostgreSQL database rather than a DuckDB file. */
export function isPostgresSpec(spec: string): boolean {
  const head = spec.slice(0, 16).toLowerCase();
  return SCHEMES.some((s) => head.startsWith(s));
}

export async function openStoreFor(spec: string, options: OpenStoreForOptions = {}): Promise<SqlStore> {
  if (isPostgresSpec(spec)) {
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(spec, { readOnly: options.readOnly === true });
  }
  const { openStore } = await import('./duckdb.ts');
  return openStore(spec, options);
}

/** The store as messages may name it: a file path as given, a URL with its password masked. */
export function displayStore(spec: string): string {
  return isPostgresSpec(spec) ? maskStoreUrl(spec) : spec;
}

/**
 * A PostgreSQL URL without its secrets: the password of the user part and a `password` query
 * parameter become `***`. A URL that does not parse is not shown at all (it could be anything).
 */
export function maskStoreUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url.slice(0, url.indexOf('://') + 3)}(a URL that could not be read)`;
  }
  if (parsed.password !== '') parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()])
    if (key.toLowerCase() === 'password') parsed.searchParams.set(key, '***');
  return parsed.href;
}

/** The password a URL carries (user part or query), to be scrubbed from driver messages. */
export function urlPassword(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const inQuery = [...parsed.searchParams].find(([k]) => k.toLowerCase() === 'password')?.[1];
    const secret = parsed.password !== '' ? decodeURIComponent(parsed.password) : inQuery;
    return secret === '' ? undefined : secret;
  } catch {
    return undefined;
  }
}
