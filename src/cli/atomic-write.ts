/**
 * Writes an output file whole or not at all: the text goes to a temporary file in the same
 * folder, which is renamed over the target only once every byte is written. A full disk or a
 * failed render leaves the earlier file (if any) as it was and no empty or partial file behind,
 * and the failure is one clear line, not a stack trace.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Why an output could not be written, as one line naming the file. */
export class OutputWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`could not write ${file}: ${reason}`);
    this.name = 'OutputWriteError';
  }
}

/** The short reason of a system error: `ENOSPC: no space left on device, write` becomes its first part. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const first = err.message.split('\n')[0];
    return code && !first.startsWith(code) ? `${code}: ${first}` : first;
  }
  return String(err);
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing more can be done; the target itself was never touched.
  }
}

/**
 * Where to write: an existing target is followed through symlinks (a link stays a link). A
 * target under /dev or /proc, or one that exists and is not a regular file (a FIFO, a
 * device), is written directly, since renaming over it would replace it.
 */
function targetOf(file: string): { full: string; direct: boolean } {
  const full = resolve(file);
  // /dev/stdout redirected to a log stands for that open file: write to it, never replace it.
  if (/^\/(dev|proc)\//.test(full)) return { full, direct: true };
  let isFile: boolean;
  try {
    // stat follows links: /dev/stdout is a link to a pipe or terminal, never to be replaced.
    isFile = statSync(full).isFile();
  } catch {
    return { full, direct: false };
  }
  return isFile ? { full: realpathSync(full), direct: false } : { full, direct: true };
}

/** A fresh temporary path beside the target (folders created). */
function tempBeside(file: string, full: string): string {
  try {
    mkdirSync(dirname(full), { recursive: true });
  } catch (err) {
    throw new OutputWriteError(file, reasonOf(err));
  }
  return join(dirname(full), `.${basename(full)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** A failure: the temporary file (if any) goes, the target stays as it was. */
function failure(file: string, temp: string | undefined, err: unknown): OutputWriteError {
  if (temp) removeQuietly(temp);
  return err instanceof OutputWriteError ? err : new OutputWriteError(file, reasonOf(err));
}

/** Writes `text` to `file` (creating folders) through a temporary file and a rename. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const { full, direct } = targetOf(file);
  const temp = direct ? undefined : tempBeside(file, full);
  try {
    const fd = openSync(temp ?? full, temp ? 'wx' : 'w');
    try {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    if (temp) renameSync(temp, full);
  } catch (err) {
    throw failure(file, temp, err);
  }
}

/** Pieces are gathered into writes of about this many characters. */
const BATCH_CHARS = 1 << 20;

/**
 * Writes the pieces of a large document to `file` through a temporary file and a rename. The
 * pieces are produced as they are written, so the whole text never has to fit in one string;
 * a piece that throws (a formatter's failure) is reported as a failure of this file alone.
 */
export async function writeChunksAtomic(
  file: string,
  pieces: Iterable<string>,
  ensureNewline = true,
): Promise<void> {
  const { full, direct } = targetOf(file);
  const temp = direct ? undefined : tempBeside(file, full);
  try {
    const handle = await open(temp ?? full, temp ? 'wx' : 'w');
    try {
      await writePieces((text) => handle.write(text).then(() => undefined), pieces, ensureNewline);
    } finally {
      await handle.close();
    }
    if (temp) renameSync(temp, full);
  } catch (err) {
    throw failure(file, temp, err);
  }
}

/** Sends the pieces to `write` in batches; adds a final newline when asked and missing. */
export async function writePieces(
  write: (text: string) => Promise<void>,
  pieces: Iterable<string>,
  ensureNewline = true,
): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  let last = '';
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    batch.push(piece);
    size += piece.length;
    last = piece;
    if (size >= BATCH_CHARS) {
      await write(batch.join(''));
      batch = [];
      size = 0;
    }
  }
  if (ensureNewline && !last.endsWith('\n')) batch.push('\n');
  if (batch.length > 0) await write(batch.join(''));
}
