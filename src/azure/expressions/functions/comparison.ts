import { isObject, typeName, Unknown, type Value } from '../value.ts';
import { argError, type CallSite, deepEqual, define, defineLazy, getProperty } from './registry.ts';

// First non-null argument; evaluation stops there. An Unknown before it makes the result Unknown,
// since it may or may not be null at deployment.
defineLazy('coalesce', 1, Number.POSITIVE_INFINITY, (args, site) => {
  for (const node of args) {
    const v = site.evaluate(node, site.ctx);
    if (v instanceof Unknown) return v;
    if (v !== null) return v;
  }
  return null;
});

/**
 * Deep equality that is decided wherever the known parts decide it: arrays of different lengths,
 * objects with different keys, values of different types or one differing known element are
 * unequal whatever the Unknowns inside hold. Only when every known part is equal is it Unknown.
 */
function equalsOrUnknown(a: Value, b: Value): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  let unknown: Unknown | undefined;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = equalsOrUnknown(a[i] as Value, b[i] as Value);
      if (same === false) return false;
      if (same instanceof Unknown) unknown ??= same;
    }
    return unknown ?? true;
  }
  if (isObject(a)) {
    if (!isObject(b) || Object.keys(a).length !== Object.keys(b).length) return false;
    for (const key of Object.keys(a)) {
      const other = getProperty(b, key);
      if (other === undefined) return false;
      const same = equalsOrUnknown(a[key] as Value, other);
      if (same === false) return false;
      if (same instanceof Unknown) unknown ??= same;
    }
    return unknown ?? true;
  }
  return deepEqual(a, b);
}

define('equals', 2, 2, (args) => equalsOrUnknown(args[0] as Value, args[1] as Value), 'none');

// .NET's culture-aware comparison, which ARM uses for strings: case differences rank after letters.
const collator = new Intl.Collator('en-US', { sensitivity: 'variant' });

function compare(args: Value[], site: CallSite): number {
  const [a, b] = args;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(collator.compare(a, b));
  throw argError(
    site,
    `the arguments must both be integers or both be strings but are of types '${typeName(a)}' and '${typeName(b)}'.`,
  );
}

define('greater', 2, 2, (args, site) => compare(args, site) > 0);
define('greaterOrEquals', 2, 2, (args, site) => compare(args, site) >= 0);
define('less', 2, 2, (args, site) => compare(args, site) < 0);
define('lessOrEquals', 2, 2, (args, site) => compare(args, site) <= 0);
