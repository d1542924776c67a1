import { isObject, Unknown, type Value, type ValueObject } from '../value.ts';
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

/**
 * Members of an object found by name as `getProperty` finds them (exact name first, else the
 * first key equal ignoring case), from an index built once: a loop over another object's keys
 * stays linear however many keys miss.
 */
export class KeyIndex {
  private readonly lower = new Map<string, string>();

  constructor(private readonly o: ValueObject) {
    for (const k of Object.keys(o)) this.add(k);
  }

  /** The first key of a spelling keeps its place. */
  private add(key: string): void {
    const lower = key.toLowerCase();
    if (!this.lower.has(lower)) this.lower.set(lower, key);
  }

  /** The key the object holds for `name`, or undefined. */
  keyOf(name: string): string | undefined {
    return Object.hasOwn(this.o, name) ? name : this.lower.get(name.toLowerCase());
  }
}
