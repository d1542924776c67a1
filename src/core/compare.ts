/**
 * Orderings that must not depend on the machine. `localeCompare` follows the process's
 * locale (under a Danish locale `aa/` sorts after `b/`), so anything that feeds a stored
 * order or a content hash compares UTF-16 code units instead.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
