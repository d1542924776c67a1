/**
 * `compact`: one line per finding, `file:line:col: severity CHECK-ID message`, the shape
 * editors' problem matchers and CI log scanners read (gcc style). Input errors come first, as
 * `file:line:col: error input/<code> message`, then template faults (ARM refuses the deployment)
 * as `file:line:col: error fault/<code> message`. Every part is made inert for a terminal.
 */
import { faultsOf } from '../core/assessment.ts';
import type { Assessment } from '../core/model.ts';
import { oneLine } from '../core/terminal-text.ts';
import type { RenderOptions } from './index.ts';
import { listedFindings } from './line-findings.ts';

const where = (file: string, line = 1, column = 1) => `${oneLine(file)}:${line}:${column}`;

export function* compactPieces(assessment: Assessment, options: RenderOptions): Iterable<string> {
  for (const e of assessment.errors)
    yield `${where(e.file, e.line, e.column)}: error input/${oneLine(e.code)} ${oneLine(e.message)}\n`;
  for (const e of faultsOf(assessment))
    yield `${where(e.file, e.line, e.column)}: error fault/${oneLine(e.code)} ${oneLine(e.message)}\n`;
  for (const f of listedFindings(assessment, options.verbose === true)) {
    const level = f.status === 'fail' ? f.severity : f.status;
    const { file, line, column } = f.location;
    yield `${where(file, line, column)}: ${level} ${oneLine(f.checkId)} ${oneLine(`${f.subject.name}: ${f.message}`)}\n`;
  }
}
