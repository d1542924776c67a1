/**
 * The one place that makes untrusted text safe to print to a terminal. Git author names,
 * file names, template messages and exported cases can carry control characters: an ESC
 * starts a sequence the terminal acts on (OSC 52 writes the clipboard, OSC 8 makes a hidden
 * link, CSI moves the cursor or rewrites earlier lines). Each such character is shown as a
 * visible escape instead, so the rest of the sequence is plain, inert text.
 */

/** C0 controls, DEL, C1 controls, the Unicode line and paragraph separators and lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\uD800-\uDFFF]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, less the newline a message may mean.
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\uD800-\uDFFF]/gu;

function visible(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text for one terminal or table line: every control character, newlines included, shown as an escape. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Text that may span lines: newlines are kept, every other control character is shown as an escape. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, visible);
}

/** `file:line: code: message` for an input error on stderr, each part made safe. */
export function inputErrorLine(e: { file: string; line?: number; code?: string; message: string }): string {
  const where = `${oneLine(e.file)}${e.line ? `:${e.line}` : ''}`;
  return `${where}: ${e.code ? `${oneLine(e.code)}: ` : ''}${terminalText(e.message)}`;
}
