import type { Command } from 'commander';
import { FORMATS } from '../report/index.ts';
import { addMarkingOptions } from './marking-options.ts';
import { type Domain, runPipeline, severityGate } from './pipeline.ts';
import { BRIEF_FORMATS, type BriefFlags, runBrief } from './readiness-brief.ts';
import { assessFramework, type CaseFlags, caseOptions, READINESS_STORE } from './readiness-input.ts';
import { type KpiFlags, runKpis } from './readiness-kpis.ts';
import { addSharedOptions, SEVERITY_GATE, type SharedFlags } from './shared-flags.ts';

/**
 * `assay readiness assess|kpis|brief`: support readiness of sovereign clouds. `assess` runs
 * through the shared pipeline; `kpis` and `brief` are views of the same cases and framework.
 */

interface AssessFlags extends CaseFlags, SharedFlags {}

export function registerReadiness(program: Command): void {
  const readiness = program
    .command('readiness')
    .description(
      'sovereign cloud support readiness: framework levels, support KPIs, anomalies, risks, brief',
    );

  const assess = readiness
    .command('assess')
    .description('assess every cloud of a readiness framework, with KPIs and anomalies from a case export')
    .argument('<framework>', 'readiness framework file (YAML)');
  addSharedOptions(
    caseOptions(assess).option('--root <dir>', 'folder that reported paths are relative to (default: cwd)'),
    {
      formats: FORMATS,
      defaultFormat: 'table',
      reportFormats: FORMATS,
      failOn: { subject: SEVERITY_GATE.subject, values: SEVERITY_GATE.values, default: 'none' },
    },
  ).action(async (framework: string, flags: AssessFlags) => {
    process.exitCode = await runAssess(framework, flags);
  });

  const kpis = readiness
    .command('kpis')
    .description('load a case export into DuckDB and print support KPIs per cloud, week, priority and group');
  caseOptions(kpis)
    .option('-f, --format <format>', 'table, json, csv or parquet (default: table; parquet needs --output)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--all', 'table: also rows per priority and per assignment group (json and csv always have them)')
    .option('--root <dir>', 'folder that reported paths are relative to (default: cwd)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)')
    .option(
      '--save',
      'load the cases into the store and compute the KPIs there (default when a config file is in use)',
    )
    .option('--no-save', 'keep the cases in memory only')
    .action(async (flags: KpiFlags) => {
      process.exitCode = await runKpis(flags);
    });

  const brief = readiness
    .command('brief')
    .description(
      'write the executive brief (Markdown, HTML or PDF): levels, changes since the last run, top risks, decisions',
    )
    .argument('<framework>', 'readiness framework file (YAML)');
  addMarkingOptions(caseOptions(brief))
    .option('-f, --format <format>', `${BRIEF_FORMATS.join(', ')} (default: markdown; pdf needs Chromium)`)
    .option('-o, --output <file>', 'write the brief to a file instead of stdout (required for pdf)')
    .option(
      '--previous <file>',
      'previous readiness assessment (JSON) to compare with (default: the last saved run)',
    )
    .option('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--root <dir>', 'folder that reported paths are relative to (default: cwd)')
    .option(
      '--store <file>',
      'history database to read the last run from and save to (default: config store.path, else .assay/assay.duckdb)',
    )
    .option(
      '--save',
      'also save this run and load the cases into the store (default when a config file is in use)',
    )
    .option('--no-save', 'do not save the run')
    .option('--label <text>', 'label of the saved run')
    .action(async (framework: string, flags: BriefFlags) => {
      process.exitCode = await runBrief(framework, flags);
    });
}

export function runAssess(framework: string, flags: AssessFlags): Promise<number> {
  return runPipeline(readinessDomain(framework, flags), flags);
}

type Readiness = Awaited<ReturnType<typeof assessFramework>>;

/** A framework file (and a case export) in; the criterion and KPI checks it declares. */
function readinessDomain(framework: string, flags: AssessFlags): Domain<Readiness> {
  return {
    kind: 'readiness',
    section: {
      name: 'readiness',
      read: ({ readiness = {}, scan }) => ({ waivers: scan?.waivers, ...readiness }),
    },
    defaultFormat: 'table',
    documents: {},
    reportsDocuments: false,
    gate: severityGate('none'),
    // The framework declares its criteria, so the checks are known only once it is read.
    knownChecks: [],
    storeFirst: READINESS_STORE,
    async run(ctx) {
      const result = await assessFramework(framework, flags, {
        ...(ctx.store ? { store: ctx.store } : {}),
        waivers: ctx.waivers,
        select: ctx.select,
      });
      return {
        assessment: result.assessment,
        result,
        notes: result.levels.map((l) => `${l.cloud}: level ${l.held} (${l.heldName})`),
      };
    },
  };
}
