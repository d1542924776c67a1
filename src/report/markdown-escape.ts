/**
 * The one Markdown escaper for every Markdown output (assessment reports, the TRA, the
 * readiness brief, InnerSource reports and portal). Text from inputs (resource names, git
 * authors, repository descriptions, case exports) must stay text: it may not end a table
 * cell, start emphasis, a heading, a link or an image, carry raw HTML such as
 * `<img onerror=...>`, or break a line. Link targets are limited to safe schemes.
 */

/** Control characters other than tab and line breaks, and lone surrogates: dropped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\uD800-\uDFFF]/gu;
/** Anything the escaper changes; most text has none, and one test spares it every pass. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const ANY_SPECIAL = /[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF\u2028\u2029&<>\\`*_[\]|~!#]/u;
const LINE_BREAKS = /\r\n|\r|\n|\u2028|\u2029/g;

function escapeInline(text: string, lineBreak: string): string {
  if (!ANY_SPECIAL.test(text)) return text;
  return text
    .replace(CONTROL_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~!#]/g, (c) => `\\${c}`)
    .replace(/\t/g, ' ')
    .replace(LINE_BREAKS, lineBreak);
}

/**
 * Inline text (a heading, a paragraph, a list item, link text): HTML-significant characters
 * become entities, Markdown punctuation is backslash-escaped, line breaks become spaces.
 */
export function markdownText(text: string): string {
  return escapeInline(text, ' ');
}

/** One table cell: as inline text, with line breaks kept as `<br>` (a cell is one source line). */
export function markdownCell(text: string): string {
  return escapeInline(text, '<br>');
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * A link target safe to put in `[text](target)`: http, https, mailto or a relative path;
 * line breaks and other control characters removed, and characters that could end the target
 * or the link (space, parentheses, brackets, angle brackets, quotes, backslash) percent-encoded. Undefined when
 * the target is not safe (javascript:, data:, ...).
 */
export function markdownUrl(url: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: line breaks and other controls go, wherever they are.
  const compact = url.trim().replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '');
  if (compact === '') return undefined;
  const scheme = SCHEME.exec(compact)?.[1].toLowerCase();
  if (scheme !== undefined && !SAFE_SCHEMES.has(scheme)) return undefined;
  // A relative target may not pass for a scheme-relative one to another host either.
  if (scheme === undefined && compact.startsWith('//')) return undefined;
  return compact.replace(
    /[ ()<>"'`\\[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** `[text](url)`, or the escaped text alone when the target is not safe. */
export function markdownLink(text: string, url: string): string {
  const target = markdownUrl(url);
  const label = markdownText(text);
  return target === undefined ? label : `[${label}](${target})`;
}
