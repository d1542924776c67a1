import type { Command } from 'commander';
import type { AzureCheck } from '../azure/checks/define.ts';
import { azureChecks } from '../azure/checks/index.ts';
import { scanAzure } from '../azure/scan.ts';
import { ruleSetId } from '../checks-catalog.ts';
import { SEVERITIES, type Severity } from '../core/model.ts';
import { runScope } from '../core/run-scope.ts';
import { failsThreshold } from '../core/scoring.ts';
import { inputErrorLine } from '../core/terminal-text.ts';
import { FORMATS, isReportFormat } from '../report/index.ts';
import {
  addBaselineOptions,
  applyBaselines,
  type BaselineFlags,
  baselinesFromFlags,
} from './baseline-options.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { loadCheckPlugins, withSeverityOverrides } from './check-plugins.ts';
import { loadConfig } from './config.ts';
import { formatNames, formatPieces, loadFormatPlugins } from './format-plugins.ts';
import { Progress, useColor } from './output.ts';
import { listValues, selectChecks, UsageError } from './select-checks.ts';
import { saveScan } from './store-options.ts';
import { addTemplateOptions, collect, type TemplateFlags, templateInputs } from './template-options.ts';
import { boundaryFromFlags } from './tra.ts';
import { loadWaivers } from './waivers.ts';
import { parseReportSpec, writeReports } from './write-reports.ts';

interface ScanFlags extends TemplateFlags, BudgetFlags, BaselineFlags {
  ruleSet?: string;
  format?: string;
  output?: string;
  report?: string[];
  failOn?: string;
  checks?: string[];
  skipChecks?: string[];
  verbose?: boolean;
  progress?: boolean;
  save?: boolean;
  store?: string;
  label?: string;
  waivers?: string;
  boundary?: string;
}

export function registerScan(program: Command): void {
  const scan = program
    .command('scan')
    .description(
      'scan ARM templates (and Bicep, compiled with the Bicep CLI): expand them as Azure Resource Manager does, then run the checks',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option('-f, --format <format>', `report format: ${FORMATS.join(', ')} (default: table)`)
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-r, --report <format=file>', 'also write another report; repeatable', collect)
    .option(
      '--fail-on <severity>',
      `exit 1 when a failed finding is at or above: ${SEVERITIES.join(', ')}, none (default: low)`,
    )
    .option(
      '--rule-set <id>',
      'stop (exit 2) unless the built-in rule set is this one (assay checks --rule-set)',
    )
    .option('--checks <ids>', 'run only these check ids or globs (comma-separated, repeatable)', collect)
    .option('--skip-checks <ids>', 'skip these check ids or globs (comma-separated, repeatable)', collect)
    .option('-v, --verbose', 'also list passing findings and skipped files')
    .option('--no-progress', 'no progress line on stderr')
    .option('--save', 'save the run in the history (default when a config file is in use)')
    .option('--no-save', 'do not save the run')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option('--label <text>', 'label the saved run, e.g. a release or commit')
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option(
      '--boundary <name>',
      'run the residency checks against a sovereign boundary: au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov or a config profile',
    );
  addBaselineOptions(addBudgetOptions(addTemplateOptions(scan))).action(
    async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runScan(paths, flags);
    },
  );
}

/** Runs a scan from flags and config; returns the exit code (0 clean, 1 failing findings or input errors, 2 stopped). */
export async function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  const { config, file: configFile } = loadConfig(flags.config);
  const cfg = config.scan ?? {};
  const userFormats = await loadFormatPlugins(config.formats?.plugins ?? [], configFile);
  const format = flags.format ?? cfg.format ?? 'table';
  if (!isReportFormat(format) && !userFormats.has(format))
    throw new UsageError(
      `unknown format '${format}'; expected one of ${formatNames(userFormats).join(', ')}`,
    );
  const failOn = flags.failOn ?? cfg.failOn ?? 'low';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on expects one of ${SEVERITIES.join(', ')}, none; got '${failOn}'`);
  }
  const reports = [
    ...(cfg.reports ?? []),
    ...(flags.report ?? []).map((spec) => parseReportSpec(spec, userFormats.keys())),
  ];
  const pinned = flags.ruleSet ?? cfg.ruleSet;
  if (pinned !== undefined && pinned !== ruleSetId())
    throw new UsageError(
      `this assay's rule set is ${ruleSetId()}, but ${flags.ruleSet ? '--rule-set' : 'scan.ruleSet'} pins ${pinned}: install the assay release that has it, or move the pin after reviewing what changed (assay checks)`,
    );
  const plugins = await loadCheckPlugins(config.checks?.plugins ?? [], configFile, azureChecks);
  const checks = selectChecks(
    withSeverityOverrides([...azureChecks, ...(plugins as AzureCheck[])], config.checks?.severity),
    listValues(flags.checks ?? cfg.checks),
    listValues(flags.skipChecks ?? cfg.skipChecks),
  );
  const { targets, options } = templateInputs(paths, flags, config);
  // Baselines and waivers are read before the scan: a bad name or file stops the run at once.
  const baselines = baselinesFromFlags(
    flags,
    cfg,
    checks.map((c) => c.meta),
  );
  const { waivers } = loadWaivers(flags.waivers ?? cfg.waivers, flags.root ?? process.cwd());
  const boundary = boundaryFromFlags(flags.boundary, config);
  const asked = listValues(flags.checks ?? cfg.checks);
  if (!boundary && asked.length > 0 && checks.every((c) => c.meta.tags?.includes('residency'))) {
    // Only residency checks were asked for; without a boundary they cannot run, so say so.
    throw new UsageError(
      'the residency checks need a sovereign boundary: add --boundary (e.g. --boundary au)',
    );
  }

  const budgets = budgetsFrom(flags, cfg.budgets);
  const progress = new Progress(flags.progress !== false);
  const { assessment } = await scanAzure(targets, {
    ...options,
    checks,
    waivers,
    ...(boundary ? { boundary } : {}),
    budgets,
    verbose: flags.verbose === true,
    onProgress: (done, total, file) => progress.update(done, total, file),
  });
  progress.done();
  const templates = assessment.inputs.filter((i) => i.kind === 'arm-template').length;
  if (
    templates === 0 &&
    assessment.errors.length > 0 &&
    assessment.errors.every((e) => e.code === 'bicep-cli-missing')
  ) {
    // Only Bicep files were named and nothing can compile them: one line each says what to do.
    for (const e of assessment.errors)
      process.stderr.write(`assay: ${inputErrorLine({ ...e, line: 0, code: '' })}\n`);
    return 2;
  }
  assessment.scope = runScope('scan', targets, {
    boundary: boundary?.name,
    baselines: applyBaselines(baselines, assessment),
  });

  const mainToStdout = !(flags.output ?? cfg.output);
  // Each report is written on its own: one that fails is named, and the rest and the save go on.
  const reportFailures = await writeReports(
    [{ format, output: flags.output ?? cfg.output }, ...reports].map((r, i) => ({
      ...r,
      pieces: () =>
        formatPieces(r.format, userFormats, assessment, {
          color: i === 0 && mainToStdout && useColor(process.stdout),
          verbose: flags.verbose === true,
        }),
    })),
  );

  if (templates === 0) {
    process.stderr.write(
      `assay: no ARM deployment templates found in ${targets.join(', ')}${assessment.errors.length ? ` (${assessment.errors.length} input error(s))` : ''}\n`,
    );
    if (format !== 'table' || !mainToStdout)
      for (const e of assessment.errors) process.stderr.write(`  ${inputErrorLine({ ...e, code: '' })}\n`);
    return 2;
  }
  if (!(await saveScan(assessment, flags, config, configFile))) return 2;
  if (reportFailures.length > 0) return 2;
  if (!mainToStdout || format !== 'table') {
    // The table shows errors itself; other formats on stdout or in files get a short note on stderr.
    for (const e of assessment.errors) {
      process.stderr.write(`assay: ${inputErrorLine(e)}\n`);
    }
  }
  if (assessment.errors.length > 0) return 1;
  return failsThreshold(assessment.findings, failOn as Severity | 'none') ? 1 : 0;
}
