import type { EvalContext } from '../context.ts';
import type { ExprNode } from '../parser.ts';
import { isObject, typeName, Unknown, type Value, type ValueObject } from '../value.ts';
import { argError, asBool, type CallSite, define, defineLazy, getProperty, setProp } from './registry.ts';

function boolArg(v: Value, i: number, site: CallSite): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v !== 'boolean') {
    throw argError(site, `argument ${i + 1} must be of type 'bool' but is of type '${typeName(v)}'.`);
  }
  return v;
}

/**
 * and/or short-circuit on the deciding value, and an Unknown operand only matters when no
 * other operand decides the result: `and(false, <unknown>)` is false, `or(<unknown>, true)` true.
 */
function logical(args: ExprNode[], site: CallSite, decisive: boolean): Value {
  let unknown: Unknown | undefined;
  for (let i = 0; i < args.length; i++) {
    const v = boolArg(site.evaluate(args[i], site.ctx), i, site);
    if (v === decisive) return decisive;
    if (v instanceof Unknown && !unknown) unknown = v;
  }
  return unknown ?? !decisive;
}

defineLazy('and', 2, Number.POSITIVE_INFINITY, (args, site) => logical(args, site, false));
defineLazy('or', 2, Number.POSITIVE_INFINITY, (args, site) => logical(args, site, true));

define('not', 1, 1, (args, site) => !asBool(args, 0, site), 'shallow');

define('true', 0, 0, () => true);
define('false', 0, 0, () => false);

define(
  'bool',
  1,
  1,
  (args, site) => {
    const v = args[0];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') {
      const lower = v.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw argError(site, `the string '${v}' can't be converted to a boolean.`);
    }
    throw argError(site, `a value of type '${typeName(v)}' can't be converted to a boolean.`);
  },
  'shallow',
);

/** Evaluates a branch whose selection is unknown; a branch that fails is as good as unknown. */
function tryBranch(node: ExprNode, site: CallSite, ctx: EvalContext): Value | undefined {
  try {
    return site.evaluate(node, ctx);
  } catch {
    return undefined;
  }
}

/**
 * What two branches have in common, for a condition only the deployment knows: equal parts as
 * they are, and each part where they differ (a value, a type, an array length, a key set) as
 * an Unknown. Every known part is then the same whichever branch ARM takes.
 */
function common(a: Value, b: Value, cond: Unknown): Value {
  if (a === b) return a;
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.map((item, i) => common(item, b[i] as Value, cond));
  }
  if (isObject(a) && isObject(b) && Object.keys(a).length === Object.keys(b).length) {
    const out: ValueObject = {};
    for (const key of Object.keys(a)) {
      const other = getProperty(b, key);
      if (other === undefined) return cond;
      setProp(out, key, common(a[key] as Value, other, cond));
    }
    return out;
  }
  return cond;
}

// Lazy: ARM evaluates only the chosen branch, so the other may hold an expression that would fail.
defineLazy('if', 3, 3, (args, site) => {
  const cond = boolArg(site.evaluate(args[0], site.ctx), 0, site);
  if (cond instanceof Unknown) {
    const a = tryBranch(args[1], site, site.ctx);
    const b = tryBranch(args[2], site, site.ctx);
    return a !== undefined && b !== undefined ? common(a, b, cond) : cond;
  }
  return site.evaluate(cond ? args[1] : args[2], site.ctx);
});
