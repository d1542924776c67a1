import type { ExpansionBudget } from './budget.ts';
import { type EvalContext, TemplateError } from './context.ts';
import {
  type CallSite,
  type FunctionDef,
  getProperty,
  lookupFunction,
  setProp,
} from './functions/registry.ts';
import { type ExprNode, isEscaped, isExpression, parseExpression } from './parser.ts';
import { findUnknown, isObject, typeName, Unknown, type Value, type ValueObject } from './value.ts';

/** Guards against runaway recursion (user functions calling each other, deep nesting). */
const MAX_DEPTH = 1000;
let depth = 0;

export function evaluateNode(node: ExprNode, ctx: EvalContext): Value {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'literal':
      return node.value;
    case 'call':
      return evaluateCall(node, ctx);
    case 'property':
      return accessProperty(evaluateNode(node.target, ctx), node.name);
    case 'index': {
      const target = evaluateNode(node.target, ctx);
      const index = evaluateNode(node.index, ctx);
      return accessIndex(target, index);
    }
  }
}

function evaluateCall(node: Extract<ExprNode, { kind: 'call' }>, ctx: EvalContext): Value {
  if (depth >= MAX_DEPTH) {
    throw new TemplateError('expression-depth', `The expression nests deeper than ${MAX_DEPTH} calls.`);
  }
  depth++;
  try {
    if (node.namespace !== undefined) return callUserFunction(node, ctx);
    const def = lookupFunction(node.name);
    if (!def) {
      throw new TemplateError('unknown-function', `The template function '${node.name}' is not valid.`);
    }
    const n = node.args.length;
    if (n < def.min || n > def.max) {
      const expected =
        def.min === def.max
          ? `${def.min}`
          : def.max === Number.POSITIVE_INFINITY
            ? `at least ${def.min}`
            : `between ${def.min} and ${def.max}`;
      throw new TemplateError(
        'function-arguments',
        `The template language function '${node.name}' must have ${expected} argument(s) but has ${n}.`,
      );
    }
    const site: CallSite = { name: node.name, ctx, evaluate: evaluateNode };
    const budget = ctx.budget;
    if (budget) return charged(budget, def, node.args, site);
    if (def.lazy) return def.lazy(node.args, site);
    return callEager(def, evaluateArgs(node.args, ctx), site);
  } finally {
    depth--;
  }
}

/** A built-in call under a budget: refused when it would outgrow it, and its result charged. */
function charged(
  budget: ExpansionBudget,
  def: FunctionDef,
  nodes: readonly ExprNode[],
  site: CallSite,
): Value {
  budget.step();
  let result: Value;
  if (def.lazy) result = def.lazy(nodes as ExprNode[], site);
  else {
    const args = evaluateArgs(nodes, site.ctx);
    budget.beforeCall(def.name, args);
    result = callEager(def, args, site);
  }
  budget.produced(result, '', site.name);
  return result;
}

/** An eager built-in: Unknown arguments answer for it as its policy says, else it runs. */
function callEager(def: FunctionDef, args: Value[], site: CallSite): Value {
  if (def.unknowns === 'deep') {
    for (const a of args) {
      const u = findUnknown(a);
      if (u) return u;
    }
  } else if (def.unknowns === 'shallow') {
    for (const a of args) if (a instanceof Unknown) return a;
  }
  return def.call!(args, site);
}

/** The arguments of a call, evaluated in order (a loop: no closure per call). */
function evaluateArgs(nodes: readonly ExprNode[], ctx: EvalContext): Value[] {
  const args: Value[] = [];
  for (let i = 0; i < nodes.length; i++) args.push(evaluateNode(nodes[i] as ExprNode, ctx));
  return args;
}

function callUserFunction(node: Extract<ExprNode, { kind: 'call' }>, ctx: EvalContext): Value {
  const key = `${node.namespace}.${node.name}`;
  const fn = ctx.userFunctions.get(key.toLowerCase());
  if (!fn) throw new TemplateError('unknown-function', `The template function '${key}' is not valid.`);
  if (node.args.length !== fn.parameters.length) {
    throw new TemplateError(
      'function-arguments',
      `The template function '${key}' expects ${fn.parameters.length} argument(s) but has ${node.args.length}.`,
    );
  }
  const args = evaluateArgs(node.args, ctx);
  return ctx.callUserFunction(fn, args);
}

function accessProperty(target: Value, name: string): Value {
  if (target instanceof Unknown) return target;
  if (isObject(target)) {
    const v = getProperty(target, name);
    if (v === undefined) {
      const keys = Object.keys(target);
      throw new TemplateError(
        'missing-property',
        `The language expression property '${name}' doesn't exist, available properties are '${keys.join(', ')}'.`,
      );
    }
    return v;
  }
  throw new TemplateError(
    'property-access',
    `The language expression property '${name}' can't be evaluated: the value is of type '${typeName(target)}', not an object.`,
  );
}

function accessIndex(target: Value, index: Value): Value {
  if (target instanceof Unknown) return target;
  if (index instanceof Unknown) return index;
  if (Array.isArray(target)) {
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TemplateError(
        'property-access',
        `The language expression can't index an array with a value of type '${typeName(index)}'.`,
      );
    }
    if (index < 0 || index >= target.length) {
      throw new TemplateError(
        'index-out-of-range',
        `The language expression property array index '${index}' is out of bounds (length ${target.length}).`,
      );
    }
    return target[index];
  }
  if (isObject(target) && typeof index === 'string') return accessProperty(target, index);
  throw new TemplateError(
    'property-access',
    `The language expression can't index a value of type '${typeName(target)}' with a value of type '${typeName(index)}'.`,
  );
}

/**
 * Evaluates a template string: an expression is evaluated, a `[[` escape loses its first
 * bracket, anything else is returned as is. Errors get the context's location.
 */
export function evaluateString(s: string, ctx: EvalContext): Value {
  if (isEscaped(s)) return s.slice(1);
  if (!isExpression(s)) return s;
  try {
    return evaluateNode(parseExpression(s), ctx);
  } catch (e) {
    if (e instanceof RangeError) {
      // The JavaScript stack ran out first (deep recursion through variables or user functions),
      // or a value was out of range for a built-in operation.
      if (e.message.includes('call stack')) {
        throw new TemplateError(
          'expression-depth',
          'The expression recurses too deeply to evaluate.',
          ctx.location,
        );
      }
      throw new TemplateError(
        'function-evaluation',
        `The expression can't be evaluated: ${e.message}`,
        ctx.location,
      );
    }
    if (e instanceof TemplateError && e.location === undefined) e.location = ctx.location;
    throw e;
  }
}

/** Deep walk of a JSON value, evaluating every string (and expression keys), returning new containers. */
export function evaluateValue(json: unknown, ctx: EvalContext): Value {
  if (typeof json === 'string') return evaluateString(json, ctx);
  if (json === null || typeof json === 'number' || typeof json === 'boolean') return json;
  if (json instanceof Unknown) return json;
  if (Array.isArray(json)) return json.map((item) => evaluateValue(item, ctx));
  if (typeof json === 'object') {
    const out: ValueObject = {};
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      let key = k;
      if (isExpression(k) || isEscaped(k)) {
        const evaluated = evaluateString(k, ctx);
        key = typeof evaluated === 'string' ? evaluated : String(evaluated);
      }
      setProp(out, key, evaluateValue(v, ctx));
    }
    return out;
  }
  // undefined and functions have no JSON meaning.
  return null;
}
