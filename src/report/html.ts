/**
 * The single-file HTML report: the dashboard UI with one run's data inside, so it opens
 * from an email attachment with no server and no network. Safe to open because:
 * - the data sits in a `<script>` of a type browsers never execute: by default the packed
 *   JSON gzipped and in base64 (`application/octet-stream`; base64 has no `<` to close the
 *   element), inflated in the page with DecompressionStream; or, with `compress: false`,
 *   as `application/json` with `<`, `>`, `&` and the JavaScript line separators escaped;
 * - the UI renders every data string as text (Preact escapes; no raw HTML from data);
 * - a Content-Security-Policy meta tag allows only the one inline script and stylesheet
 *   (by hash) and no network at all (`default-src 'none'`).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
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

export interface HtmlDocumentOptions {
  /**
   * Gzip the embedded data and write it in base64 (default true): a 14,000-finding run's
   * data goes from several MB of JSON to a few hundred KB. `false` writes the script-safe
   * JSON as reports did before; the page reads either.
   */
  compress?: boolean;
}

/** How the page marks compressed data (`data-encoding` of the data element); web/main.ts reads it. */
export const COMPRESSED_ENCODING = 'gzip+base64';

export function renderHtmlDocument(
  data: EmbeddedReport,
  assets: WebAssets,
  options: HtmlDocumentOptions = {},
): string {
  return [...htmlDocumentPieces(data, assets, options)].join('');
}

/** Bytes of base64 per piece: a multiple of 3, so the pieces join into one valid base64 text. */
const BASE64_PIECE = 3 * 256 * 1024;

/** The data gzipped, in base64 pieces; the JSON is gathered as bytes, never as one string. */
function* compressedData(data: EmbeddedReport): Generator<string> {
  const chunks: Buffer[] = [];
  for (const piece of jsonChunks(data, 0)) chunks.push(Buffer.from(piece, 'utf8'));
  const gz = gzipSync(Buffer.concat(chunks), { level: 9 });
  for (let at = 0; at < gz.length; at += BASE64_PIECE)
    yield gz.subarray(at, at + BASE64_PIECE).toString('base64');
}

/** The page as pieces: the embedded data of a large run is written without being one string. */
export function* htmlDocumentPieces(
  data: EmbeddedReport,
  assets: WebAssets,
  options: HtmlDocumentOptions = {},
): Generator<string> {
  const compress = options.compress ?? true;
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
`;
  if (compress) {
    yield `<script type="application/octet-stream" id="assay-data" data-encoding="${COMPRESSED_ENCODING}">`;
    yield* compressedData(data);
  } else {
    yield '<script type="application/json" id="assay-data">';
    for (const piece of jsonChunks(data, 0)) yield scriptSafe(piece);
  }
  yield `</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The whole report as one HTML string. */
export async function renderHtmlReport(
  input: HtmlReportInput,
  options: HtmlDocumentOptions = {},
): Promise<string> {
  return renderHtmlDocument(reportData(input), await getWebAssets(), options);
}
