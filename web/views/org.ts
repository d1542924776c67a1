/**
 * The organisation-wide view of `assay server` (docs/server.md): projects ranked by failed
 * findings at or above a severity and by compliance with a baseline, each project's trend,
 * a link from each project into its own dashboard (the findings explorer), and the job
 * queue's dead letters when the server has a queue.
 */
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { SEVERITIES, type Severity } from '../../src/core/model.ts';
import type { OrgView, TrendPoint } from '../../src/server/multi/org.ts';
import { TokenPrompt } from '../app.ts';
import { Chart, type ChartOption } from '../charts.ts';
import { ViewFrame } from '../components.ts';
import { ApiError, getJson } from '../data.ts';
import { escapeHtml, fmt, fmtDate, useAsync } from '../util.ts';
import { DeadLetters } from './dead-letters.ts';

interface OrgTrends {
  projects: { project: string; points: TrendPoint[] }[];
  across: { at: string; failures: number }[];
}

const projectHref = (name: string, view = 'findings') => `/projects/${encodeURIComponent(name)}/#/${view}`;

export function OrgApp({ token }: { token: string | undefined }) {
  const [severity, setSeverity] = useState<Severity>('high');
  const [baseline, setBaseline] = useState('');
  const params = new URLSearchParams({ severity, ...(baseline ? { baseline } : {}) }).toString();
  const view = useAsync(() => getJson<OrgView>(`/api/org?${params}`, token), `org:${params}`);
  const trends = useAsync(() => getJson<OrgTrends>(`/api/org/trends?${params}`, token), `trends:${params}`);
  const baselines = useMemo(
    () => [...new Set((view.data?.projects ?? []).flatMap((p) => p.baselines))].sort(),
    [view.data],
  );
  const option = useMemo<ChartOption | undefined>(() => {
    if (!trends.data) return undefined;
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; value: [string, number] }) =>
          `${escapeHtml(p.seriesName)}<br>${escapeHtml(fmtDate(p.value[0]))}: ${fmt(p.value[1])}`,
      },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 32 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: `failed ≥ ${severity}`, minInterval: 1 },
      series: [
        ...trends.data.projects.map((p) => ({
          name: p.project,
          type: 'line',
          showSymbol: true,
          data: p.points.map((pt) => [pt.at, pt.failures]),
        })),
        {
          name: 'all projects',
          type: 'line',
          step: 'end',
          lineStyle: { type: 'dashed' },
          data: trends.data.across.map((pt) => [pt.at, pt.failures]),
        },
      ],
    };
  }, [trends.data, severity]);

  if (view.error instanceof ApiError && view.error.status === 401) return html`<${TokenPrompt} />`;
  return html`<div class="shell view-org">
    <header class="top"><a class="brand" href="/">assay</a><nav aria-label="sections"><a href="/" aria-current="page">Projects</a></nav></header>
    <main>
      <${ViewFrame} name="org" title="Projects" state=${view} query=${params}>
        <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
          <label>failed at or above
            <select name="severity" value=${severity} onChange=${(e: Event) => setSeverity((e.target as HTMLSelectElement).value as Severity)}>
              ${SEVERITIES.map((s) => html`<option value=${s}>${s}</option>`)}
            </select>
          </label>
          <label>baseline
            <select name="baseline" value=${baseline} onChange=${(e: Event) => setBaseline((e.target as HTMLSelectElement).value)}>
              <option value="">(none)</option>
              ${baselines.map((b) => html`<option value=${b}>${b}</option>`)}
            </select>
          </label>
        </form>
        ${
          view.data
            ? view.data.projects.length === 0
              ? html`<p class="empty">No projects readable with this token.</p>`
              : html`<table class="org-ranking">
              <thead><tr><th>#</th><th>project</th><th>scope</th><th>failed ≥ ${severity}</th><th>compliance${baseline ? ` (${baseline})` : ''}</th><th>runs</th><th>newest run</th><th></th></tr></thead>
              <tbody>
                ${view.data.projects.map(
                  (p, i) => html`<tr data-project=${p.project}>
                    <td>${i + 1}</td>
                    <td><a href=${projectHref(p.project, '')}>${p.project}</a></td>
                    <td>${p.scope}</td>
                    <td class="num">${fmt(p.failures)}</td>
                    <td class="num">${p.compliance === null ? '–' : `${p.compliance}% (${fmt(p.met)}/${fmt(p.total)})`}</td>
                    <td class="num">${fmt(p.runs)}</td>
                    <td>${p.latestAt ? fmtDate(p.latestAt) : '–'}</td>
                    <td><a href=${projectHref(p.project)}>findings</a> · <a href=${projectHref(p.project, 'trends')}>trend</a></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
            : null
        }
        ${option ? html`<h2>Trend</h2><${Chart} option=${option} height=${280} label=${`failed findings at or above ${severity} per project over time`} />` : null}
        <${DeadLetters} token=${token} />
      <//>
    </main>
  </div>`;
}
