/**
 * The executive brief: per cloud its level, what changed since the last run, the top risks
 * with the numbers behind them, and the decisions needed. Every sentence is built from the
 * run's data (framework, findings, KPIs, risks); when a section has nothing to say, the
 * sentence says which data showed that. The brief is one list of blocks, rendered to Markdown
 * here and to a standalone HTML page (and its PDF) by the shared document page
 * (src/report/document.ts), which escapes every string.
 */

import { compareText } from '../core/compare.ts';
import { appendAll, extent } from '../core/extent.ts';
import type { Assessment, Finding } from '../core/model.ts';
import { type DocBlock, renderDocumentHtml } from '../report/document.ts';
import { markdownCell, markdownText } from '../report/markdown-escape.ts';
import { markdownMarkingLines } from '../report/marking-lines.ts';
import { excludedValues, type ReadinessResult } from './assess.ts';
import { CRITERION_KIND, formatKpi, SERIES_KIND } from './checks.ts';
import type { CloudDef } from './framework.ts';
import { type KpiAvailability, unavailableKpis } from './kpi-availability.ts';
import { isOverall } from './kpi-dimensions.ts';
import { KPI_LABELS, type KpiName } from './kpi-names.ts';
import type { KpiRow } from './kpis.ts';
import { type CloudLevel, computeLevels } from './levels.ts';
import { daysBetween, type Risk } from './risks.ts';

export interface BriefOptions {
  /** The previous readiness assessment, to say what changed. */
  previous?: Assessment;
  /** Risks shown per cloud (default 5). */
  topRisks?: number;
  /** The protective marking at the top and bottom of the brief (`--classification`). */
  marking?: string;
}

/** A Markdown table cell: a pipe would end the cell, a line break the row. */

function launchText(cloud: CloudDef, today: string): string {
  const days = daysBetween(today, cloud.launchDate);
  if (days > 0) return `launches on ${cloud.launchDate}, in ${days} days`;
  if (days === 0) return `launches today (${cloud.launchDate})`;
  return `launched on ${cloud.launchDate}, ${-days} days ago`;
}

function launchLevel(cloud: CloudDef, result: ReadinessResult): number {
  return cloud.launchLevel ?? extent(result.framework.spec.levels.map((l) => l.level)).min;
}

function levelName(result: ReadinessResult, level: number): string {
  return result.framework.spec.levels.find((l) => l.level === level)?.name ?? `level ${level}`;
}

/** Sentences on what changed for one cloud against the previous assessment. */
function changes(cloud: CloudDef, now: CloudLevel, result: ReadinessResult, previous: Assessment): string[] {
  const out: string[] = [];
  const prevFindings = previous.findings.filter((f) => f.subject.id.startsWith(`${cloud.id}/`));
  if (prevFindings.length === 0)
    return [`The previous run (${previous.startedAt.slice(0, 10)}) did not assess ${cloud.id}.`];
  const prevLevel =
    computeLevels(result.framework, previous.findings).find((l) => l.cloud === cloud.id)?.held ?? 0;
  if (prevLevel !== now.held)
    out.push(
      `Level moved from ${prevLevel} to ${now.held} (${now.heldName}) since ${previous.startedAt.slice(0, 10)}.`,
    );
  const before = new Map(
    prevFindings.filter((f) => f.subject.kind === CRITERION_KIND).map((f) => [f.subject.id, f]),
  );
  for (const f of result.assessment.findings) {
    if (f.subject.kind !== CRITERION_KIND || !f.subject.id.startsWith(`${cloud.id}/`)) continue;
    const b = before.get(f.subject.id);
    if (!b) out.push(`New criterion assessed: ${f.title} (${f.status}).`);
    else if (b.status !== f.status) out.push(`${f.title}: ${b.status} then, ${f.status} now (${f.message}).`);
  }
  const key = (f: Finding) => `${f.subject.id}|${String(f.evidence?.method)}|${String(f.evidence?.at)}`;
  const seen = new Set(prevFindings.filter((f) => f.subject.kind === SERIES_KIND).map(key));
  const fresh = result.assessment.findings.filter(
    (f) =>
      f.subject.kind === SERIES_KIND &&
      f.status === 'fail' &&
      f.subject.id.startsWith(`${cloud.id}/`) &&
      !seen.has(key(f)),
  );
  for (const f of fresh.slice(0, 3)) out.push(`New anomaly: ${f.message}.`);
  if (fresh.length > 3) out.push(`${fresh.length - 3} further new anomalies are listed in the assessment.`);
  if (out.length === 0)
    out.push(
      `Level ${now.held} and all ${before.size} criterion results are unchanged since ${previous.startedAt.slice(0, 10)}, with no new anomaly.`,
    );
  return out;
}

/** The KPIs of the brief's snapshot, in the order a support lead reads them. */
const SNAPSHOT_KPIS: KpiName[] = [
  'volume',
  'sla_attainment',
  'response_sla_attainment',
  'first_response_median_min',
  'first_response_mean_min',
  'resolve_median_h',
  'resolve_mean_h',
  'resolve_p90_h',
  'backlog',
  'backlog_8_30d',
  'backlog_over_30d',
  'reopen_rate',
  'reassignment_rate',
  'fcr_rate',
  'escalation_rate',
  'csat',
];

function kpiSnapshot(
  cloud: string,
  kpis: KpiRow[],
  today: string,
  availability: KpiAvailability | undefined,
): DocBlock[] {
  const weeks = kpis
    .filter((r) => r.cloud === cloud && r.week !== '*' && isOverall(r) && daysBetween(r.week, today) >= 7)
    .sort((a, b) => compareText(a.week, b.week));
  const last = weeks[weeks.length - 1];
  if (!last) return [];
  const prior = weeks.slice(-9, -1);
  const med = (k: KpiName) => {
    const xs = prior
      .map((r) => r[k])
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    if (xs.length === 0) return null;
    const m = xs.length >> 1;
    return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
  };
  const row = (k: KpiName) => {
    const a = availability?.kpis[k];
    if (a && !a.available) return [KPI_LABELS[k], 'unavailable', 'unavailable'];
    const v = last[k] as number | null;
    const m = med(k);
    return [KPI_LABELS[k], v === null ? 'n/a' : formatKpi(k, v), m === null ? 'n/a' : formatKpi(k, m)];
  };
  const rows = SNAPSHOT_KPIS.map(row);
  const missing = availability
    ? unavailableKpis(availability).filter((u) => SNAPSHOT_KPIS.includes(u.kpi))
    : [];
  return [
    {
      kind: 'paragraph',
      text: `Week of ${last.week} (last complete week), against the median of the ${prior.length} weeks before it:`,
    },
    { kind: 'table', head: ['KPI', 'last week', 'typical'], rows, align: ['left', 'right', 'right'] },
    ...(missing.length > 0
      ? [
          { kind: 'paragraph', text: 'The case export cannot give these KPIs:' } as DocBlock,
          { kind: 'list', items: missing.map((u) => `${KPI_LABELS[u.kpi]}: ${u.reason}.`) } as DocBlock,
        ]
      : []),
  ];
}

function riskTable(risks: Risk[]): DocBlock {
  return {
    kind: 'table',
    head: ['#', 'risk', 'L', 'I', 'score', 'owner', 'due'],
    rows: risks.map((r, i) => [
      String(i + 1),
      r.title,
      String(r.likelihood),
      String(r.impact),
      `${r.score} (${r.rating})`,
      r.owner,
      r.due,
    ]),
    align: ['right', 'left', 'right', 'right'],
  };
}

function decisions(cloud: CloudDef, level: CloudLevel, risks: Risk[], result: ReadinessResult): string[] {
  const out: string[] = [];
  const need = launchLevel(cloud, result);
  const days = daysBetween(result.today, cloud.launchDate);
  if (level.held < need) {
    const blockers = level.levels.filter((l) => l.level <= need).flatMap((l) => l.blockers);
    const crit = result.framework.spec.criteria;
    const list = blockers
      .map(
        (b) =>
          `${b.title} (${b.status}; owner ${crit.find((c) => c.id === b.criterion)?.owner ?? cloud.owner ?? cloud.operatingPartner})`,
      )
      .join('; ');
    out.push(
      days >= 0
        ? `Decide whether ${cloud.name} launches on ${cloud.launchDate} below its launch level ${need} (${levelName(result, need)}), or the date moves: ${blockers.length} criteria up to level ${need} do not pass: ${list}.`
        : `${cloud.name} is live below its launch level ${need} (${levelName(result, need)}): decide on the recovery plan for ${blockers.length} criteria: ${list}.`,
    );
  }
  for (const r of risks.filter((x) => x.rating === 'critical'))
    out.push(
      `Accept, fund or escalate the mitigation of "${r.title}" (score ${r.score}, owner ${r.owner}, due ${r.due}).`,
    );
  return out;
}

/** The brief as blocks: what the Markdown and HTML renderings share. */
export function buildBrief(result: ReadinessResult, options: BriefOptions = {}): DocBlock[] {
  const { framework, levels, risks, today, ingest } = result;
  const top = options.topRisks ?? 5;
  const blocks: DocBlock[] = [];
  const h = (level: 1 | 2 | 3, text: string) => blocks.push({ kind: 'heading', level, text });
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const list = (items: string[], ordered = false) => blocks.push({ kind: 'list', items, ordered });
  const spec = framework.spec;
  h(1, `${spec.framework.title}: executive brief, ${today}`);
  const src = ingest
    ? `${ingest.cases} cases from ${ingest.file} (${ingest.records} records, ${ingest.badRows.length} bad rows${
        ingest.badRows.length
          ? ` at lines ${ingest.badRows
              .slice(0, 5)
              .map((b) => b.line)
              .join(', ')}${ingest.badRows.length > 5 ? ', ...' : ''}`
          : ''
      }${excludedValues(ingest)})`
    : 'no case export';
  p(
    `${spec.clouds.length} clouds assessed against ${spec.criteria.length} criteria in ${spec.levels.length} cumulative levels (${framework.file}), with ${src}. Assessment ${result.assessment.id}: ${result.assessment.summary.byStatus.pass} findings pass, ${result.assessment.summary.byStatus.fail} fail, ${result.assessment.summary.byStatus.unknown} unknown, ${result.assessment.summary.byStatus.waived} waived.`,
  );
  blocks.push({
    kind: 'table',
    head: ['cloud', 'launch', 'level held', 'launch level', 'failing / unknown criteria', 'top risk'],
    rows: spec.clouds.map((cloud) => {
      const l = levels.find((x) => x.cloud === cloud.id) as CloudLevel;
      const failing = l.levels.reduce((a, s) => a + s.failed, 0);
      const unknown = l.levels.reduce((a, s) => a + s.unknown, 0);
      const r = risks.find((x) => x.cloud === cloud.id);
      return [
        cloud.name,
        `${cloud.launchDate} (${daysBetween(today, cloud.launchDate)} d)`,
        `${l.held} ${l.heldName}`,
        String(launchLevel(cloud, result)),
        `${failing} / ${unknown}`,
        r ? `${r.score} ${r.rating}` : 'none',
      ];
    }),
  });

  for (const cloud of spec.clouds) {
    const l = levels.find((x) => x.cloud === cloud.id) as CloudLevel;
    const cloudRisks = risks.filter((r) => r.cloud === cloud.id);
    h(2, `${cloud.name} (${cloud.id})`);
    const next = l.levels.find((s) => s.level > l.held);
    p(
      `${cloud.name} holds level ${l.held} (${l.heldName}) of ${spec.levels.length}. It ${launchText(cloud, today)}, operated by ${cloud.operatingPartner} within ${cloud.sovereignBoundary}.${
        next
          ? ` Level ${next.level} (${next.name}) needs ${next.blockers.length === 1 ? '1 more criterion' : `${next.blockers.length} more criteria`}: ${next.blockers.map((b) => `${b.title} (${b.status})`).join('; ')}.`
          : ' Every level is held.'
      }`,
    );
    h(3, 'Since the last run');
    list(
      options.previous
        ? changes(cloud, l, result, options.previous)
        : [
            `No previous assessment was given (--previous or the store), so this run is the baseline for ${cloud.id}.`,
          ],
    );
    h(3, 'Top risks');
    if (cloudRisks.length === 0)
      p(`No criterion of ${cloud.id} fails or is unknown and no KPI of it shows an adverse anomaly.`);
    else {
      const shown = cloudRisks.slice(0, top);
      blocks.push(riskTable(shown));
      list(
        shown.map((r) => `${r.basis.join('. ')}. Scored ${r.scoring}. See ${r.location} (${r.checkId}).`),
        true,
      );
      if (cloudRisks.length > top)
        p(`${cloudRisks.length - top} lower-scored risks are in the register (assessment findings).`);
    }
    const snapshot = ingest ? kpiSnapshot(cloud.id, result.kpis, today, result.availability) : [];
    if (snapshot.length > 0) {
      h(3, 'Support KPIs');
      appendAll(blocks, snapshot);
    }
    h(3, 'Decisions needed');
    const d = decisions(cloud, l, cloudRisks, result);
    if (d.length === 0)
      p(
        `None this week: ${cloud.id} holds level ${l.held}, at or above its launch level ${launchLevel(cloud, result)}, and has no critical risk.`,
      );
    else list(d);
  }
  if (result.assessment.expiredWaivers?.length) {
    h(2, 'Expired waivers');
    list(
      result.assessment.expiredWaivers.map(
        (w) =>
          `Waiver ${w.id} expired on ${w.expires}: renew it with a fresh approval or fix what it covered (${w.justification}).`,
      ),
    );
  }
  return blocks;
}

/** The brief in Markdown. */
export function renderBrief(result: ReadinessResult, options: BriefOptions = {}): string {
  const out: string[] = [...markdownMarkingLines(options.marking)];
  const row = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  for (const b of buildBrief(result, options)) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${markdownText(b.text)}`, '');
        break;
      case 'paragraph':
        out.push(markdownText(b.text), '');
        break;
      case 'list':
        appendAll(
          out,
          b.items.map((x, i) => `${b.ordered ? `${i + 1}.` : '-'} ${markdownText(x)}`),
        );
        out.push('');
        break;
      case 'table':
        out.push(
          row(b.head),
          `| ${b.head.map((_, i) => (b.align?.[i] === 'right' ? '---:' : '---')).join(' | ')} |`,
        );
        appendAll(out, b.rows.map(row));
        out.push('');
        break;
      case 'markup':
        break;
    }
  }
  appendAll(out, markdownMarkingLines(options.marking));
  return `${out.join('\n').trimEnd()}\n`;
}

// Risk ratings colour their cells, as the TRA's do; the class names are fixed here, never data.
const BRIEF_CSS = `
td.risk-critical { background: #ef9a9a; } td.risk-high { background: #ffcc80; }
td.risk-medium { background: #fff59d; } td.risk-low { background: #c5e1a5; }
`;
const RATED = /^\d+ \(?(critical|high|medium|low)\)?$/;

/** The brief as a standalone HTML page: every string escaped, no script, nothing loaded. */
export function renderBriefHtml(result: ReadinessResult, options: BriefOptions = {}): string {
  return renderDocumentHtml(buildBrief(result, options), {
    css: BRIEF_CSS,
    marking: options.marking,
    cellClass: (text) => {
      const rating = RATED.exec(text)?.[1];
      return rating ? `risk-${rating}` : undefined;
    },
  });
}
