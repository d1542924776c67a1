import type { EvalContext } from '../context.ts';
import { TemplateError } from '../context.ts';
import { type LambdaValue, typeName, Unknown, type Value, type ValueObject } from '../value.ts';
import {
  argError,
  asArray,
  asLambda,
  asObject,
  asString,
  type CallSite,
  define,
  defineLazy,
  setProp,
} from './registry.ts';

/** A child context that sees the parent's everything plus the lambda's bound variables. */
function withVariables(ctx: EvalContext, names: string[], values: Value[]): EvalContext {
  const child = Object.create(ctx) as EvalContext;
  const vars = new Map(ctx.lambdaVariables);
  names.forEach((n, i) => {
    vars.set(n, values[i] ?? null);
  });
  child.lambdaVariables = vars;
  return child;
}

// lambda('a', 'b', body): the parameter names are evaluated now, the body at each invocation.
defineLazy('lambda', 1, Number.POSITIVE_INFINITY, (args, site) => {
  const body = args[args.length - 1];
  const params = args.slice(0, -1).map((node, i) => {
    const v = site.evaluate(node, site.ctx);
    if (typeof v !== 'string')
      throw argError(site, `parameter name ${i + 1} must be a string, not '${typeName(v)}'.`);
    return v;
  });
  const ctx = site.ctx;
  const lambda: LambdaValue = {
    $lambda: true,
    params,
    invoke: (values: Value[]) => site.evaluate(body, withVariables(ctx, params, values)),
  };
  return lambda;
});

define(
  'lambdaVariables',
  1,
  1,
  (args, site) => {
    const name = asString(args, 0, site);
    const v = site.ctx.lambdaVariables.get(name);
    if (v === undefined) {
      throw new TemplateError(
        'unknown-lambda-variable',
        `The lambda variable '${name}' is not defined here.`,
      );
    }
    return v;
  },
  'shallow',
);

/** Checks the lambda's arity against what the function passes. */
function lambdaArg(args: Value[], i: number, site: CallSite, min: number, max: number): LambdaValue {
  const fn = asLambda(args, i, site);
  if (fn.params.length < min || fn.params.length > max) {
    const expected = min === max ? `${min}` : `${min} or ${max}`;
    throw argError(site, `the lambda must take ${expected} parameter(s) but takes ${fn.params.length}.`);
  }
  return fn;
}

define(
  'filter',
  2,
  2,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const fn = lambdaArg(args, 1, site, 1, 2);
    const out: Value[] = [];
    for (let i = 0; i < arr.length; i++) {
      const keep = fn.invoke([arr[i], i]);
      if (keep instanceof Unknown) return keep;
      if (typeof keep !== 'boolean')
        throw argError(site, `the lambda must return a bool, not '${typeName(keep)}'.`);
      if (keep) out.push(arr[i]);
    }
    return out;
  },
  'shallow',
);

define(
  'map',
  2,
  2,
  (args, site) => {
    const fn = lambdaArg(args, 1, site, 1, 2);
    return asArray(args, 0, site).map((x, i) => fn.invoke([x, i]));
  },
  'shallow',
);

define(
  'reduce',
  3,
  3,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const fn = lambdaArg(args, 2, site, 2, 3);
    let acc = args[1];
    for (let i = 0; i < arr.length; i++) acc = fn.invoke([acc, arr[i], i]);
    return acc;
  },
  'shallow',
);

/** Thrown out of Array.prototype.sort when the comparison is unknown. */
class UnknownOrder {
  constructor(readonly unknown: Unknown) {}
}

define(
  'sort',
  2,
  2,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const fn = lambdaArg(args, 1, site, 2, 2);
    const before = (a: Value, b: Value): boolean => {
      const r = fn.invoke([a, b]);
      if (r instanceof Unknown) throw new UnknownOrder(r);
      if (typeof r !== 'boolean')
        throw argError(site, `the lambda must return a bool, not '${typeName(r)}'.`);
      return r;
    };
    try {
      return [...arr].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    } catch (e) {
      if (e instanceof UnknownOrder) return e.unknown;
      throw e;
    }
  },
  'shallow',
);

define(
  'toObject',
  2,
  3,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const keyFn = lambdaArg(args, 1, site, 1, 1);
    const valueFn = args.length > 2 ? lambdaArg(args, 2, site, 1, 1) : undefined;
    const out: ValueObject = {};
    for (const item of arr) {
      const key = keyFn.invoke([item]);
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string')
        throw argError(site, `the key lambda must return a string, not '${typeName(key)}'.`);
      setProp(out, key, valueFn ? valueFn.invoke([item]) : item);
    }
    return out;
  },
  'shallow',
);

define(
  'mapValues',
  2,
  2,
  (args, site) => {
    const o = asObject(args, 0, site);
    const fn = lambdaArg(args, 1, site, 1, 1);
    const out: ValueObject = {};
    for (const k of Object.keys(o)) setProp(out, k, fn.invoke([o[k]]));
    return out;
  },
  'shallow',
);

define(
  'groupBy',
  2,
  2,
  (args, site) => {
    const arr = asArray(args, 0, site);
    const fn = lambdaArg(args, 1, site, 1, 1);
    const out: ValueObject = {};
    for (const item of arr) {
      const key = fn.invoke([item]);
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string')
        throw argError(site, `the key lambda must return a string, not '${typeName(key)}'.`);
      const group = out[key];
      if (Array.isArray(group)) group.push(item);
      else setProp(out, key, [item]);
    }
    return out;
  },
  'shallow',
);
