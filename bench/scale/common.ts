/**
 * What the scale benchmarks share (bench/scale/): the machine line with its load, percentiles,
 * a scratch PostgreSQL schema per run (created here, dropped afterwards), and process figures
 * read from /proc (RSS, CPU seconds) where the platform has it.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';

/** The database the scale benches use; `ASSAY_BENCH_PG_URL` names another. */
export const BENCH_PG_URL = process.env.ASSAY_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

export function machineLine(): string {
  const cpus = os.cpus();
  return `machine  ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, node ${process.version}, ${process.platform} ${process.arch}`;
}

/** The 1, 5 and 15 minute load averages: another job on the machine shows here. */
export function loadLine(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** The q-quantile (0..1) of the samples, nearest rank. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A PostgreSQL URL whose sessions use `schema` (the store creates its tables there). */
export function schemaUrl(schema: string, base = BENCH_PG_URL): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

/** A fresh schema of the bench database: its store URL, and `drop` to remove it with its tables. */
export async function scratchSchema(
  tag: string,
): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `assay_bench_${tag}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 5000 });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    schema,
    url: schemaUrl(schema),
    async drop() {
      const c = new pg.Client(BENCH_PG_URL);
      c.on('error', () => undefined);
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function postgresProblem(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${BENCH_PG_URL} is not reachable (${err instanceof Error ? err.message || String((err as { code?: string }).code) : String(err)})`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface ProcFigures {
  /** Resident set now and at its peak (VmHWM), bytes. */
  rss: number;
  peakRss: number;
  /** User + system CPU seconds used so far. */
  cpuSeconds: number;
}

const TICKS = 100; // USER_HZ: 100 on every Linux kernel node runs on.

/** RSS and CPU time of a process from /proc (Linux); undefined elsewhere. */
export function procFigures(pid: number): ProcFigures | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM'), cpuSeconds: cpuSecondsOf(pid) ?? 0 };
  } catch {
    return undefined;
  }
}

function cpuSecondsOf(pid: number | string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by every process named `postgres` on this machine (the server's
 * backends, whoever they serve): a bench reads it before and after its load.
 */
export function postgresCpuSeconds(): number | undefined {
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const s = cpuSecondsOf(pid);
    if (s !== undefined) {
      total += s;
      found = true;
    }
  }
  return found ? total : undefined;
}
