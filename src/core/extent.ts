/**
 * Largest and smallest values by a loop. Spreading an array into Math.max, Math.min or push
 * passes every element as an argument, and V8 throws a RangeError above roughly 125,000 of
 * them: a large scan would crash its own report. These take any number of values.
 */

/** The largest `measure(item)`, or `floor` when there are no items (or all are smaller). */
export function maxOf<T>(
  items: Iterable<T>,
  measure: (item: T) => number,
  floor = Number.NEGATIVE_INFINITY,
): number {
  let max = floor;
  for (const item of items) {
    const v = measure(item);
    if (Number.isNaN(v)) return v;
    if (v > max) max = v;
  }
  return max;
}

/** The smallest and largest value, as Math.min and Math.max give them (NaN wins, empty gives ±Infinity). */
export function extent(values: Iterable<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return { min: Number.NaN, max: Number.NaN };
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** Appends every item of `source` to `target` without spreading it into arguments. */
export function appendAll<T>(target: T[], source: Iterable<T>): T[] {
  for (const item of source) target.push(item);
  return target;
}
