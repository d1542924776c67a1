/**
 * Renders an InnerSource report: metrics per repository, team and organisation roll-ups,
 * then the findings through the core report formats. Aggregates only, unless the report
 * was built with per-person figures (`--people`), which are then listed by name, never ranked.
 */
import { appendAll, maxOf } from '../core/extent.ts';
import type { Assessment } from '../core/model.ts';
import { oneLine } from '../core/terminal-text.ts';
import { type RenderOptions, render as renderAssessment } from '../report/index.ts';
import { markdownCell, markdownText } from '../report/markdown-escape.ts';
import { markdownMarkingLines } from '../report/marking-lines.ts';
import type { HistoryMetrics } from './metrics.ts';
import { organisationCount } from './rollup.ts';
import type { InnerSourceReport, RepositoryReport } from './scan.ts';

export const INNERSOURCE_FORMATS = ['table', 'json', 'markdown'] as const;
export type InnerSourceFormat = (typeof INNERSOURCE_FORMATS)[number];

const dash = '-';
const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? dash : `${Math.round(x * 1000) / 10}%`;
const num = (x: number | null | undefined): string => (x === null || x === undefined ? dash : String(x));
const hrs = (h: number | null | undefined): string => {
  if (h === null || h === undefined) return dash;
  return h >= 48 ? `${Math.round((h / 24) * 10) / 10} d` : `${Math.round(h * 10) / 10} h`;
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Left-aligned columns separated by two spaces; numbers stay readable without a table library.
 * Names come from git history and exports, so control characters are shown as escapes.
 */
function align(unsafeRows: string[][]): string[] {
  const rows = unsafeRows.map((r) => r.map(oneLine));
  const widths = rows[0].map((_, i) => maxOf(rows, (r) => (r[i] ?? '').length, 0));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function repoRow(r: RepositoryReport): string[] {
  const h = r.history;
  const rsp = r.responsiveness;
  return [
    r.name,
    r.owner?.team ?? dash,
    r.score.level,
    num(r.score.score),
    String(r.activityScore),
    String(h.commits),
    String(h.activeContributors),
    String(h.newContributors),
    num(h.absenceFactor),
    num(h.elephantFactor),
    pct(h.crossTeam?.share),
    h.cadence.trend,
    h.daysSinceLastActivity === null ? dash : `${h.daysSinceLastActivity} d`,
    hrs(rsp?.firstResponse.medianHours),
    pct(rsp?.acceptance.share),
  ];
}

const REPO_HEAD = [
  'repository',
  'owner',
  'health',
  'score',
  'activity',
  'commits',
  'contributors',
  'new',
  'absence',
  'elephant',
  'cross-team',
  'trend',
  'last commit',
  'first response',
  'accepted',
];

const PEOPLE_HEAD = ['repository', 'person', 'team', 'organisation', 'commits', 'lines', 'first commit'];

function windowText(r: InnerSourceReport): string {
  return `${r.window.since ?? 'all history'} .. ${r.window.until}`;
}

function peopleRows(name: string, h: HistoryMetrics): string[][] {
  return (h.people ?? []).map((p) => [
    name,
    p.name,
    p.team ?? dash,
    p.organisation ?? dash,
    String(p.commits),
    `+${p.linesAdded}/-${p.linesDeleted}`,
    p.firstCommit,
  ]);
}

function scanLine(r: RepositoryReport): string {
  const s = r.scan;
  const what =
    s.mode === 'unchanged'
      ? 'unchanged since the last scan (0 commits read)'
      : `${s.mode}: ${s.commitsRead} commits read${s.mode === 'incremental' ? ` (${s.totalCommits} in total)` : ''}`;
  return `${r.path}: ${what} in ${s.ms} ms${s.shallow ? ', shallow clone' : ''}${s.bare ? ', bare' : ''}${s.reason ? ` (${s.reason})` : ''}`;
}

export function renderInnerSourceTable(report: InnerSourceReport, options: RenderOptions): string {
  const out: string[] = [];
  const o = report.organisation;
  out.push(`InnerSource health, window ${windowText(report)}`, '');
  out.push(`Repositories (${report.repositories.length})`);
  if (report.repositories.length > 0) appendAll(out, align([REPO_HEAD, ...report.repositories.map(repoRow)]));
  else out.push('  none scanned');
  out.push('');
  if (report.teams.length > 0) {
    out.push('Teams');
    out.push(
      ...align([
        [
          'team',
          'repositories',
          'health',
          'score',
          'commits',
          'contributors',
          'inbound',
          'outbound',
          'activity',
        ],
        ...report.teams.map((t) => [
          t.team,
          String(t.repositories.length),
          t.level,
          num(t.score),
          String(t.commits),
          String(t.contributors),
          `${t.inboundCommits} (${pct(t.inboundShare)})`,
          String(t.outboundCommits),
          String(t.activityScore),
        ]),
      ]),
    );
    out.push('');
  }
  out.push(
    `Organisation: ${plural(o.repositories, 'repository', 'repositories')}, health ${o.level} (${num(o.score)}), ${plural(o.commits, 'commit')} by ${plural(o.contributors, 'person', 'people')} from ${plural(organisationCount(o), 'organisation')}; elephant factor ${num(o.elephantFactor)}; cross-team share ${pct(o.crossTeamShare)}; ${o.unowned} without an owning team`,
  );
  out.push('');
  if (report.people) {
    const rows = report.repositories.flatMap((r) => peopleRows(r.name, r.history));
    out.push('People (listed by name because --people was given; not a ranking)');
    if (rows.length > 0) appendAll(out, align([PEOPLE_HEAD, ...rows]));
    out.push('');
  }
  out.push('History scans');
  for (const r of report.repositories) out.push(`  ${oneLine(scanLine(r))}`);
  const skipped = report.assessment.notes.filter((n) => n.level === 'warning');
  if (skipped.length > 0) {
    out.push('', 'Notes');
    for (const n of skipped) out.push(`  ${oneLine(n.file)}: ${oneLine(n.message)}`);
  }
  out.push('', renderAssessment('table', report.assessment, options));
  return out.join('\n');
}

function mdTable(rows: string[][]): string[] {
  const [head, ...body] = rows;
  return [
    `| ${head.map(markdownCell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
  ];
}

export function renderInnerSourceMarkdown(report: InnerSourceReport, options: RenderOptions): string {
  const o = report.organisation;
  // The marking opens and closes the whole document, not the assessment embedded in it.
  const { marking, ...unmarked } = report.assessment;
  const out: string[] = [
    ...markdownMarkingLines(marking?.text),
    `# InnerSource health`,
    '',
    `Window: ${markdownText(windowText(report))}.`,
    '',
  ];
  out.push('## Organisation', '');
  out.push(
    ...mdTable([
      [
        'repositories',
        'health',
        'score',
        'commits',
        'contributors',
        'organisations',
        'elephant factor',
        'cross-team share',
        'without owner',
      ],
      [
        String(o.repositories),
        o.level,
        num(o.score),
        String(o.commits),
        String(o.contributors),
        String(organisationCount(o)),
        num(o.elephantFactor),
        pct(o.crossTeamShare),
        String(o.unowned),
      ],
    ]),
    '',
  );
  out.push(`## Repositories (${report.repositories.length})`, '');
  if (report.repositories.length > 0)
    appendAll(out, mdTable([REPO_HEAD, ...report.repositories.map(repoRow)]));
  out.push('');
  if (report.teams.length > 0) {
    out.push('## Teams', '');
    out.push(
      ...mdTable([
        [
          'team',
          'repositories',
          'health',
          'score',
          'commits',
          'contributors',
          'inbound commits',
          'inbound share',
          'outbound commits',
          'activity',
        ],
        ...report.teams.map((t) => [
          t.team,
          t.repositories.join(', '),
          t.level,
          num(t.score),
          String(t.commits),
          String(t.contributors),
          String(t.inboundCommits),
          pct(t.inboundShare),
          String(t.outboundCommits),
          String(t.activityScore),
        ]),
      ]),
      '',
    );
  }
  if (report.people) {
    const rows = report.repositories.flatMap((r) => peopleRows(r.name, r.history));
    out.push('## People', '', 'Listed by name because `--people` was given; not a ranking.', '');
    if (rows.length > 0) {
      appendAll(out, mdTable([PEOPLE_HEAD, ...rows]));
      out.push('');
    }
  }
  out.push('## History scans', '');
  for (const r of report.repositories) out.push(`- ${markdownText(scanLine(r))}`);
  out.push('');
  const body = renderAssessment('markdown', unmarked, options).replace(/^# /m, '## ');
  out.push(body);
  if (marking) out.push('', ...markdownMarkingLines(marking.text));
  return out.join('\n');
}

export function renderInnerSourceJson(report: InnerSourceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderInnerSource(
  format: InnerSourceFormat,
  report: InnerSourceReport,
  options: RenderOptions,
): string {
  switch (format) {
    case 'table':
      return renderInnerSourceTable(report, options);
    case 'markdown':
      return renderInnerSourceMarkdown(report, options);
    case 'json':
      return renderInnerSourceJson(report);
  }
}

/** Other assessment formats (sarif, junit, csv, oscal-ar, ...) render the findings alone. */
export function renderFindings(
  format: Parameters<typeof renderAssessment>[0],
  assessment: Assessment,
  options: RenderOptions,
): string {
  return renderAssessment(format, assessment, options);
}
