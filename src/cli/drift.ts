import type { Command } from 'commander';
import type { DriftCheck } from '../azure/drift/checks.ts';
import { driftChecks } from '../azure/drift/checks.ts';
import { runDrift } from '../azure/drift/run.ts';
import { assessedInputKinds } from '../azure/sources/index.ts';
import { runScope } from '../core/run-scope.ts';
import { FORMATS } from '../report/index.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { type Domain, runPipeline, severityGate } from './pipeline.ts';
import { addSharedOptions, type SharedFlags } from './shared-flags.ts';
import { addTemplateOptions, collect, type TemplateFlags, templateInputs } from './template-options.ts';

interface DriftFlags extends TemplateFlags, BudgetFlags, SharedFlags {
  planned: string[];
  deployed: string[];
}

export function registerDrift(program: Command): void {
  const drift = program
    .command('drift')
    .description(
      'compare what is planned (templates, a plan) with what is deployed: resources missing, resources the plan does not manage, and security settings that differ',
    )
    .requiredOption('--planned <path>', 'the planned model: template files or folders; repeatable', collect)
    .requiredOption(
      '--deployed <path>',
      'the deployed model: any Azure source assay reads (a live export, or templates); repeatable',
      collect,
    );
  addSharedOptions(addBudgetOptions(addTemplateOptions(drift)), {
    formats: FORMATS,
    defaultFormat: 'table',
    reportFormats: FORMATS,
    failOn: { subject: 'a failed finding', values: severityGate('low').values, default: 'low' },
  }).action(async (flags: DriftFlags) => {
    process.exitCode = await runDriftCommand(flags);
  });
}

/** Runs `assay drift`; returns the exit code (0 no drift, 1 drift at or above --fail-on or input errors, 2 stopped). */
export function runDriftCommand(flags: DriftFlags): Promise<number> {
  return runPipeline(driftDomain(flags), flags);
}

/** Two Azure models in, the AZ-DRIFT checks over their comparison. */
function driftDomain(flags: DriftFlags): Domain<undefined> {
  return {
    kind: 'drift',
    // Its own section for the shared flags (a waiver file under scan.waivers serves it too, as it
    // does every command); templates expand with the `scan` section's parameters and scope.
    section: { name: 'drift', read: ({ drift = {}, scan }) => ({ waivers: scan?.waivers, ...drift }) },
    defaultFormat: 'table',
    documents: {},
    reportsDocuments: false,
    gate: severityGate('low'),
    knownChecks: driftChecks,
    async run(ctx) {
      const checks = ctx.select(driftChecks) as DriftCheck[];
      const { targets, options } = templateInputs(flags.planned, flags, ctx.config);
      const { assessment, plannedInputs, deployedInputs } = await runDrift(
        targets,
        flags.deployed,
        {
          ...options,
          checks,
          waivers: ctx.waivers,
          budgets: budgetsFrom(flags, ctx.config.scan?.budgets),
          verbose: ctx.verbose,
          onProgress: (done, total, file) => ctx.progress.update(done, total, file),
        },
        assessedInputKinds(),
      );
      assessment.scope = runScope('drift', [...targets, ...flags.deployed]);
      const missing =
        plannedInputs === 0
          ? `no planned model: no ARM deployment templates found in ${targets.join(', ')}`
          : deployedInputs === 0
            ? `no deployed model: no Azure source found in ${flags.deployed.join(', ')}`
            : undefined;
      return { assessment, result: undefined, ...(missing ? { empty: missing } : {}) };
    },
  };
}
