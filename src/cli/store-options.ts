import type { Command } from 'commander';
import type { Assessment } from '../core/model.ts';
import { StoreError } from '../store/errors.ts';
import { displayStore, openStoreFor, STORE_URL_ENV } from '../store/open.ts';
import type { SqlStore } from '../store/store.ts';
import type { AssayConfig } from './config.ts';

/**
 * Where the history lives and when a scan is saved, shared by `scan --save` and the history
 * commands. A store spec is a DuckDB file path or a `postgres://` URL (src/store/open.ts); the
 * driver is imported only when a store is opened, so a scan that does not save loads neither.
 */

export const DEFAULT_STORE = '.assay/assay.duckdb';
/** How long to wait for another process holding the store, in milliseconds (tests shorten it). */
export const STORE_WAIT_ENV = 'ASSAY_STORE_WAIT_MS';

export interface StoreFlags {
  store?: string;
}

export function addStoreOption(command: Command): Command {
  return command.option(
    '--store <file|url>',
    `history database: a DuckDB file or a postgres:// URL (default: $${STORE_URL_ENV}, else config store.path, else ${DEFAULT_STORE})`,
  );
}

/** The store spec: `--store`, else $ASSAY_STORE_URL, else config `store.path`, else the default file. */
export function storePath(flags: StoreFlags, config: AssayConfig): string {
  const fromEnv = process.env[STORE_URL_ENV];
  return (
    flags.store ??
    (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined) ??
    config.store?.path ??
    DEFAULT_STORE
  );
}

function waitMs(): number | undefined {
  const v = Number(process.env[STORE_WAIT_ENV]);
  return Number.isFinite(v) && v >= 0 && process.env[STORE_WAIT_ENV] !== '' ? v : undefined;
}

export async function openHistory(path: string, readOnly: boolean): Promise<SqlStore> {
  const wait = waitMs();
  return openStoreFor(path, { readOnly, ...(wait !== undefined ? { waitMs: wait } : {}) });
}

export interface SaveFlags extends StoreFlags {
  save?: boolean;
  label?: string;
}

/**
 * Saves the assessment when asked: `--save`/`--no-save`, else config `store.save`, else on
 * whenever a project config was loaded. Returns false when the save failed (the message is
 * printed; reports are already written, so nothing is lost).
 */
export async function saveScan(
  assessment: Assessment,
  flags: SaveFlags,
  config: AssayConfig,
  configFile: string | undefined,
): Promise<boolean> {
  const save = flags.save ?? config.store?.save ?? configFile !== undefined;
  if (!save) return true;
  const path = storePath(flags, config);
  let store: SqlStore | undefined;
  try {
    store = await openHistory(path, false);
    const saved = await store.saveAssessment(
      assessment,
      flags.label !== undefined ? { label: flags.label } : {},
    );
    process.stderr.write(`assay: saved as run ${saved.run} in ${displayStore(path)}\n`);
    return true;
  } catch (err) {
    const message =
      err instanceof StoreError ? err.message : `could not save to ${displayStore(path)}: ${String(err)}`;
    process.stderr.write(`assay: ${message}; the reports were written, the run was not saved\n`);
    return false;
  } finally {
    await store?.close().catch(() => undefined);
  }
}
