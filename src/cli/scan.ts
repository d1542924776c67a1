import type { Command } from 'commander';
import type { AzureCheck } from '../azure/checks/define.ts';
import { azureChecks } from '../azure/checks/index.ts';
import { scanAzure } from '../azure/scan.ts';
import { assessedInputKinds } from '../azure/sources/index.ts';
import { type LiveAzureQuery, MissingSdkError } from '../azure/sources/live/graph-sdk.ts';
import { runScope } from '../core/run-scope.ts';
import { inputErrorLine } from '../core/terminal-text.ts';
import { FORMATS } from '../report/index.ts';
import { boundaryFromFlags } from './boundaries.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { type Domain, runPipeline, severityGate } from './pipeline.ts';
import { listValues, UsageError } from './select-checks.ts';
import { addSharedOptions, type SharedFlags } from './shared-flags.ts';
import { addTemplateOptions, collect, type TemplateFlags, templateInputs } from './template-options.ts';

interface ScanFlags extends TemplateFlags, BudgetFlags, SharedFlags {
  boundary?: string;
  azureSubscription?: string[];
  azureManagementGroup?: string[];
  azureQuery?: string;
}

export function registerScan(program: Command): void {
  const scan = program
    .command('scan')
    .description(
      'scan ARM templates (and Bicep, compiled with the Bicep CLI): expand them as Azure Resource Manager does, then run the checks',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option(
      '--azure-subscription <id>',
      'live mode: also read the resources deployed in this subscription through Azure Resource Graph (the optional Azure SDK, signed in by DefaultAzureCredential); repeatable or comma-separated. Without it assay makes no cloud calls',
      collect,
    )
    .option(
      '--azure-management-group <id>',
      'live mode: read every subscription under this management group; repeatable or comma-separated',
      collect,
    )
    .option(
      '--azure-query <kql>',
      "live mode: KQL appended to 'Resources' (e.g. \"where resourceGroup == 'prod'\")",
    )
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
      const live = liveQuery(flags);
      // A live read with no paths reads only Azure, not the current folder too.
      const { targets, options } = templateInputs(
        paths.length === 0 && live ? [] : paths,
        flags,
        live ? { ...ctx.config, scan: { ...cfg, paths: [] } } : ctx.config,
      );
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
        ...(live ? { live } : {}),
        checks,
        waivers: ctx.waivers,
        ...(boundary ? { boundary } : {}),
        budgets: budgetsFrom(flags, cfg.budgets),
        verbose: ctx.verbose,
        onProgress: (done, total, file) => ctx.progress.update(done, total, file),
      }).catch((err: unknown) => {
        if (err instanceof MissingSdkError) throw new UsageError(err.message);
        throw err;
      });
      const liveTargets = [
        ...(live?.subscriptions ?? []).map((id) => `azure:subscriptions/${id}`),
        ...(live?.managementGroups ?? []).map((id) => `azure:managementGroups/${id}`),
      ];
      assessment.scope = runScope('scan', [...targets, ...liveTargets], { boundary: boundary?.name });
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
        empty: `no ARM deployment templates found in ${[...targets, ...liveTargets].join(', ')}${errors ? ` (${errors} input error(s))` : ''}`,
      };
    },
  };
}

/** The live-mode flags as a query; undefined when none is given (no cloud call). */
function liveQuery(flags: ScanFlags): LiveAzureQuery | undefined {
  const subscriptions = listValues(flags.azureSubscription);
  const managementGroups = listValues(flags.azureManagementGroup);
  if (subscriptions.length === 0 && managementGroups.length === 0) {
    if (flags.azureQuery !== undefined)
      throw new UsageError('--azure-query needs --azure-subscription or --azure-management-group');
    return undefined;
  }
  return {
    subscriptions,
    managementGroups,
    ...(flags.azureQuery !== undefined ? { filter: flags.azureQuery } : {}),
  };
}
