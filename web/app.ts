/** The shell: header with navigation and run picker, the routed view, and the token prompt when the API asks for one. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type DataSource } from './data.ts';
import { MarkingBanner } from './marking.ts';
import { fmtDate, hrefFor, navigate, parseHash, type Route, useAsync, type View } from './util.ts';
import { Findings } from './views/findings.ts';
import { Matrix } from './views/matrix.ts';
import { kindName, Overview } from './views/overview.ts';
import { Print } from './views/print.ts';
import { Subject } from './views/subject.ts';
import { Trends } from './views/trends.ts';

export const TOKEN_KEY = 'assay-token';

export function TokenPrompt() {
  const [token, setToken] = useState('');
  return html`<section class="view" data-view="token" data-state="ready">
    <h1>Token required</h1>
    <p>This dashboard was started with a token. Paste it here (it is kept for this browser tab only).</p>
    <form
      class="token"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, token.trim());
        location.reload();
      }}
    >
      <input type="password" name="token" autocomplete="off" value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} />
      <button type="submit">Use token</button>
    </form>
  </section>`;
}

const NAV: { view: View; label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'findings', label: 'Findings' },
  { view: 'matrix', label: 'Compliance' },
  { view: 'trends', label: 'Trends' },
];

function routed(route: Route, source: DataSource, run: number | undefined) {
  const { view, query } = route;
  if (view === 'overview') return html`<${Overview} source=${source} query=${query} />`;
  if (view === 'trends') return html`<${Trends} source=${source} query=${query} />`;
  if (run === undefined) return html`<p class="empty">No runs to show.</p>`;
  if (view === 'findings') return html`<${Findings} key=${run} source=${source} run=${run} query=${query} />`;
  if (view === 'matrix') return html`<${Matrix} key=${run} source=${source} run=${run} query=${query} />`;
  if (view === 'subject') return html`<${Subject} source=${source} run=${run} query=${query} />`;
  return html`<${Print} source=${source} run=${run} />`;
}

export function App({ source }: { source: DataSource }) {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const runs = useAsync(() => source.runs(), 'runs');
  if (runs.error instanceof ApiError && runs.error.status === 401) return html`<${TokenPrompt} />`;
  const latest = runs.data?.[0];
  const run = route.run ?? source.fixedRun ?? latest?.run;
  const current = runs.data?.find((r) => r.run === run);
  const runView = route.view === 'overview' || route.view === 'trends' ? 'findings' : route.view;

  return html`<div class=${`shell view-${route.view}`}>
    <${MarkingBanner} source=${source} run=${run} where="top" />
    <header class="top">
      <a class="brand" href="#/">assay</a>
      <nav aria-label="sections">
        ${NAV.map(
          (n) => html`<a
            href=${
              n.view === 'overview' || n.view === 'trends'
                ? hrefFor(n.view, undefined, { series: route.query.get('series') ?? undefined })
                : hrefFor(n.view, run)
            }
            aria-current=${route.view === n.view ? 'page' : undefined}
          >${n.label}</a>`,
        )}
      </nav>
      ${
        runs.data && runs.data.length > 1 && source.mode === 'live'
          ? html`<label class="run-picker">
            <span>run</span>
            <select
              name="run"
              value=${String(run ?? '')}
              onChange=${(e: Event) => navigate(hrefFor(runView, Number((e.target as HTMLSelectElement).value)))}
            >
              ${runs.data.map((r) => html`<option value=${String(r.run)}>#${r.run} ${kindName(r)} ${fmtDate(r.finishedAt)}${r.label ? ` ${r.label}` : ''}</option>`)}
            </select>
          </label>`
          : current
            ? html`<span class="run-label">run #${current.run} · ${kindName(current)} · ${fmtDate(current.finishedAt)}</span>`
            : null
      }
    </header>
    <main>
      ${runs.error ? html`<p class="error" role="alert">${runs.error.message}</p>` : null}
      ${runs.data ? routed(route, source, run) : null}
    </main>
    ${
      source.mode === 'embedded'
        ? html`<footer class="bottom">Single-file assay report: all data is inside this file; it makes no network requests.</footer>`
        : null
    }
    <${MarkingBanner} source=${source} run=${run} where="bottom" />
  </div>`;
}
