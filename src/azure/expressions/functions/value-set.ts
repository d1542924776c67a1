import { isObject, Unknown, type Value } from '../value.ts';
import { deepEqual } from './registry.ts';

/**
 * A JSON text that equal values (as `deepEqual` judges them: object keys in any order and
 * case) share, so that a set of values is a hash lookup and not a scan of every member:
 * `union` and `intersection` of large arrays stay linear.
 */
function canonical(v: Value): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const entries = Object.keys(v).map((k) => [k.toLowerCase(), canonical(v[k] as Value)] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { o: entries };
  }
  if (v instanceof Unknown) return { u: v.reason };
  return v;
}

/** Values without an Unknown, kept once each by deep equality. */
export class ValueSet {
  private readonly buckets = new Map<string, Value[]>();

  /** Adds the value; false when an equal one is already there. */
  add(v: Value): boolean {
    const key = JSON.stringify(canonical(v));
    const bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, [v]);
      return true;
    }
    // The key only narrows the search: deep equality has the last word.
    if (bucket.some((x) => deepEqual(x, v))) return false;
    bucket.push(v);
    return true;
  }

  has(v: Value): boolean {
    return this.buckets.get(JSON.stringify(canonical(v)))?.some((x) => deepEqual(x, v)) === true;
  }
}
