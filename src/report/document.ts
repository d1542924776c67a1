import { escapeHtml } from './html-escape.ts';
import { htmlMarkingLine } from './marking-lines.ts';
import { PRINTED_CLASS, printHtml } from './pdf.ts';

export type DocBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[]; ordered?: boolean }
  | { kind: 'table'; head: string[]; rows: string[][]; align?: ('left' | 'right')[] }
  /** Markup assay built itself with every string escaped (the TRA's SVG diagram); never data. */
  | { kind: 'markup'; html: string };

export interface DocumentHtmlOptions {
  /** The page title (default: the first heading). */
  title?: string;
  /** Style rules added after the base ones. */
  css?: string;
  /** A class for a table cell from its text (e.g. a risk rating); only plain class names are kept. */
  cellClass?: (text: string, column: number) => string | undefined;
  /** The protective marking, centred at the top and bottom of the page (and of every printed page). */
  marking?: string | undefined;
}

/** Nothing to load and no script; inline style only for the page's own stylesheet. */
export const DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const BASE_CSS = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; } h3 { margin-top: 1.4rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.85rem; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; hyphens: manual; }
th { background: #f0f0f0; word-break: normal; overflow-wrap: normal; }
td { word-break: normal; overflow-wrap: break-word; }
th.r, td.r { text-align: right; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
.marking { text-align: center; font-weight: 700; letter-spacing: 0.04em; margin: 0.4rem 0; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
@media print { .${PRINTED_CLASS} .marking { display: none; } }
`;

const CLASS_NAME = /^[A-Za-z][\w-]*$/;

/** Escaped cell text that may wrap after a `/` (resource ids, paths) but never inside a word. */
const cellText = (text: string) => escapeHtml(text).replaceAll('/', '/<wbr>');

function cellAttr(classes: (string | undefined)[]): string {
  const safe = classes.filter((c): c is string => c !== undefined && CLASS_NAME.test(c));
  return safe.length ? ` class="${safe.join(' ')}"` : '';
}

export function renderDocumentHtml(blocks: readonly DocBlock[], options: DocumentHtmlOptions = {}): string {
  const e = escapeHtml;
  const first = blocks.find((b) => b.kind === 'heading');
  const title = options.title ?? (first?.kind === 'heading' ? first.text : 'assay document');
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        body.push(`<h${b.level}>${e(b.text)}</h${b.level}>`);
        break;
      case 'paragraph':
        body.push(`<p>${e(b.text)}</p>`);
        break;
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        body.push(`<${tag}>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'table': {
        const right = (i: number) => (b.align?.[i] === 'right' ? 'r' : undefined);
        const head = b.head.some((x) => x !== '')
          ? `<thead><tr>${b.head.map((x, i) => `<th${cellAttr([right(i)])}>${e(x)}</th>`).join('')}</tr></thead>`
          : '';
        const cell = (x: string, i: number) =>
          `<td${cellAttr([right(i), options.cellClass?.(x, i)])}>${cellText(x)}</td>`;
        body.push(
          `<table>${head}<tbody>${b.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`,
        );
        break;
      }
      case 'markup':
        body.push(b.html);
        break;
    }
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing to load and no script: the page is inert whatever the strings contain.
    `<meta http-equiv="Content-Security-Policy" content="${DOCUMENT_CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(title)}</title>`,
    `<style>${BASE_CSS}${options.css ?? ''}</style>`,
    '</head><body>',
    htmlMarkingLine(options.marking, 'top'),
    ...body,
    htmlMarkingLine(options.marking, 'bottom'),
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Prints a document page to PDF through the system's Chromium (throws ChromiumNotFoundError
 * when there is none). Unlike the dashboard's print view, a document is ready once loaded.
 */
export async function writeDocumentPdf(html: string, out: string, marking?: string): Promise<void> {
  await printHtml(html, out, { marking });
}
