/**
 * `github`: GitHub Actions workflow commands (`::error file=...,line=...::message`), which a
 * workflow step turns into annotations on the pull request's files. Severity decides the level:
 * critical and high are errors, medium warnings, low and info notices; input errors and template
 * faults are errors.
 * Values are escaped as the runner requires (`%`, CR, LF; and `:` `,` in properties), so a
 * hostile message cannot start a command of its own.
 */
import { faultsOf } from '../core/assessment.ts';
import type { Assessment, Severity } from '../core/model.ts';
import { oneLine, terminalText } from '../core/terminal-text.ts';
import type { RenderOptions } from './index.ts';
import { listedFindings } from './line-findings.ts';

/** Message text: `%`, CR and LF escaped (the runner's own rule). */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property value: as data, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

function command(
  level: string,
  at: { file: string; line?: number; column?: number },
  title: string,
  message: string,
): string {
  const props = [
    `file=${escapeProperty(oneLine(at.file))}`,
    ...(at.line ? [`line=${at.line}`] : []),
    ...(at.column ? [`col=${at.column}`] : []),
    `title=${escapeProperty(oneLine(title))}`,
  ];
  // Control characters other than newlines are shown as escapes: the log viewer reads ANSI codes.
  return `::${level} ${props.join(',')}::${escapeData(terminalText(message))}\n`;
}

export function* githubPieces(assessment: Assessment, options: RenderOptions): Iterable<string> {
  for (const e of assessment.errors) yield command('error', e, `assay input error (${e.code})`, e.message);
  for (const e of faultsOf(assessment))
    yield command('error', e, `assay template fault (${e.code}): ARM refuses this deployment`, e.message);
  for (const f of listedFindings(assessment, options.verbose === true)) {
    const level = f.status === 'fail' ? LEVEL[f.severity] : f.status === 'error' ? 'error' : 'notice';
    const status = f.status === 'fail' ? f.severity : f.status;
    yield command(
      level,
      f.location,
      `${f.checkId} (${status}): ${f.title}`,
      `${f.subject.name}: ${f.message}`,
    );
  }
}
