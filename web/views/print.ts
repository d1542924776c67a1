/**
 * One long page for `assay report --pdf`: the run's summary, compliance coverage and its
 * failed, unknown and errored findings (the first PRINT_LIMIT of them, with a note).
 */

import { html } from 'htm/preact';
import { type ComplianceMatrix, type Finding, SEVERITIES } from '../../src/core/model.ts';
import { ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { fmt, fmtDate, fmtScore, useAsync } from '../util.ts';
import { FindingsTable } from './findings.ts';

export const PRINT_LIMIT = 1000;

const coverageLine = (c: ComplianceMatrix['coverage']) =>
  `${fmt(c.met)} met, ${fmt(c.notMet)} not met, ${fmt(c.partiallyMet)} partly met, ${fmt(c.unknown)} unknown, ` +
  `${fmt(c.waived)} waived, ${fmt(c.notAssessed)} not assessed of ${fmt(c.total)} controls ` +
  `(${fmt(c.automated)} with automated checks).`;

export function Print({ source, run }: { source: DataSource; run: number }) {
  const meta = useAsync(() => source.runMeta(run), `meta:${run}`);
  // Worst first: one query per severity, so the limit keeps the critical findings, not the first files.
  const open = useAsync(async () => {
    const findings: Finding[] = [];
    let total = 0;
    for (const severity of SEVERITIES) {
      const page = await source.allFindings(
        run,
        { status: ['fail', 'error', 'unknown'], severity: [severity] },
        Math.max(0, PRINT_LIMIT - findings.length),
      );
      total += page.total;
      findings.push(...page.findings);
    }
    return { total, findings };
  }, `open:${run}`);
  const state = { loading: meta.loading || open.loading, error: meta.error ?? open.error };
  const m = meta.data;
  return html`<${ViewFrame} name="print" title=${`assay report — run #${run}`} state=${state}>
    ${
      m
        ? html`<p class="muted">${m.domain} · ${fmtDate(m.finishedAt)} · root <code>${m.root}</code> · ${fmt(m.inputs.length)} input files · assay ${m.tool.version}</p>
          <div class="kpis">
            <div class="kpi"><span class="kpi-value">${fmtScore(m.summary.score)}</span><span class="kpi-label">score</span></div>
            ${SEVERITIES.map(
              (s) =>
                html`<div class="kpi"><span class="kpi-value">${fmt(m.summary.failedBySeverity[s])}</span><span class="kpi-label">${s} failed</span></div>`,
            )}
            <div class="kpi"><span class="kpi-value">${fmt(m.summary.byStatus.unknown)}</span><span class="kpi-label">unknown</span></div>
          </div>
          ${(m.compliance ?? []).map(
            (c) => html`<h2>${c.baseline.title}</h2>
              <p>${coverageLine(c.coverage)}</p>`,
          )}
          ${
            m.errors.length > 0
              ? html`<h2>Input errors</h2><ul>${m.errors.map((e) => html`<li><code>${e.file}${e.line ? `:${e.line}` : ''}</code> ${e.code}: ${e.message}</li>`)}</ul>`
              : null
          }`
        : null
    }
    ${
      open.data
        ? html`<h2>Failed, unknown and errored findings</h2>
          ${
            open.data.total > open.data.findings.length
              ? html`<p class="note">The ${fmt(open.data.findings.length)} most severe of ${fmt(open.data.total)} are listed; the HTML report has them all.</p>`
              : null
          }
          <${FindingsTable} findings=${open.data.findings} run=${run} />`
        : null
    }
  <//>`;
}
