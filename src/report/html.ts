/**
 * The single-file HTML report: the dashboard UI with one run's data inside, so it opens
 * from an email attachment with no server and no network. Safe to open because:
 * - the data sits in `<script type="application/json">` (never executed) with `<`, `>`,
 *   `&` and the JavaScript line separators escaped, so no string can close the element;
 * - the UI renders every data string as text (Preact escapes; no raw HTML from data);
 * - a Content-Security-Policy meta tag allows only the one inline script and stylesheet
 *   (by hash) and no network at all (`default-src 'none'`).
 */
import { createHash } from 'node:crypto';
import { type EmbeddedReport, pack } from '../../web/embedded.ts';
import type { Assessment } from '../core/model.ts';
import type { RunMeta, RunSummary } from '../server/api-types.ts';
import { readInputLines } from '../server/source.ts';
import { runSummary } from '../store/summary.ts';
import { escapeHtml } from './html-escape.ts';
import { jsonChunks } from './json-stream.ts';
import { getWebAssets, type WebAssets } from './web-assets.ts';

export interface HtmlReportInput {
  assessment: Assessment;
  /** The run number in the store; reports rendered from an assessment file use 1. */
  run?: number;
  /** Runs of the same series up to this one, for the trend chart (default: just this run). */
  runs?: RunSummary[];
  label?: string;
  /** Embed the source lines around each finding (default true; read from the run's root). */
  sources?: boolean;
  /** Fixed time for the "generated" stamp (tests). */
  generatedAt?: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** JSON that cannot end its `<script>` element or start a comment in it, whatever the strings hold. */
export function scriptSafeJson(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

/** Each character escaped is one character, so pieces of JSON can be made safe one by one. */
function scriptSafe(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The bundle inlined as a script: `</script` and `<!--` would end or confuse the element. */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export function reportData(input: HtmlReportInput): EmbeddedReport {
  const { assessment } = input;
  const run = input.run ?? 1;
  const { findings, subjects, ...rest } = assessment;
  const meta: RunMeta = { ...rest, run, subjectCount: subjects.length };
  const runs = input.runs?.length ? input.runs : [runSummary(assessment, run, input.label)];
  return pack({
    meta,
    runs,
    subjects,
    findings,
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    ...(input.sources === false
      ? {}
      : {
          readLines: (file: string) => {
            const read = readInputLines(assessment, file);
            if ('note' in read) return read;
            if (!read.unchanged)
              return { note: 'the file has changed since this run, so its lines were not embedded' };
            return read.lines;
          },
        }),
  });
}

export function renderHtmlDocument(data: EmbeddedReport, assets: WebAssets): string {
  return [...htmlDocumentPieces(data, assets)].join('');
}

/** The page as pieces: the embedded data of a large run is written without being one string. */
export function* htmlDocumentPieces(data: EmbeddedReport, assets: WebAssets): Generator<string> {
  const script = inlineScript(assets.js);
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    `style-src 'sha256-${sha256(assets.css)}'`,
    // ECharts' SVG renderer writes style attributes; they cannot run script.
    "style-src-attr 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `assay report — ${data.meta.domain} run #${data.meta.run}`;
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="assay ${escapeHtml(data.meta.tool.version)}">
<title>${escapeHtml(title)}</title>
<style>${assets.css}</style>
</head>
<body>
<div id="app"><noscript>This assay report needs JavaScript to show its ${data.findings.length} findings.</noscript></div>
<script type="application/json" id="assay-data">`;
  for (const piece of jsonChunks(data, 0)) yield scriptSafe(piece);
  yield `</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The whole report as one HTML string. */
export async function renderHtmlReport(input: HtmlReportInput): Promise<string> {
  return renderHtmlDocument(reportData(input), await getWebAssets());
}
