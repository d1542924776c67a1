/**
 * The protective-marking banner (`--classification`): the shown run's marking, centred at the top
 * and bottom of the page. Rendered as text by Preact, like every data string.
 */
import { html } from 'htm/preact';
import type { DataSource } from './data.ts';
import { useAsync } from './util.ts';

export function MarkingBanner({
  source,
  run,
  where,
}: {
  source: DataSource;
  run: number | undefined;
  where: 'top' | 'bottom';
}) {
  const meta = useAsync(
    () => (run === undefined ? Promise.resolve(undefined) : source.runMeta(run)),
    `marking:${run}`,
  );
  const text = meta.data?.marking?.text;
  return text ? html`<div class=${`marking marking-${where}`} role="note">${text}</div>` : null;
}
