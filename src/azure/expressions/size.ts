import { isLambda, Unknown, type Value } from './value.ts';

/**
 * Estimated serialised sizes of containers, by identity. Values are read-only once made and
 * share their parts, so a value built by doubling a shared part 40 times is sized by visiting
 * each distinct part once, never by serialising it.
 */
const sizes = new WeakMap<object, number>();

/** Bytes newly visited by `estimatedSize` calls: the work of the values they sized. */
export interface SizeWork {
  fresh: number;
}

function scalarSize(v: Value): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number') return String(v).length;
  if (typeof v === 'boolean') return 5;
  if (v === null) return 4;
  // An Unknown serialises as a short marker; a lambda is never serialised.
  return 16;
}

/**
 * The size of a value as compact JSON, estimated (string escapes are not counted). Containers
 * seen before answer from the cache; `work.fresh` grows by the size of the parts not seen
 * before, so a caller can charge for what a step really built.
 */
export function estimatedSize(v: Value, work?: SizeWork): number {
  return sizeOf(v, work, true);
}

/**
 * The same size, caching only `v` itself, not the containers inside it: for a value built
 * fresh from the template's own JSON (a resource body), whose inner objects are met once.
 * Every part that can be shared (a function's result, a variable, a copy's items) was already
 * sized and cached when it was made, so it is still read from the cache, never walked twice;
 * leaving the rest out saves a cache entry per inner object (a million in a 2,000-template scan).
 */
export function estimatedSizeOfFresh(v: Value, work?: SizeWork): number {
  const size = sizeOf(v, work, false);
  if (v !== null && typeof v === 'object' && !(v instanceof Unknown) && !isLambda(v)) sizes.set(v, size);
  return size;
}

function sizeOf(v: Value, work: SizeWork | undefined, cache: boolean): number {
  if (v === null || typeof v !== 'object' || v instanceof Unknown || isLambda(v)) {
    const size = scalarSize(v);
    if (work) work.fresh += size;
    return size;
  }
  const known = sizes.get(v);
  if (known !== undefined) return known;
  let size = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) size += sizeOf(v[i] as Value, work, cache) + 1;
    if (work) work.fresh += v.length + 2;
  } else {
    let members = 0;
    for (const key in v) {
      size += key.length + 4 + sizeOf(v[key] as Value, work, cache);
      members++;
    }
    if (work) work.fresh += members + 2;
  }
  if (cache) sizes.set(v, size);
  return size;
}
