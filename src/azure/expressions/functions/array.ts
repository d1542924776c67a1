import { findUnknown, isObject, typeName, Unknown, type Value } from '../value.ts';
import {
  argError,
  asArray,
  asInt,
  asString,
  type CallSite,
  deepEqual,
  define,
  getProperty,
  valueError,
} from './registry.ts';

/** Text of a primitive as ARM's string concatenation renders it (.NET booleans are `True`/`False`). */
export function primitiveText(v: Value, site: CallSite, i: number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return '';
  throw argError(site, `argument ${i + 1} of type '${typeName(v)}' can't be concatenated with strings.`);
}

// concat: arrays with arrays, otherwise strings. Unknown elements inside arrays stay in place.
define(
  'concat',
  1,
  Number.POSITIVE_INFINITY,
  (args, site) => {
    if (Array.isArray(args[0])) {
      const out: Value[] = [];
      args.forEach((a, i) => {
        if (a === null) return;
        if (!Array.isArray(a)) {
          throw argError(
            site,
            `argument ${i + 1} is of type '${typeName(a)}'; arrays concatenate only with arrays.`,
          );
        }
        for (const item of a) out.push(item);
      });
      return out;
    }
    let s = '';
    args.forEach((a, i) => {
      if (Array.isArray(a)) {
        throw argError(site, `argument ${i + 1} is an array; strings concatenate only with strings.`);
      }
      s += primitiveText(a, site, i);
    });
    return s;
  },
  'shallow',
);

/** Does `item` occur in `arr` (deep equality)? Unknown when an unknown element could be it. */
function arrayHas(arr: Value[], item: Value): boolean | Unknown {
  let unknown: Unknown | undefined;
  for (const el of arr) {
    const u = findUnknown(el);
    if (u) {
      unknown ??= u;
      continue;
    }
    if (deepEqual(el, item)) return true;
  }
  return unknown ?? false;
}

define(
  'contains',
  2,
  2,
  (args, site) => {
    const [container, item] = args;
    if (container instanceof Unknown) return container;
    const u = findUnknown(item);
    if (u) return u;
    if (typeof container === 'string') {
      if (typeof item !== 'string' && typeof item !== 'number') {
        throw argError(site, `the second argument must be a string when the first is a string.`);
      }
      return container.includes(String(item));
    }
    if (Array.isArray(container)) return arrayHas(container, item);
    if (isObject(container)) {
      if (typeof item !== 'string') throw argError(site, 'the second argument must be a string key.');
      return getProperty(container, item) !== undefined;
    }
    throw argError(
      site,
      `the first argument must be an array, object or string, not '${typeName(container)}'.`,
    );
  },
  'none',
);

define(
  'empty',
  1,
  1,
  (args, site) => {
    const v = args[0];
    if (v === null) return true;
    if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    throw argError(site, `the argument must be an array, object, string or null, not '${typeName(v)}'.`);
  },
  'shallow',
);

define(
  'length',
  1,
  1,
  (args, site) => {
    const v = args[0];
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw argError(site, `the argument must be an array, object or string, not '${typeName(v)}'.`);
  },
  'shallow',
);

define(
  'first',
  1,
  1,
  (args, site) => {
    const v = args[0];
    if (typeof v === 'string') return v.length > 0 ? v[0] : '';
    if (Array.isArray(v)) return v.length > 0 ? v[0] : null;
    throw argError(site, `the argument must be an array or string, not '${typeName(v)}'.`);
  },
  'shallow',
);

define(
  'last',
  1,
  1,
  (args, site) => {
    const v = args[0];
    if (typeof v === 'string') return v.length > 0 ? v[v.length - 1] : '';
    if (Array.isArray(v)) return v.length > 0 ? v[v.length - 1] : null;
    throw argError(site, `the argument must be an array or string, not '${typeName(v)}'.`);
  },
  'shallow',
);

/** Position of `item` in `arr`, scanning in `order`; Unknown when an unknown element comes first. */
function arrayIndex(arr: Value[], item: Value, fromEnd: boolean): number | Unknown {
  for (let k = 0; k < arr.length; k++) {
    const i = fromEnd ? arr.length - 1 - k : k;
    const u = findUnknown(arr[i]);
    if (u) return u;
    if (deepEqual(arr[i], item)) return i;
  }
  return -1;
}

function indexFn(fromEnd: boolean) {
  return (args: Value[], site: CallSite): Value => {
    const [container, item] = args;
    if (container instanceof Unknown) return container;
    const u = findUnknown(item);
    if (u) return u;
    if (typeof container === 'string') {
      // ARM compares strings case-insensitively here.
      const needle = asString(args, 1, site).toLowerCase();
      const hay = container.toLowerCase();
      if (fromEnd) return needle === '' ? Math.max(0, hay.length - 1) : hay.lastIndexOf(needle);
      return hay.indexOf(needle);
    }
    if (Array.isArray(container)) return arrayIndex(container, item, fromEnd);
    throw argError(site, `the first argument must be an array or string, not '${typeName(container)}'.`);
  };
}

define('indexOf', 2, 2, indexFn(false), 'none');
define('lastIndexOf', 2, 2, indexFn(true), 'none');

function sliceFn(take: boolean) {
  return (args: Value[], site: CallSite): Value => {
    const v = args[0];
    const n = Math.max(0, asInt(args, 1, site));
    if (typeof v === 'string' || Array.isArray(v)) return take ? v.slice(0, n) : v.slice(n);
    throw argError(site, `the first argument must be an array or string, not '${typeName(v)}'.`);
  };
}

define('skip', 2, 2, sliceFn(false), 'shallow');
define('take', 2, 2, sliceFn(true), 'shallow');

define('array', 1, 1, (args) => (Array.isArray(args[0]) ? args[0] : [args[0]]), 'shallow');

define('createArray', 0, Number.POSITIVE_INFINITY, (args) => [...args], 'none');

define(
  'flatten',
  1,
  1,
  (args, site) => {
    const out: Value[] = [];
    for (const [i, el] of asArray(args, 0, site).entries()) {
      if (el instanceof Unknown) return el;
      if (!Array.isArray(el))
        throw argError(site, `element ${i} is of type '${typeName(el)}', not an array.`);
      for (const x of el) out.push(x);
    }
    return out;
  },
  'shallow',
);

define('range', 2, 2, (args, site) => {
  const start = asInt(args, 0, site);
  const count = asInt(args, 1, site);
  if (count < 0 || count > 10_000) throw valueError(site, `the count ${count} must be between 0 and 10000.`);
  if (start + count > 2_147_483_647) throw valueError(site, 'the sum of start and count exceeds 2147483647.');
  const out: Value[] = [];
  for (let i = 0; i < count; i++) out.push(start + i);
  return out;
});

// 1-based index from the end: indexFromEnd(arr, 1) is the last element.
define(
  'indexFromEnd',
  2,
  2,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const i = asInt(args, 1, site);
    if (i < 1 || i > arr.length)
      throw valueError(site, `the index ${i} is out of range for length ${arr.length}.`);
    return arr[arr.length - i];
  },
  'shallow',
);

define(
  'tryIndexFromEnd',
  2,
  2,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const i = asInt(args, 1, site);
    return i < 1 || i > arr.length ? null : arr[arr.length - i];
  },
  'shallow',
);
