/**
 * The one CSV cell writer for every CSV or spreadsheet output. RFC 4180 quoting, and a text cell
 * that a spreadsheet would read as a formula (starting with = + - @, tab or carriage return) is
 * prefixed with a quote mark, so an untrusted value cannot run as a formula (CSV injection).
 * Numbers are written as they are: a negative number is data, not a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text a spreadsheet would read as a formula, prefixed with a quote mark; other text as it is. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record (no line ending). */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}
