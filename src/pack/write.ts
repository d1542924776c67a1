/**
 * Writes the evidence pack of one assessed scope into a folder (docs/pack.md): the OSCAL SSP
 * fragment and component definition, assessment results and POA&M, the compliance matrix, the
 * SSP annex (xlsx and CSV), the TRA, the findings report (HTML, and PDF when Chromium is
 * there), the assessment itself, and manifest.json with the SHA-256 of each file and of each
 * input assessed. Each file is written whole or not at all.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { renderTraHtml, renderTraMarkdown, type TraReportInput } from '../azure/tra/document.ts';
import { writeChunksAtomic, writeFileAtomic } from '../cli/atomic-write.ts';
import type { Catalog } from '../controls/catalog.ts';
import type { Assessment, ComplianceMatrix } from '../core/model.ts';
import { ChromiumNotFoundError, chromiumProblem } from '../report/chromium.ts';
import { htmlDocumentPieces, renderHtmlDocument, reportData } from '../report/html.ts';
import { renderPieces } from '../report/index.ts';
import { jsonChunks } from '../report/json-stream.ts';
import { annexCsvPieces, annexRows, DEFAULT_HTML_REPORT } from '../report/ssp-annex.ts';
import { getWebAssets } from '../report/web-assets.ts';
import { catalogApplicability } from './annex.ts';
import {
  listFiles,
  MANIFEST,
  MANIFEST_SCHEMA,
  type Manifest,
  type ManifestFile,
  sha256File,
} from './manifest.ts';
import { packComponentDefinition, sspFragment } from './ssp.ts';

/** The files of a pack, in the order they are written and listed. */
export const PACK_FILES = {
  assessment: {
    path: 'assessment.json',
    description: 'the assessment (assay JSON; `assay report --from` reads it)',
  },
  ssp: {
    path: 'ssp-fragment.json',
    description: 'OSCAL system security plan fragment: control implementation by component',
  },
  component: {
    path: 'component-definition.json',
    description: "OSCAL component definition of assay's checks",
  },
  results: { path: 'assessment-results.json', description: 'OSCAL assessment results' },
  poam: { path: 'poam.json', description: 'OSCAL plan of action and milestones' },
  matrix: { path: 'compliance-matrix.csv', description: 'compliance matrix (CSV)' },
  annexXlsx: { path: 'ssp-annex.xlsx', description: 'SSP annex: one row per baseline control (xlsx)' },
  annexCsv: { path: 'ssp-annex.csv', description: 'SSP annex: one row per baseline control (CSV)' },
  traMarkdown: { path: 'tra.md', description: 'threat and risk assessment (Markdown)' },
  traHtml: { path: 'tra.html', description: 'threat and risk assessment (HTML)' },
  html: { path: DEFAULT_HTML_REPORT, description: 'findings report (single-file HTML)' },
  pdf: { path: 'findings-report.pdf', description: 'findings report (PDF)' },
} as const;

export interface PackInput {
  assessment: Assessment;
  /** The TRA of the same run; without it the TRA files are skipped with the reason given. */
  tra?: TraReportInput;
  /** Why there is no TRA, when `tra` is absent. */
  traSkipped?: string;
  /** The catalog the baseline was resolved against: the annex's applicability column. */
  catalog?: Catalog;
}

export interface PackOptions {
  owner?: string;
  /** `false` skips the PDF; default: when Chromium is found. */
  pdf?: boolean;
  /** The environment Chromium is looked up in (tests). */
  env?: NodeJS.ProcessEnv;
  /** Fixed time for the manifest and the reports' stamps (tests). */
  now?: string;
  say?: (line: string) => void;
}

export class PackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackError';
  }
}

/** The one matrix a pack is about. */
export function packMatrix(assessment: Assessment): ComplianceMatrix {
  const matrices = assessment.compliance ?? [];
  if (matrices.length !== 1)
    throw new PackError(
      `a pack is about one baseline; this run has ${matrices.length} (give exactly one --baseline, e.g. --baseline ism-protected)`,
    );
  return matrices[0];
}

/**
 * The folder to write into: made when absent; a previous pack in it is replaced (the files its
 * manifest lists and the manifest); any other file in it stops the pack.
 */
function prepareFolder(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!statSync(dir).isDirectory()) throw new PackError(`${dir} is not a folder`);
  if (readdirSync(dir).length === 0) return;
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest))
    throw new PackError(`${dir} is not empty and holds no pack: give a new or empty folder`);
  for (const file of listFiles(dir)) rmSync(join(dir, file), { force: true });
}

/** Writes the pack; returns its manifest. */
export async function writePack(input: PackInput, dir: string, options: PackOptions = {}): Promise<Manifest> {
  const { assessment } = input;
  const matrix = packMatrix(assessment);
  prepareFolder(dir);
  const files: ManifestFile[] = [];
  const skipped: Manifest['skipped'] = [];
  const at = (f: { path: string }) => join(dir, f.path);
  const record = (f: { path: string; description: string }) => {
    const full = at(f);
    files.push({
      path: f.path,
      sha256: sha256File(full),
      bytes: statSync(full).size,
      description: f.description,
    });
  };
  const text = async (f: { path: string; description: string }, pieces: Iterable<string>) => {
    await writeChunksAtomic(at(f), pieces);
    record(f);
  };
  const json = (value: unknown) => jsonChunks(value, 2);
  const render = (format: 'json' | 'oscal-ar' | 'oscal-poam' | 'csv') =>
    renderPieces(format, assessment, { color: false, verbose: true });

  await text(PACK_FILES.assessment, render('json'));
  const rows = annexRows(assessment, {
    htmlReport: PACK_FILES.html.path,
    ...(options.owner ? { owner: options.owner } : {}),
    applicability: catalogApplicability(input.catalog),
  });
  await text(PACK_FILES.ssp, json(sspFragment(assessment, matrix, rows)));
  await text(PACK_FILES.component, json(packComponentDefinition(assessment, matrix)));
  await text(PACK_FILES.results, render('oscal-ar'));
  await text(PACK_FILES.poam, render('oscal-poam'));
  await text(PACK_FILES.matrix, render('csv'));
  const { writeAnnexXlsx } = await import('../report/ssp-annex-xlsx.ts');
  await writeAnnexXlsx(rows, at(PACK_FILES.annexXlsx), `SSP annex: ${matrix.baseline.title}`);
  record(PACK_FILES.annexXlsx);
  await text(PACK_FILES.annexCsv, annexCsvPieces(rows));
  if (input.tra) {
    await text(PACK_FILES.traMarkdown, [renderTraMarkdown(input.tra)]);
    await text(PACK_FILES.traHtml, [renderTraHtml(input.tra)]);
  } else {
    const reason = input.traSkipped ?? 'no TRA was run';
    skipped.push({ path: PACK_FILES.traMarkdown.path, reason }, { path: PACK_FILES.traHtml.path, reason });
  }

  const data = reportData({ assessment, ...(options.now ? { generatedAt: options.now } : {}) });
  const assets = await getWebAssets();
  await text(PACK_FILES.html, htmlDocumentPieces(data, assets));
  const noPdf = options.pdf === false ? 'not asked for (--no-pdf)' : chromiumProblem(options.env);
  if (noPdf) skipped.push({ path: PACK_FILES.pdf.path, reason: noPdf });
  else {
    try {
      const { writePdf } = await import('../report/pdf.ts');
      await writePdf(renderHtmlDocument(data, assets), at(PACK_FILES.pdf), {
        marking: assessment.marking?.text,
      });
      record(PACK_FILES.pdf);
    } catch (err) {
      if (!(err instanceof ChromiumNotFoundError)) throw err;
      skipped.push({ path: PACK_FILES.pdf.path, reason: err.message });
    }
  }
  for (const s of skipped) options.say?.(`pack: skipped ${s.path}: ${s.reason}`);

  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'assay', version: assessment.tool.version },
    createdAt: options.now ?? new Date().toISOString(),
    assessment: {
      id: assessment.id,
      domain: assessment.domain,
      finishedAt: assessment.finishedAt,
      root: assessment.root,
    },
    baseline: { name: matrix.baseline.name, title: matrix.baseline.title },
    ...(assessment.marking ? { marking: assessment.marking.text } : {}),
    files,
    skipped,
    inputs: assessment.inputs.map((i) => ({ file: i.file, kind: i.kind, sha256: i.sha256 })),
  };
  writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
