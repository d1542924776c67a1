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
  if (v === null || typeof v !== 'object' || v instanceof Unknown || isLambda(v)) {
    const size = scalarSize(v);
    if (work) work.fresh += size;
    return size;
  }
  const known = sizes.get(v);
  if (known !== undefined) return known;
  let size = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) size += estimatedSize(v[i] as Value, work) + 1;
    if (work) work.fresh += v.length + 2;
  } else {
    let members = 0;
    for (const key in v) {
      size += key.length + 4 + estimatedSize(v[key] as Value, work);
      members++;
    }
    if (work) work.fresh += members + 2;
  }
  sizes.set(v, size);
  return size;
}
