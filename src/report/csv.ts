/**
 * CSV for spreadsheets: the compliance matrix (one row per baseline control) when the run has
 * a baseline, else the findings. Cells go through the shared writer (csv-cell.ts), which quotes
 * and neutralises formulas.
 */
import type { Assessment } from '../core/model.ts';
import { findingCounts } from './compliance.ts';
import { csvRow } from './csv-cell.ts';
import type { RenderOptions } from './index.ts';
import { displayPath, sortFindings } from './util.ts';

/** Each record and its CRLF as a piece: a million rows are written without one string. */
function* rows(lines: (string | number | undefined)[][]): Generator<string> {
  for (const line of lines) yield `${csvRow(line)}\r\n`;
}

export function renderCsv(assessment: Assessment, options: RenderOptions): string {
  return [...csvPieces(assessment, options)].join('');
}

/** The CSV as pieces, for writing a large one without one string. */
export function csvPieces(assessment: Assessment, _options: RenderOptions): Iterable<string> {
  const matrices = assessment.compliance ?? [];
  if (matrices.length > 0) {
    const out: (string | number | undefined)[][] = [
      [
        'baseline',
        'control',
        'status',
        'class',
        'title',
        'statement',
        'checks',
        'findings',
        'finding_statuses',
      ],
    ];
    for (const m of matrices)
      for (const c of m.controls)
        out.push([
          m.baseline.name,
          c.id,
          c.status,
          c.class,
          c.title,
          c.statement,
          c.checks.join(' '),
          c.findings.length,
          findingCounts(c),
        ]);
    return rows(out);
  }
  const out: (string | number | undefined)[][] = [
    [
      'check',
      'severity',
      'status',
      'original_status',
      'subject',
      'subject_id',
      'subject_type',
      'file',
      'line',
      'column',
      'controls',
      'message',
      'waiver',
    ],
  ];
  for (const f of sortFindings(assessment.findings))
    out.push([
      f.checkId,
      f.severity,
      f.status,
      f.originalStatus,
      f.subject.name,
      f.subject.id,
      f.subject.type,
      displayPath(f.location.file),
      f.location.line,
      f.location.column,
      f.controls.join(' '),
      f.message,
      f.waiver?.id,
    ]);
  return rows(out);
}
