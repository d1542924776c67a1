/**
 * The findings explorer. The filter, the order (`sort`) and the grouping (`group`) live in
 * the URL (`#/runs/3/findings?severity=high&sort=-file&group=check`), so a view is a link a
 * person can share, a reload restores it and Back works. Without `sort`, failures come
 * first, most severe first. One page of 100 rows is rendered at a time: the live API pages
 * and sorts on the server, the report in the browser. The export buttons write every
 * finding of the current filter, in its order, as CSV or SARIF.
 */

import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type Finding, SEVERITIES, type Severity, STATUSES, type Status } from '../../src/core/model.ts';
import type { FindingFilter, RunMeta } from '../../src/server/api-types.ts';
import { FINDING_GROUP_BYS, type FindingGroup, type FindingGroupBy } from '../../src/store/store.ts';
import { Pager, SeverityBadge, StatusBadge, ViewFrame } from '../components.ts';
import type { DataSource } from '../data.ts';
import { download, findingsCsv, findingsSarif } from '../export.ts';
import { DEFAULT_SORT, parseSort } from '../filter.ts';
import { fmt, hrefFor, navigate, useAsync, useDebounced } from '../util.ts';

export const PAGE_SIZE = 100;
/** The most findings one export holds (the live API hands them out 1,000 at a time). */
export const EXPORT_MAX = 100_000;
/** Groups shown at once; the rest are counted. */
const GROUPS_SHOWN = 200;
/** File suggestions shown under the file box. */
const SUGGESTIONS = 12;

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
  for (const key of ['control', 'subject', 'file', 'text', 'type'] as const) {
    const v = q.get(key);
    if (v) filter[key] = v;
  }
  filter.sort = parseSort(q.get('sort') ?? undefined) ? (q.get('sort') as string) : DEFAULT_SORT;
  const group = q.get('group');
  if (group && (FINDING_GROUP_BYS as readonly string[]).includes(group))
    filter.groupBy = group as FindingGroupBy;
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
  /** The label of the empty choice (default `all`). */
  all?: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  return html`<label class="field">
    <span>${props.label}</span>
    <select name=${props.name} value=${props.value} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      <option value="">${props.all ?? 'all'}</option>
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
  const files = useMemo(() => [...new Set(meta.inputs.map((i) => i.file))], [meta]);
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
      <${FileFilter} files=${files} value=${query.get('file') ?? ''} onChange=${(v: string, replace: boolean) => go(setParam(query, 'file', v), replace)} />
      <${TextFilter} label="Subject" name="subject" value=${query.get('subject') ?? ''} onChange=${(v: string) => go(setParam(query, 'subject', v), true)} />
      <${TextFilter} label="Text" name="text" value=${query.get('text') ?? ''} onChange=${(v: string) => go(setParam(query, 'text', v), true)} />
      <${Select}
        label="Group by"
        name="group"
        value=${query.get('group') ?? ''}
        all="none"
        options=${FINDING_GROUP_BYS.map((g) => ({ value: g, label: GROUP_LABELS[g] }))}
        onChange=${(v: string) => go(setParam(query, 'group', v))}
      />
      ${
        query.get('type')
          ? html`<span class="active-filter" data-filter="type">type: <code>${query.get('type')}</code>
              <button type="button" aria-label="remove the type filter" onClick=${() => go(setParam(query, 'type', undefined))}>×</button></span>`
          : null
      }
      <button type="button" class="clear" onClick=${() => go(new URLSearchParams())}>Clear filters</button>
    </div>
  </form>`;
}

const GROUP_LABELS: Record<FindingGroupBy, string> = {
  check: 'check',
  file: 'file',
  control: 'control',
  type: 'resource type',
};

/**
 * The file filter: a text box (a substring of the path) that suggests matching files as
 * you type, instead of a list of every file. Picking a suggestion filters to that file.
 */
function FileFilter(props: {
  files: readonly string[];
  value: string;
  onChange: (v: string, replace: boolean) => void;
}) {
  const [text, setText] = useState(props.value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const settled = useDebounced(text, 250);
  useEffect(() => setText(props.value), [props.value]);
  useEffect(() => {
    if (settled !== props.value) props.onChange(settled, true);
  }, [settled]);
  const suggestions = useMemo(() => {
    const needle = text.toLowerCase();
    const out: string[] = [];
    for (const f of props.files) {
      if (f.toLowerCase().includes(needle) && f !== text) out.push(f);
      if (out.length >= SUGGESTIONS) break;
    }
    return out;
  }, [text, props.files]);
  const pick = (file: string) => {
    setText(file);
    setOpen(false);
    setActive(-1);
    props.onChange(file, false);
  };
  const shown = open && text !== '' && suggestions.length > 0;
  return html`<div class="field file-filter">
    <label for="file-filter">File</label>
    <input
      id="file-filter"
      type="search"
      name="file"
      role="combobox"
      autocomplete="off"
      aria-autocomplete="list"
      aria-controls="file-suggestions"
      aria-expanded=${shown ? 'true' : 'false'}
      placeholder=${`${fmt(props.files.length)} files`}
      value=${text}
      onInput=${(e: Event) => {
        setText((e.target as HTMLInputElement).value);
        setOpen(true);
        setActive(-1);
      }}
      onFocus=${() => setOpen(true)}
      onBlur=${() => setTimeout(() => setOpen(false), 150)}
      onKeyDown=${(e: KeyboardEvent) => {
        if (!shown) return;
        if (e.key === 'ArrowDown') setActive((a) => Math.min(suggestions.length - 1, a + 1));
        else if (e.key === 'ArrowUp') setActive((a) => Math.max(-1, a - 1));
        else if (e.key === 'Escape') setOpen(false);
        else if (e.key === 'Enter' && active >= 0) pick(suggestions[active]);
        else return;
        e.preventDefault();
      }}
    />
    ${
      shown
        ? html`<ul id="file-suggestions" class="suggestions" role="listbox">
            ${suggestions.map(
              (f, i) => html`<li
                role="option"
                aria-selected=${i === active ? 'true' : 'false'}
                onMouseDown=${(e: Event) => {
                  e.preventDefault();
                  pick(f);
                }}
              >${breakablePath(f)}</li>`,
            )}
          </ul>`
        : null
    }
  </div>`;
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

const COLUMNS: { label: string; sort: string }[] = [
  { label: 'Severity', sort: 'severity' },
  { label: 'Status', sort: 'status' },
  { label: 'Check', sort: 'check' },
  { label: 'Subject', sort: 'subject' },
  { label: 'Location', sort: 'file' },
  { label: 'Message', sort: 'message' },
];

/** Column headers that sort: the first click ascending, the next descending. */
function SortableHead({ sort, onSort }: { sort: string; onSort: (sort: string) => void }) {
  const current = parseSort(sort);
  return html`<thead><tr>
    ${COLUMNS.map((c) => {
      const on = current?.key === c.sort;
      const dir = on ? (current?.descending ? 'descending' : 'ascending') : undefined;
      return html`<th aria-sort=${dir ?? 'none'} data-sort=${c.sort}>
        <button type="button" class="sort" onClick=${() => onSort(on && !current?.descending ? `-${c.sort}` : c.sort)}>
          ${c.label}<span class="arrow" aria-hidden="true">${dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
        </button>
      </th>`;
    })}
  </tr></thead>`;
}

export function FindingsTable({
  findings,
  run,
  sort,
  onSort,
}: {
  findings: Finding[];
  run: number;
  sort?: string;
  onSort?: (sort: string) => void;
}) {
  return html`<table class="findings">
    ${
      onSort
        ? html`<${SortableHead} sort=${sort ?? DEFAULT_SORT} onSort=${onSort} />`
        : html`<thead><tr>${COLUMNS.map((c) => html`<th>${c.label}</th>`)}</tr></thead>`
    }
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
  const go = (next: URLSearchParams) => navigate(hrefFor('findings', run, Object.fromEntries(next)));
  return html`<${ViewFrame} name="findings" title=${`Findings — run #${run}`} state=${state} query=${shown}>
    ${meta.data ? html`<${FilterBar} meta=${meta.data} query=${query} run=${run} />` : null}
    ${
      page.data
        ? html`<div class="count-bar">
            <p class="count" data-total=${total}>
            ${
              total === 0
                ? 'No findings match these filters.'
                : `Showing ${fmt(offset + 1)}–${fmt(Math.min(total, offset + PAGE_SIZE))} of ${fmt(total)} findings`
            }
            </p>
            ${meta.data && total > 0 ? html`<${Exports} source=${source} run=${run} meta=${meta.data} filter=${filter} total=${total} />` : null}
          </div>
          ${
            page.data.groups && filter.groupBy
              ? html`<${Groups}
                  by=${filter.groupBy}
                  groups=${page.data.groups}
                  meta=${meta.data}
                  onPick=${(value: string) => {
                    const by = filter.groupBy as FindingGroupBy;
                    go(setParam(setParam(query, by, value), 'group', undefined));
                  }}
                />`
              : null
          }
          ${
            total > 0
              ? html`<${FindingsTable}
                  findings=${page.data.findings}
                  run=${run}
                  sort=${filter.sort}
                  onSort=${(sort: string) => go(setParam(query, 'sort', sort === DEFAULT_SORT ? undefined : sort))}
                />`
              : null
          }
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

/** The counts per group of the matching findings; a group's name narrows the filter to it. */
function Groups(props: {
  by: FindingGroupBy;
  groups: FindingGroup[];
  meta: RunMeta | undefined;
  onPick: (value: string) => void;
}) {
  const titles = new Map(props.meta?.checks.map((c) => [c.id, c.title]) ?? []);
  const shown = props.groups.slice(0, GROUPS_SHOWN);
  return html`<div class="groups-wrap"><table class="groups" data-group=${props.by}>
    <caption>${fmt(props.groups.length)} ${props.by === 'type' ? 'resource types' : `${props.by}s`}</caption>
    <thead><tr><th>${GROUP_LABELS[props.by]}</th><th class="num">findings</th><th class="num">failed</th></tr></thead>
    <tbody>
      ${shown.map(
        (g) => html`<tr key=${g.key} data-key=${g.key}>
          <td>
            <button type="button" class="link" onClick=${() => props.onPick(g.key)}>
              ${props.by === 'file' ? breakablePath(g.key) : html`<code>${g.key}</code>`}
            </button>
            ${props.by === 'check' && titles.get(g.key) ? html`<div class="muted">${titles.get(g.key)}</div>` : null}
          </td>
          <td class="num">${fmt(g.count)}</td>
          <td class="num">${fmt(g.fail)}</td>
        </tr>`,
      )}
    </tbody>
    ${
      props.groups.length > shown.length
        ? html`<tfoot><tr><td colspan="3">and ${fmt(props.groups.length - shown.length)} more (narrow the filter to see them)</td></tr></tfoot>`
        : null
    }
  </table></div>`;
}

/** Export buttons: every finding of the current filter, in its order, downloaded as CSV or SARIF. */
function Exports(props: {
  source: DataSource;
  run: number;
  meta: RunMeta;
  filter: FindingFilter;
  total: number;
}) {
  const [busy, setBusy] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const run = async (format: 'csv' | 'sarif') => {
    setBusy(format);
    setNote(undefined);
    try {
      const { groupBy: _, ...filter } = props.filter;
      const page = await props.source.allFindings(props.run, filter, EXPORT_MAX);
      const name = `assay-run${props.run}-findings`;
      if (format === 'csv') download(`${name}.csv`, 'text/csv;charset=utf-8', findingsCsv(page.findings));
      else
        download(
          `${name}.sarif`,
          'application/sarif+json',
          `${JSON.stringify(await findingsSarif(props.meta, page.findings), null, 2)}\n`,
        );
      if (page.total > page.findings.length)
        setNote(`Exported the first ${fmt(page.findings.length)} of ${fmt(page.total)} findings.`);
    } catch (err) {
      setNote(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return html`<div class="exports">
    <button type="button" name="export-csv" disabled=${!!busy} onClick=${() => run('csv')}>Export CSV</button>
    <button type="button" name="export-sarif" disabled=${!!busy} onClick=${() => run('sarif')}>Export SARIF</button>
    ${note ? html`<span class="muted" role="status">${note}</span>` : null}
  </div>`;
}
