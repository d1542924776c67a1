import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import type { Assessment } from '../core/model.ts';
import { catalogApplicability } from '../pack/annex.ts';
import { ChromiumNotFoundError } from '../report/chromium.ts';
import { type HtmlReportInput, htmlDocumentPieces, renderHtmlDocument, reportData } from '../report/html.ts';
import { writePdf } from '../report/pdf.ts';
import { annexCsvPieces, annexRows } from '../report/ssp-annex.ts';
import { getWebAssets } from '../report/web-assets.ts';
import { RUN_REF_HELP, resolveRunRef } from '../store/runs.ts';
import { writeChunksAtomic } from './atomic-write.ts';
import { type AssayConfig, loadConfig } from './config.ts';
import { loadCatalog } from './controls.ts';
import { addMarkingOptions, type MarkingFlags, markingFrom } from './marking-options.ts';
import { UsageError } from './select-checks.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';

interface ReportFlags extends StoreFlags, MarkingFlags {
  html?: string;
  pdf?: string;
  sspAnnex?: string;
  owner?: string;
  catalog?: string;
  run?: string;
  from?: string;
  sources?: boolean;
  config?: string;
}

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description('write the single-file HTML report (opens offline, e.g. from email) or a PDF of it')
    .option('--html <file>', 'write the single-file HTML report')
    .option('--pdf <file>', 'write a PDF (needs Chromium: apt-get install chromium)')
    .option(
      '--ssp-annex <file>',
      "write the SSP annex: one row per control of the run's baseline (.xlsx, or CSV for any other name; docs/pack.md)",
    )
    .option('--owner <party>', 'the responsible party in the SSP annex owner column')
    .option(
      '--catalog <file-or-name>',
      "the catalog for the SSP annex's applicability column (default: the one imported with assay controls import)",
    )
    .option('--run <ref>', `the saved run to render: ${RUN_REF_HELP} (default: latest)`)
    .option(
      '--from <assessment.json>',
      'render an assessment written by `assay scan -f json` instead of a saved run',
    )
    .option('--no-sources', 'do not embed the source lines around findings')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(addMarkingOptions(command)).action(async (flags: ReportFlags) => {
    process.exitCode = await runReport(flags);
  });
}

export function readAssessmentFile(file: string): Assessment {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--from ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const a = value as Partial<Assessment> | null;
  if (a?.schemaVersion !== 1 || !Array.isArray(a.findings) || !Array.isArray(a.checks))
    throw new UsageError(`--from ${file}: not an assay assessment (write one with assay scan -f json)`);
  return a as Assessment;
}

export async function fromStore(
  flags: StoreFlags & { run?: string; config?: string },
): Promise<HtmlReportInput> {
  const { config } = loadConfig(flags.config);
  const store = await openHistory(storePath(flags, config), true);
  try {
    const all = await store.listRuns();
    const found = resolveRunRef(all, flags.run ?? 'latest');
    if ('error' in found) throw new UsageError(found.error);
    const assessment = await store.getAssessment(found.run.run);
    if (!assessment) throw new UsageError(`run ${found.run.run} has no saved assessment`);
    // The trend chart: this run's series up to the one rendered, oldest first (never another series).
    const runs = all.filter((r) => r.series === found.run.series && r.run <= found.run.run).reverse();
    return { assessment, run: found.run.run, runs };
  } finally {
    await store.close();
  }
}

/** The SSP annex of the run: `.xlsx` by its name, else CSV; evidence links point at `--html` when given. */
async function writeAnnex(assessment: Assessment, flags: ReportFlags, config: AssayConfig): Promise<void> {
  const file = flags.sspAnnex as string;
  const rows = annexRows(assessment, {
    ...(flags.html ? { htmlReport: basename(flags.html) } : {}),
    ...(flags.owner ? { owner: flags.owner } : {}),
    applicability: catalogApplicability(loadCatalog(flags.catalog ?? config.scan?.catalog)),
  });
  if (extname(file).toLowerCase() === '.xlsx') {
    const { writeAnnexXlsx } = await import('../report/ssp-annex-xlsx.ts');
    await writeAnnexXlsx(rows, file);
  } else await writeChunksAtomic(file, annexCsvPieces(rows));
  process.stderr.write(`assay: wrote ${file} (${rows.length} controls)\n`);
}

async function runReport(flags: ReportFlags): Promise<number> {
  if (!flags.html && !flags.pdf && !flags.sspAnnex)
    throw new UsageError('report needs --html <file>, --pdf <file> and/or --ssp-annex <file>');
  if (flags.from && flags.run)
    throw new UsageError('--from renders a file; --run picks a saved run: give one');
  const input: HtmlReportInput = flags.from
    ? { assessment: readAssessmentFile(flags.from), label: flags.from }
    : await fromStore(flags);
  if (flags.sources === false) input.sources = false;
  // A marking asked for now wins over the one the run was recorded with.
  const { config } = loadConfig(flags.config);
  const marking = markingFrom(flags, config, (line) => process.stderr.write(`assay: ${line}\n`));
  if (marking) input.assessment = { ...input.assessment, marking };
  if (flags.sspAnnex) await writeAnnex(input.assessment, flags, config);
  if (!flags.html && !flags.pdf) return 0;
  const data = reportData(input);
  const assets = await getWebAssets();
  if (flags.html) {
    // Written in pieces, whole or not at all: a large run's page is never one string.
    let bytes = 0;
    const counted = function* (): Generator<string> {
      for (const piece of htmlDocumentPieces(data, assets)) {
        bytes += Buffer.byteLength(piece);
        yield piece;
      }
    };
    await writeChunksAtomic(flags.html, counted());
    process.stderr.write(`assay: wrote ${flags.html} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`);
  }
  if (flags.pdf) {
    try {
      await writePdf(renderHtmlDocument(data, assets), flags.pdf, {
        marking: input.assessment.marking?.text,
      });
    } catch (err) {
      if (err instanceof ChromiumNotFoundError) {
        process.stderr.write(`assay: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
    process.stderr.write(`assay: wrote ${flags.pdf}\n`);
  }
  return 0;
}
