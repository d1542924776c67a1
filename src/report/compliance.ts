/**
 * The compliance matrix in the human formats: a summary for the terminal table (counts and
 * the controls that are not met) and a full table for Markdown (every control of the
 * baseline). Text from catalogs and inputs is escaped as the host format needs.
 */
import { manualCount } from '../core/compliance.ts';
import { maxOf } from '../core/extent.ts';
import type { Assessment, ComplianceMatrix, ControlResult, ControlStatus, Status } from '../core/model.ts';
import { markdownCell } from './markdown-escape.ts';
import { oneLine } from './util.ts';

export const CONTROL_STATUS_LABEL: Record<ControlStatus, string> = {
  met: 'met',
  'not-met': 'not met',
  'partially-met': 'partially met',
  unknown: 'unknown',
  waived: 'waived',
  'not-assessed': 'not assessed',
  manual: 'manual',
};

const FINDING_ORDER: readonly Status[] = ['fail', 'error', 'unknown', 'waived', 'pass', 'not-applicable'];

/** `2 fail, 1 pass` for the findings evidencing a control; empty when there are none. */
export function findingCounts(control: ControlResult): string {
  const counts = new Map<Status, number>();
  for (const f of control.findings) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  return FINDING_ORDER.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

function percent(n: number, of: number): string {
  return of === 0 ? '0%' : `${Math.round((n / of) * 1000) / 10}%`;
}

/** One line: what the baseline holds and how much of it the run could speak to. */
export function coverageLine(matrix: ComplianceMatrix): string {
  const c = matrix.coverage;
  const manual = manualCount(matrix);
  return (
    `${c.total} controls; ${c.automated} (${percent(c.automated, c.total)}) with an automated check; ` +
    `${c.assessed} assessed: ${c.met} met, ${c.notMet} not met, ${c.partiallyMet} partially met, ` +
    `${c.unknown} unknown, ${c.waived} waived; ${c.notAssessed} not assessed; ${manual} manual`
  );
}

function excerpt(text: string | undefined, max: number): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function catalogLine(matrix: ComplianceMatrix): string {
  if (!matrix.catalog) return 'none loaded (control statements are not shown; see docs/controls.md)';
  return [matrix.catalog.title, matrix.catalog.version].filter(Boolean).join(' ');
}

export function complianceMarkdown(assessment: Assessment): string[] {
  const out: string[] = [];
  for (const m of assessment.compliance ?? []) {
    out.push(`## Compliance: ${markdownCell(m.baseline.title)} (${markdownCell(m.baseline.name)})`, '');
    out.push(`- **Catalog:** ${markdownCell(catalogLine(m))}`);
    out.push(`- **Coverage:** ${markdownCell(coverageLine(m))}`);
    out.push(
      '- **Status rules:** met when every finding evidencing a control passes; not met when they fail; partially met when some pass and some fail; unknown when nothing fails but something is undecided; waived when the failures are all waived; not assessed when no check decides it; manual for principles and controls no check can evidence.',
      '',
    );
    out.push('| Control | Status | Title | Statement | Findings |', '| --- | --- | --- | --- | --- |');
    for (const c of m.controls) {
      const counts = findingCounts(c);
      const findings = c.findings.length === 0 ? '' : `${c.findings.length} (${counts})`;
      out.push(
        `| ${markdownCell(c.id)} | ${CONTROL_STATUS_LABEL[c.status]} | ${markdownCell(excerpt(c.title, 80))} | ${markdownCell(excerpt(c.statement, 200))} | ${markdownCell(findings)} |`,
      );
    }
    out.push('');
  }
  if ((assessment.expiredWaivers ?? []).length > 0) {
    out.push(`## Expired waivers (${assessment.expiredWaivers?.length})`, '');
    out.push('These no longer waive anything; each is also a failed `ASSAY-WAIVER-EXPIRED` finding.', '');
    out.push('| Waiver | Expired | Approved by | Justification |', '| --- | --- | --- | --- |');
    for (const w of assessment.expiredWaivers ?? [])
      out.push(
        `| ${markdownCell(w.id)} | ${markdownCell(w.expires ?? '')} | ${markdownCell(w.approvedBy ?? '')} | ${markdownCell(w.justification)} |`,
      );
    out.push('');
  }
  return out;
}

export interface Paint {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  magenta(s: string): string;
  dim(s: string): string;
}

/** The terminal summary: per baseline, coverage and the controls not met or partially met. */
export function complianceTable(assessment: Assessment, c: Paint): string[] {
  const out: string[] = [];
  for (const m of assessment.compliance ?? []) {
    out.push(c.bold(oneLine(`Compliance: ${m.baseline.title} (${m.baseline.name})`)));
    out.push(`  Catalog: ${oneLine(catalogLine(m))}`);
    out.push(`  ${oneLine(coverageLine(m))}`);
    const open = m.controls.filter((x) => x.status === 'not-met' || x.status === 'partially-met');
    if (open.length > 0) {
      out.push(`  Not met or partially met (${open.length}):`);
      const idWidth = maxOf(open, (x) => oneLine(x.id).length, 0);
      const statusWidth = maxOf(open, (x) => CONTROL_STATUS_LABEL[x.status].length, 0);
      const countWidth = maxOf(open, (x) => findingCounts(x).length, 0);
      for (const x of open) {
        const label = CONTROL_STATUS_LABEL[x.status].padEnd(statusWidth);
        const text = excerpt(x.statement ?? x.title, 90);
        out.push(
          `    ${oneLine(x.id).padEnd(idWidth)}  ${x.status === 'not-met' ? c.red(label) : c.yellow(label)}  ${findingCounts(x).padEnd(countWidth)}${text ? c.dim(`  ${oneLine(text)}`) : ''}`.trimEnd(),
        );
      }
    }
    out.push('');
  }
  return out;
}
