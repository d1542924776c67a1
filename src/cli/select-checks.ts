import picomatch from 'picomatch';
import type { Check } from '../core/model.ts';
import { UsageError } from './errors.ts';

export { UsageError };

/** Splits repeated and comma-separated flag values: `--checks a,b --checks c`. */
export function listValues(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/**
 * Narrows checks by id patterns (exact ids or globs such as `AZ-STORAGE-*`, case-insensitive).
 * A pattern that matches nothing is a usage error: a typo must not silently run nothing.
 */
export function selectChecks<T extends Check>(
  all: readonly T[],
  only: readonly string[],
  skip: readonly string[],
): T[] {
  const matcher = (pattern: string) => {
    const isMatch = picomatch(pattern.toUpperCase());
    const matched = all.filter((c) => isMatch(c.meta.id.toUpperCase()));
    if (matched.length === 0)
      throw new UsageError(`no check matches '${pattern}'; run 'assay checks' for the list`);
    return new Set(matched);
  };
  let selected = [...all];
  if (only.length > 0) {
    const keep = new Set(only.flatMap((p) => [...matcher(p)]));
    selected = selected.filter((c) => keep.has(c));
  }
  if (skip.length > 0) {
    const drop = new Set(skip.flatMap((p) => [...matcher(p)]));
    selected = selected.filter((c) => !drop.has(c));
  }
  return selected;
}
