/** Building blocks the views share. Every data string is a child or an attribute value: Preact renders it as text. */

import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { ControlStatus, Severity, Status } from '../src/core/model.ts';
import type { AsyncState } from './util.ts';

export const SeverityBadge = ({ severity }: { severity: Severity }) =>
  html`<span class=${`badge sev-${severity}`}>${severity}</span>`;

export const StatusBadge = ({ status }: { status: Status | ControlStatus }) =>
  html`<span class=${`badge st-${status}`}>${status}</span>`;

/** A view's frame: `data-state` tells tests and the PDF printer when the data is on screen. */
export function ViewFrame(props: {
  name: string;
  title: string;
  state: AsyncState<unknown> | { loading: boolean; error?: Error };
  /** The filter the data on screen answers (`data-query`), so a test can wait for the right page. */
  query?: string | undefined;
  children?: ComponentChildren;
}) {
  const { state } = props;
  const status = state.error ? 'error' : state.loading ? 'loading' : 'ready';
  return html`<section class="view" data-view=${props.name} data-state=${status} data-query=${props.query}>
    <h1>${props.title}</h1>
    ${state.error ? html`<p class="error" role="alert">${state.error.message}</p>` : null}
    ${props.children}
  </section>`;
}

export function Pager(props: {
  total: number;
  offset: number;
  pageSize: number;
  onPage: (offset: number) => void;
}) {
  const { total, offset, pageSize } = props;
  if (total <= pageSize) return null;
  const last = Math.floor((total - 1) / pageSize) * pageSize;
  return html`<nav class="pager" aria-label="pages">
    <button type="button" disabled=${offset === 0} onClick=${() => props.onPage(0)}>« First</button>
    <button type="button" disabled=${offset === 0} onClick=${() => props.onPage(Math.max(0, offset - pageSize))}>‹ Previous</button>
    <span>page ${Math.floor(offset / pageSize) + 1} of ${Math.floor(last / pageSize) + 1}</span>
    <button type="button" disabled=${offset >= last} onClick=${() => props.onPage(offset + pageSize)}>Next ›</button>
    <button type="button" disabled=${offset >= last} onClick=${() => props.onPage(last)}>Last »</button>
  </nav>`;
}
