/**
 * Report formatters, chosen by name. Each takes an Assessment (the core model only) and
 * returns the whole document as a string; none does I/O.
 */
import type { Assessment } from '../core/model.ts';
import { renderCsv } from './csv.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderOscalAssessmentResults } from './oscal-ar.ts';
import { renderOscalPoam } from './oscal-poam.ts';
import { renderSarif } from './sarif.ts';
import { renderTable } from './table.ts';

export const FORMATS = [
  'table',
  'json',
  'sarif',
  'junit',
  'markdown',
  'csv',
  'oscal-ar',
  'oscal-poam',
] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours; only the table uses them. The CLI passes false for NO_COLOR or a non-TTY. */
  color: boolean;
  /** Also list passing (and waived) findings where the format leaves them out by default. */
  verbose?: boolean;
  /** SARIF `tool.driver.informationUri`: the project's home page, when there is one. */
  informationUri?: string;
  /** SARIF rule `helpUri` prefix: `${helpBaseUri}${checkId}.md`, e.g. the published docs/checks/ folder. */
  helpBaseUri?: string;
}

export type Formatter = (assessment: Assessment, options: RenderOptions) => string;

const FORMATTERS: Record<ReportFormat, Formatter> = {
  table: renderTable,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  csv: renderCsv,
  'oscal-ar': renderOscalAssessmentResults,
  'oscal-poam': renderOscalPoam,
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
};

export function isReportFormat(name: string): name is ReportFormat {
  return (FORMATS as readonly string[]).includes(name);
}

export function render(format: ReportFormat, assessment: Assessment, options: RenderOptions): string {
  const formatter = FORMATTERS[format];
  if (!formatter) throw new Error(`unknown report format '${format}'; expected one of ${FORMATS.join(', ')}`);
  return formatter(assessment, options);
}
