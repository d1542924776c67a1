import type { Command } from 'commander';
import type { AzureCheck } from '../azure/checks/define.ts';
import { azureChecks } from '../azure/checks/index.ts';
import { scanAzure } from '../azure/scan.ts';
import { assessedInputKinds } from '../azure/sources/index.ts';
import { runScope } from '../core/run-scope.ts';
import { inputErrorLine } from '../core/terminal-text.ts';
import { FORMATS } from '../report/index.ts';
import { boundaryFromFlags } from './boundaries.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { type Domain, runPipeline, severityGate } from './pipeline.ts';
import { listValues, UsageError } from './select-checks.ts';
import { addSharedOptions, type SharedFlags } from './shared-flags.ts';
import { addTemplateOptions, type TemplateFlags, templateInputs } from './template-options.ts';

interface ScanFlags extends TemplateFlags, BudgetFlags, SharedFlags {
  boundary?: string;
}

export function registerScan(program: Command): void {
  const scan = program
    .command('scan')
    .description(
      'scan ARM templates (and Bicep, compiled with the Bicep CLI): expand them as Azure Resource Manager does, then run the checks',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option(
      '--boundary <name>',
      'run the residency checks against a sovereign boundary: au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov or a config profile',
    );
  addSharedOptions(addBudgetOptions(addTemplateOptions(scan)), {
    formats: FORMATS,
    defaultFormat: 'table',
    reportFormats: FORMATS,
    failOn: { subject: 'a failed finding', values: severityGate('low').values, default: 'low' },
  }).action(async (paths: string[], flags: ScanFlags) => {
    process.exitCode = await runScan(paths, flags);
  });
}

/** Runs a scan from flags and config; returns the exit code (0 clean, 1 failing findings or input errors, 2 stopped). */
export function runScan(paths: string[], flags: ScanFlags): Promise<number> {
  return runPipeline(scanDomain(paths, flags), flags);
}

/** ARM templates (and Bicep) in, the Azure checks over the expanded resources. */
function scanDomain(paths: string[], flags: ScanFlags): Domain<undefined> {
  return {
    kind: 'scan',
    section: { name: 'scan', read: (config) => config.scan ?? {} },
    defaultFormat: 'table',
    documents: {},
    reportsDocuments: false,
    gate: severityGate('low'),
    knownChecks: azureChecks,
    async run(ctx) {
      const cfg = ctx.config.scan ?? {};
      const checks = ctx.select(azureChecks) as AzureCheck[];
      const { targets, options } = templateInputs(paths, flags, ctx.config);
      const boundary = boundaryFromFlags(flags.boundary, ctx.config);
      if (
        !boundary &&
        listValues(flags.checks ?? cfg.checks).length > 0 &&
        checks.every((c) => c.meta.tags?.includes('residency'))
      )
        // Only residency checks were asked for; without a boundary they cannot run, so say so.
        throw new UsageError(
          'the residency checks need a sovereign boundary: add --boundary (e.g. --boundary au)',
        );
      const { assessment } = await scanAzure(targets, {
        ...options,
        checks,
        waivers: ctx.waivers,
        ...(boundary ? { boundary } : {}),
        budgets: budgetsFrom(flags, cfg.budgets),
        verbose: ctx.verbose,
        onProgress: (done, total, file) => ctx.progress.update(done, total, file),
      });
      assessment.scope = runScope('scan', targets, { boundary: boundary?.name });
      const templates = assessment.inputs.filter((i) => assessedInputKinds().has(i.kind)).length;
      if (templates > 0) return { assessment, result: undefined };
      if (assessment.errors.length > 0 && assessment.errors.every((e) => e.code === 'bicep-cli-missing'))
        // Only Bicep files were named and nothing can compile them: one line each says what to do.
        return {
          assessment,
          result: undefined,
          stop: assessment.errors.map((e) => inputErrorLine({ ...e, line: 0, code: '' })),
        };
      const errors = assessment.errors.length;
      return {
        assessment,
        result: undefined,
        empty: `no ARM deployment templates found in ${targets.join(', ')}${errors ? ` (${errors} input error(s))` : ''}`,
      };
    },
  };
}
