/** Trends over runs, per domain: score before and after waivers, failures by severity, the runs themselves. */

import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import { SEVERITIES } from '../../src/core/model.ts';
import type { RunSummary } from '../../src/server/api-types.ts';
import { Chart, type ChartOption } from '../charts.ts';
import { ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { fmt, fmtDate, fmtScore, hrefFor, SEVERITY_COLORS, useAsync } from '../util.ts';
import { byDomain } from './overview.ts';

function scoreChart(runs: RunSummary[]): ChartOption {
  return {
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
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

function DomainTrends({ domain, runs, source }: { domain: string; runs: RunSummary[]; source: DataSource }) {
  // A report holds one run's findings: link only to what it has.
  const linkable = (run: number) => source.fixedRun === undefined || source.fixedRun === run;
  const shown = runs.slice(-100);
  const score = useMemo(() => scoreChart(shown), [runs]);
  const failed = useMemo(() => failedChart(shown), [runs]);
  return html`<article class="card wide" data-domain=${domain}>
    <h2>${domain}</h2>
    <${Chart} option=${score} height=${220} label=${`score over runs for ${domain}`} />
    <${Chart} option=${failed} height=${220} label=${`failed findings by severity over runs for ${domain}`} />
    <table class="runs">
      <thead><tr><th>Run</th><th>Finished</th><th>Label</th><th>Score</th><th>Findings</th><th>Failed</th></tr></thead>
      <tbody>
        ${[...runs]
          .reverse()
          .slice(0, 50)
          .map(
            (r) => html`<tr key=${r.run}>
            <td>${linkable(r.run) ? html`<a href=${hrefFor('findings', r.run)}>#${r.run}</a>` : `#${r.run}`}</td>
            <td>${fmtDate(r.finishedAt)}</td>
            <td>${r.label ?? ''}</td>
            <td>${fmtScore(r.score)}</td>
            <td>${fmt(r.findings)}</td>
            <td>${fmt(r.byStatus.fail)}</td>
          </tr>`,
          )}
      </tbody>
    </table>
  </article>`;
}

export function Trends({ source, query }: { source: DataSource; query: URLSearchParams }) {
  const state = useAsync(() => source.runs(), 'runs');
  const domains = state.data ? byDomain(state.data) : new Map<string, RunSummary[]>();
  const only = query.get('domain');
  return html`<${ViewFrame} name="trends" title="Trends" state=${state}>
    ${[...domains]
      .filter(([d]) => !only || d === only)
      .map(
        ([domain, runs]) =>
          html`<${DomainTrends} key=${domain} domain=${domain} runs=${runs} source=${source} />`,
      )}
  <//>`;
}
