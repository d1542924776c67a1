/**
 * Makes a CSV export safe for DuckDB's `read_csv` before it reads it: the text encoding is
 * decided (src/core/text-encoding.ts), and a quote that is never closed where it should be is
 * found, so that it cannot swallow the rows after it.
 *
 * DuckDB reads UTF-8 only, and a quoted field runs until the next quote, however far: an
 * unclosed quote in one row turns thousands of following rows into one bad field. So one
 * streamed pass tracks quotes line by line. A quoted field still open at a line that reads
 * as a complete row of its own (the header's number of fields, its quotes balanced), or at
 * the end of the file, is taken to be unterminated: the lines from its record's start to the
 * line before are reported as not read, and reading goes on from that line. A legitimate
 * multi-line field whose inner line has exactly the header's number of fields would be taken
 * for a row too; the report names the lines, so a person can check.
 *
 * When the file is not UTF-8, has CRLF line ends or lines must be left out, a UTF-8 copy with
 * LF line ends is written with those lines emptied (DuckDB skips empty lines), so line
 * numbers stay those of the original file.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodingName,
  encodingNote,
  type SniffedEncoding,
  sniffEncoding,
  TextEncodingError,
} from '../core/text-encoding.ts';

/** Lines of the file that could not be read as rows: an input error. */
export interface UnreadSpan {
  /** First and last line left out (1-based, inclusive). */
  line: number;
  endLine: number;
  /** The line where the quote that never closed opens. */
  quoteLine: number;
  reason: string;
}

export interface PreparedCsv {
  /** The file DuckDB reads: the export itself, or a UTF-8 copy of it. */
  path: string;
  encoding: string;
  /** Said to the user when the encoding was a guess or not UTF-8. */
  encodingNote?: string;
  unread: UnreadSpan[];
  /** Removes the copy, if one was written. */
  dispose(): void;
}

const CHUNK = 1 << 20;

/** Calls `visit(line, lineNumber)` for each physical line of the decoded file (without `\n`). */
async function forEachLine(
  file: string,
  encoding: string,
  fatal: boolean,
  visit: (line: string, lineNumber: number, last: boolean) => void,
): Promise<void> {
  const decoder = new TextDecoder(encoding, { fatal });
  // The unfinished line, in pieces: a line longer than a chunk is joined once, not re-scanned.
  let rest: string[] = [];
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const piece = text.slice(from, nl);
      visit(rest.length > 0 ? rest.join('') + piece : piece, ++n, false);
      rest = [];
      from = nl + 1;
    }
    if (from < text.length) rest.push(text.slice(from));
  }
  rest.push(decoder.decode());
  visit(rest.join(''), ++n, true);
}

/**
 * Whether one line, alone, is a complete record of `fields` fields: quotes open only at a
 * field's start, close before a delimiter or the end, and are balanced.
 */
export function isCompleteRow(line: string, delimiter: string, fields: number): boolean {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text === '') return false;
  let count = 1;
  let inQuotes = false;
  let atFieldStart = true;
  let closed = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch !== '"') continue;
      if (text[i + 1] === '"') i++;
      else {
        inQuotes = false;
        closed = true;
      }
    } else if (ch === delimiter) {
      count++;
      atFieldStart = true;
      closed = false;
    } else if (ch === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
    } else if (ch === '"' || closed) return false;
    else atFieldStart = false;
  }
  return !inQuotes && count === fields;
}

/** Follows quotes across lines and collects the spans that an unclosed quote would swallow. */
export class QuoteTracker {
  readonly unread: UnreadSpan[] = [];
  private inQuotes = false;
  private recordStart = 0;
  private quoteLine = 0;
  private fields = 1;
  private headerFields: number | undefined;
  private lastLine = 0;

  constructor(private readonly delimiter: string) {}

  line(text: string, n: number): void {
    this.lastLine = n;
    const header = this.headerFields;
    if (this.inQuotes && header !== undefined && header >= 2 && isCompleteRow(text, this.delimiter, header)) {
      this.leaveOut(n - 1, `it is still open at line ${n}, which reads as a row of its own`);
      this.inQuotes = false;
    }
    if (!this.inQuotes) {
      if (text === '' || text === '\r') return;
      this.recordStart = n;
      this.fields = 1;
      // Most lines have no quote: nothing to follow, once the header's width is known.
      if (this.headerFields !== undefined && !text.includes('"')) return;
    } else if (!text.includes('"')) return;
    let atFieldStart = !this.inQuotes;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.inQuotes) {
        // Jump to the next quote: a long quoted field is not walked character by character.
        const quote = ch === '"' ? i : text.indexOf('"', i);
        if (quote < 0) break;
        i = quote;
        if (text[i + 1] === '"') i++;
        else this.inQuotes = false;
      } else if (ch === this.delimiter) {
        this.fields++;
        atFieldStart = true;
      } else if (ch === '"' && atFieldStart) {
        this.inQuotes = true;
        this.quoteLine = n;
        atFieldStart = false;
      } else atFieldStart = false;
    }
    if (!this.inQuotes && this.headerFields === undefined) this.headerFields = this.fields;
  }

  end(): void {
    if (this.inQuotes) this.leaveOut(this.lastLine, 'it is still open at the end of the file');
    this.inQuotes = false;
  }

  private leaveOut(endLine: number, why: string): void {
    const span = endLine > this.recordStart ? `lines ${this.recordStart}..${endLine}` : `line ${endLine}`;
    this.unread.push({
      line: this.recordStart,
      endLine,
      quoteLine: this.quoteLine,
      reason: `unterminated quote at line ${this.quoteLine} (${why}): ${span} could not be read`,
    });
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Decides the encoding (`encoding` overrides detection) and finds unterminated quotes; writes
 * a UTF-8 copy when DuckDB cannot read the file as it is.
 */
export async function prepareCsv(
  file: string,
  options: { delimiter: string; encoding?: string },
): Promise<PreparedCsv> {
  let sniffed: SniffedEncoding = options.encoding
    ? { encoding: encodingName(options.encoding), source: 'option' }
    : (sniffEncoding(await readHead(file)) ?? { encoding: 'utf-8', source: 'valid-utf-8' });
  let crlf = false;
  const scan = async (): Promise<QuoteTracker> => {
    const tracker = new QuoteTracker(options.delimiter);
    await forEachLine(file, sniffed.encoding, true, (line, n) => {
      if (!crlf && line.endsWith('\r')) crlf = true;
      tracker.line(line, n);
    });
    tracker.end();
    return tracker;
  };
  let tracker: QuoteTracker;
  try {
    tracker = await scan();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw err;
    if (sniffed.source !== 'valid-utf-8') {
      throw new TextEncodingError(
        `the bytes are not valid ${sniffed.encoding}, the encoding ${sniffed.source === 'option' ? 'given by --encoding' : 'its start shows'}: the file cannot be read (save it as UTF-8, or pass --encoding)`,
      );
    }
    // Not UTF-8: a Latin-1 export from a Windows tool is the common case, and windows-1252
    // decodes any byte, so every row is kept; the note says it was a guess.
    sniffed = { encoding: 'windows-1252', source: 'fallback' };
    tracker = await scan();
  }
  const note = encodingNote(sniffed);
  const base = {
    encoding: sniffed.encoding,
    ...(note ? { encodingNote: note } : {}),
    unread: tracker.unread,
  };
  // DuckDB 1.5's reader with fixed columns fails on some CRLF files ("the CSV Parser state
  // machine reached an invalid state", seen with the ServiceNow sample saved with CRLF), so
  // Windows line ends are made LF in the copy.
  if (sniffed.encoding === 'utf-8' && tracker.unread.length === 0 && !crlf)
    return { ...base, path: file, dispose: () => undefined };

  const dir = mkdtempSync(join(tmpdir(), 'assay-csv-'));
  const copy = join(dir, 'cases.csv');
  try {
    const left = tracker.unread;
    let k = 0;
    let pending: string[] = [];
    let size = 0;
    writeFileSync(copy, '');
    const flush = () => {
      writeFileSync(copy, pending.join(''), { flag: 'a' });
      pending = [];
      size = 0;
    };
    await forEachLine(file, sniffed.encoding, false, (line, n, last) => {
      while (k < left.length && left[k].endLine < n) k++;
      const kept = line.endsWith('\r') ? line.slice(0, -1) : line;
      const out = k < left.length && left[k].line <= n ? '' : kept;
      pending.push(last ? out : `${out}\n`);
      size += out.length;
      if (size > CHUNK) flush();
    });
    flush();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { ...base, path: copy, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
