/**
 * A Markdown summary for pull-request comments, job summaries and wikis: counts, score,
 * failed findings, unknowns with reasons, check errors, waivers, input errors and template
 * faults (listed only when there are any). Every
 * value from an input (names, messages, paths) is escaped so it cannot break a table,
 * start a link or image, or inject HTML.
 */
import { faultsOf } from '../core/assessment.ts';
import { appendAll } from '../core/extent.ts';
import { type Assessment, type Finding, type InputError, SEVERITIES } from '../core/model.ts';
import { complianceMarkdown } from './compliance.ts';
import type { RenderOptions } from './index.ts';
import { markdownCell } from './markdown-escape.ts';
import { markdownMarkingLines } from './marking-lines.ts';
import {
  capitalise,
  displayPath,
  formatLocation,
  linePieces,
  sortFindings,
  unknownReason,
  waiverOf,
} from './util.ts';

/** Input errors or template faults as a table: location, code, message. */
function problemTable(problems: readonly InputError[]): string[] {
  return table(
    ['Location', 'Code', 'Message'],
    ['l', 'l', 'l'],
    problems.map((e) => [
      markdownCell(formatLocation(e.file, e.line, e.column)),
      markdownCell(e.code),
      markdownCell(e.message),
    ]),
  );
}

/** Appends lines and blocks of lines without spreading a block into arguments (it may be huge). */
function add(out: string[], ...items: (string | readonly string[])[]): void {
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else appendAll(out, item);
  }
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  return [
    row(header),
    `|${align.map((a) => (a === 'r' ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => row(r)),
  ];
}

function where(f: Finding): string {
  return markdownCell(formatLocation(f.location.file, f.location.line));
}

function subject(f: Finding): string {
  return markdownCell(f.subject.name || f.subject.id);
}

export function renderMarkdown(assessment: Assessment, options: RenderOptions): string {
  return [...markdownPieces(assessment, options)].join('');
}

/** The Markdown as pieces, for writing a large report without one string. */
export function markdownPieces(assessment: Assessment, options: RenderOptions): Iterable<string> {
  const s = assessment.summary;
  const out: string[] = [];
  const marking = assessment.marking?.text;
  add(out, markdownMarkingLines(marking));
  add(out, `# assay ${markdownCell(assessment.domain)} assessment`, '');
  add(out, `- **Scan root:** ${markdownCell(displayPath(assessment.root || '.'))}`);
  add(out, `- **Tool:** assay ${markdownCell(assessment.tool.version)}`);
  add(out, `- **Assessment:** ${markdownCell(assessment.id)}`);
  add(
    out,
    `- **Inputs:** ${assessment.inputs.length}; **subjects:** ${s.subjects}; **findings:** ${s.findings}`,
  );
  add(
    out,
    `- **Score:** ${s.score === null ? 'n/a (nothing decided)' : `${s.score}%`} (passed and waived findings over decided findings)`,
  );
  if (s.byStatus.waived > 0 || (assessment.expiredWaivers ?? []).length > 0)
    add(
      out,
      `- **Score before waivers:** ${s.scoreBeforeWaivers === null ? 'n/a' : `${s.scoreBeforeWaivers}%`} (waived findings counted by their original status)`,
    );
  add(out, '');

  add(out, '## Summary', '');
  const st = s.byStatus;
  add(
    out,
    table(
      ['Status', 'Findings'],
      ['l', 'r'],
      [
        ['Fail', String(st.fail)],
        ['Error', String(st.error)],
        ['Unknown', String(st.unknown)],
        ['Waived', String(st.waived)],
        ['Pass', String(st.pass)],
        ['Not applicable', String(st['not-applicable'])],
      ],
    ),
    '',
  );
  add(
    out,
    table(
      ['Severity', 'Failed'],
      ['l', 'r'],
      SEVERITIES.map((sev) => [capitalise(sev), String(s.failedBySeverity[sev] ?? 0)]),
    ),
    '',
  );

  const sorted = sortFindings(assessment.findings);
  const failed = sorted.filter((f) => f.status === 'fail');
  add(out, `## Failed findings (${failed.length})`, '');
  if (failed.length === 0) add(out, 'None.', '');
  else {
    add(
      out,
      table(
        ['Severity', 'Check', 'Subject', 'Location', 'Message'],
        ['l', 'l', 'l', 'l', 'l'],
        failed.map((f) => [
          capitalise(f.severity),
          markdownCell(f.checkId),
          subject(f),
          where(f),
          markdownCell(f.message),
        ]),
      ),
      '',
    );
  }

  const unknown = sorted.filter((f) => f.status === 'unknown');
  add(out, `## Unknown findings (${unknown.length})`, '');
  if (unknown.length === 0) add(out, 'None.', '');
  else {
    add(
      out,
      'Unknown means the input cannot decide the check (for example a value set at deployment time); review these by hand.',
      '',
      table(
        ['Severity', 'Check', 'Subject', 'Location', 'Message', 'Reason'],
        ['l', 'l', 'l', 'l', 'l', 'l'],
        unknown.map((f) => [
          capitalise(f.severity),
          markdownCell(f.checkId),
          subject(f),
          where(f),
          markdownCell(f.message),
          markdownCell(unknownReason(f) ?? ''),
        ]),
      ),
      '',
    );
  }

  const errored = sorted.filter((f) => f.status === 'error');
  if (errored.length > 0) {
    add(out, `## Check errors (${errored.length})`, '');
    add(
      out,
      table(
        ['Check', 'Subject', 'Location', 'Message'],
        ['l', 'l', 'l', 'l'],
        errored.map((f) => [markdownCell(f.checkId), subject(f), where(f), markdownCell(f.message)]),
      ),
      '',
    );
  }

  const waived = sorted.filter((f) => f.status === 'waived');
  if (waived.length > 0) {
    add(out, `## Waived findings (${waived.length})`, '');
    add(
      out,
      table(
        ['Severity', 'Check', 'Subject', 'Location', 'Was', 'Justification'],
        ['l', 'l', 'l', 'l', 'l', 'l'],
        waived.map((f) => {
          const w = waiverOf(f);
          const justification = [w?.justification, w?.expires ? `expires ${w.expires}` : undefined]
            .filter(Boolean)
            .join('; ');
          return [
            capitalise(f.severity),
            markdownCell(f.checkId),
            subject(f),
            where(f),
            markdownCell(f.originalStatus ?? ''),
            markdownCell(justification),
          ];
        }),
      ),
      '',
    );
  }

  if (options.verbose) {
    const passed = sorted.filter((f) => f.status === 'pass');
    add(out, `## Passed findings (${passed.length})`, '');
    if (passed.length === 0) add(out, 'None.', '');
    else {
      add(
        out,
        table(
          ['Check', 'Subject', 'Location', 'Message'],
          ['l', 'l', 'l', 'l'],
          passed.map((f) => [markdownCell(f.checkId), subject(f), where(f), markdownCell(f.message)]),
        ),
        '',
      );
    }
  }

  add(out, complianceMarkdown(assessment));

  add(out, `## Input errors (${assessment.errors.length})`, '');
  if (assessment.errors.length === 0) add(out, 'None.', '');
  else {
    add(out, problemTable(assessment.errors), '');
  }
  const faults = faultsOf(assessment);
  if (faults.length > 0) {
    add(
      out,
      `## Template faults (${faults.length})`,
      '',
      'Expressions Azure Resource Manager refuses at deployment, decided from known values: the deployment would fail.',
      '',
      problemTable(faults),
      '',
    );
  }
  // The document ends with its last non-blank text and one newline.
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  if (out.length > 0) out[out.length - 1] = out[out.length - 1].trimEnd();
  if (marking) add(out, '', markdownMarkingLines(marking)[0] as string);
  return linePieces(out, '\n');
}
