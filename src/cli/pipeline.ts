/**
 * The one assessment pipeline behind `scan`, `tra`, `drift`, `innersource scan` and `readiness assess`.
 * A domain supplies its source and checks (`Domain.run`), its own documents and its gate; the
 * pipeline does the rest the same way for all of them: config defaults for the shared flags,
 * rule-set pin, check plugins, severity overrides, project control mappings and selection,
 * waivers, baselines, every requested output, the save and the `--fail-on` gate.
 */

import { ruleSetId } from '../checks-catalog.ts';
import { faultsOf } from '../core/assessment.ts';
import type { Marking } from '../core/marking.ts';
import type { Assessment, Check, CheckMeta, Severity } from '../core/model.ts';
import { SEVERITIES } from '../core/model.ts';
import { failsThreshold } from '../core/scoring.ts';
import { inputErrorLine, oneLine } from '../core/terminal-text.ts';
import type { Waiver } from '../core/waivers.ts';
import type { RenderOptions } from '../report/index.ts';
import { FORMATS, isReportFormat } from '../report/index.ts';
import { StoreError } from '../store/errors.ts';
import { registerMigrations } from '../store/migrations.ts';
import { displayStore } from '../store/open.ts';
import type { SaveOptions, SqlStore } from '../store/store.ts';
import { applyBaselines, baselinesFromFlags } from './baseline-options.ts';
import { checkSelector } from './check-selection.ts';
import { type AssayConfig, loadConfig } from './config.ts';
import { formatPieces, loadFormatPlugins, type UserFormats } from './format-plugins.ts';
import { markingFrom } from './marking-options.ts';
import { Progress, useColor } from './output.ts';
import { pushRun } from './push.ts';
import { listValues, UsageError } from './select-checks.ts';
import type { SharedFlags } from './shared-flags.ts';
import { openHistory, storePath } from './store-options.ts';
import { loadWaivers } from './waivers.ts';
import { parseReportSpec, type ReportRequest, writeReports } from './write-reports.ts';

/** The config keys that give the shared flags their defaults; each domain reads its own section. */
export interface SharedSection {
  format?: string;
  output?: string;
  reports?: { format: string; output: string }[];
  failOn?: string;
  checks?: string[];
  skipChecks?: string[];
  ruleSet?: string;
  waivers?: string;
  baselines?: string[];
  catalog?: string;
}

/** A document a domain writes besides the assessment formats (the TRA, the InnerSource table). */
export interface DomainDocument<R> {
  pieces?(result: R, options: RenderOptions): Iterable<string>;
  /** For a binary document (PDF): writes the file itself; it needs `--output`. */
  writeFile?(result: R, file: string): Promise<void>;
}

export interface Gate<R> {
  values: readonly string[];
  default: string;
  /** True when the run fails the gate at this level (never called with 'none'). */
  fails(result: R, assessment: Assessment, level: string): boolean;
}

/** The usual gate: a failed finding at or above a severity. */
export function severityGate<R>(defaultLevel: Severity | 'none'): Gate<R> {
  return {
    values: [...SEVERITIES, 'none'],
    default: defaultLevel,
    fails: (_result, assessment, level) => failsThreshold(assessment.findings, level as Severity),
  };
}

/** What the pipeline hands a domain's run. */
export interface RunContext {
  config: AssayConfig;
  configFile: string | undefined;
  /** Folder reported paths are relative to. */
  root: string;
  waivers: Waiver[];
  verbose: boolean;
  progress: Progress;
  /** Open when the domain asked for the store before its run (and it could be opened). */
  store?: SqlStore;
  /** The protective marking of the run's documents (`--classification`, config `report.classification`). */
  marking?: Marking;
  /**
   * The checks to run out of a domain's own: the project's plugins of the same subject kinds
   * added, severity overrides and project control mappings applied, `--checks`/`--skip-checks`
   * selected, and the config's `checks.options` bound in. Readiness calls it once its framework has declared its criteria.
   */
  select<C extends Check<never, never>>(all: readonly C[]): C[];
}

export interface Collected<R> {
  assessment: Assessment;
  result: R;
  /** Nothing could be assessed: said on stderr, outputs written, nothing saved, exit 2. */
  empty?: string;
  /** Stop at once (exit 2), writing and saving nothing: each line is printed. */
  stop?: string[];
  /** Lines worth saying that are not problems (levels held); `--quiet` hides them. */
  notes?: string[];
}

export interface Domain<R> {
  /** The run kind recorded in the scope: scan, tra, innersource, readiness. */
  kind: string;
  /** The config section that gives the shared flags their defaults, and what is taken from it. */
  section: { name: string; read(config: AssayConfig): SharedSection };
  defaultFormat: string;
  /** Documents by name; on `--format` they win over an assessment format of the same name. */
  documents: Record<string, DomainDocument<R>>;
  /** Whether `--report` accepts the documents too (else only the assessment formats). */
  reportsDocuments: boolean;
  gate: Gate<R>;
  /** Built-in checks known before the run: plugin id clashes and `--baseline` read them. */
  knownChecks: readonly Check<never, never>[];
  /** Further rules `--baseline` may count (the TRA's threat rules). */
  extraMetas?: readonly CheckMeta[];
  /** Open the store before the run (the run writes into it); else it is opened only to save. */
  storeFirst?: {
    migrations: Parameters<typeof registerMigrations>[0];
    /** Whether to open it, given whether the run is saved (default: only when saved). */
    wanted?(save: boolean): boolean;
    prepare?(store: SqlStore): Promise<void>;
  };
  run(ctx: RunContext): Promise<Collected<R>>;
  /** Saves what the domain keeps beside the assessment, once the run has its id. */
  afterSave?(store: SqlStore, run: number, result: R): Promise<void>;
}

type Say = (line: string) => void;

/** Runs a domain through the pipeline; returns the exit code (0 clean, 1 gate, template faults or input errors, 2 stopped). */
export async function runPipeline<R>(domain: Domain<R>, flags: SharedFlags): Promise<number> {
  const { config, file: configFile } = loadConfig(flags.config);
  const cfg = domain.section.read(config);
  const quiet = flags.quiet === true;
  const warn: Say = (line) => process.stderr.write(`assay: ${line}\n`);
  const info: Say = quiet ? () => undefined : warn;

  const userFormats = await loadFormatPlugins(config.formats?.plugins ?? [], configFile);
  const format = flags.format ?? cfg.format ?? domain.defaultFormat;
  const outputName = (name: string, forReport: boolean): void => {
    const names = outputNames(domain, userFormats, forReport);
    if (!names.includes(name))
      throw new UsageError(
        `${forReport ? '--report' : 'unknown format'} '${name}'; expected one of ${names.join(', ')}`,
      );
  };
  outputName(format, false);
  const output = flags.output ?? cfg.output;
  if (domain.documents[format]?.writeFile && !output)
    throw new UsageError(`--format ${format} needs --output FILE`);
  for (const r of cfg.reports ?? []) outputName(r.format, true);
  // The one --report parser every command uses, with this command's names beside the built-in ones.
  const reportNames = outputNames(domain, userFormats, true).filter((n) => !isReportFormat(n));
  const reports = [
    ...(cfg.reports ?? []),
    ...(flags.report ?? []).map((spec) => parseReportSpec(spec, reportNames)),
  ];
  const failOn = flags.failOn ?? cfg.failOn ?? domain.gate.default;
  if (!domain.gate.values.includes(failOn.toLowerCase()))
    throw new UsageError(`--fail-on expects one of ${domain.gate.values.join(', ')}; got '${failOn}'`);

  const pinned = flags.ruleSet ?? cfg.ruleSet;
  if (pinned !== undefined && pinned !== ruleSetId())
    throw new UsageError(
      `this assay's rule set is ${ruleSetId()}, but ${flags.ruleSet ? '--rule-set' : `${domain.section.name}.ruleSet`} pins ${pinned}: install the assay release that has it, or move the pin after reviewing what changed (assay checks)`,
    );
  const marking = markingFrom(flags, config, info);
  const root = flags.root ?? process.cwd();
  const select = await checkSelector(
    config,
    configFile,
    listValues(flags.checks ?? cfg.checks),
    listValues(flags.skipChecks ?? cfg.skipChecks),
  );
  // Baselines and waivers are read before the run: a bad name or file stops it at once.
  const known = domain.knownChecks.length > 0 ? select(domain.knownChecks).map((c) => c.meta) : [];
  const baselines = baselinesFromFlags(flags, cfg, [...known, ...(domain.extraMetas ?? [])]);
  const { waivers } = loadWaivers(flags.waivers ?? cfg.waivers, root);

  const save = flags.save ?? config.store?.save ?? configFile !== undefined;
  const storeFile = storePath(flags, config);
  let store: SqlStore | undefined;
  let storeProblem: string | undefined;
  if (domain.storeFirst && (domain.storeFirst.wanted?.(save) ?? save)) {
    registerMigrations(domain.storeFirst.migrations);
    try {
      store = await openHistory(storeFile, false);
      await domain.storeFirst.prepare?.(store);
    } catch (err) {
      await store?.close().catch(() => undefined);
      store = undefined;
      if (!(err instanceof StoreError)) throw err;
      // The run goes on in memory; it is not saved, and the exit code says so.
      storeProblem = err.message;
      if (!save) warn(`${err.message}; going on without the store`);
    }
  }
  const progress = new Progress(flags.progress !== false && !quiet);
  try {
    const collected = await domain
      .run({
        config,
        configFile,
        root,
        waivers,
        verbose: flags.verbose === true,
        progress,
        select,
        ...(store ? { store } : {}),
        ...(marking ? { marking } : {}),
      })
      .finally(() => progress.done());
    if (collected.stop) {
      for (const line of collected.stop) warn(line);
      return 2;
    }
    const { assessment, result } = collected;
    const applied = applyBaselines(baselines, assessment, (line) =>
      (line.startsWith('warning') ? warn : info)(line),
    );
    assessment.scope = { ...(assessment.scope ?? { kind: domain.kind, targets: [] }), baselines: applied };
    if (marking) assessment.marking = marking;

    const toStdout = !output || output === '-';
    const render = (name: string, forReport: boolean, color: boolean): ReportRequest['pieces'] => {
      const { classification: _c, caveats: _cv, imm: _i, ...reportSettings } = config.report ?? {};
      const options = {
        color,
        verbose: flags.verbose === true,
        ...reportSettings,
        // The table fits the terminal it is shown in; a file or a pipe gets the default width.
        ...(color && process.stdout.columns ? { width: process.stdout.columns } : {}),
      };
      const doc = forReport && !domain.reportsDocuments ? undefined : domain.documents[name];
      if (doc?.pieces) return () => (doc.pieces as NonNullable<typeof doc.pieces>)(result, options);
      return () => formatPieces(name, userFormats, assessment, options);
    };
    const requests: ReportRequest[] = [];
    const binary = domain.documents[format]?.writeFile;
    if (!binary)
      requests.push({ format, output, pieces: render(format, false, toStdout && useColor(process.stdout)) });
    for (const r of reports) requests.push({ ...r, pieces: render(r.format, true, false) });
    const failures = await writeBinary(binary, result, output as string, format);
    failures.push(...(await writeReports(requests)));

    for (const note of collected.notes ?? []) info(oneLine(note));
    // The table on stdout lists input errors, template faults and warnings itself; any other output gets them on stderr.
    if (!(toStdout && format === 'table')) {
      for (const e of [...assessment.notes.filter((n) => n.level === 'warning'), ...assessment.errors])
        warn(inputErrorLine(e));
      for (const e of faultsOf(assessment)) warn(inputErrorLine({ ...e, code: `template fault ${e.code}` }));
    }
    if (collected.empty) {
      warn(collected.empty);
      return 2;
    }
    let saved = true;
    if (save) {
      if (storeProblem) {
        warn(`${storeProblem}; the reports were written, the run was not saved`);
        saved = false;
      } else
        saved = await saveRun(domain, assessment, result, store, storeFile, saveOptions(flags), info, warn);
    }
    // A push that fails warns; it stops the run only with --push-required.
    if (flags.push !== undefined) {
      const pushed = await pushRun(flags.push, JSON.stringify(assessment), flags.label);
      if (!pushed && flags.pushRequired === true) return 2;
    } else if (flags.pushRequired === true) warn('--push-required without --push: nothing to push');
    if (!saved || failures.length > 0) return 2;
    const level = failOn.toLowerCase();
    if (level !== 'none' && domain.gate.fails(result, assessment, level)) return 1;
    // A template fault is a deployment ARM refuses: it fails the run as a failing finding does.
    if (level !== 'none' && faultsOf(assessment).length > 0) return 1;
    return assessment.errors.length > 0 ? 1 : 0;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

/** Saves a run at most once per key (a retried CI job, a queue job run in a child process). */
export const IDEMPOTENCY_KEY_ENV = 'ASSAY_IDEMPOTENCY_KEY';

function saveOptions(flags: SharedFlags): SaveOptions {
  const fromEnv = process.env[IDEMPOTENCY_KEY_ENV];
  const key = flags.idempotencyKey ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  return {
    ...(flags.label !== undefined ? { label: flags.label } : {}),
    ...(key !== undefined ? { idempotencyKey: key } : {}),
  };
}

function outputNames<R>(domain: Domain<R>, user: UserFormats, forReport: boolean): string[] {
  const documents = forReport && !domain.reportsDocuments ? [] : Object.keys(domain.documents);
  return [...new Set([...documents, ...FORMATS, ...user.keys()])];
}

async function writeBinary<R>(
  write: DomainDocument<R>['writeFile'],
  result: R,
  file: string,
  format: string,
): Promise<{ format: string; output: string; reason: string }[]> {
  if (!write) return [];
  try {
    await write(result, file);
    return [];
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `assay: the ${format} output was not written to ${oneLine(file)}: ${oneLine(reason)}\n`,
    );
    return [{ format, output: file, reason }];
  }
}

/** Saves the run (in the store opened first, or one opened now); false when it was not saved. */
async function saveRun<R>(
  domain: Domain<R>,
  assessment: Assessment,
  result: R,
  open: SqlStore | undefined,
  file: string,
  options: SaveOptions,
  info: Say,
  warn: Say,
): Promise<boolean> {
  let store = open;
  try {
    store ??= await openHistory(file, false);
    const saved = await store.saveAssessment(assessment, options);
    // A key saved before gives back that earlier run (another start time): nothing more to save.
    const earlier =
      options.idempotencyKey !== undefined &&
      (saved.startedAt !== assessment.startedAt || saved.assessmentId !== assessment.id);
    if (earlier) {
      info(
        `already saved as run ${saved.run} in ${displayStore(file)} (idempotency key ${options.idempotencyKey})`,
      );
      return true;
    }
    await domain.afterSave?.(store, saved.run, result);
    info(`saved as run ${saved.run} in ${displayStore(file)}`);
    return true;
  } catch (err) {
    const message =
      err instanceof StoreError ? err.message : `could not save to ${displayStore(file)}: ${String(err)}`;
    warn(`${message}; the reports were written, the run was not saved`);
    return false;
  } finally {
    if (!open) await store?.close().catch(() => undefined);
  }
}
