/**
 * Overview: one card per series shown (by default only the newest run's series) with its
 * latest run, score, failures by severity and score trend.
 */

import { html } from 'htm/preact';
import { SEVERITIES } from '../../src/core/model.ts';
import { seriesLabel } from '../../src/core/series.ts';
import type { RunSummary } from '../../src/server/api-types.ts';
import { runChanges } from '../../src/server/series-view.ts';
import { Chart, type ChartOption } from '../charts.ts';
import { ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { SeriesPicker } from '../series-picker.ts';
import { fmt, fmtDate, fmtScore, hrefFor, SEVERITY_COLORS, useAsync } from '../util.ts';

/** Runs grouped by `keyOf`, each group oldest first, groups in order of their first run. */
export function groupRuns(runs: RunSummary[], keyOf: (r: RunSummary) => string): Map<string, RunSummary[]> {
  const out = new Map<string, RunSummary[]>();
  for (const r of [...runs].sort((a, b) => a.run - b.run)) {
    const list = out.get(keyOf(r)) ?? [];
    list.push(r);
    out.set(keyOf(r), list);
  }
  return out;
}

/** `azure`, or `azure tra` when the command is not the domain's own. */
export const kindName = (r: RunSummary) => (r.kind === r.domain ? r.domain : `${r.domain} ${r.kind}`);

/** Runs (oldest first) whose check set differs from the run before them in the same series. */
export function rulesChangedAt(runs: RunSummary[]): number[] {
  const changes = runChanges(runs);
  return runs.filter((_, i) => changes[i].kind === 'rules-changed').map((r) => r.run);
}

function sparkline(runs: RunSummary[]): ChartOption {
  return {
    grid: { left: 32, right: 8, top: 8, bottom: 20 },
    xAxis: { type: 'category', data: runs.map((r) => `#${r.run}`), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', min: 0, max: 100, splitNumber: 2, axisLabel: { fontSize: 10 } },
    series: [
      { type: 'line', data: runs.map((r) => r.score), showSymbol: runs.length < 30, lineStyle: { width: 2 } },
    ],
  };
}

const baselineLine = (b: RunSummary['baselines'][number]) =>
  `${fmt(b.met)} met, ${fmt(b.notMet)} not met, ${fmt(b.partiallyMet)} partly, ${fmt(b.unknown)} unknown, ` +
  `${fmt(b.notAssessed)} not assessed of ${fmt(b.total)}`;

function SeriesCard({ runs }: { runs: RunSummary[] }) {
  const latest = runs[runs.length - 1];
  const changed = rulesChangedAt(runs);
  const failed = SEVERITIES.reduce((n, s) => n + latest.failedBySeverity[s], 0);
  const widest = Math.max(1, ...SEVERITIES.map((s) => latest.failedBySeverity[s]));
  return html`<article class="card domain" data-domain=${latest.domain} data-series=${latest.series}>
    <header>
      <h2>${kindName(latest)}</h2>
      <span class="muted">run #${latest.run} · ${fmtDate(latest.finishedAt)}${latest.label ? ` · ${latest.label}` : ''}</span>
    </header>
    <p class="muted series-label">${seriesLabel(latest.series)}</p>
    <div class="kpis">
      <div class="kpi"><span class="kpi-value" data-kpi="score">${fmtScore(latest.score)}</span><span class="kpi-label">score</span></div>
      <div class="kpi"><span class="kpi-value" data-kpi="failed">${fmt(failed)}</span><span class="kpi-label">failed</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(latest.findings)}</span><span class="kpi-label">findings</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(latest.subjects)}</span><span class="kpi-label">subjects</span></div>
    </div>
    <h3>Failed by severity</h3>
    <ul class="bars">
      ${SEVERITIES.map(
        (s) => html`<li>
          <a href=${hrefFor('findings', latest.run, { severity: s, status: 'fail' })}>
            <span class="bar-label">${s}</span>
            <span class="bar-track"><span class="bar" style=${`width:${(latest.failedBySeverity[s] / widest) * 100}%;background:${SEVERITY_COLORS[s]}`}></span></span>
            <span class="bar-value">${fmt(latest.failedBySeverity[s])}</span>
          </a>
        </li>`,
      )}
    </ul>
    ${
      latest.baselines.length > 0
        ? html`<h3>Baselines</h3>
          <ul class="plain">
            ${latest.baselines.map((b) => html`<li><strong>${b.name}</strong>: ${baselineLine(b)}</li>`)}
          </ul>`
        : null
    }
    <h3>Score over ${runs.length} run${runs.length === 1 ? '' : 's'}</h3>
    <${Chart} option=${sparkline(runs.slice(-50))} height=${110} label=${`score trend for ${kindName(latest)}`} />
    ${
      changed.length > 0
        ? html`<p class="note" data-rules-changed=${changed.join(',')}>Rules changed at run ${changed.map((n) => `#${n}`).join(', ')}: the check set differs from the run before, so a change of score there may come from the rules, not the evidence.</p>`
        : null
    }
    <footer class="links">
      <a href=${hrefFor('findings', latest.run)}>Findings</a>
      <a href=${hrefFor('matrix', latest.run)}>Compliance</a>
      <a href=${hrefFor('trends', undefined, { series: latest.series })}>Trends</a>
    </footer>
  </article>`;
}

export function Overview({ source, query }: { source: DataSource; query: URLSearchParams }) {
  const wanted = query.get('series') ?? undefined;
  const state = useAsync(() => source.seriesRuns(wanted), `runs:${wanted ?? ''}`);
  const groups = state.data ? groupRuns(state.data.runs, (r) => r.series) : new Map<string, RunSummary[]>();
  return html`<${ViewFrame} name="overview" title="Overview" state=${state}>
    ${state.data ? html`<${SeriesPicker} list=${state.data} view="overview" query=${query} />` : null}
    ${
      state.data && state.data.runs.length === 0
        ? html`<p class="empty">No runs saved yet: run <code>assay scan --save</code> first.</p>`
        : null
    }
    <div class="cards">
      ${(state.data?.available ?? []).map((s) => {
        const runs = groups.get(s.key);
        return runs ? html`<${SeriesCard} key=${s.key} runs=${runs} />` : null;
      })}
    </div>
  <//>`;
}
