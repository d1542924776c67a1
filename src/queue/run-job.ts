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
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigError, UsageError } from '../cli/errors.ts';
import { IDEMPOTENCY_KEY_ENV } from '../cli/pipeline.ts';
import { SERVER_MIGRATIONS } from '../server/multi/registry.ts';
import { registerMigrations } from '../store/migrations.ts';
import { isPostgresSpec, openStoreFor } from '../store/open.ts';
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
  if (p.kind === 'readiness') return runReadiness(id, p, ctx);
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
    const code = await runKind(p, flags, ctx).catch((err: unknown) => {
      // A bad flag or config file stays bad on every attempt: dead-lettered at once.
      if (err instanceof UsageError || err instanceof ConfigError) throw new PermanentJobError(err.message);
      throw err;
    });
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
    case 'readiness':
      throw new PermanentJobError('a readiness job runs in a process of its own (runReadiness)');
  }
}

/**
 * A readiness ingest, in a child `assay readiness assess` saving to the job's DuckDB store:
 * readiness registers DuckDB-only tables, which would stop this process opening its
 * PostgreSQL store. The child saves under the job's key (ASSAY_IDEMPOTENCY_KEY).
 */
async function runReadiness(
  id: string,
  p: Extract<JobPayload, { kind: 'readiness' }>,
  ctx: JobContext,
): Promise<JobResult> {
  const store = p.store;
  if (store === undefined || isPostgresSpec(store))
    throw new PermanentJobError(
      'a readiness job saves to a DuckDB store file (its case tables are DuckDB-only): give it one (--job-store FILE)',
    );
  mustExist([p.framework, p.cases, ...(p.mapping !== undefined ? [p.mapping] : [])]);
  const key = jobKey(id);
  const keyed = async () => {
    const db = await openWorkerStore(store);
    try {
      const run = await savedRun(db, key);
      if (run !== undefined) await recordProject(db, p, run);
      return run;
    } finally {
      await db.close();
    }
  };
  const before = await keyed();
  if (before !== undefined) return { run: before, saved: false };
  const out = mkdtempSync(join(tmpdir(), 'assay-job-'));
  try {
    const args = [
      assayBin(),
      'readiness',
      'assess',
      p.framework,
      '--cases',
      p.cases,
      '--store',
      store,
      '--save',
      '-f',
      'json',
      '-o',
      join(out, 'assessment.json'),
      '--quiet',
      '--no-progress',
      '--fail-on',
      'none',
      ...(p.preset !== undefined ? ['--preset', p.preset] : []),
      ...(p.mapping !== undefined ? ['--mapping', p.mapping] : []),
      ...(p.cloud !== undefined ? ['--cloud', p.cloud] : []),
      ...(p.label !== undefined ? ['--label', p.label] : []),
      ...(p.config !== undefined ? ['--config', p.config] : []),
    ];
    await run(process.execPath, args, {
      env: { ...process.env, [IDEMPOTENCY_KEY_ENV]: key },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { code?: unknown; stderr?: string }) => {
      // Exit 1 is a finding or an input error: the run was saved.
      if (err.code === 1) return;
      const said = (err.stderr ?? '').trim().split('\n').at(-1) ?? '';
      throw new Error(`the readiness run stopped without saving (exit ${String(err.code)}): ${said}`);
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const saved = await keyed();
  if (saved === undefined) throw new Error(`the readiness run did not save a run under ${key}`);
  return { run: saved, saved: true };
}

/** The assay command this process runs as (bin/assay.js), for a job run in a child process. */
function assayBin(): string {
  for (const rel of ['../../bin/assay.js', '../bin/assay.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return process.argv[1] ?? 'assay';
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
  // One folder per URL; the clone inside keeps the repository's name, which reports show.
  const name = (repo.replace(/\/+$/, '').split(/[/:]/).at(-1) ?? '')
    .replace(/\.git$/i, '')
    .replace(/[^\w.-]/g, '_');
  const home = join(workdir, createHash('sha256').update(repo).digest('hex').slice(0, 16));
  const dir = join(home, `${name === '' || name.startsWith('.') ? 'repo' : name}.git`);
  if (existsSync(join(dir, 'HEAD'))) {
    await git(['-C', dir, 'fetch', '--prune', '--quiet', 'origin', '+refs/heads/*:refs/heads/*']);
    return dir;
  }
  mkdirSync(home, { recursive: true });
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  // A bare clone: the scan reads history only, and a fetch updates every branch.
  await git(['clone', '--bare', '--quiet', '--', repo, partial]);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** git with the transports a job may name limited: never `ext::` (it runs commands). */
function git(args: string[]) {
  return run('git', ['-c', 'protocol.ext.allow=never', ...args]);
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
  // A project keeps one run per assessment id, as pushes do: an identical result takes the place
  // of the older run (the project shows the newest), unless a push of it is still being saved.
  await store.run(
    `INSERT INTO server_pushes (project, assessment_id, run, claimed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (project, assessment_id) DO UPDATE SET run = excluded.run, claimed_at = excluded.claimed_at
     WHERE server_pushes.run IS NOT NULL AND server_pushes.run < excluded.run`,
    [p.project, id, run, new Date().toISOString()],
  );
}
