/**
 * What a queue job carries: one of four kinds, each a zod schema, so a payload from the command
 * line, another tool or an old release is checked before anything runs. A payload that does not
 * match goes to the dead letters with the reason (src/queue/worker.ts); it is never retried.
 */
import { z } from 'zod';
import { PROJECT_NAME } from '../server/multi/registry.ts';

const text = z.string().min(1).max(4000);
const project = z.string().regex(PROJECT_NAME, 'a project name: lower-case letters, digits, - and _');
const common = {
  /** The `assay server` project the run belongs to (recorded as a push of that project). */
  project: project.optional(),
  label: z.string().max(500).optional(),
  /** A config file the run reads, as `--config`. */
  config: text.optional(),
};

export const JOB_KINDS = ['scan', 'innersource', 'readiness', 'live'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

const scanJob = z.strictObject({
  kind: z.literal('scan'),
  /** Template, Bicep or plan files or folders. */
  paths: z.array(text).min(1).max(1000),
  ...common,
});

const innerSourceJob = z.strictObject({
  kind: z.literal('innersource'),
  /** A local clone (path), or a git URL cloned into the worker's cache and fetched on each run. */
  repo: text,
  mapping: text.optional(),
  /** Read the whole history (else the innersource scan's default window). */
  allHistory: z.boolean().optional(),
  ...common,
});

const readinessJob = z.strictObject({
  kind: z.literal('readiness'),
  framework: text,
  /** The case export (CSV or JSON) ingested into the store. */
  cases: text,
  preset: z.string().max(100).optional(),
  mapping: text.optional(),
  cloud: z.string().max(200).optional(),
  /**
   * The DuckDB store file the run is saved to: readiness keeps its cases in DuckDB-only tables,
   * so it cannot save to the workers' PostgreSQL store.
   */
  store: text.optional(),
  ...common,
});

const liveJob = z
  .strictObject({
    kind: z.literal('live'),
    subscriptions: z.array(z.string().min(1).max(200)).max(1000).optional(),
    managementGroups: z.array(z.string().min(1).max(200)).max(1000).optional(),
    /** KQL appended to `Resources`, as `--azure-query`. */
    query: z.string().max(4000).optional(),
    /** Templates or Resource Graph exports read beside the live state. */
    paths: z.array(text).max(1000).optional(),
    ...common,
  })
  .refine((j) => (j.subscriptions?.length ?? 0) + (j.managementGroups?.length ?? 0) > 0, {
    message: 'a live scan needs at least one subscription or management group',
  });

export const JOB_SCHEMA = z.discriminatedUnion('kind', [scanJob, innerSourceJob, readinessJob, liveJob]);
export type JobPayload = z.infer<typeof JOB_SCHEMA>;

/** The payload, or one line per problem (`path: message`). */
export function checkPayload(data: unknown): { payload: JobPayload } | { problems: string[] } {
  const parsed = JOB_SCHEMA.safeParse(data);
  if (parsed.success) return { payload: parsed.data };
  return {
    problems: parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'job'}: ${i.message}`),
  };
}

/** A one-line description of a job, for progress lines and listings. */
export function describeJob(p: JobPayload): string {
  const where = p.project !== undefined ? ` [${p.project}]` : '';
  switch (p.kind) {
    case 'scan':
      return `scan ${p.paths.join(' ')}${where}`;
    case 'innersource':
      return `innersource ${p.repo}${where}`;
    case 'readiness':
      return `readiness ${p.framework} --cases ${p.cases}${where}`;
    case 'live':
      return `live ${[...(p.subscriptions ?? []), ...(p.managementGroups ?? [])].join(' ')}${where}`;
  }
}
