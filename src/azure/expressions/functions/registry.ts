import { type EvalContext, TemplateError } from '../context.ts';
import { liveRest } from '../live.ts';
import type { ExprNode } from '../parser.ts';
import {
  isLambda,
  isObject,
  type LambdaValue,
  typeName,
  Unknown,
  type Value,
  type ValueObject,
} from '../value.ts';

/**
 * How a function treats Unknown arguments before it runs:
 * - `deep`: any Unknown anywhere in any argument makes the result that Unknown (the function reads it all);
 * - `shallow`: only a top-level Unknown argument does (the function copies containers without reading them);
 * - `none`: the function handles Unknowns itself.
 */
export type UnknownPolicy = 'deep' | 'shallow' | 'none';

/** What a function implementation gets besides its arguments. */
export interface CallSite {
  /** The function name as written in the template, for messages. */
  name: string;
  ctx: EvalContext;
  /** Evaluates a node, e.g. a lazy argument or a lambda body, in the given context. */
  evaluate(node: ExprNode, ctx: EvalContext): Value;
}

export interface FunctionDef {
  name: string;
  min: number;
  max: number;
  unknowns: UnknownPolicy;
  /** Eager functions get evaluated arguments. */
  call?: (args: Value[], site: CallSite) => Value;
  /** Lazy functions (if, and, or, coalesce, lambda) get the argument nodes and evaluate what they need. */
  lazy?: (args: ExprNode[], site: CallSite) => Value;
}

const registry = new Map<string, FunctionDef>();
/** Lookups by the name as written (no lower-casing per call); `null` for names that are not functions. */
const byWrittenName = new Map<string, FunctionDef | null>();

/** Registers an eager function; `unknowns` defaults to `deep`, the safe choice. */
export function define(
  name: string,
  min: number,
  max: number,
  call: (args: Value[], site: CallSite) => Value,
  unknowns: UnknownPolicy = 'deep',
): void {
  registry.set(name.toLowerCase(), { name, min, max, unknowns, call });
  byWrittenName.clear();
}

/** Registers a lazy function, which receives unevaluated argument nodes. */
export function defineLazy(
  name: string,
  min: number,
  max: number,
  lazy: (args: ExprNode[], site: CallSite) => Value,
): void {
  registry.set(name.toLowerCase(), { name, min, max, unknowns: 'none', lazy });
  byWrittenName.clear();
}

/** Finds a built-in function; any unregistered name starting with `list` is a `list*` resource function. */
export function lookupFunction(name: string): FunctionDef | undefined {
  let def = byWrittenName.get(name);
  if (def === undefined) {
    const lower = name.toLowerCase();
    def = registry.get(lower) ?? (lower.startsWith('list') ? registry.get('list*') : undefined) ?? null;
    // Names come from templates: bounded, like the expression cache.
    if (byWrittenName.size >= 10_000) byWrittenName.clear();
    byWrittenName.set(name, def);
  }
  return def ?? undefined;
}

export function registeredNames(): string[] {
  return [...registry.values()].map((d) => d.name).sort((a, b) => a.localeCompare(b, 'en'));
}

/** A `function-arguments` error naming the function. */
export function argError(site: { name: string }, message: string): TemplateError {
  return new TemplateError(
    'function-arguments',
    `Unable to evaluate template language function '${site.name}': ${message}`,
  );
}

/** A generic evaluation error from a function (bad value rather than bad type). */
export function valueError(site: { name: string }, message: string): TemplateError {
  return new TemplateError(
    'function-evaluation',
    `Unable to evaluate template language function '${site.name}': ${message}`,
  );
}

function ordinal(i: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'][i] ?? `#${i + 1}`;
}

function typeError(site: CallSite, i: number, expected: string, v: Value): TemplateError {
  return argError(
    site,
    `the ${ordinal(i)} argument must be of type '${expected}' but is of type '${typeName(v)}'.`,
  );
}

export function asString(args: Value[], i: number, site: CallSite): string {
  const v = args[i];
  if (typeof v !== 'string') throw typeError(site, i, 'string', v);
  return v;
}

/** An integer argument; ARM also accepts integral numbers written as strings in a few places, not here. */
export function asInt(args: Value[], i: number, site: CallSite): number {
  const v = args[i];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(site, i, 'int', v);
  return v;
}

export function asNumber(args: Value[], i: number, site: CallSite): number {
  const v = args[i];
  if (typeof v !== 'number') throw typeError(site, i, 'int', v);
  return v;
}

export function asBool(args: Value[], i: number, site: CallSite): boolean {
  const v = args[i];
  if (typeof v !== 'boolean') throw typeError(site, i, 'bool', v);
  return v;
}

export function asArray(args: Value[], i: number, site: CallSite): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) throw typeError(site, i, 'array', v);
  return v;
}

export function asObject(args: Value[], i: number, site: CallSite): ValueObject {
  const v = args[i];
  if (!isObject(v)) throw typeError(site, i, 'object', v);
  return v;
}

export function asLambda(args: Value[], i: number, site: CallSite, params?: number): LambdaValue {
  const v = args[i];
  if (!isLambda(v)) throw typeError(site, i, 'lambda', v);
  if (params !== undefined && v.params.length !== params) {
    throw argError(site, `the lambda must take ${params} parameter(s) but takes ${v.params.length}.`);
  }
  return v;
}

/** The first Unknown among the top level of the arguments. */
export function firstUnknown(args: Value[]): Unknown | undefined {
  for (const a of args) if (a instanceof Unknown) return a;
  return undefined;
}

/** ARM's deep equality: same type and same content; object keys compare case-insensitively. */
export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ak = Object.keys(a);
    const bk = Object.keys(b);
    if (ak.length !== bk.length) return false;
    for (const k of ak) {
      const other = getProperty(b, k);
      if (other === undefined || !deepEqual(a[k], other)) return false;
    }
    return true;
  }
  return false;
}

/** Property lookup as ARM does it: exact name first, then case-insensitively. */
export function getProperty(o: ValueObject, name: string): Value | undefined {
  if (Object.hasOwn(o, name)) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  // Part of a live object the template does not decide: unknown, not missing.
  const live = liveRest(o);
  return live === undefined ? undefined : new Unknown(`${live}: its '${name}' is known only at deployment`);
}

/** Sets a key on a plain object; `__proto__` from a template must stay data, not change the prototype. */
export function setProp(o: ValueObject, key: string, value: Value): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

/** A shallow copy of an object value. */
export function copyObject(o: ValueObject): ValueObject {
  const out: ValueObject = {};
  for (const k of Object.keys(o)) setProp(out, k, o[k]);
  return out;
}
