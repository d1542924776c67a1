import { extent } from '../core/extent.ts';
import { oneLine } from '../core/terminal-text.ts';

/**
 * Plain aligned columns for the history commands: no borders, no colour, safe to pipe. Cells
 * come from stored runs and inputs, so control characters are shown as escapes.
 */
export function textTable(
  headers: string[],
  bodyRows: string[][],
  rightAligned: ReadonlySet<number> = new Set(),
): string {
  const rows = bodyRows.map((r) => r.map(oneLine));
  const widths = headers.map((h, i) => {
    let w = h.length;
    for (const r of rows) w = Math.max(w, (r[i] ?? '').length);
    return w;
  });
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `2026-11-23 07:41` from an ISO time, in UTC so every reader sees the same text. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')}`;
}

export function percent(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)}%`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of the values, scaled between their own minimum and maximum. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const { min, max } = extent(values);
  return values
    .map((v) => SPARKS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (SPARKS.length - 1))])
    .join('');
}

/** A bar for a percentage, `width` cells long. */
export function bar(value: number, width = 20): string {
  const filled = Math.round((Math.max(0, Math.min(100, value)) / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
