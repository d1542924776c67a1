/**
 * Which text encoding a file's bytes are in, and their decoding: the one place that decides
 * it, for templates, case exports and the source view.
 *
 * Order: an explicit encoding (`--encoding`) wins; then a byte order mark (UTF-8, UTF-16LE,
 * UTF-16BE: Windows PowerShell's `Out-File` writes UTF-16LE with a mark); then the NUL pattern
 * of UTF-16 text without a mark; then UTF-8 when the bytes are valid UTF-8; else
 * windows-1252 (the WHATWG reading of Latin-1, which decodes any byte), with a note saying
 * so, since that is a guess.
 */

export type EncodingSource = 'option' | 'bom' | 'nul-pattern' | 'valid-utf-8' | 'fallback';

export interface SniffedEncoding {
  /** A WHATWG encoding name, as `TextDecoder#encoding` gives it (`utf-8`, `utf-16le`, ...). */
  encoding: string;
  source: EncodingSource;
}

export class TextEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextEncodingError';
  }
}

/** The canonical name of an encoding label (`latin1` -> `windows-1252`), or an error naming it. */
export function encodingName(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new TextEncodingError(
      `unknown encoding '${label}': use utf-8, utf-16le, utf-16be, windows-1252 (latin1) or another WHATWG encoding label`,
    );
  }
}

/** The encoding that a byte order mark or a UTF-16 NUL pattern at the start of `head` shows. */
export function sniffEncoding(head: Uint8Array): SniffedEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', source: 'bom' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', source: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', source: 'bom' };
  // Mostly-ASCII UTF-16 without a mark has a NUL in every other byte; no real UTF-8 or
  // Latin-1 text has that.
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return { encoding: 'utf-16le', source: 'nul-pattern' };
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return { encoding: 'utf-16be', source: 'nul-pattern' };
  return undefined;
}

/** Whether bytes decode as UTF-8 without a single invalid sequence. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decoded text, the encoding used and, when it was a guess or unusual, a sentence saying so. */
export interface DecodedText {
  text: string;
  encoding: string;
  source: EncodingSource;
  note?: string;
}

/** A sentence for an encoding that a person should know was used, or undefined for plain UTF-8. */
export function encodingNote(sniffed: SniffedEncoding): string | undefined {
  switch (sniffed.source) {
    case 'fallback':
      return `not valid UTF-8: read as ${sniffed.encoding} (Latin-1); pass --encoding if it is another encoding`;
    case 'nul-pattern':
      return `read as ${sniffed.encoding} (no byte order mark; the bytes have the NUL pattern of UTF-16)`;
    case 'bom':
      return sniffed.encoding === 'utf-8' ? undefined : `read as ${sniffed.encoding} (byte order mark)`;
    case 'option':
      return `read as ${sniffed.encoding} (--encoding)`;
    default:
      return undefined;
  }
}

/**
 * Decodes a whole file's bytes. A byte order mark is removed. An explicit or marked
 * encoding is decoded strictly: bytes that are not valid in it are a TextEncodingError that
 * says so, never replacement characters.
 */
export function decodeBytes(bytes: Uint8Array, encoding?: string): DecodedText {
  let sniffed: SniffedEncoding;
  if (encoding !== undefined) sniffed = { encoding: encodingName(encoding), source: 'option' };
  else sniffed = sniffEncoding(bytes) ?? { encoding: 'utf-8', source: 'valid-utf-8' };
  if (sniffed.source === 'valid-utf-8' && !isValidUtf8(bytes))
    sniffed = { encoding: 'windows-1252', source: 'fallback' };
  let text: string;
  try {
    text = new TextDecoder(sniffed.encoding, { fatal: true }).decode(bytes);
  } catch {
    const why = sniffed.source === 'option' ? 'was given' : 'its start shows';
    throw new TextEncodingError(
      `the bytes are not valid ${sniffed.encoding}, the encoding ${why}: the file cannot be decoded (save it as UTF-8)`,
    );
  }
  const note = encodingNote(sniffed);
  return { text, encoding: sniffed.encoding, source: sniffed.source, ...(note ? { note } : {}) };
}
