/**
 * A marker file beside the store that says "a writer wants this store": DuckDB lets one
 * process own a file for writing, and readers that keep reopening it between requests (the
 * dashboard) could keep a writer (`assay scan --save`) out until its wait runs out. A writer
 * puts the marker down when it finds the store held and takes it away when it closes; a
 * reader that sees it closes promptly and does not reopen until it is gone.
 *
 * The marker holds the writer's pid, so one left by a killed writer is ignored (and removed)
 * rather than keeping readers out for ever.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export function writerWaitingPath(storeFile: string): string {
  return `${storeFile}.writer-waiting`;
}

interface Marker {
  pid: number;
  token: string;
}

function readMarker(path: string): Marker | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
    return typeof value.pid === 'number' && typeof value.token === 'string'
      ? { pid: value.pid, token: value.token }
      : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A writer's claim: `renew` puts the marker back if another writer's withdrawal removed it. */
export interface WriterClaim {
  renew(): void;
  withdraw(): void;
}

/**
 * Puts the marker down for this writer. Failing to write it (a read-only folder) is not an
 * error: the writer then waits as it would without it.
 */
export function announceWriter(storeFile: string): WriterClaim {
  const path = writerWaitingPath(storeFile);
  const token = randomUUID();
  const put = () => {
    try {
      if (readMarker(path)?.token !== token) writeFileSync(path, JSON.stringify({ pid: process.pid, token }));
    } catch {
      // No marker: readers are not told, and the writer still retries its open.
    }
  };
  put();
  let withdrawn = false;
  return {
    renew: () => {
      if (!withdrawn) put();
    },
    withdraw: () => {
      if (withdrawn) return;
      withdrawn = true;
      // Only this writer's own marker: another writer may be waiting too.
      if (readMarker(path)?.token === token) rmSync(path, { force: true });
    },
  };
}

/** Whether a live writer is waiting for (or writing) the store. */
export function writerWaiting(storeFile: string): boolean {
  const path = writerWaitingPath(storeFile);
  const marker = readMarker(path);
  if (!marker) return false;
  if (alive(marker.pid)) return true;
  rmSync(path, { force: true });
  return false;
}
