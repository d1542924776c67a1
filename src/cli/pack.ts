/**
 * `assay pack`: assesses templates as `assay tra` does (the same pipeline and flags) and writes
 * the evidence pack of the run into a folder (src/pack/, docs/pack.md). `assay pack verify`
 * recomputes the digests of a pack's manifest.
 */
import type { Command } from 'commander';
import type { TraReportInput } from '../azure/tra/document.ts';
import { oneLine } from '../core/terminal-text.ts';
import { verifyPack } from '../pack/manifest.ts';
import { PackError, writePack } from '../pack/write.ts';
import { FORMATS } from '../report/index.ts';
import { RUN_REF_HELP } from '../store/runs.ts';
import { BOUNDARY_HELP } from './boundaries.ts';
import { addBudgetOptions } from './budget-options.ts';
import { type AssayConfig, loadConfig } from './config.ts';
import { loadCatalog } from './controls.ts';
import { markingFrom } from './marking-options.ts';
import { type Domain, runPipeline } from './pipeline.ts';
import { fromStore, readAssessmentFile } from './report.ts';
import { UsageError } from './select-checks.ts';
import { addSharedOptions } from './shared-flags.ts';
import { addTemplateOptions } from './template-options.ts';
import { parseRating, type TraFlags, traDomain } from './tra.ts';

interface PackFlags extends TraFlags {
  owner?: string;
  pdf?: boolean;
  from?: string;
  run?: string;
}

export function registerPack(program: Command): void {
  const pack = program
    .command('pack')
    .description(
      'assess templates and write the evidence pack into a folder: OSCAL SSP fragment, assessment results and POA&M, compliance matrix, SSP annex (xlsx, CSV), TRA, findings report (HTML, PDF) and a manifest of SHA-256 digests',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option('--owner <party>', 'the responsible party written in the SSP annex owner column')
    .option('--no-pdf', 'do not print the findings report to PDF (default: printed when Chromium is found)')
    .option(
      '--from <assessment.json>',
      'pack an assessment written by `assay scan -f json` (assessed against one baseline) instead of assessing templates; no TRA',
    )
    .option('--run <ref>', `pack a saved run instead of assessing templates: ${RUN_REF_HELP}; no TRA`)
    .option('--boundary <name>', BOUNDARY_HELP)
    .option(
      '--risk-appetite <rating>',
      "the TRA's highest residual rating accepted without treatment: low, medium, high, extreme (default medium)",
    );
  addSharedOptions(
    addBudgetOptions(addTemplateOptions(pack, 'fixed time for utcNow() and the TRA, ISO 8601')),
    {
      formats: ['pack'],
      defaultFormat: 'pack',
      reportFormats: FORMATS,
      failOn: {
        subject: 'a threat above the risk appetite',
        values: ['low', 'medium', 'high', 'extreme', 'none'],
        default: 'none',
      },
    },
  ).action(async (paths: string[], flags: PackFlags) => {
    process.exitCode = await runPack(paths, flags);
  });
  pack
    .command('verify')
    .description(
      "recompute the SHA-256 of every file a pack's manifest lists: exit 0 when all match, 1 naming each file changed, missing or extra",
    )
    .argument('<folder>', 'the pack folder (holding manifest.json)')
    .action((folder: string) => {
      process.exitCode = runVerify(folder);
    });
}

function baselineCount(flags: PackFlags, config: AssayConfig): number {
  return (flags.baseline ?? config.scan?.baselines ?? []).length;
}

/** Runs `assay pack`; returns the exit code. */
export async function runPack(paths: string[], flags: PackFlags): Promise<number> {
  if (!flags.output || flags.output === '-')
    throw new UsageError('pack needs -o <folder> to write the pack into');
  if (flags.format && flags.format !== 'pack')
    throw new UsageError(`pack writes a pack folder; -f ${flags.format} is for assay scan or assay tra`);
  const { config } = loadConfig(flags.config);
  if (flags.from !== undefined || flags.run !== undefined) return packStored(paths, flags, config);
  if (baselineCount(flags, config) !== 1)
    throw new UsageError(
      'pack needs exactly one --baseline (e.g. --baseline ism-protected; see assay baselines)',
    );
  const catalog = loadCatalog(flags.catalog ?? config.scan?.catalog);
  const appetite = flags.riskAppetite ? parseRating('--risk-appetite', flags.riskAppetite) : 'Medium';
  const tra = traDomain(paths, flags, appetite);
  const domain: Domain<TraReportInput> = {
    ...tra,
    defaultFormat: 'pack',
    documents: {
      pack: {
        async writeFile(input, folder) {
          try {
            const manifest = await writePack(
              { assessment: input.assessment, tra: input, ...(catalog ? { catalog } : {}) },
              folder,
              {
                ...(flags.owner ? { owner: flags.owner } : {}),
                ...(flags.pdf === false ? { pdf: false } : {}),
                say: (line) => process.stderr.write(`assay: ${oneLine(line)}\n`),
              },
            );
            if (flags.quiet !== true)
              process.stderr.write(
                `assay: wrote the pack to ${oneLine(folder)} (${manifest.files.length} files and manifest.json)\n`,
              );
          } catch (err) {
            if (err instanceof PackError) throw new Error(err.message);
            throw err;
          }
        },
      },
    },
    reportsDocuments: false,
  };
  return runPipeline(domain, { ...flags, format: 'pack' });
}

/** Packs an assessment already made: a file (`--from`) or a saved run (`--run`). The TRA needs the templates, so it is skipped. */
async function packStored(paths: string[], flags: PackFlags, config: AssayConfig): Promise<number> {
  if (flags.from !== undefined && flags.run !== undefined)
    throw new UsageError('--from packs a file; --run picks a saved run: give one');
  if (paths.length > 0)
    throw new UsageError('--from and --run pack an assessment already made: give no paths');
  if (flags.baseline !== undefined)
    throw new UsageError(
      '--baseline applies when assessing; a stored assessment keeps the baseline it was assessed against',
    );
  const assessment =
    flags.from !== undefined ? readAssessmentFile(flags.from) : (await fromStore(flags)).assessment;
  const marking = markingFrom(flags, config, (line) => process.stderr.write(`assay: ${line}\n`));
  const packed = marking ? { ...assessment, marking } : assessment;
  const catalog = loadCatalog(flags.catalog ?? config.scan?.catalog);
  try {
    const manifest = await writePack(
      {
        assessment: packed,
        traSkipped:
          'the TRA is built from the templates: run assay pack on them rather than on a stored assessment',
        ...(catalog ? { catalog } : {}),
      },
      flags.output as string,
      {
        ...(flags.owner ? { owner: flags.owner } : {}),
        ...(flags.pdf === false ? { pdf: false } : {}),
        say: (line) => process.stderr.write(`assay: ${oneLine(line)}\n`),
      },
    );
    if (flags.quiet !== true)
      process.stderr.write(
        `assay: wrote the pack to ${oneLine(flags.output as string)} (${manifest.files.length} files and manifest.json)\n`,
      );
    return 0;
  } catch (err) {
    if (err instanceof PackError) throw new UsageError(err.message);
    throw err;
  }
}

/** Runs `assay pack verify`; returns the exit code (0 intact, 1 changed, 2 no readable manifest). */
export function runVerify(folder: string): number {
  const result = verifyPack(folder);
  if (result.problem) {
    process.stderr.write(`assay: ${oneLine(result.problem)}\n`);
    return 2;
  }
  for (const f of result.changed) process.stderr.write(`assay: changed: ${oneLine(f)}\n`);
  for (const f of result.missing) process.stderr.write(`assay: missing: ${oneLine(f)}\n`);
  for (const f of result.extra) process.stderr.write(`assay: extra: ${oneLine(f)}\n`);
  if (result.ok) process.stdout.write(`pack ${folder}: every file matches its manifest digest\n`);
  return result.ok ? 0 : 1;
}
