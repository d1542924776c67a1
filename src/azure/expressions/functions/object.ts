import { findUnknown, isObject, typeName, Unknown, type Value, type ValueObject } from '../value.ts';
import {
  argError,
  asArray,
  asObject,
  asString,
  type CallSite,
  copyObject,
  deepEqual,
  define,
  getProperty,
  setProp,
  valueError,
} from './registry.ts';
import { KeyIndex, ValueSet } from './value-set.ts';

define(
  'createObject',
  0,
  Number.POSITIVE_INFINITY,
  (args, site) => {
    if (args.length % 2 !== 0) throw argError(site, 'the arguments must come in key/value pairs.');
    const out: ValueObject = {};
    for (let i = 0; i < args.length; i += 2) {
      const key = args[i];
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string') {
        throw argError(site, `argument ${i + 1} is a key and must be a string, not '${typeName(key)}'.`);
      }
      setProp(out, key, args[i + 1]);
    }
    return out;
  },
  'none',
);

define('null', 0, 0, () => null);

define(
  'json',
  1,
  1,
  (args, site) => {
    const text = asString(args, 0, site);
    try {
      return JSON.parse(text) as Value;
    } catch (e) {
      throw valueError(site, `the value is not valid JSON: ${(e as Error).message}`);
    }
  },
  'shallow',
);

define('objectKeys', 1, 1, (args, site) => Object.keys(asObject(args, 0, site)), 'shallow');

// items() returns key/value pairs sorted by key, as ARM does.
define(
  'items',
  1,
  1,
  (args, site) => {
    const o = asObject(args, 0, site);
    return Object.keys(o)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => ({ key, value: o[key] }));
  },
  'shallow',
);

define(
  'shallowMerge',
  1,
  1,
  (args, site) => {
    const out: ValueObject = {};
    for (const [i, o] of asArray(args, 0, site).entries()) {
      if (o instanceof Unknown) return o;
      if (o === null) continue;
      if (!isObject(o)) throw argError(site, `element ${i} is of type '${typeName(o)}', not an object.`);
      for (const k of Object.keys(o)) setProp(out, k, o[k]);
    }
    return out;
  },
  'shallow',
);

// tryGet(value, key or index, ...): null instead of an error when any step is missing.
define(
  'tryGet',
  2,
  Number.POSITIVE_INFINITY,
  (args, site) => {
    let cur: Value = args[0];
    for (let i = 1; i < args.length; i++) {
      const key = args[i];
      if (key instanceof Unknown) return key;
      if (cur instanceof Unknown) return cur;
      if (cur === null) return null;
      if (Array.isArray(cur)) {
        if (typeof key !== 'number')
          throw argError(site, `argument ${i + 1} must be an integer to index an array.`);
        cur = key >= 0 && key < cur.length ? cur[key] : null;
      } else if (isObject(cur)) {
        if (typeof key !== 'string')
          throw argError(site, `argument ${i + 1} must be a string to read a property.`);
        cur = getProperty(cur, key) ?? null;
      } else {
        throw argError(site, `a value of type '${typeName(cur)}' has no properties or elements.`);
      }
    }
    return cur;
  },
  'none',
);

/** Deep merge for union(): nested objects merge recursively, anything else is replaced by the later value. */
function mergeObjects(a: ValueObject, b: ValueObject): ValueObject {
  const out = copyObject(a);
  // Keys of `out` by lower case: a lookup, not a scan of every key per key of `b`.
  const keys = new Map<string, string>();
  for (const x of Object.keys(out)) if (!keys.has(x.toLowerCase())) keys.set(x.toLowerCase(), x);
  for (const k of Object.keys(b)) {
    const existingKey = keys.get(k.toLowerCase());
    const prev = existingKey === undefined ? undefined : out[existingKey];
    const next = b[k];
    if (existingKey !== undefined) delete out[existingKey];
    else keys.set(k.toLowerCase(), k);
    setProp(out, existingKey ?? k, isObject(prev) && isObject(next) ? mergeObjects(prev, next) : next);
  }
  return out;
}

function sameKinds(args: Value[], site: CallSite): 'array' | 'object' {
  const kind = Array.isArray(args[0]) ? 'array' : isObject(args[0]) ? 'object' : undefined;
  if (!kind) throw argError(site, `the arguments must be arrays or objects, not '${typeName(args[0])}'.`);
  args.forEach((a, i) => {
    const ok = kind === 'array' ? Array.isArray(a) : isObject(a);
    if (!ok)
      throw argError(site, `argument ${i + 1} is of type '${typeName(a)}' but the first is an ${kind}.`);
  });
  return kind;
}

// union keeps Unknown elements and values in place: only the argument itself must be known.
define(
  'union',
  1,
  Number.POSITIVE_INFINITY,
  (args, site) => {
    if (sameKinds(args, site) === 'array') {
      const out: Value[] = [];
      const seen = new ValueSet();
      for (const a of args as Value[][]) {
        for (const item of a) {
          if (findUnknown(item) || seen.add(item)) out.push(item);
        }
      }
      return out;
    }
    let out: ValueObject = {};
    for (const a of args as ValueObject[]) out = mergeObjects(out, a);
    return out;
  },
  'shallow',
);

define('intersection', 1, Number.POSITIVE_INFINITY, (args, site) => {
  if (sameKinds(args, site) === 'array') {
    const [first, ...rest] = args as Value[][];
    const out: Value[] = [];
    const seen = new ValueSet();
    const others = rest.map((r) => {
      const set = new ValueSet();
      for (const x of r) if (!findUnknown(x)) set.add(x);
      return set;
    });
    for (const item of first) {
      // An item with an Unknown equals nothing (deepEqual), as before.
      if (findUnknown(item) || !seen.add(item)) continue;
      if (others.every((set) => set.has(item))) out.push(item);
    }
    return out;
  }
  const [first, ...rest] = args as ValueObject[];
  const out: ValueObject = {};
  const indexes = rest.map((r) => new KeyIndex(r));
  for (const k of Object.keys(first)) {
    const inAll = rest.every((r, i) => {
      const key = indexes[i]?.keyOf(k);
      return key !== undefined && deepEqual(r[key] as Value, first[k] as Value);
    });
    if (inAll) {
      setProp(out, k, first[k]);
    }
  }
  return out;
});
