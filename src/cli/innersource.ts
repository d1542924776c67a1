/**
 * `assay innersource scan|portal|catalog`: InnerSource health of a set of git clones, a
 * searchable portal of the projects, and the InnerSource control catalog (OSCAL).
 */
import { type Command, Option } from 'commander';
import type { Waiver } from '../core/waivers.ts';
import { INNERSOURCE_CATALOG } from '../innersource/catalog.ts';
import type { InnerSourceCheck } from '../innersource/checks/define.ts';
import { innerSourceChecks } from '../innersource/checks/index.ts';
import { loadMapping, MappingError } from '../innersource/mapping.ts';
import { INNERSOURCE_FORMATS, renderInnerSource } from '../innersource/report.ts';
import { type InnerSourceReport, scanInnerSource } from '../innersource/scan.ts';
import { INNERSOURCE_MIGRATIONS, SqlHistoryState, saveRepositoryMetrics } from '../innersource/state.ts';
import { FORMATS, type RenderOptions } from '../report/index.ts';
import type { SqlStore } from '../store/store.ts';
import { parseWhen, registerFetchGithub } from './innersource-fetch.ts';
import { registerPortal } from './innersource-portal.ts';
import type { Progress } from './output.ts';
import { writeOutput } from './output.ts';
import { type Domain, runPipeline, severityGate } from './pipeline.ts';
import { UsageError } from './select-checks.ts';
import { addSharedOptions, SEVERITY_GATE, type SharedFlags } from './shared-flags.ts';
import { collect } from './template-options.ts';

export interface ScanFlags extends SharedFlags {
  mapping?: string;
  prs?: string[];
  since?: string;
  until?: string;
  allHistory?: boolean;
  now?: string;
  people?: boolean;
  renames?: boolean;
  allBranches?: boolean;
  jobs?: string;
  incremental?: boolean;
  root?: string;
}

const SCAN_FORMATS = [...new Set<string>([...INNERSOURCE_FORMATS, ...FORMATS])];

/** Options shared by `scan` and `portal`: what to read and how. */
export function scanOptions(command: Command): Command {
  return command
    .argument('<paths...>', 'git clones (also bare), or folders whose subfolders are clones')
    .option(
      '-m, --mapping <file>',
      'mapping file: people to teams, email domains to organisations, repositories to owners',
    )
    .option(
      '--prs <folder>',
      'pull-request export folder holding <repository>/pulls.json or pullrequests.json; repeatable',
      collect,
    )
    .option(
      '--since <date>',
      'start of the window: YYYY-MM-DD, ISO time, or 30d/12w/6m/1y before --until (default 1y)',
    )
    .option('--until <date>', 'end of the window (default: now)')
    .option('--all-history', 'window over the whole history')
    .option('--now <iso>', 'fixed current time, ISO 8601 (default: now)')
    .option('--people', 'also report per-person figures (off by default: aggregates only)')
    .option(
      '--no-renames',
      'count a renamed file as deleted and added (renames are detected by default, as git log does)',
    )
    .addOption(new Option('--renames', 'detect renames (the default)').hideHelp())
    .option(
      '--all-branches',
      'read every local and remote-tracking branch, each commit once (default: HEAD only)',
    )
    .option('-j, --jobs <n>', 'repositories read at once (default: the number of cores)')
    .option(
      '--save',
      'save the run and the history watermarks in the store (default when a config file is in use)',
    )
    .option('--no-save', 'do not save the run')
    .option(
      '--incremental',
      'keep history watermarks in the store so the next scan reads only new commits (default with --save)',
    )
    .option('--no-incremental', 'read every repository’s whole history')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option('--label <text>', 'label the saved run')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--root <dir>', 'folder reported paths are relative to (default: cwd)')
    .option('--no-progress', 'no progress line on stderr');
}

export function registerInnerSource(program: Command): void {
  const is = program
    .command('innersource')
    .description(
      'InnerSource health: git history metrics, hygiene checks, responsiveness, team roll-ups, portal',
    );

  addSharedOptions(
    scanOptions(
      is
        .command('scan')
        .description(
          'read history, documents and pull-request exports of git clones; report metrics and findings',
        ),
    ),
    {
      formats: SCAN_FORMATS,
      defaultFormat: 'table',
      reportFormats: SCAN_FORMATS,
      failOn: { subject: SEVERITY_GATE.subject, values: SEVERITY_GATE.values, default: 'none' },
    },
  ).action(async (paths: string[], flags: ScanFlags) => {
    process.exitCode = await runInnerSourceScan(paths, flags);
  });

  registerPortal(is);
  registerFetchGithub(is);

  is.command('catalog')
    .description('print the InnerSource control catalog as OSCAL 1.1.2 JSON')
    .option('-o, --output <file>', 'write it to a file instead of stdout')
    .action((flags: { output?: string }) => {
      writeOutput(JSON.stringify(INNERSOURCE_CATALOG, null, 2), flags.output);
    });
}

interface ReadOptions {
  checks: InnerSourceCheck[];
  waivers: Waiver[];
  store: SqlStore | undefined;
  progress: Progress;
}

/** Reads the repositories as the flags say: mapping, window, pull-request exports, jobs. */
async function readRepositories(
  paths: string[],
  flags: ScanFlags,
  o: ReadOptions,
): Promise<InnerSourceReport> {
  let mapping: ReturnType<typeof loadMapping> | undefined;
  if (flags.mapping) {
    try {
      mapping = loadMapping(flags.mapping);
    } catch (err) {
      if (err instanceof MappingError)
        throw new UsageError(`${err.file}${err.line ? `:${err.line}` : ''}: ${err.message}`);
      throw err;
    }
  }
  const now = flags.now ? parseWhen(flags.now, '--now') : new Date();
  const until = flags.until ? parseWhen(flags.until, '--until') : now;
  const since = flags.allHistory ? null : flags.since ? parseWhen(flags.since, '--since', until) : undefined;
  if (since && since.getTime() > until.getTime()) throw new UsageError('--since is after --until');
  let jobs: number | undefined;
  if (flags.jobs !== undefined) {
    jobs = Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new UsageError(`--jobs expects a positive whole number, got '${flags.jobs}'`);
  }
  return scanInnerSource(paths, {
    ...(flags.root ? { root: flags.root } : {}),
    waivers: o.waivers,
    ...(mapping ? { mapping } : {}),
    prExports: flags.prs ?? [],
    ...(since !== undefined ? { since } : {}),
    until,
    now,
    ...(o.store ? { state: new SqlHistoryState(o.store) } : {}),
    renames: flags.renames !== false,
    allBranches: flags.allBranches === true,
    ...(jobs ? { concurrency: jobs } : {}),
    people: flags.people === true,
    checks: o.checks,
    onProgress: (p) =>
      o.progress.update(
        p.done,
        p.total,
        p.commits ? `${p.repo} (${p.commits.toLocaleString('en')} commits)` : p.repo,
      ),
  });
}

const NO_REPOSITORIES = (paths: string[]) => `no git repositories could be scanned in ${paths.join(', ')}`;

export function runInnerSourceScan(paths: string[], flags: ScanFlags): Promise<number> {
  return runPipeline(innerSourceDomain(paths, flags), flags);
}

/** Git clones in, the InnerSource checks over repositories and teams; its own table, JSON and Markdown. */
export function innerSourceDomain(paths: string[], flags: ScanFlags): Domain<InnerSourceReport> {
  const documents = Object.fromEntries(
    INNERSOURCE_FORMATS.map((format) => [
      format,
      {
        pieces: (report: InnerSourceReport, options: RenderOptions) => [
          renderInnerSource(format, report, options),
        ],
      },
    ]),
  );
  return {
    kind: 'innersource',
    // Waivers were read from scan.waivers before this section existed; that still works.
    section: {
      name: 'innersource',
      read: ({ innersource = {}, scan }) => ({ waivers: scan?.waivers, ...innersource }),
    },
    defaultFormat: 'table',
    documents,
    reportsDocuments: true,
    gate: severityGate('none'),
    knownChecks: innerSourceChecks,
    storeFirst: { migrations: INNERSOURCE_MIGRATIONS, wanted: (save) => flags.incremental ?? save },
    async run(ctx) {
      const incremental = flags.incremental !== false;
      const report = await readRepositories(paths, flags, {
        checks: ctx.select(innerSourceChecks),
        waivers: ctx.waivers,
        store: incremental ? ctx.store : undefined,
        progress: ctx.progress,
      });
      const empty = report.repositories.length === 0 ? { empty: NO_REPOSITORIES(paths) } : {};
      return { assessment: report.assessment, result: report, ...empty };
    },
    afterSave: (store, run, report) => saveRepositoryMetrics(store, run, report),
  };
}
