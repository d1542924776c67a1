/**
 * Writes every report a run asked for, each on its own: a report that cannot be rendered or
 * written (a formatter's failure, a full disk, a folder that is not writable) is named with
 * its reason on stderr, and the other reports, and the save that follows, go on regardless.
 * Files are written whole or not at all (atomic-write.ts); stdout gets the pieces as they come.
 */
import type { Writable } from 'node:stream';
import { oneLine } from '../core/terminal-text.ts';
import { FORMATS, isReportFormat, type ReportFormat } from '../report/index.ts';
import { OutputWriteError, reasonOf, writeChunksAtomic, writePieces } from './atomic-write.ts';
import { UsageError } from './select-checks.ts';
import { isBrokenPipe, stdoutClosed } from './stdout-guard.ts';

export interface ReportRequest {
  /** What the report is, for the message: `sarif`, `table`. */
  format: string;
  /** The file, or undefined or `-` for stdout. */
  output: string | undefined;
  /** Produces the report's pieces; called once, when the report is written. */
  pieces: () => Iterable<string>;
}

export interface ReportFailure {
  format: string;
  output: string;
  reason: string;
}

/** Writes the pieces to a stream, waiting whenever the stream asks the writer to. */
export function writePiecesTo(stream: Writable, pieces: Iterable<string>): Promise<void> {
  return writePieces(
    (text) =>
      new Promise<void>((done, fail) => {
        stream.write(text, (err) => (err ? fail(err) : done()));
      }),
    pieces,
  );
}

/** Writes each report in turn; returns the ones that failed (already reported on `errors`). */
export async function writeReports(
  requests: readonly ReportRequest[],
  stdout: Writable = process.stdout,
  errors: Writable = process.stderr,
): Promise<ReportFailure[]> {
  const failures: ReportFailure[] = [];
  for (const r of requests) {
    const toStdout = !r.output || r.output === '-';
    try {
      if (toStdout) {
        if (!stdoutClosed()) await writePiecesTo(stdout, r.pieces());
      } else await writeChunksAtomic(r.output as string, r.pieces());
    } catch (err) {
      // The reader closed stdout (`| head`): it has what it wanted; that is not a failure.
      if (toStdout && isBrokenPipe(err)) continue;
      const reason = err instanceof OutputWriteError ? err.reason : reasonOf(err);
      const output = toStdout ? 'stdout' : (r.output as string);
      failures.push({ format: r.format, output, reason });
      errors.write(
        `assay: the ${r.format} report was not written to ${oneLine(output)}: ${oneLine(reason)}\n`,
      );
    }
  }
  return failures;
}

/** `--report FORMAT=FILE`, the same on every command that writes assessment reports. */
export function parseReportSpec(spec: string): { format: ReportFormat; output: string };
export function parseReportSpec(spec: string, extra: Iterable<string>): { format: string; output: string };
export function parseReportSpec(
  spec: string,
  extra: Iterable<string> = [],
): { format: string; output: string } {
  const at = spec.indexOf('=');
  const format = at > 0 ? spec.slice(0, at) : '';
  const output = at > 0 ? spec.slice(at + 1) : '';
  const others = [...extra];
  if (!(isReportFormat(format) || others.includes(format)) || output === '') {
    throw new UsageError(
      `--report expects FORMAT=FILE with FORMAT one of ${[...FORMATS, ...others].join(', ')}; got '${spec}'`,
    );
  }
  return { format, output };
}
