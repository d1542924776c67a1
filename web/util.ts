/** Small helpers shared by the views: formatting, colours, routing, async state. */

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ControlStatus, Severity, Status } from '../src/core/model.ts';

/**
 * For the few places where a string goes into HTML that Preact does not build: ECharts
 * tooltips are HTML strings. Everything else is rendered as text by Preact.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#7f1d1d',
  high: '#dc2626',
  medium: '#d97706',
  low: '#2563eb',
  info: '#6b7280',
};

export const STATUS_COLORS: Record<Status, string> = {
  pass: '#15803d',
  fail: '#dc2626',
  unknown: '#9333ea',
  error: '#7f1d1d',
  waived: '#0284c7',
  'not-applicable': '#9ca3af',
};

export const CONTROL_STATUS_ORDER: ControlStatus[] = [
  'not-met',
  'partially-met',
  'unknown',
  'waived',
  'met',
  'manual',
  'not-assessed',
];

export const CONTROL_STATUS_COLORS: Record<ControlStatus, string> = {
  met: '#15803d',
  'not-met': '#dc2626',
  'partially-met': '#ea580c',
  unknown: '#9333ea',
  waived: '#0284c7',
  'not-assessed': '#d1d5db',
  manual: '#64748b',
};

const numberFormat = new Intl.NumberFormat('en');
export const fmt = (n: number) => numberFormat.format(n);
export const fmtScore = (score: number | null) => (score === null ? '–' : `${score}%`);

export function fmtDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

// --- routing -------------------------------------------------------------------------

export type View = 'overview' | 'findings' | 'matrix' | 'trends' | 'subject' | 'print';
const VIEWS: readonly View[] = ['overview', 'findings', 'matrix', 'trends', 'subject', 'print'];

export interface Route {
  view: View;
  /** The run in the path, when it names one (`#/runs/3/findings`). */
  run?: number;
  query: URLSearchParams;
}

/** `#/runs/3/findings?severity=high` -> route; anything unknown is the overview. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q >= 0 ? body.slice(0, q) : body).split('/').filter(Boolean);
  const query = new URLSearchParams(q >= 0 ? body.slice(q + 1) : '');
  let run: number | undefined;
  if (path[0] === 'runs' && /^\d+$/.test(path[1] ?? '')) {
    run = Number(path[1]);
    path.splice(0, 2);
  }
  const name = path[0] ?? 'overview';
  const view = (VIEWS as readonly string[]).includes(name) ? (name as View) : 'overview';
  return run === undefined ? { view, query } : { view, run, query };
}

export function hrefFor(
  view: View,
  run: number | undefined,
  query?: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v) params.set(k, v);
  const qs = params.toString();
  const path = view === 'overview' ? '' : run === undefined ? view : `runs/${run}/${view}`;
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** Moves to a hash; `replace` for typing in a filter box, so Back leaves the page, not each keystroke. */
export function navigate(hash: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

// --- async state ---------------------------------------------------------------------

export interface AsyncState<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  /** The key whose answer `data` or `error` is. */
  key?: string;
}

/** Runs `load` when `key` changes; an answer that arrives after a newer request is dropped. */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ loading: true });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => {
        if (mine === seq.current) setState({ data, loading: false, key });
      },
      (error: unknown) => {
        if (mine === seq.current)
          setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false, key });
      },
    );
  }, [key]);
  return state;
}

/** A value that follows `value` after `ms` without change (filter boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return current;
}
