/** One subject (e.g. an Azure resource): its findings, each with the source lines it points at. */

import { html } from 'htm/preact';
import { type Finding, SEVERITIES, type Status } from '../../src/core/model.ts';
import { SeverityBadge, StatusBadge, ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { hrefFor, useAsync } from '../util.ts';

function Source({
  source,
  run,
  file,
  line,
}: {
  source: DataSource;
  run: number;
  file: string;
  line: number;
}) {
  const state = useAsync(() => source.source(run, file, line), `${run}:${file}:${line}`);
  if (state.loading) return html`<p class="muted">loading source…</p>`;
  if (state.error) return html`<p class="muted">source not available: ${state.error.message}</p>`;
  const snippet = state.data!;
  return html`<figure class="source">
    <figcaption><code>${file}:${line}</code>${snippet.note ? html` <span class="note">${snippet.note}</span>` : null}</figcaption>
    ${
      snippet.lines.length > 0
        ? html`<pre><code>${snippet.lines.map(
            (
              text,
              i,
            ) => html`<span class=${snippet.startLine + i === line ? 'line hit' : 'line'}><span class="ln">${snippet.startLine + i}</span>${text}
</span>`,
          )}</code></pre>`
        : null
    }
  </figure>`;
}

function FindingCard({ f, source, run }: { f: Finding; source: DataSource; run: number }) {
  return html`<article class="finding card wide">
    <header>
      <${SeverityBadge} severity=${f.severity} /> <${StatusBadge} status=${f.status} />
      <code>${f.checkId}</code> <strong>${f.title}</strong>
    </header>
    <p class="message">${f.message}</p>
    ${
      f.controls.length > 0
        ? html`<p class="muted">controls: ${f.controls.map((c, i) => html`${i > 0 ? ', ' : ''}<a href=${hrefFor('findings', run, { control: c })}>${c}</a>`)}</p>`
        : null
    }
    ${
      f.waiver
        ? html`<p class="waiver">waiver <code>${f.waiver.id}</code>: ${f.waiver.justification}${f.waiver.expires ? ` (expires ${f.waiver.expires})` : ''}${f.waiver.expired ? ' — expired' : ''}</p>`
        : null
    }
    ${f.evidence ? html`<details><summary>evidence</summary><pre>${JSON.stringify(f.evidence, null, 2)}</pre></details>` : null}
    <${Source} source=${source} run=${run} file=${f.location.file} line=${f.location.line} />
  </article>`;
}

/** What needs attention first: failures and errors, then unknowns, then the rest; worst severity first. */
const STATUS_ORDER: Status[] = ['fail', 'error', 'unknown', 'waived', 'pass', 'not-applicable'];
const byAttention = (a: Finding, b: Finding) =>
  STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);

export function Subject({ source, run, query }: { source: DataSource; run: number; query: URLSearchParams }) {
  const id = query.get('id') ?? '';
  const state = useAsync(() => source.subject(run, id), `${run}:${id}`);
  const view = state.data;
  const missing = !state.loading && !state.error && !view;
  return html`<${ViewFrame} name="subject" title=${view ? view.subject.name : 'Subject'} state=${state}>
    ${missing ? html`<p class="empty">No subject with this id in run #${run}.</p>` : null}
    ${
      view
        ? html`<dl class="facts">
            <dt>type</dt><dd>${view.subject.type}</dd>
            <dt>id</dt><dd><code>${view.subject.id}</code></dd>
            <dt>declared at</dt><dd><code>${view.subject.location.file}:${view.subject.location.line}</code></dd>
            <dt>findings</dt><dd>${view.findings.length}</dd>
          </dl>
          ${[...view.findings].sort(byAttention).map((f, i) => html`<${FindingCard} key=${i} f=${f} source=${source} run=${run} />`)}`
        : null
    }
  <//>`;
}
