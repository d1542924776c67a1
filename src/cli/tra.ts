import type { Command } from 'commander';
import { azureChecks } from '../azure/checks/index.ts';
import {
  type Boundary,
  BoundaryError,
  BUILT_IN_BOUNDARIES,
  boundaryRegionList,
  resolveBoundary,
} from '../azure/residency/boundary.ts';
import { renderTraHtml, renderTraMarkdown, type TraReportInput } from '../azure/tra/document.ts';
import { THREAT_CHECKS } from '../azure/tra/findings.ts';
import { RATINGS, type RiskRating, ratingRank } from '../azure/tra/matrix.ts';
import { renderRegisterCsv, renderRegisterJson } from '../azure/tra/register.ts';
import { normaliseClassification } from '../azure/tra/rules.ts';
import { runTra } from '../azure/tra/run.ts';
import { runScope } from '../core/run-scope.ts';
import { inputErrorLine } from '../core/terminal-text.ts';
import { FORMATS, renderPieces } from '../report/index.ts';
import {
  addBaselineOptions,
  applyBaselines,
  type BaselineFlags,
  baselinesFromFlags,
} from './baseline-options.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { type AssayConfig, loadConfig } from './config.ts';
import { Progress, writeOutput } from './output.ts';
import { listValues, selectChecks, UsageError } from './select-checks.ts';
import { saveScan } from './store-options.ts';
import { addTemplateOptions, collect, type TemplateFlags, templateInputs } from './template-options.ts';
import { loadWaivers } from './waivers.ts';
import { parseReportSpec, writeReports } from './write-reports.ts';

export const TRA_FORMATS = ['markdown', 'json', 'csv', 'html', 'pdf'] as const;
type TraFormat = (typeof TRA_FORMATS)[number];

interface TraFlags extends TemplateFlags, BudgetFlags, BaselineFlags {
  checks?: string[];
  skipChecks?: string[];
  boundary?: string;
  classification?: string;
  riskAppetite?: string;
  failOn?: string;
  format?: string;
  output?: string;
  report?: string[];
  waivers?: string;
  progress?: boolean;
  save?: boolean;
  store?: string;
  label?: string;
}

/**
 * The boundary named by `--boundary` (else config `scan.boundary`), from the config's
 * profiles or the built-in ones; undefined when none is asked for. Shared with `assay scan`.
 */
export function boundaryFromFlags(flag: string | undefined, config: AssayConfig): Boundary | undefined {
  const name = flag ?? config.scan?.boundary;
  if (!name) return undefined;
  try {
    return resolveBoundary(name, config.boundaries ?? {});
  } catch (err) {
    if (err instanceof BoundaryError) throw new UsageError(err.message);
    throw err;
  }
}

function parseRating(flag: string, value: string): RiskRating {
  const found = RATINGS.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!found)
    throw new UsageError(
      `${flag} expects one of ${RATINGS.map((r) => r.toLowerCase()).join(', ')}; got '${value}'`,
    );
  return found;
}

export function registerTra(program: Command): void {
  const tra = program
    .command('tra')
    .description(
      'threat-and-risk assessment: architecture model, internet exposure, STRIDE threats rated on a 5 x 5 matrix, and data residency',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option(
      '--boundary <name>',
      'sovereign boundary: au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov or a config profile',
    )
    .option(
      '--classification <level>',
      'data classification where resources have no tag: UNOFFICIAL, OFFICIAL, OFFICIAL:Sensitive, PROTECTED, SECRET',
    )
    .option(
      '--risk-appetite <rating>',
      'highest residual rating accepted without treatment: low, medium, high, extreme (default medium)',
    )
    .option(
      '--fail-on <rating>',
      'exit 1 when a threat above the appetite is rated at or above: low, medium, high, extreme, none (default none)',
    )
    .option('-f, --format <format>', `document format: ${TRA_FORMATS.join(', ')} (default markdown)`)
    .option('-o, --output <file>', 'write the document to a file (required for pdf)')
    .option(
      '-r, --report <format=file>',
      `also write the assessment as ${FORMATS.join(', ')}; repeatable`,
      collect,
    )
    .option('--checks <ids>', 'run only these check ids or globs (comma-separated, repeatable)', collect)
    .option('--skip-checks <ids>', 'skip these check ids or globs (comma-separated, repeatable)', collect)
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option('--no-progress', 'no progress line on stderr')
    .option('--save', 'save the run in the history (default when a config file is in use)')
    .option('--no-save', 'do not save the run')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option('--label <text>', 'label the saved run');
  addBaselineOptions(
    addBudgetOptions(addTemplateOptions(tra, 'fixed time for utcNow() and the document, ISO 8601')),
  ).action(async (paths: string[], flags: TraFlags) => {
    process.exitCode = await runTraCommand(paths, flags);
  });

  program
    .command('boundaries')
    .description('list the sovereign boundary profiles for --boundary, with their regions')
    .option(
      '-c, --config <file>',
      'config file with project profiles (default: ./assay.config.yaml when present)',
    )
    .action((flags: { config?: string }) => {
      const { config } = loadConfig(flags.config);
      const names = [
        ...new Set([...Object.keys(BUILT_IN_BOUNDARIES), ...Object.keys(config.boundaries ?? {})]),
      ];
      for (const name of names) {
        const b = boundaryFromFlags(name, config) as Boundary;
        const source = config.boundaries?.[name] ? ' (config)' : '';
        process.stdout.write(`${name}${source}  ${b.title}\n    ${boundaryRegionList(b)}\n`);
      }
    });
}

/** Runs `assay tra`; returns the exit code (0 done, 1 input errors or --fail-on, 2 stopped). */
export async function runTraCommand(paths: string[], flags: TraFlags): Promise<number> {
  const { config, file: configFile } = loadConfig(flags.config);
  const cfg = config.scan ?? {};
  const format = (flags.format ?? 'markdown') as TraFormat;
  if (!(TRA_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown format '${format}'; expected one of ${TRA_FORMATS.join(', ')}`);
  if (format === 'pdf' && !flags.output) throw new UsageError('--format pdf needs --output FILE');
  const reports = (flags.report ?? []).map((spec) => parseReportSpec(spec));
  const appetite = flags.riskAppetite ? parseRating('--risk-appetite', flags.riskAppetite) : 'Medium';
  const failOn = flags.failOn && flags.failOn !== 'none' ? parseRating('--fail-on', flags.failOn) : undefined;
  if (flags.classification && !normaliseClassification(flags.classification))
    throw new UsageError(
      `--classification expects UNOFFICIAL, OFFICIAL, OFFICIAL:Sensitive, PROTECTED, SECRET or TOP SECRET; got '${flags.classification}'`,
    );
  const boundary = boundaryFromFlags(flags.boundary, config);
  const { targets, options } = templateInputs(paths, flags, config);
  const now = options.now;
  const { waivers } = loadWaivers(flags.waivers ?? cfg.waivers, flags.root ?? process.cwd());

  // The same selection as scan; a threat whose aggravating check was left out is rated without it.
  const checks = selectChecks(
    azureChecks,
    listValues(flags.checks ?? cfg.checks),
    listValues(flags.skipChecks ?? cfg.skipChecks),
  );
  const baselines = baselinesFromFlags(flags, cfg, [...checks.map((c) => c.meta), ...THREAT_CHECKS]);
  const budgets = budgetsFrom(flags, cfg.budgets);
  const progress = new Progress(flags.progress !== false);
  const result = await runTra(targets, {
    ...options,
    checks,
    waivers,
    ...(boundary ? { boundary } : {}),
    ...(flags.classification ? { classification: flags.classification } : {}),
    appetite,
    budgets,
    onProgress: (done, total, file) => progress.update(done, total, file),
  });
  progress.done();
  const { assessment } = result;
  assessment.scope = runScope('tra', targets, {
    boundary: boundary?.name,
    baselines: applyBaselines(baselines, assessment),
  });
  const templates = assessment.inputs.filter((i) => i.kind === 'arm-template').length;
  if (templates === 0) {
    process.stderr.write(`assay: no ARM deployment templates found in ${targets.join(', ')}\n`);
    for (const e of assessment.errors) process.stderr.write(`  ${inputErrorLine({ ...e, code: '' })}\n`);
    return 2;
  }

  const input: TraReportInput = {
    assessment,
    model: result.model,
    threats: result.threats,
    ...(boundary ? { boundary } : {}),
    ...(flags.classification ? { classification: flags.classification } : {}),
    appetite,
    ...(now ? { generatedAt: now } : {}),
  };
  if (format === 'pdf') {
    const { writeTraPdf } = await import('../azure/tra/pdf.ts');
    await writeTraPdf(renderTraHtml(input), flags.output as string);
  } else {
    const text =
      format === 'markdown'
        ? renderTraMarkdown(input)
        : format === 'html'
          ? renderTraHtml(input)
          : format === 'json'
            ? renderRegisterJson(input)
            : renderRegisterCsv(input);
    writeOutput(text, flags.output);
  }
  const reportFailures = await writeReports(
    reports.map((r) => ({ ...r, pieces: () => renderPieces(r.format, assessment, { color: false }) })),
  );
  for (const note of assessment.notes.filter((n) => n.level === 'warning'))
    process.stderr.write(`assay: ${inputErrorLine(note)}\n`);
  for (const e of assessment.errors) process.stderr.write(`assay: ${inputErrorLine(e)}\n`);

  if (!(await saveScan(assessment, flags, config, configFile))) return 2;
  if (reportFailures.length > 0) return 2;
  if (assessment.errors.length > 0) return 1;
  if (
    failOn &&
    result.threats.some((t) => t.status === 'fail' && ratingRank(t.residual.rating) >= ratingRank(failOn))
  )
    return 1;
  return 0;
}
