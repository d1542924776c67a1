/**
 * The series the overview and trends show, and a picker to switch to another or to every
 * series. The choice lives in the address (`?series=<key>` or `?series=all`), so it is a link.
 */
import { html } from 'htm/preact';
import { ALL_SERIES, type SeriesRuns } from '../src/server/series-view.ts';
import { hrefFor, navigate, type View } from './util.ts';

export function SeriesPicker(props: { list: SeriesRuns; view: View; query: URLSearchParams }) {
  const { list, view, query } = props;
  const others = list.available.length - (list.all ? 0 : 1);
  const choose = (e: Event) => {
    const params = Object.fromEntries(query);
    navigate(hrefFor(view, undefined, { ...params, series: (e.target as HTMLSelectElement).value }));
  };
  return html`<div class="series-bar" data-series=${list.all ? ALL_SERIES : (list.series?.key ?? '')}>
    <p class="series-current">
      ${
        list.all
          ? html`<strong>All series, mixed.</strong> <span class="muted">Runs of another kind, target or boundary are not comparable: a change between them is marked, not counted.</span>`
          : list.series
            ? html`Series: <strong>${list.series.label}</strong>${others > 0 ? html` <span class="muted">(${others} other series)</span>` : null}`
            : null
      }
    </p>
    ${
      list.available.length > 1
        ? html`<label class="series-picker">
          <span>series</span>
          <select name="series" value=${list.all ? ALL_SERIES : (list.series?.key ?? '')} onChange=${choose}>
            ${list.available.map(
              (s) =>
                html`<option value=${s.key}>${s.label} · ${s.runs} run${s.runs === 1 ? '' : 's'}, newest #${s.newestRun}</option>`,
            )}
            <option value=${ALL_SERIES}>All series (mixed)</option>
          </select>
        </label>`
        : null
    }
  </div>`;
}
