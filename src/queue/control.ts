/**
 * What `assay jobs` does with the queue: submit, list, cancel, dead letters, cron schedules.
 * Listings read pg-boss's tables (live jobs and the archive) in its schema, since pg-boss 10
 * has no listing call; everything that changes a job goes through pg-boss itself.
 */
import type PgBoss from 'pg-boss';
import { UsageError } from '../cli/errors.ts';
import type { SqlStore } from '../store/store.ts';
import type { DeadLetter } from './dead-letter.ts';
import { checkPayload, describeJob, type JobPayload } from './payload.ts';

export type { DeadLetter } from './dead-letter.ts';

import {
  CRON_PREFIX,
  DEAD_QUEUE,
  ensureQueue,
  JOBS_QUEUE,
  type QueueOptions,
  queueDefaults,
  queueSchema,
} from './settings.ts';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A payload from the command line, checked; its problems as a usage error. */
export function validPayload(data: unknown): JobPayload {
  const checked = checkPayload(data);
  if ('problems' in checked) throw new UsageError(`not a valid job: ${checked.problems.join('; ')}`);
  return checked.payload;
}

export async function submit(boss: PgBoss, payload: JobPayload): Promise<string> {
  const id = await boss.send(JOBS_QUEUE, validPayload(payload));
  if (id === null) throw new Error('the queue did not take the job');
  return id;
}

export interface JobRow {
  id: string;
  queue: string;
  state: JobState;
  kind: string;
  what: string;
  project?: string;
  retries: number;
  retryLimit: number;
  createdOn: string;
  startedOn?: string;
  completedOn?: string;
  /** What the job gave back (a run) or why it failed. */
  output?: unknown;
}

interface RawJob {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  output: unknown;
}

const COLUMNS =
  'id, name, state, data, retry_count, retry_limit, created_on, started_on, completed_on, output';

/** What listings run their SQL on: pg-boss's own connection, or a PostgreSQL store (`$n` placeholders). */
export interface QueueDb {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A PostgreSQL store as a QueueDb (the store passes `$n` placeholders through). */
export function storeDb(store: SqlStore): QueueDb {
  return { executeSql: async (text, values) => ({ rows: await store.all(text, values) }) };
}

/** Whether the queue's tables exist (no worker or submit has created them yet: nothing to list). */
export async function queueExists(db: QueueDb, schema: string): Promise<boolean> {
  const found = await db.executeSql('SELECT to_regclass($1) IS NOT NULL AS present', [`${schema}.job`]);
  return (found.rows[0] as { present?: boolean } | undefined)?.present === true;
}

async function rows(
  db: QueueDb,
  schema: string,
  where: string,
  values: unknown[],
  limit: number,
): Promise<RawJob[]> {
  const sql = `SELECT * FROM (
      SELECT ${COLUMNS} FROM ${schema}.job WHERE ${where}
      UNION ALL
      SELECT ${COLUMNS} FROM ${schema}.archive WHERE ${where}
    ) j ORDER BY created_on DESC, id LIMIT ${Math.max(1, Math.floor(limit))}`;
  // A store reads JSON back as its text; pg-boss's own connection parses it.
  return ((await db.executeSql(sql, values)).rows as RawJob[]).map((r) => ({
    ...r,
    data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
    output: typeof r.output === 'string' ? JSON.parse(r.output) : r.output,
  }));
}

function toRow(r: RawJob): JobRow {
  const checked = checkPayload(r.data);
  const payload = 'payload' in checked ? checked.payload : undefined;
  return {
    id: r.id,
    queue: r.name,
    state: r.state,
    kind: payload?.kind ?? '?',
    what: payload ? describeJob(payload) : 'not a valid job',
    ...(payload?.project !== undefined ? { project: payload.project } : {}),
    retries: r.retry_count,
    retryLimit: r.retry_limit,
    createdOn: new Date(r.created_on).toISOString(),
    ...(r.started_on ? { startedOn: new Date(r.started_on).toISOString() } : {}),
    ...(r.completed_on ? { completedOn: new Date(r.completed_on).toISOString() } : {}),
    ...(r.output !== null && r.output !== undefined ? { output: r.output } : {}),
  };
}

export interface ListFilter {
  state?: JobState;
  project?: string;
  limit?: number;
}

/** Jobs of the jobs queue and the cron queues, newest first. */
export async function listJobs(
  db: QueueDb,
  o: Pick<QueueOptions, 'schema'>,
  f: ListFilter = {},
): Promise<JobRow[]> {
  const terms = [`(name = $1 OR starts_with(name, $2))`];
  const values: unknown[] = [JOBS_QUEUE, CRON_PREFIX];
  if (f.state !== undefined) {
    values.push(f.state);
    terms.push(`state = $${values.length}::${queueSchema(o.schema)}.job_state`);
  }
  if (f.project !== undefined) {
    values.push(f.project);
    terms.push(`data->>'project' = $${values.length}`);
  }
  return (await rows(db, queueSchema(o.schema), terms.join(' AND '), values, f.limit ?? 100)).map(toRow);
}

/** The dead letters, newest first: jobs out of retries (pg-boss copies them) and invalid payloads. */
export async function deadLetters(
  db: QueueDb,
  o: Pick<QueueOptions, 'schema'>,
  f: Pick<ListFilter, 'project' | 'limit'> = {},
): Promise<DeadLetter[]> {
  const values: unknown[] = [DEAD_QUEUE];
  let where = 'name = $1';
  if (f.project !== undefined) {
    values.push(f.project);
    where += ` AND coalesce(data->'job'->>'project', data->>'project') = $2`;
  }
  const found = await rows(db, queueSchema(o.schema), where, values, f.limit ?? 100);
  return found.map((r) => deadLetterOf(r));
}

function deadLetterOf(r: RawJob): DeadLetter {
  const data = (r.data ?? {}) as { job?: unknown; reason?: unknown; jobId?: unknown };
  // Ours (invalid or impossible jobs) wrap the payload with a reason; pg-boss's carry it as is, with the error as output.
  const ours = typeof data.reason === 'string' && 'job' in data;
  const job = ours ? data.job : r.data;
  const checked = checkPayload(job);
  const payload = 'payload' in checked ? checked.payload : undefined;
  const rawProject = (job as { project?: unknown } | null)?.project;
  const project = payload?.project ?? (typeof rawProject === 'string' ? rawProject : undefined);
  return {
    id: r.id,
    ...(ours && typeof data.jobId === 'string' ? { jobId: data.jobId } : {}),
    kind: payload?.kind ?? '?',
    what: payload ? describeJob(payload) : 'not a valid job',
    ...(project !== undefined ? { project } : {}),
    reason: ours ? String(data.reason) : failureReason(r.output),
    at: new Date(r.created_on).toISOString(),
  };
}

/** The message pg-boss kept of a failed job's error. */
function failureReason(output: unknown): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null;
  const message = o?.message ?? o?.value?.message;
  return typeof message === 'string' ? message : 'failed every attempt';
}

/** Cancels a job that has not finished; false when there is no such job or it has finished. */
export async function cancelJob(boss: PgBoss, o: Pick<QueueOptions, 'schema'>, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new UsageError(`'${id}' is not a job id (assay jobs list shows them)`);
  const schema = queueSchema(o.schema);
  const found = (await boss.getDb().executeSql(`SELECT name, state FROM ${schema}.job WHERE id = $1`, [id]))
    .rows as { name: string; state: JobState }[];
  const job = found[0];
  if (!job || !['created', 'retry', 'active'].includes(job.state)) return false;
  await boss.cancel(job.name, id);
  const after = await boss.getJobById(job.name, id);
  return after?.state === 'cancelled';
}

// --- schedules ---

const SCHEDULE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function scheduleQueue(project: string, name: string): string {
  if (!SCHEDULE_NAME.test(name))
    throw new UsageError(`a schedule name is 1-40 lower-case letters, digits, '-' or '_'; got '${name}'`);
  return `${CRON_PREFIX}${project}-${name}`;
}

export interface ScheduleRow {
  queue: string;
  project: string;
  cron: string;
  timezone: string;
  what: string;
}

/** Adds or replaces the schedule `name` of a project: a job of `payload` at each cron time. */
export async function addSchedule(
  boss: PgBoss,
  o: Pick<QueueOptions, 'expireSeconds' | 'retryDelay'>,
  s: { project: string; name: string; cron: string; tz?: string; payload: JobPayload },
): Promise<string> {
  const payload = validPayload({ ...s.payload, project: s.project });
  const queue = scheduleQueue(s.project, s.name);
  await ensureQueue(boss, queue, queueDefaults(o));
  try {
    await boss.schedule(queue, s.cron, payload, { tz: s.tz ?? 'UTC' });
  } catch (err) {
    throw new UsageError(`the schedule was not added: ${err instanceof Error ? err.message : String(err)}`);
  }
  return queue;
}

export async function listSchedules(boss: PgBoss, project?: string): Promise<ScheduleRow[]> {
  const all = (await boss.getSchedules()) as (PgBoss.Schedule & { timezone?: string })[];
  return all
    .filter((s) => s.name.startsWith(CRON_PREFIX))
    .map((s) => {
      const checked = checkPayload(s.data);
      const payload = 'payload' in checked ? checked.payload : undefined;
      return {
        queue: s.name,
        project: payload?.project ?? '?',
        cron: s.cron,
        timezone: s.timezone ?? 'UTC',
        what: payload ? describeJob(payload) : 'not a valid job',
      };
    })
    .filter((s) => project === undefined || s.project === project)
    .sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
}

/** Removes a schedule; false when there is none of that name. */
export async function removeSchedule(boss: PgBoss, project: string, name: string): Promise<boolean> {
  const queue = scheduleQueue(project, name);
  const known = (await boss.getSchedules()).some((s) => s.name === queue);
  if (!known) return false;
  await boss.unschedule(queue);
  return true;
}
