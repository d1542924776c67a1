/**
 * `readiness kpis -f csv`: one line per KPI row. Text cells (cloud, group, ...) come from the
 * case export, so they go through the shared CSV cell writer, which neutralises formulas.
 */
import { csvCell } from '../report/csv-cell.ts';
import { KPI_COLUMNS, type KpiRow } from './kpis.ts';

/** Integers as they are, other numbers to four places; text through the shared cell writer. */
function kpiCell(value: KpiRow[keyof KpiRow]): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  return csvCell(value);
}

export function renderKpisCsv(rows: readonly KpiRow[]): string {
  const lines = [KPI_COLUMNS.join(',')];
  for (const r of rows) lines.push(KPI_COLUMNS.map((k) => kpiCell(r[k])).join(','));
  return lines.join('\n');
}
