/**
 * One long document for `assay report --pdf`: a title page (with the protective marking), a
 * table of contents, the run's summary, compliance coverage, input errors, template faults,
 * and its failed, unknown and errored findings by severity (the first PRINT_LIMIT of them, with
 * a note), each with the controls it is evidence for. The PDF printer adds the marking and "page X of Y" to
 * every page (src/report/pdf.ts).
 */

import { html } from 'htm/preact';
import {
  type ComplianceMatrix,
  type Finding,
  type InputError,
  SEVERITIES,
  type Severity,
} from '../../src/core/model.ts';
import { SeverityBadge, StatusBadge, ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { fmt, fmtDate, fmtScore, useAsync } from '../util.ts';

export const PRINT_LIMIT = 1000;

const coverageLine = (c: ComplianceMatrix['coverage']) =>
  `${fmt(c.met)} met, ${fmt(c.notMet)} not met, ${fmt(c.partiallyMet)} partly met, ${fmt(c.unknown)} unknown, ` +
  `${fmt(c.waived)} waived, ${fmt(c.notAssessed)} not assessed of ${fmt(c.total)} controls ` +
  `(${fmt(c.automated)} with automated checks).`;

/** A section of the document: its anchor id and heading, listed in the table of contents. */
interface Part {
  id: string;
  title: string;
}

/**
 * Same-document links: in the PDF they are internal links; on screen they scroll instead of
 * routing. Each entry keeps room for its page number ("000", hidden): the PDF printer fills the
 * numbers in from a first print (src/report/pdf.ts), so the second print paginates the same.
 */
function Contents({ parts }: { parts: Part[] }) {
  return html`<nav class="toc" aria-label="contents">
    <h2>Contents</h2>
    <ol>
      ${parts.map(
        (p) => html`<li><a
          href=${`#${p.id}`}
          onClick=${(e: Event) => {
            e.preventDefault();
            document.getElementById(p.id)?.scrollIntoView();
          }}
        >${p.title}</a><span class="toc-leader"></span><span class="toc-page" data-toc-page=${p.id}>000</span></li>`,
      )}
    </ol>
  </nav>`;
}

/** The printed findings: control ids beside each, words never split (only paths may wrap anywhere). */
function PrintFindings({ findings }: { findings: Finding[] }) {
  return html`<table class="print-findings">
    <colgroup><col class="c-controls" /><col class="c-check" /><col class="c-status" /><col class="c-subject" /><col class="c-loc" /><col /></colgroup>
    <thead><tr><th>Controls</th><th>Check</th><th>Status</th><th>Subject</th><th>Location</th><th>Message</th></tr></thead>
    <tbody>
      ${findings.map(
        (f, i) => html`<tr key=${i}>
          <td class="controls">${f.controls.length ? f.controls.map((c) => html`<code>${c}</code> `) : html`<span class="muted">none</span>`}</td>
          <td class="check"><code>${f.checkId}</code><div class="muted">${f.title}</div></td>
          <td><${StatusBadge} status=${f.status} /></td>
          <td class="subject">${f.subject.name}<div class="muted">${f.subject.type}</div></td>
          <td class="loc"><code>${f.location.file}:${f.location.line}</code></td>
          <td class="message">${f.message}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Input errors or template faults: place, code, message (text only: htm escapes it). */
function Problems({ list }: { list: readonly InputError[] }) {
  return html`<ul>${list.map((e) => html`<li><code>${e.file}${e.line ? `:${e.line}` : ''}</code> ${e.code}: ${e.message}</li>`)}</ul>`;
}

export function Print({ source, run }: { source: DataSource; run: number }) {
  const meta = useAsync(() => source.runMeta(run), `meta:${run}`);
  // Worst first: one query per severity, so the limit keeps the critical findings, not the first files.
  const open = useAsync(async () => {
    const bySeverity: { severity: Severity; total: number; findings: Finding[] }[] = [];
    let listed = 0;
    for (const severity of SEVERITIES) {
      const page = await source.allFindings(
        run,
        { status: ['fail', 'error', 'unknown'], severity: [severity] },
        Math.max(0, PRINT_LIMIT - listed),
      );
      listed += page.findings.length;
      if (page.total > 0) bySeverity.push({ severity, total: page.total, findings: page.findings });
    }
    const total = bySeverity.reduce((n, s) => n + s.total, 0);
    return { total, listed, bySeverity };
  }, `open:${run}`);
  const state = { loading: meta.loading || open.loading, error: meta.error ?? open.error };
  const m = meta.data;
  const o = open.data;
  const parts: Part[] = [
    { id: 'summary', title: 'Summary' },
    ...(m?.compliance ?? []).map((c, i) => ({ id: `compliance-${i}`, title: c.baseline.title })),
    ...(m && m.errors.length > 0 ? [{ id: 'input-errors', title: 'Input errors' }] : []),
    ...(m && (m.faults ?? []).length > 0 ? [{ id: 'template-faults', title: 'Template faults' }] : []),
    ...(o?.bySeverity ?? []).map((s) => ({ id: `findings-${s.severity}`, title: `${s.severity} findings` })),
  ];
  return html`<${ViewFrame} name="print" title="assay assessment report" state=${state}>
    ${
      m
        ? html`<div class="title-page">
            ${m.marking ? html`<p class="title-marking">${m.marking.text}</p>` : null}
            <p class="title-sub">${m.domain} assessment · run #${run}</p>
            <dl class="title-facts">
              <dt>Finished</dt><dd>${fmtDate(m.finishedAt)}</dd>
              <dt>Root</dt><dd><code>${m.root}</code></dd>
              <dt>Inputs</dt><dd>${fmt(m.inputs.length)} files</dd>
              <dt>Assessment</dt><dd><code>${m.id}</code></dd>
              <dt>Tool</dt><dd>assay ${m.tool.version}</dd>
            </dl>
            <${Contents} parts=${parts} />
          </div>
          <h2 id="summary">Summary</h2>
          <div class="kpis">
            <div class="kpi"><span class="kpi-value">${fmtScore(m.summary.score)}</span><span class="kpi-label">score</span></div>
            ${SEVERITIES.map(
              (s) =>
                html`<div class="kpi"><span class="kpi-value">${fmt(m.summary.failedBySeverity[s])}</span><span class="kpi-label">${s} failed</span></div>`,
            )}
            <div class="kpi"><span class="kpi-value">${fmt(m.summary.byStatus.unknown)}</span><span class="kpi-label">unknown</span></div>
          </div>
          ${(m.compliance ?? []).map(
            (c, i) => html`<h2 id=${`compliance-${i}`}>${c.baseline.title}</h2>
              <p>${coverageLine(c.coverage)}</p>`,
          )}
          ${
            m.errors.length > 0
              ? html`<h2 id="input-errors">Input errors</h2><${Problems} list=${m.errors} />`
              : null
          }
          ${
            (m.faults ?? []).length > 0
              ? html`<h2 id="template-faults">Template faults</h2>
                  <p>Expressions Azure Resource Manager refuses at deployment, decided from known values: the deployment would fail.</p>
                  <${Problems} list=${m.faults ?? []} />`
              : null
          }`
        : null
    }
    ${
      o
        ? html`${
            o.total > o.listed
              ? html`<p class="note">The ${fmt(o.listed)} most severe of ${fmt(o.total)} failed, unknown and errored findings are listed; the HTML report has them all.</p>`
              : null
          }
          ${o.bySeverity.map(
            (
              s,
            ) => html`<h2 id=${`findings-${s.severity}`}><${SeverityBadge} severity=${s.severity} /> ${s.severity} findings (${fmt(s.total)})</h2>
              ${s.findings.length > 0 ? html`<${PrintFindings} findings=${s.findings} />` : html`<p class="note">Not listed: over the print limit.</p>`}`,
          )}`
        : null
    }
  <//>`;
}
