import { typeName, Unknown, type Value } from '../value.ts';
import { argError, type CallSite, deepEqual, define, defineLazy } from './registry.ts';

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

define('equals', 2, 2, (args) => deepEqual(args[0], args[1]));

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
