/**
 * Trends over the runs of one series (by default the newest run's): score before and after
 * waivers, failures by severity, the runs themselves. A run judged by another check set
 * than the run before is marked "rules changed" and its change is not counted; with every
 * series mixed (`?series=all`), runs are grouped by domain and a change of series is marked.
 */

import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import { SEVERITIES } from '../../src/core/model.ts';
import type { RunSummary } from '../../src/server/api-types.ts';
import { type RunChange, runChanges } from '../../src/server/series-view.ts';
import { Chart, type ChartOption } from '../charts.ts';
import { ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { SeriesPicker } from '../series-picker.ts';
import { escapeHtml, fmt, fmtDate, fmtScore, hrefFor, SEVERITY_COLORS, useAsync } from '../util.ts';
import { groupRuns, kindName } from './overview.ts';

/** The change column and tooltip line: a delta only when the runs are comparable. */
export function changeText(change: RunChange): string {
  if (change.kind === 'first') return '';
  if (change.kind === 'series-changed') return 'series changed';
  if (change.kind === 'rules-changed') return 'rules changed';
  if (change.delta === null) return '';
  return `${change.delta >= 0 ? '+' : ''}${change.delta.toFixed(1)}`;
}

const CHANGE_NOTES: Partial<Record<RunChange['kind'], string>> = {
  'rules-changed': 'rules changed: the check set differs from the run before; not counted as better or worse',
  'series-changed': 'series changed: another kind, target or boundary than the run before; not comparable',
};

/** Points at the runs whose change is of `kind`, for a legend entry that marks them. */
function markers(
  runs: RunSummary[],
  changes: RunChange[],
  kind: RunChange['kind'],
  name: string,
  color: string,
) {
  if (!changes.some((c) => c.kind === kind)) return [];
  return [
    {
      name,
      type: 'line',
      data: runs.map((r, i) => (changes[i].kind === kind ? r.score : null)),
      symbol: 'diamond',
      symbolSize: 11,
      showSymbol: true,
      lineStyle: { width: 0 },
      color,
    },
  ];
}

function scoreChart(runs: RunSummary[], changes: RunChange[]): ChartOption {
  return {
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      // ECharts tooltips are HTML strings: every piece is escaped.
      formatter: (params: { dataIndex: number } | { dataIndex: number }[]) => {
        const i = (Array.isArray(params) ? params[0] : params)?.dataIndex ?? 0;
        const r = runs[i];
        if (!r) return '';
        const lines = [
          `#${r.run} · ${kindName(r)} · ${fmtDate(r.finishedAt)}`,
          `score ${fmtScore(r.score)} (before waivers ${fmtScore(r.scoreBeforeWaivers)})`,
          CHANGE_NOTES[changes[i].kind] ?? changeText(changes[i]),
        ];
        return lines.filter(Boolean).map(escapeHtml).join('<br>');
      },
    },
    grid: { left: 40, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: runs.map((r) => `#${r.run}`) },
    yAxis: { type: 'value', min: 0, max: 100, name: '%' },
    series: [
      { name: 'score', type: 'line', data: runs.map((r) => r.score) },
      {
        name: 'score before waivers',
        type: 'line',
        data: runs.map((r) => r.scoreBeforeWaivers),
        lineStyle: { type: 'dashed' },
      },
      ...markers(runs, changes, 'rules-changed', 'rules changed', '#9333ea'),
      ...markers(runs, changes, 'series-changed', 'series changed', '#64748b'),
    ],
  };
}

function failedChart(runs: RunSummary[]): ChartOption {
  return {
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: runs.map((r) => `#${r.run}`) },
    yAxis: { type: 'value', name: 'failed' },
    series: SEVERITIES.map((s) => ({
      name: s,
      type: 'bar',
      stack: 'failed',
      color: SEVERITY_COLORS[s],
      data: runs.map((r) => r.failedBySeverity[s]),
    })),
  };
}

function RunTrends(props: { title: string; runs: RunSummary[]; mixed: boolean; source: DataSource }) {
  const { title, runs, mixed, source } = props;
  // A report holds one run's findings: link only to what it has.
  const linkable = (run: number) => source.fixedRun === undefined || source.fixedRun === run;
  const shown = runs.slice(-100);
  const changes = useMemo(() => runChanges(runs), [runs]);
  const score = useMemo(() => scoreChart(shown, changes.slice(-100)), [runs]);
  const failed = useMemo(() => failedChart(shown), [runs]);
  const rows = runs
    .map((r, i) => ({ r, change: changes[i] }))
    .reverse()
    .slice(0, 50);
  return html`<article class="card wide" data-domain=${runs[0]?.domain} data-series=${mixed ? 'all' : runs[0]?.series}>
    <h2>${title}</h2>
    <${Chart} option=${score} height=${220} label=${`score over runs for ${title}`} />
    <${Chart} option=${failed} height=${220} label=${`failed findings by severity over runs for ${title}`} />
    <table class="runs">
      <thead><tr><th>Run</th>${mixed ? html`<th>Kind</th>` : null}<th>Finished</th><th>Label</th><th>Score</th><th>Change</th><th>Findings</th><th>Failed</th></tr></thead>
      <tbody>
        ${rows.map(
          ({ r, change }) => html`<tr key=${r.run} data-change=${change.kind}>
            <td>${linkable(r.run) ? html`<a href=${hrefFor('findings', r.run)}>#${r.run}</a>` : `#${r.run}`}</td>
            ${mixed ? html`<td>${kindName(r)}</td>` : null}
            <td>${fmtDate(r.finishedAt)}</td>
            <td>${r.label ?? ''}</td>
            <td>${fmtScore(r.score)}</td>
            <td title=${CHANGE_NOTES[change.kind]}>${changeText(change)}</td>
            <td>${fmt(r.findings)}</td>
            <td>${fmt(r.byStatus.fail)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </article>`;
}

export function Trends({ source, query }: { source: DataSource; query: URLSearchParams }) {
  const wanted = query.get('series') ?? undefined;
  const domain = query.get('domain') ?? undefined;
  const state = useAsync(() => source.seriesRuns(wanted, domain), `runs:${wanted ?? ''}:${domain ?? ''}`);
  const list = state.data;
  // One series: one card. Every series, explicitly: one card per domain, series mixed and marked.
  const groups: [string, RunSummary[]][] =
    !list || list.runs.length === 0
      ? []
      : list.all
        ? [...groupRuns(list.runs, (r) => r.domain)]
        : [[kindName(list.runs[0]), [...list.runs].sort((a, b) => a.run - b.run)]];
  return html`<${ViewFrame} name="trends" title="Trends" state=${state}>
    ${list ? html`<${SeriesPicker} list=${list} view="trends" query=${query} />` : null}
    ${groups.map(
      ([title, runs]) =>
        html`<${RunTrends} key=${title} title=${title} runs=${runs} mixed=${list?.all === true} source=${source} />`,
    )}
  <//>`;
}
