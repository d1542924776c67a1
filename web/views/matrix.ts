/**
 * The compliance matrix of a run: each control of the baseline as one cell of a heatmap,
 * coloured by status and ordered worst first, with the controls listed below. A click on
 * a cell or a row opens the findings that evidence that control.
 */

import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import type { ComplianceMatrix, ControlResult, ControlStatus } from '../../src/core/model.ts';
import { Chart, type ChartClick, type ChartOption } from '../charts.ts';
import { Pager, StatusBadge, ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import {
  CONTROL_STATUS_COLORS,
  CONTROL_STATUS_ORDER,
  escapeHtml,
  fmt,
  hrefFor,
  navigate,
  useAsync,
} from '../util.ts';

const COLUMNS = 40;
const PAGE = 100;

function sortControls(controls: ControlResult[]): ControlResult[] {
  const rank = (s: ControlStatus) => CONTROL_STATUS_ORDER.indexOf(s);
  return [...controls].sort((a, b) => rank(a.status) - rank(b.status) || a.id.localeCompare(b.id));
}

function heatmap(controls: ControlResult[]): ChartOption {
  const rows = Math.max(1, Math.ceil(controls.length / COLUMNS));
  const data = controls.map((c, i) => [
    i % COLUMNS,
    Math.floor(i / COLUMNS),
    CONTROL_STATUS_ORDER.indexOf(c.status),
  ]);
  return {
    tooltip: {
      // ECharts puts a tooltip string in the page as HTML: escape every catalog string.
      formatter: (p: { dataIndex: number }) => {
        const c = controls[p.dataIndex];
        if (!c) return '';
        const title = c.title ? `<br>${escapeHtml(c.title)}` : '';
        return `<strong>${escapeHtml(c.id)}</strong> — ${escapeHtml(c.status)}${title}<br>${c.findings.length} finding(s)`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: false },
    xAxis: { type: 'category', data: Array.from({ length: COLUMNS }, (_, i) => i), show: false },
    yAxis: { type: 'category', data: Array.from({ length: rows }, (_, i) => i), show: false, inverse: true },
    visualMap: {
      type: 'piecewise',
      show: false,
      dimension: 2,
      pieces: CONTROL_STATUS_ORDER.map((s, i) => ({ value: i, color: CONTROL_STATUS_COLORS[s] })),
    },
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

function Legend({ matrix, run, selected }: { matrix: ComplianceMatrix; run: number; selected: string }) {
  const counts = new Map<ControlStatus, number>();
  for (const c of matrix.controls) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return html`<ul class="legend" aria-label="controls by status">
    ${CONTROL_STATUS_ORDER.filter((s) => counts.has(s)).map(
      (s) => html`<li>
        <a
          href=${hrefFor('matrix', run, { baseline: matrix.baseline.name, cstatus: selected === s ? undefined : s })}
          aria-current=${selected === s ? 'true' : undefined}
        >
          <span class="swatch" style=${`background:${CONTROL_STATUS_COLORS[s]}`}></span>${s} <strong>${fmt(counts.get(s) ?? 0)}</strong>
        </a>
      </li>`,
    )}
  </ul>`;
}

function MatrixBody({
  matrix,
  run,
  query,
}: {
  matrix: ComplianceMatrix;
  run: number;
  query: URLSearchParams;
}) {
  const sorted = useMemo(() => sortControls(matrix.controls), [matrix]);
  const option = useMemo(() => heatmap(sorted), [sorted]);
  const status = query.get('cstatus') ?? '';
  const shown = status ? sorted.filter((c) => c.status === status) : sorted;
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const cov = matrix.coverage;
  const rows = Math.max(1, Math.ceil(sorted.length / COLUMNS));
  const open = (e: ChartClick) => {
    const c = sorted[e.dataIndex];
    if (c) navigate(hrefFor('findings', run, { control: c.id }));
  };
  return html`<div class="matrix" data-baseline=${matrix.baseline.name}>
    <p class="muted">
      ${matrix.baseline.title}${matrix.catalog ? ` · ${matrix.catalog.title}${matrix.catalog.version ? ` ${matrix.catalog.version}` : ''}` : ''}
    </p>
    <div class="kpis">
      <div class="kpi"><span class="kpi-value">${fmt(cov.total)}</span><span class="kpi-label">controls</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(cov.automated)}</span><span class="kpi-label">automated</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(cov.assessed)}</span><span class="kpi-label">assessed</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(cov.met)}</span><span class="kpi-label">met</span></div>
      <div class="kpi"><span class="kpi-value">${fmt(cov.notMet)}</span><span class="kpi-label">not met</span></div>
    </div>
    <${Legend} matrix=${matrix} run=${run} selected=${status} />
    <${Chart} option=${option} height=${Math.min(900, rows * 18 + 16)} label=${`compliance heatmap for ${matrix.baseline.name}`} onClick=${open} />
    <table class="controls">
      <thead><tr><th>Control</th><th>Status</th><th>Title</th><th>Checks</th><th>Findings</th></tr></thead>
      <tbody>
        ${shown.slice(offset, offset + PAGE).map(
          (c) => html`<tr key=${c.id}>
            <td><a href=${hrefFor('findings', run, { control: c.id })}><code>${c.id}</code></a></td>
            <td><${StatusBadge} status=${c.status} /></td>
            <td>${c.title ?? ''}</td>
            <td>${fmt(c.checks.length)}</td>
            <td>${fmt(c.findings.length)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <${Pager}
      total=${shown.length}
      offset=${offset}
      pageSize=${PAGE}
      onPage=${(o: number) => navigate(hrefFor('matrix', run, { baseline: matrix.baseline.name, cstatus: status, offset: String(o) }))}
    />
  </div>`;
}

export function Matrix({ source, run, query }: { source: DataSource; run: number; query: URLSearchParams }) {
  const meta = useAsync(() => source.runMeta(run), `meta:${run}`);
  const matrices = meta.data?.compliance ?? [];
  const chosen = matrices.find((m) => m.baseline.name === query.get('baseline')) ?? matrices[0];
  return html`<${ViewFrame} name="matrix" title=${`Compliance — run #${run}`} state=${meta}>
    ${
      meta.data && !chosen
        ? html`<p class="empty">This run has no compliance matrix: scan with a baseline (<code>--baseline</code>) to evaluate one.</p>`
        : null
    }
    ${
      matrices.length > 1
        ? html`<nav class="tabs" aria-label="baselines">
          ${matrices.map(
            (m) =>
              html`<a href=${hrefFor('matrix', run, { baseline: m.baseline.name })} aria-current=${m === chosen ? 'page' : undefined}>${m.baseline.name}</a>`,
          )}
        </nav>`
        : null
    }
    ${chosen ? html`<${MatrixBody} matrix=${chosen} run=${run} query=${query} />` : null}
  <//>`;
}
