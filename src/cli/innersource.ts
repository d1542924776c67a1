/**
 * `assay innersource scan|portal|catalog`: InnerSource health of a set of git clones, a
 * searchable portal of the projects, and the InnerSource control catalog (OSCAL).
 */
import type { Command } from 'commander';
import { SEVERITIES, type Severity } from '../core/model.ts';
import { failsThreshold } from '../core/scoring.ts';
import { inputErrorLine, oneLine, terminalText } from '../core/terminal-text.ts';
import { INNERSOURCE_CATALOG } from '../innersource/catalog.ts';
import { innerSourceChecks } from '../innersource/checks/index.ts';
import { loadMapping, MappingError } from '../innersource/mapping.ts';
import { PORTAL_FORMATS, type PortalFormat, renderPortal } from '../innersource/portal.ts';
import { INNERSOURCE_FORMATS, type InnerSourceFormat, renderInnerSource } from '../innersource/report.ts';
import { type InnerSourceReport, scanInnerSource } from '../innersource/scan.ts';
import { INNERSOURCE_MIGRATIONS, SqlHistoryState, saveRepositoryMetrics } from '../innersource/state.ts';
import { FORMATS as ASSESSMENT_FORMATS, isReportFormat, render } from '../report/index.ts';
import { StoreError } from '../store/errors.ts';
import { registerMigrations } from '../store/migrations.ts';
import type { SqlStore } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { Progress, useColor, writeOutput } from './output.ts';
import { listValues, selectChecks, UsageError } from './select-checks.ts';
import { openHistory, storePath } from './store-options.ts';
import { loadWaivers } from './waivers.ts';
import { writeReports } from './write-reports.ts';

interface ScanFlags {
  waivers?: string;
  format?: string;
  output?: string;
  report?: string[];
  mapping?: string;
  prs?: string[];
  since?: string;
  until?: string;
  allHistory?: boolean;
  now?: string;
  people?: boolean;
  renames?: boolean;
  jobs?: string;
  checks?: string[];
  skipChecks?: string[];
  failOn?: string;
  save?: boolean;
  incremental?: boolean;
  store?: string;
  label?: string;
  config?: string;
  root?: string;
  progress?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const DAY_MS = 86_400_000;

/** Options shared by `scan` and `portal`: what to read and how. */
function scanOptions(command: Command): Command {
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
    .option('--renames', 'detect renames in git log (much slower; off by default)')
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

  scanOptions(
    is
      .command('scan')
      .description(
        'read history, documents and pull-request exports of git clones; report metrics and findings',
      ),
  )
    .option(
      '-f, --format <format>',
      `report format: ${[...INNERSOURCE_FORMATS, ...ASSESSMENT_FORMATS.filter((f) => !(INNERSOURCE_FORMATS as readonly string[]).includes(f))].join(', ')} (default: table)`,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-r, --report <format=file>', 'also write another report; repeatable', collect)
    .option('--checks <ids>', 'run only these check ids or globs (comma-separated, repeatable)', collect)
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option('--skip-checks <ids>', 'skip these check ids or globs (comma-separated, repeatable)', collect)
    .option(
      '--fail-on <severity>',
      `exit 1 when a failed finding is at or above: ${SEVERITIES.join(', ')}, none (default: none)`,
    )
    .option('-v, --verbose', 'also list passing findings')
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runInnerSourceScan(paths, flags);
    });

  scanOptions(
    is
      .command('portal')
      .description(
        'write a searchable catalog of the InnerSource projects, ranked by Repository Activity Score',
      ),
  )
    .option('-f, --format <format>', `portal format: ${PORTAL_FORMATS.join(', ')} (default: html)`)
    .option('-o, --output <file>', 'write the portal to a file instead of stdout')
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runPortal(paths, flags);
    });

  is.command('fetch-github')
    .description(
      'fetch pull requests, reviews, issues and comments of GitHub repositories into an export folder for --prs',
    )
    .argument('<repositories...>', 'owner/name of each repository')
    .requiredOption('-o, --out <folder>', 'export folder; each repository goes to <folder>/<name>/')
    .option('--since <date>', 'only pull requests created, and issues and comments updated, since then')
    .option('--token-env <name>', 'environment variable holding the token', 'GITHUB_TOKEN')
    .option('--api-url <url>', 'GitHub Enterprise Server API URL, e.g. https://github.example.com/api/v3')
    .action(async (repositories: string[], flags: FetchFlags) => {
      process.exitCode = await runFetchGithub(repositories, flags);
    });

  is.command('catalog')
    .description('print the InnerSource control catalog as OSCAL 1.1.2 JSON')
    .option('-o, --output <file>', 'write it to a file instead of stdout')
    .action((flags: { output?: string }) => {
      writeOutput(JSON.stringify(INNERSOURCE_CATALOG, null, 2), flags.output);
    });
}

interface FetchFlags {
  out: string;
  since?: string;
  tokenEnv: string;
  apiUrl?: string;
}

async function runFetchGithub(repositories: string[], flags: FetchFlags): Promise<number> {
  const targets = repositories.map((r) => {
    const m = /^([\w.-]+)\/([\w.-]+)$/.exec(r);
    if (!m) throw new UsageError(`expected owner/name, got '${r}'`);
    return { owner: m[1], repo: m[2] };
  });
  const since = flags.since ? parseWhen(flags.since, '--since', new Date()).toISOString() : undefined;
  const token = process.env[flags.tokenEnv];
  if (!token)
    process.stderr.write(
      `assay: ${flags.tokenEnv} is not set; fetching without a token (low rate limit, public data only)\n`,
    );
  const { fetchGithubExport, octokitClient } = await import('../innersource/github-fetch.ts');
  const client = await octokitClient(token, flags.apiUrl);
  let failed = 0;
  for (const t of targets) {
    try {
      const s = await fetchGithubExport(client, t.owner, t.repo, flags.out, {
        ...(since ? { since } : {}),
        onProgress: (m) => process.stderr.write(`assay: ${oneLine(m)}\n`),
      });
      process.stderr.write(
        `assay: ${t.owner}/${t.repo}: ${s.pulls} pull requests, ${s.reviews} reviews, ${s.issues} issues, ${s.issueComments + s.reviewComments} comments -> ${s.folder}\n`,
      );
    } catch (err) {
      failed++;
      const status = (err as { status?: number }).status;
      process.stderr.write(
        `assay: ${oneLine(`${t.owner}/${t.repo}`)}: ${status ? `HTTP ${status}: ` : ''}${terminalText((err as Error).message)}\n`,
      );
    }
  }
  return failed > 0 ? 1 : 0;
}

/** `2024-01-31`, an ISO time, or a span back from `from` (`90d`, `12w`, `6m`, `1y`). */
export function parseWhen(value: string, flag: string, from?: Date): Date {
  const span = /^(\d+)([dwmy])$/.exec(value.trim());
  if (span && from) {
    const days = Number(span[1]) * { d: 1, w: 7, m: 30, y: 365 }[span[2] as 'd' | 'w' | 'm' | 'y'];
    return new Date(from.getTime() - days * DAY_MS);
  }
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(
      `${flag} expects a date (YYYY-MM-DD), an ISO time or a span like 90d; got '${value}'`,
    );
  return new Date(t);
}

interface Prepared {
  report: InnerSourceReport;
  store: SqlStore | undefined;
  storeFile: string;
  save: boolean;
}

async function scanFromFlags(
  paths: string[],
  flags: ScanFlags,
  checks = innerSourceChecks,
): Promise<Prepared> {
  const { config, file: configFile } = loadConfig(flags.config);
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
  const save = flags.save ?? config.store?.save ?? configFile !== undefined;
  const incremental = flags.incremental ?? save;
  const storeFile = storePath(flags, config);
  let store: SqlStore | undefined;
  if (save || incremental) {
    registerMigrations(INNERSOURCE_MIGRATIONS);
    store = await openHistory(storeFile, false);
  }
  const progress = new Progress(flags.progress !== false);
  try {
    const { waivers } = loadWaivers(flags.waivers ?? config.scan?.waivers, flags.root ?? process.cwd());
    const report = await scanInnerSource(paths, {
      ...(flags.root ? { root: flags.root } : {}),
      waivers,
      ...(mapping ? { mapping } : {}),
      prExports: flags.prs ?? [],
      ...(since !== undefined ? { since } : {}),
      until,
      now,
      ...(store && incremental ? { state: new SqlHistoryState(store) } : {}),
      renames: flags.renames === true,
      ...(jobs ? { concurrency: jobs } : {}),
      people: flags.people === true,
      checks,
      onProgress: (p) =>
        progress.update(
          p.done,
          p.total,
          p.commits ? `${p.repo} (${p.commits.toLocaleString('en')} commits)` : p.repo,
        ),
    });
    progress.done();
    return { report, store, storeFile, save };
  } catch (err) {
    progress.done();
    await store?.close().catch(() => undefined);
    throw err;
  }
}

/** Saves the run when asked; returns false when the save failed (reports are already written). */
async function finish(p: Prepared, label: string | undefined): Promise<boolean> {
  try {
    if (p.save && p.store) {
      const saved = await p.store.saveAssessment(p.report.assessment, label !== undefined ? { label } : {});
      await saveRepositoryMetrics(p.store, saved.run, p.report);
      process.stderr.write(`assay: saved as run ${saved.run} in ${p.storeFile}\n`);
    }
    return true;
  } catch (err) {
    const message =
      err instanceof StoreError ? err.message : `could not save to ${p.storeFile}: ${String(err)}`;
    process.stderr.write(`assay: ${message}; the reports were written, the run was not saved\n`);
    return false;
  } finally {
    await p.store?.close().catch(() => undefined);
  }
}

type AnyFormat = InnerSourceFormat | (typeof ASSESSMENT_FORMATS)[number];

function checkFormat(format: string): AnyFormat {
  if ((INNERSOURCE_FORMATS as readonly string[]).includes(format) || isReportFormat(format))
    return format as AnyFormat;
  throw new UsageError(
    `unknown format '${format}'; expected one of ${[...new Set([...INNERSOURCE_FORMATS, ...ASSESSMENT_FORMATS])].join(', ')}`,
  );
}

function renderAny(format: AnyFormat, report: InnerSourceReport, color: boolean, verbose: boolean): string {
  if ((INNERSOURCE_FORMATS as readonly string[]).includes(format))
    return renderInnerSource(format as InnerSourceFormat, report, { color, verbose });
  return render(format as (typeof ASSESSMENT_FORMATS)[number], report.assessment, { color, verbose });
}

function reportErrors(report: InnerSourceReport): void {
  for (const e of report.assessment.errors) process.stderr.write(`assay: ${inputErrorLine(e)}\n`);
}

export async function runInnerSourceScan(paths: string[], flags: ScanFlags): Promise<number> {
  const format = checkFormat(flags.format ?? 'table');
  const reports = (flags.report ?? []).map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1)
      throw new UsageError(`--report expects FORMAT=FILE, got '${spec}'`);
    return { format: checkFormat(spec.slice(0, at)), output: spec.slice(at + 1) };
  });
  const failOn = flags.failOn ?? 'none';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn))
    throw new UsageError(`--fail-on expects one of ${SEVERITIES.join(', ')}, none; got '${failOn}'`);
  const checks = selectChecks(innerSourceChecks, listValues(flags.checks), listValues(flags.skipChecks));
  const prepared = await scanFromFlags(paths, flags, checks);
  const { report } = prepared;
  const verbose = flags.verbose === true;
  const toStdout = !flags.output;
  writeOutput(renderAny(format, report, toStdout && useColor(process.stdout), verbose), flags.output);
  const reportFailures = await writeReports(
    reports.map((r) => ({ ...r, pieces: () => [renderAny(r.format, report, false, verbose)] })),
  );
  if (!toStdout || format !== 'table') reportErrors(report);
  const saved = await finish(prepared, flags.label);
  if (report.repositories.length === 0) {
    process.stderr.write(`assay: no git repositories could be scanned in ${paths.join(', ')}\n`);
    return 2;
  }
  if (!saved || reportFailures.length > 0) return 2;
  if (report.assessment.errors.length > 0) return 1;
  return failsThreshold(report.assessment.findings, failOn as Severity | 'none') ? 1 : 0;
}

async function runPortal(paths: string[], flags: ScanFlags): Promise<number> {
  const format = (flags.format ?? 'html') as PortalFormat;
  if (!PORTAL_FORMATS.includes(format))
    throw new UsageError(`unknown portal format '${flags.format}'; expected ${PORTAL_FORMATS.join(', ')}`);
  const prepared = await scanFromFlags(paths, { ...flags, save: flags.save ?? false });
  writeOutput(renderPortal(format, prepared.report), flags.output);
  reportErrors(prepared.report);
  await finish(prepared, flags.label);
  if (prepared.report.repositories.length === 0) {
    process.stderr.write(`assay: no git repositories could be scanned in ${paths.join(', ')}\n`);
    return 2;
  }
  return prepared.report.assessment.errors.length > 0 ? 1 : 0;
}
