/**
 * `assay jobs submit|list|cancel|dead|schedule|schedules|unschedule`: the job queue
 * (docs/queue.md) from the command line. Every subcommand opens the queue on the store's
 * PostgreSQL database, does one thing and closes it; `assay worker` runs the jobs.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type PgBoss from 'pg-boss';
import { terminalText } from '../core/terminal-text.ts';
import { openQueue } from '../queue/boss.ts';
import {
  addSchedule,
  cancelJob,
  deadLetters,
  JOB_STATES,
  type JobState,
  listJobs,
  listSchedules,
  removeSchedule,
  submit,
  validPayload,
} from '../queue/control.ts';
import { JOB_KINDS, type JobPayload } from '../queue/payload.ts';
import { isGitUrl } from '../queue/run-job.ts';
import type { QueueOptions } from '../queue/settings.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './errors.ts';
import { addStoreOption, type StoreFlags, storePath } from './store-options.ts';
import { collect } from './template-options.ts';
import { shortTime, textTable } from './text-table.ts';
import { positiveNumber, queueTimingsFromEnv } from './worker.ts';

interface QueueFlags extends StoreFlags {
  queueSchema?: string;
  config?: string;
  format?: string;
}

interface PayloadFlags {
  project?: string;
  label?: string;
  runConfig?: string;
  cases?: string;
  preset?: string;
  mapping?: string;
  cloud?: string;
  jobStore?: string;
  allHistory?: boolean;
  azureSubscription?: string[];
  azureManagementGroup?: string[];
  azureQuery?: string;
}

function queueOptions(command: Command): Command {
  return addStoreOption(command)
    .option(
      '--queue-schema <name>',
      'PostgreSQL schema of the queue (default: $ASSAY_QUEUE_SCHEMA, else assay_jobs)',
    )
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
}

function payloadOptions(command: Command): Command {
  return command
    .argument('<kind>', `job kind: ${JOB_KINDS.join(', ')}`)
    .argument(
      '[inputs...]',
      'scan: template or plan paths; innersource: a clone path or git URL; readiness: the framework file; live: extra templates or Resource Graph exports',
    )
    .option('--project <name>', 'the assay server project the run belongs to')
    .option('--label <text>', 'label of the saved run')
    .option('--run-config <file>', 'config file the run reads (its --config)')
    .option('--cases <file>', 'readiness: the case export to ingest (CSV or JSON)')
    .option('--preset <name>', 'readiness: field mapping preset')
    .option('--mapping <file>', 'readiness: field mapping file; innersource: people/teams mapping file')
    .option('--cloud <id>', 'readiness: cloud of cases whose export names none')
    .option(
      '--job-store <file>',
      'readiness: the DuckDB store file the run is saved to (readiness tables are DuckDB-only)',
    )
    .option('--all-history', 'innersource: read the whole history')
    .option('--azure-subscription <id>', 'live: subscription to read; repeatable or comma-separated', collect)
    .option(
      '--azure-management-group <id>',
      'live: management group to read; repeatable or comma-separated',
      collect,
    )
    .option('--azure-query <kql>', "live: KQL appended to 'Resources'");
}

/** A local path as an absolute one (workers may run elsewhere; docs/queue.md); URLs as given. */
const abs = (p: string) => (isGitUrl(p) ? p : resolve(p));

/** The payload the command line describes, checked. */
export function payloadFrom(kind: string, inputs: string[], f: PayloadFlags): JobPayload {
  const common = {
    ...(f.project !== undefined ? { project: f.project } : {}),
    ...(f.label !== undefined ? { label: f.label } : {}),
    ...(f.runConfig !== undefined ? { config: abs(f.runConfig) } : {}),
  };
  const split = (values: string[] | undefined) =>
    (values ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  switch (kind) {
    case 'scan':
      return validPayload({ kind, paths: inputs.map(abs), ...common });
    case 'innersource':
      if (inputs.length !== 1)
        throw new UsageError('an innersource job scans one repository: a clone path or a git URL');
      return validPayload({
        kind,
        repo: abs(inputs[0] as string),
        ...(f.mapping !== undefined ? { mapping: abs(f.mapping) } : {}),
        ...(f.allHistory === true ? { allHistory: true } : {}),
        ...common,
      });
    case 'readiness':
      if (inputs.length !== 1) throw new UsageError('a readiness job takes one framework file (and --cases)');
      if (f.cases === undefined) throw new UsageError('a readiness job needs --cases <file>');
      if (f.jobStore === undefined)
        throw new UsageError(
          'a readiness job needs --job-store <file>: the DuckDB store it saves to (readiness tables are DuckDB-only)',
        );
      return validPayload({
        kind,
        framework: abs(inputs[0] as string),
        cases: abs(f.cases),
        ...(f.preset !== undefined ? { preset: f.preset } : {}),
        ...(f.mapping !== undefined ? { mapping: abs(f.mapping) } : {}),
        ...(f.cloud !== undefined ? { cloud: f.cloud } : {}),
        ...(f.jobStore !== undefined ? { store: abs(f.jobStore) } : {}),
        ...common,
      });
    case 'live': {
      const subscriptions = split(f.azureSubscription);
      const managementGroups = split(f.azureManagementGroup);
      return validPayload({
        kind,
        ...(subscriptions.length > 0 ? { subscriptions } : {}),
        ...(managementGroups.length > 0 ? { managementGroups } : {}),
        ...(f.azureQuery !== undefined ? { query: f.azureQuery } : {}),
        ...(inputs.length > 0 ? { paths: inputs.map(abs) } : {}),
        ...common,
      });
    }
    default:
      throw new UsageError(`unknown job kind '${kind}'; expected ${JOB_KINDS.join(', ')}`);
  }
}

/** A subcommand's flags with those given to `assay jobs` itself (`--store` may stand on either). */
function flagsOf<T>(cmd: Command): T {
  const merged: Record<string, unknown> = { ...cmd.optsWithGlobals() };
  for (const [k, v] of Object.entries(cmd.opts())) if (v !== undefined) merged[k] = v;
  return merged as T;
}

async function withQueue<T>(
  flags: QueueFlags,
  fn: (boss: PgBoss, o: QueueOptions) => Promise<T>,
): Promise<T> {
  const { config } = loadConfig(flags.config);
  const o: QueueOptions = {
    url: storePath(flags, config),
    ...(flags.queueSchema !== undefined ? { schema: flags.queueSchema } : {}),
    supervise: false,
    ...queueTimingsFromEnv(),
  };
  const boss = await openQueue(o);
  try {
    return await fn(boss, o);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function formatOf(flags: QueueFlags): 'table' | 'json' {
  const f = flags.format ?? 'table';
  if (f !== 'table' && f !== 'json') throw new UsageError(`--format expects table or json, got '${f}'`);
  return f;
}

export function registerJobs(program: Command): void {
  const jobs = queueOptions(
    program
      .command('jobs')
      .description(
        'the job queue on the store’s PostgreSQL: submit, list, cancel, dead letters, cron schedules',
      ),
  );

  payloadOptions(queueOptions(jobs.command('submit').description('queue one job; prints its id'))).action(
    async (kind: string, inputs: string[], _o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & PayloadFlags>(cmd);
      const payload = payloadFrom(kind, inputs, flags);
      const id = await withQueue(flags, (boss) => submit(boss, payload));
      out(id);
    },
  );

  queueOptions(jobs.command('list').description('jobs, newest first, with their state'))
    .option('--state <state>', `only jobs in this state: ${JOB_STATES.join(', ')}`)
    .option('--project <name>', 'only jobs of this project')
    .option('--limit <n>', 'at most this many (default: 100)')
    .option('-f, --format <format>', 'table or json (default: table)')
    .action(async (_o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & { state?: string; project?: string; limit?: string }>(cmd);
      if (flags.state !== undefined && !(JOB_STATES as readonly string[]).includes(flags.state))
        throw new UsageError(`--state expects one of ${JOB_STATES.join(', ')}; got '${flags.state}'`);
      const format = formatOf(flags);
      const limit = positiveNumber(flags.limit, '--limit', 100);
      const rows = await withQueue(flags, (boss, o) =>
        listJobs(boss.getDb(), o, {
          ...(flags.state !== undefined ? { state: flags.state as JobState } : {}),
          ...(flags.project !== undefined ? { project: flags.project } : {}),
          limit,
        }),
      );
      if (format === 'json') return out(JSON.stringify({ jobs: rows }, null, 2));
      if (rows.length === 0) return out('no jobs');
      out(
        textTable(
          ['id', 'state', 'retries', 'created', 'job', 'result'],
          rows.map((r) => [
            r.id,
            r.state,
            `${r.retries}/${r.retryLimit}`,
            shortTime(r.createdOn),
            r.what,
            resultText(r.output),
          ]),
        ),
      );
    });

  queueOptions(
    jobs.command('cancel').description('cancel a job that has not finished').argument('<id>', 'job id'),
  ).action(async (id: string, _o: unknown, cmd: Command) => {
    const flags = flagsOf<QueueFlags>(cmd);
    const done = await withQueue(flags, (boss, o) => cancelJob(boss, o, id));
    if (!done) throw new UsageError(`no unfinished job ${id} (assay jobs list shows the jobs)`);
    out(`cancelled ${id}`);
  });

  queueOptions(
    jobs
      .command('dead')
      .description('dead letters: jobs that failed every attempt, and invalid jobs, with why'),
  )
    .option('--project <name>', 'only dead letters of this project')
    .option('--limit <n>', 'at most this many (default: 100)')
    .option('-f, --format <format>', 'table or json (default: table)')
    .action(async (_o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & { project?: string; limit?: string }>(cmd);
      const format = formatOf(flags);
      const limit = positiveNumber(flags.limit, '--limit', 100);
      const rows = await withQueue(flags, (boss, o) =>
        deadLetters(boss.getDb(), o, {
          ...(flags.project !== undefined ? { project: flags.project } : {}),
          limit,
        }),
      );
      if (format === 'json') return out(JSON.stringify({ dead: rows }, null, 2));
      if (rows.length === 0) return out('no dead letters');
      out(
        textTable(
          ['job', 'at', 'what', 'reason'],
          rows.map((r) => [r.jobId ?? r.id, shortTime(r.at), r.what, r.reason]),
        ),
      );
    });

  payloadOptions(
    queueOptions(
      jobs
        .command('schedule')
        .description('add (or replace) a cron schedule of a project: a job of this kind at each cron time'),
    ),
  )
    .requiredOption('--cron <expression>', 'cron expression, five fields (e.g. "0 3 * * *": daily at 03:00)')
    .option('--name <name>', 'schedule name within the project (default: the job kind)')
    .option('--tz <zone>', 'time zone of the cron expression (default: UTC)')
    .action(async (kind: string, inputs: string[], _o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & PayloadFlags & { cron: string; name?: string; tz?: string }>(cmd);
      if (flags.project === undefined)
        throw new UsageError('a schedule belongs to a project: add --project <name>');
      const payload = payloadFrom(kind, inputs, flags);
      const queue = await withQueue(flags, (boss, o) =>
        addSchedule(boss, o, {
          project: flags.project as string,
          name: flags.name ?? kind,
          cron: flags.cron,
          ...(flags.tz !== undefined ? { tz: flags.tz } : {}),
          payload,
        }),
      );
      out(`scheduled ${queue}: ${flags.cron}`);
    });

  queueOptions(jobs.command('schedules').description('the cron schedules'))
    .option('--project <name>', 'only schedules of this project')
    .option('-f, --format <format>', 'table or json (default: table)')
    .action(async (_o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & { project?: string }>(cmd);
      const format = formatOf(flags);
      const rows = await withQueue(flags, (boss) => listSchedules(boss, flags.project));
      if (format === 'json') return out(JSON.stringify({ schedules: rows }, null, 2));
      if (rows.length === 0) return out('no schedules');
      out(
        textTable(
          ['schedule', 'project', 'cron', 'tz', 'job'],
          rows.map((r) => [r.queue, r.project, r.cron, r.timezone, r.what]),
        ),
      );
    });

  queueOptions(jobs.command('unschedule').description('remove a cron schedule of a project'))
    .requiredOption('--project <name>', 'the project')
    .option('--name <name>', 'the schedule name (default: as `schedule` named it: the job kind)')
    .argument('[kind]', 'the job kind, when the schedule was named after it')
    .action(async (kind: string | undefined, _o: unknown, cmd: Command) => {
      const flags = flagsOf<QueueFlags & { project: string; name?: string }>(cmd);
      const name = flags.name ?? kind;
      if (name === undefined)
        throw new UsageError('which schedule: --name <name> (assay jobs schedules lists them)');
      const removed = await withQueue(flags, (boss) => removeSchedule(boss, flags.project, name));
      if (!removed) throw new UsageError(`no schedule '${name}' in project '${flags.project}'`);
      out(`removed the schedule ${name} of ${flags.project}`);
    });
}

function resultText(output: unknown): string {
  if (output === undefined || output === null) return '';
  const o = output as {
    run?: unknown;
    saved?: unknown;
    dead?: unknown;
    message?: unknown;
    value?: { message?: unknown };
  };
  if (typeof o.run === 'number') return `run ${o.run}${o.saved === false ? ' (already saved)' : ''}`;
  if (o.dead === true) return 'dead-lettered';
  const message = o.message ?? o.value?.message;
  return typeof message === 'string' ? (terminalText(message).split('\n')[0] ?? '') : '';
}
