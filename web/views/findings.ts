/**
 * The findings explorer. The filter lives in the URL (`#/runs/3/findings?severity=high`),
 * so a filtered view is a link a person can share and Back works. One page of 100 rows
 * is rendered at a time: the live API pages on the server, the report in the browser.
 */

import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { type Finding, SEVERITIES, type Severity, STATUSES, type Status } from '../../src/core/model.ts';
import type { FindingFilter, RunMeta } from '../../src/server/api-types.ts';
import { Pager, SeverityBadge, StatusBadge, ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { fmt, hrefFor, navigate, useAsync, useDebounced } from '../util.ts';

export const PAGE_SIZE = 100;

/** A path that may wrap after each slash (never inside a name or the line number). */
function breakablePath(file: string): unknown[] {
  return file.split('/').flatMap((part, i) => (i === 0 ? [part] : [html`/<wbr />`, part]));
}

const list = (q: URLSearchParams, key: string) =>
  (q.get(key) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function filterFromQuery(q: URLSearchParams): FindingFilter {
  const filter: FindingFilter = {};
  const severity = list(q, 'severity').filter((s): s is Severity =>
    (SEVERITIES as readonly string[]).includes(s),
  );
  const status = list(q, 'status').filter((s): s is Status => (STATUSES as readonly string[]).includes(s));
  const checkId = list(q, 'check');
  if (severity.length) filter.severity = severity;
  if (status.length) filter.status = status;
  if (checkId.length) filter.checkId = checkId;
  for (const key of ['control', 'subject', 'file', 'text'] as const) {
    const v = q.get(key);
    if (v) filter[key] = v;
  }
  return filter;
}

function setParam(q: URLSearchParams, key: string, value: string | undefined): URLSearchParams {
  const next = new URLSearchParams(q);
  if (value) next.set(key, value);
  else next.delete(key);
  next.delete('offset');
  return next;
}

function Chips<T extends string>(props: {
  label: string;
  name: string;
  values: readonly T[];
  selected: readonly T[];
  onToggle: (value: T) => void;
}) {
  return html`<fieldset class="chips" data-filter=${props.name}>
    <legend>${props.label}</legend>
    ${props.values.map(
      (v) => html`<button
        type="button"
        class=${`chip ${props.name}-${v}`}
        aria-pressed=${props.selected.includes(v) ? 'true' : 'false'}
        onClick=${() => props.onToggle(v)}
      >${v}</button>`,
    )}
  </fieldset>`;
}

/** A text filter that updates the URL once typing pauses. */
function TextFilter(props: { label: string; name: string; value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(props.value);
  const settled = useDebounced(text, 250);
  useEffect(() => setText(props.value), [props.value]);
  useEffect(() => {
    if (settled !== props.value) props.onChange(settled);
  }, [settled]);
  return html`<label class="field">
    <span>${props.label}</span>
    <input type="search" name=${props.name} value=${text} onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
  </label>`;
}

function Select(props: {
  label: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  return html`<label class="field">
    <span>${props.label}</span>
    <select name=${props.name} value=${props.value} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      <option value="">all</option>
      ${props.options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}
    </select>
  </label>`;
}

function FilterBar({ meta, query, run }: { meta: RunMeta; query: URLSearchParams; run: number }) {
  const go = (next: URLSearchParams, replace = false) =>
    navigate(hrefFor('findings', run, Object.fromEntries(next)), replace);
  const toggle = (key: string, value: string) => {
    const current = list(query, key);
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    go(setParam(query, key, next.join(',')));
  };
  const controls = [...new Set(meta.checks.flatMap((c) => c.controls))].sort();
  const files = meta.inputs.map((i) => i.file);
  return html`<form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
    <${Chips} label="Severity" name="severity" values=${SEVERITIES} selected=${list(query, 'severity')} onToggle=${(v: string) => toggle('severity', v)} />
    <${Chips} label="Status" name="status" values=${STATUSES} selected=${list(query, 'status')} onToggle=${(v: string) => toggle('status', v)} />
    <div class="fields">
      <${Select}
        label="Check"
        name="check"
        value=${query.get('check') ?? ''}
        options=${meta.checks.map((c) => ({ value: c.id, label: `${c.id} — ${c.title}` }))}
        onChange=${(v: string) => go(setParam(query, 'check', v))}
      />
      <${Select} label="Control" name="control" value=${query.get('control') ?? ''} options=${controls.map((c) => ({ value: c, label: c }))} onChange=${(v: string) => go(setParam(query, 'control', v))} />
      <${Select} label="File" name="file" value=${query.get('file') ?? ''} options=${files.map((f) => ({ value: f, label: f }))} onChange=${(v: string) => go(setParam(query, 'file', v))} />
      <${TextFilter} label="Subject" name="subject" value=${query.get('subject') ?? ''} onChange=${(v: string) => go(setParam(query, 'subject', v), true)} />
      <${TextFilter} label="Text" name="text" value=${query.get('text') ?? ''} onChange=${(v: string) => go(setParam(query, 'text', v), true)} />
      <button type="button" class="clear" onClick=${() => go(new URLSearchParams())}>Clear filters</button>
    </div>
  </form>`;
}

function Row({ f, run }: { f: Finding; run: number }) {
  return html`<tr>
    <td><${SeverityBadge} severity=${f.severity} /></td>
    <td><${StatusBadge} status=${f.status} /></td>
    <td class="check"><code>${f.checkId}</code><div class="muted">${f.title}</div></td>
    <td class="subject">
      <a href=${hrefFor('subject', run, { id: f.subject.id })}>${f.subject.name}</a>
      <div class="muted">${f.subject.type}</div>
    </td>
    <td class="loc"><code>${breakablePath(f.location.file)}:${f.location.line}</code></td>
    <td class="message">${f.message}</td>
  </tr>`;
}

export function FindingsTable({ findings, run }: { findings: Finding[]; run: number }) {
  return html`<table class="findings">
    <thead><tr><th>Severity</th><th>Status</th><th>Check</th><th>Subject</th><th>Location</th><th>Message</th></tr></thead>
    <tbody>
      ${findings.map((f, i) => html`<${Row} key=${i} f=${f} run=${run} />`)}
    </tbody>
  </table>`;
}

export function Findings({
  source,
  run,
  query,
}: {
  source: DataSource;
  run: number;
  query: URLSearchParams;
}) {
  const meta = useAsync(() => source.runMeta(run), `meta:${run}`);
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const filter = filterFromQuery(query);
  const key = `${run}?${query}`;
  const page = useAsync(() => source.findings(run, { ...filter, limit: PAGE_SIZE, offset }), key);
  const state = { loading: meta.loading || page.loading, error: meta.error ?? page.error };
  const total = page.data?.total ?? 0;
  const shown = page.key?.slice(page.key.indexOf('?') + 1);
  return html`<${ViewFrame} name="findings" title=${`Findings — run #${run}`} state=${state} query=${shown}>
    ${meta.data ? html`<${FilterBar} meta=${meta.data} query=${query} run=${run} />` : null}
    ${
      page.data
        ? html`<p class="count" data-total=${total}>
            ${
              total === 0
                ? 'No findings match these filters.'
                : `Showing ${fmt(offset + 1)}–${fmt(Math.min(total, offset + PAGE_SIZE))} of ${fmt(total)} findings`
            }
          </p>
          ${total > 0 ? html`<${FindingsTable} findings=${page.data.findings} run=${run} />` : null}
          <${Pager}
            total=${total}
            offset=${offset}
            pageSize=${PAGE_SIZE}
            onPage=${(o: number) => {
              const next = new URLSearchParams(query);
              next.set('offset', String(o));
              navigate(hrefFor('findings', run, Object.fromEntries(next)));
            }}
          />`
        : null
    }
  <//>`;
}
