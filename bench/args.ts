/** Command-line helpers shared by the benchmarks. */

/** A flag's value as a positive integer, or an error naming the flag. */
export function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value}`);
  return n;
}
