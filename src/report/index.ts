/**
 * Report formatters, chosen by name. Each takes an Assessment (the core model only) and
 * gives the document as pieces of text, so a report of a million findings can be written
 * without ever being one string (V8 caps strings near 512 MiB); none does I/O.
 */
import type { Assessment } from '../core/model.ts';
import { compactPieces } from './compact.ts';
import { csvPieces } from './csv.ts';
import { githubPieces } from './github.ts';
import { jsonPieces } from './json.ts';
import { junitPieces } from './junit.ts';
import { markdownPieces } from './markdown.ts';
import { oscalAssessmentResultsPieces } from './oscal-ar.ts';
import { oscalPoamPieces } from './oscal-poam.ts';
import { sarifPieces } from './sarif.ts';
import { tablePieces } from './table.ts';

export const FORMATS = [
  'table',
  'json',
  'sarif',
  'junit',
  'markdown',
  'csv',
  'oscal-ar',
  'oscal-poam',
  'compact',
  'github',
] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours; only the table uses them. The CLI passes false for NO_COLOR or a non-TTY. */
  color: boolean;
  /** Columns the terminal table fits (the terminal's width; 100 when written to a file or pipe). */
  width?: number;
  /** Also list passing (and waived) findings where the format leaves them out by default. */
  verbose?: boolean;
  /** SARIF `tool.driver.informationUri`: the project's home page, when there is one. */
  informationUri?: string;
  /** SARIF rule `helpUri` prefix: `${helpBaseUri}${checkId}.md`, e.g. the published docs/checks/ folder. */
  helpBaseUri?: string;
  /** SARIF rule `helpUri` with `{checkId}` replaced (config `report.helpUri`); wins over helpBaseUri. */
  helpUri?: string;
}

/** The document as pieces; joined, they are the whole text. */
export type Formatter = (assessment: Assessment, options: RenderOptions) => Iterable<string>;

const FORMATTERS: Record<ReportFormat, Formatter> = {
  table: tablePieces,
  json: jsonPieces,
  sarif: sarifPieces,
  junit: junitPieces,
  markdown: markdownPieces,
  csv: csvPieces,
  'oscal-ar': oscalAssessmentResultsPieces,
  'oscal-poam': oscalPoamPieces,
  compact: compactPieces,
  github: githubPieces,
};

/** The usual file extension for a format, for `--output` defaults. */
export const FORMAT_EXTENSIONS: Record<ReportFormat, string> = {
  table: 'txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'xml',
  markdown: 'md',
  csv: 'csv',
  'oscal-ar': 'json',
  'oscal-poam': 'json',
  compact: 'txt',
  github: 'txt',
};

export function isReportFormat(name: string): name is ReportFormat {
  return (FORMATS as readonly string[]).includes(name);
}

/** The report as pieces, produced as they are read: for writing large reports. */
export function renderPieces(
  format: ReportFormat,
  assessment: Assessment,
  options: RenderOptions,
): Iterable<string> {
  const formatter = FORMATTERS[format];
  if (!formatter) throw new Error(`unknown report format '${format}'; expected one of ${FORMATS.join(', ')}`);
  return formatter(assessment, options);
}

/** The report as one string: for reports known to be small, and for tests. */
export function render(format: ReportFormat, assessment: Assessment, options: RenderOptions): string {
  return Array.from(renderPieces(format, assessment, options)).join('');
}
