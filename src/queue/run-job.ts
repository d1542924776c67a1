/**
 * Runs one job: the same pipeline as the command of its kind (`scan`, `innersource scan`,
 * `readiness assess`, `scan --azure-subscription`), saving to the worker's store with the job's
 * idempotency key, so a job retried after its worker died saves its run once. A run already
 * saved under the key is not run again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SERVER_MIGRATIONS } from '../server/multi/registry.ts';
import { registerMigrations } from '../store/migrations.ts';
import { openStoreFor } from '../store/open.ts';
import type { SqlStore } from '../store/store.ts';
import type { JobPayload } from './payload.ts';

const run = promisify(execFile);

/** A job that can never succeed (a missing file): dead-lettered at once, not retried. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface JobContext {
  /** The store URL runs are saved to. */
  storeUrl: string;
  /** The same store, open for the worker's look-ups (server migrations registered). */
  store: SqlStore;
  /** Where git URLs are cloned (one folder per URL, fetched again on each run). */
  workdir: string;
}

export interface JobResult {
  run: number;
  /** False when the run was saved before (a retry after the save). */
  saved: boolean;
}

/** The idempotency key of a job: its id, the same on every attempt. */
export function jobKey(id: string): string {
  return `job:${id}`;
}

export async function runJob(id: string, p: JobPayload, ctx: JobContext): Promise<JobResult> {
  const key = jobKey(id);
  const before = await savedRun(ctx.store, key);
  if (before !== undefined) {
    await recordProject(ctx.store, p, before);
    return { run: before, saved: false };
  }
  const out = mkdtempSync(join(tmpdir(), 'assay-job-'));
  try {
    const flags = {
      save: true,
      store: ctx.storeUrl,
      idempotencyKey: key,
      format: 'json',
      output: join(out, 'assessment.json'),
      quiet: true,
      progress: false,
      failOn: 'none',
      ...(p.label !== undefined ? { label: p.label } : {}),
      ...(p.config !== undefined ? { config: p.config } : {}),
    };
    const code = await runKind(p, flags, ctx);
    if (code === 2)
      throw new Error(`the ${p.kind} run stopped without saving (exit 2; the worker's stderr says why)`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const saved = await savedRun(ctx.store, key);
  if (saved === undefined) throw new Error(`the ${p.kind} run did not save a run under ${key}`);
  await recordProject(ctx.store, p, saved);
  return { run: saved, saved: true };
}

type Flags = Record<string, unknown>;

async function runKind(p: JobPayload, flags: Flags, ctx: JobContext): Promise<number> {
  switch (p.kind) {
    case 'scan': {
      mustExist(p.paths);
      const { runScan } = await import('../cli/scan.ts');
      return runScan(p.paths, flags);
    }
    case 'live': {
      mustExist(p.paths ?? []);
      const { runScan } = await import('../cli/scan.ts');
      return runScan(p.paths ?? [], {
        ...flags,
        ...(p.subscriptions ? { azureSubscription: p.subscriptions } : {}),
        ...(p.managementGroups ? { azureManagementGroup: p.managementGroups } : {}),
        ...(p.query !== undefined ? { azureQuery: p.query } : {}),
      });
    }
    case 'innersource': {
      const repo = await checkout(p.repo, ctx.workdir);
      if (p.mapping !== undefined) mustExist([p.mapping]);
      const { runInnerSourceScan } = await import('../cli/innersource.ts');
      return runInnerSourceScan([repo], {
        ...flags,
        incremental: true,
        ...(p.mapping !== undefined ? { mapping: p.mapping } : {}),
        ...(p.allHistory === true ? { allHistory: true } : {}),
      });
    }
    case 'readiness': {
      mustExist([p.framework, p.cases, ...(p.mapping !== undefined ? [p.mapping] : [])]);
      const { runAssess } = await import('../cli/readiness.ts');
      return runAssess(p.framework, {
        ...flags,
        cases: p.cases,
        ...(p.preset !== undefined ? { preset: p.preset } : {}),
        ...(p.mapping !== undefined ? { mapping: p.mapping } : {}),
        ...(p.cloud !== undefined ? { cloud: p.cloud } : {}),
      });
    }
  }
}

function mustExist(paths: readonly string[]): void {
  for (const path of paths)
    if (!existsSync(path)) throw new PermanentJobError(`${path} does not exist on this worker`);
}

/** A git URL (scheme or scp-like `user@host:path`) rather than a local path. */
export function isGitUrl(repo: string): boolean {
  return /^(?:https?|ssh|git|file):\/\//.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo);
}

/** The local clone to scan: the path itself, or the URL cloned (once) and fetched into the workdir. */
async function checkout(repo: string, workdir: string): Promise<string> {
  if (!isGitUrl(repo)) {
    mustExist([repo]);
    return resolve(repo);
  }
  const dir = join(workdir, createHash('sha256').update(repo).digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'HEAD'))) {
    await run('git', ['-C', dir, 'fetch', '--prune', '--quiet', 'origin', '+refs/heads/*:refs/heads/*']);
    return dir;
  }
  mkdirSync(workdir, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  // A bare mirror-like clone: the scan reads history only, and a fetch updates every branch.
  await run('git', ['clone', '--bare', '--quiet', '--', repo, partial]);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** The store a worker keeps open: with the server's tables, which project runs are recorded in. */
export async function openWorkerStore(url: string): Promise<SqlStore> {
  registerMigrations(SERVER_MIGRATIONS);
  return openStoreFor(url);
}

/** The run saved under `key`, if any. */
export async function savedRun(store: SqlStore, key: string): Promise<number | undefined> {
  const rows = await store.all<{ run: number }>('SELECT run FROM run_keys WHERE key = ?', [key]);
  return rows[0] === undefined ? undefined : Number(rows[0].run);
}

/** A job of a project gives that project its run, as a push to `assay server` does. */
async function recordProject(store: SqlStore, p: JobPayload, run: number): Promise<void> {
  if (p.project === undefined) return;
  const rows = await store.all<{ assessment_id: string }>('SELECT assessment_id FROM runs WHERE run = ?', [
    run,
  ]);
  const id = rows[0]?.assessment_id;
  if (id === undefined) return;
  await store.run(
    'INSERT INTO server_pushes (project, assessment_id, run, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    [p.project, id, run, new Date().toISOString()],
  );
}
