/**
 * The HCL expression evaluator for reading a Terraform configuration without a plan. It turns the
 * tree of `hcl/ast.ts` into values of `expressions/value.ts`: literals, templates with `%{if}` and
 * `%{for}`, operators, conditionals, `for` expressions, splats, indexes and function calls. Names
 * (`var.x`, `local.x`, `count.index`, a resource's attribute...) are resolved by a `Scope`, which
 * the configuration reader (config.ts) supplies.
 *
 * Unknown propagates: an operator, index, template or function that meets an `Unknown` yields
 * that same `Unknown` (its reason intact, so a sensitive value stays "(sensitive)"), except where
 * Terraform decides without it (`try`, `can`, `coalesce`, the branch a known condition skips).
 * A maps' keys iterate in lexical order, as Terraform's do; a set is an array of distinct values.
 */
import type { SourceLocation } from '../../../../core/model.ts';
import { isObject, isUnknown, Unknown, type Value, type ValueObject } from '../../../expressions/value.ts';
import {
  type Expression,
  type ForExpr,
  type HclRange,
  locationOf,
  type TemplatePart,
  type TraversalStep,
} from '../hcl/parser.ts';
import { callFunction } from './functions.ts';

/** An expression Terraform would reject: wrong type, missing key, unknown name. */
export class HclEvalError extends Error {
  readonly range: HclRange;
  constructor(message: string, range: HclRange) {
    super(message);
    this.name = 'HclEvalError';
    this.range = range;
  }
}

/** Resolves the names an expression starts with: `var`, `local`, `count`, a resource type... */
export interface Scope {
  /**
   * The value of root name `name` followed by `steps`; `used` is how many steps the reference
   * took (`var.x` takes 1, `azurerm_x.y` takes 1 after the type), the rest are applied as usual.
   */
  reference(name: string, steps: TraversalStep[], range: HclRange): { value: Value; used: number };
}

/**
 * The address of objects that stand for a resource instance (or a part of one): an attribute
 * the configuration does not set is computed by the provider, so reading it gives
 * Unknown("known after apply: <address>.<name>") rather than an error.
 */
const computedOwners = new WeakMap<object, string>();

/**
 * Marks `value` as (a block of) the resource instance at `address`. Only objects the instance
 * owns are marked (its values and its nested blocks), never an attribute's value, which may be
 * shared with a local or another resource.
 */
export function markComputed(value: ValueObject, address: string): void {
  computedOwners.set(value, address);
}

/** The name of a step given as `.name` or `["name"]`, else undefined. */
export function stepName(step: TraversalStep | undefined): string | undefined {
  if (!step) return undefined;
  if (step.type === 'GetAttr') return step.name;
  const key = step.key;
  if (key.type === 'Template' && key.parts.length === 1 && key.parts[0].type === 'TemplateLiteral') {
    return key.parts[0].value;
  }
  return undefined;
}

export function describeType(v: Value): string {
  if (v === null) return 'null';
  if (isUnknown(v)) return 'unknown';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** A value as a template shows it: numbers and bools as text; null and collections are errors. */
export function toText(v: Value, range: HclRange): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new HclEvalError(`a ${describeType(v)} cannot be used as a string`, range);
}

function toNumber(v: Value, range: HclRange): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new HclEvalError(`a number is required, got ${describeType(v)}`, range);
}

function toBool(v: Value, range: HclRange): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new HclEvalError(`a bool is required, got ${describeType(v)}`, range);
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  charge();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** The first Unknown among `values` (top level only), if any. */
function firstUnknown(...values: Value[]): Unknown | undefined {
  for (const v of values) if (isUnknown(v)) return v;
  return undefined;
}

/** Elements of a collection for `for` and `%{for}`: [key, value] pairs; maps by sorted key. */
function entriesOf(coll: Value, range: HclRange): [Value, Value][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) {
    return Object.keys(coll)
      .sort()
      .map((k) => [k, coll[k]]);
  }
  throw new HclEvalError(`a ${describeType(coll)} cannot be iterated`, range);
}

const MAX_DEPTH = 400;

/** Expression nodes one run may evaluate. */
export const DEFAULT_STEPS = 5_000_000;
export const BUDGET_MESSAGE = `evaluation stopped after ${DEFAULT_STEPS} steps`;

export interface EvaluationBudget {
  steps: number;
}

/** Longest string an expression may build (4 MiB, ARM's template size limit). */
export const MAX_TEXT = 4 * 1024 * 1024;

/** The budget of the evaluator whose function call or comparison is running. */
let active: EvaluationBudget | undefined;

/** Thrown by `charge` inside a function; the evaluator turns it into an error at the call. */
class OutOfSteps extends Error {}

/**
 * Charges `n` steps of work done inside a function call or comparison (per element compared,
 * encoded or flattened, per 16 characters built), so that values sharing their parts cannot make
 * one call run for ever.
 */
export function charge(n = 1): void {
  if (active !== undefined) {
    active.steps -= n;
    if (active.steps < 0) throw new OutOfSteps();
  }
}

/** Refuses a string longer than `MAX_TEXT`, before or after building it. */
export function checkText(length: number, range: HclRange): void {
  if (length > MAX_TEXT) throw new HclEvalError(`a string of more than ${MAX_TEXT} characters`, range);
  charge(length >> 4);
}

export class Evaluator {
  private readonly bindings: Map<string, Value>[] = [];
  private depth = 0;
  /**
   * @param budget steps left, shared by every evaluator of one run: each expression node evaluated
   * is one step, so nested `for` expressions over large ranges stop with an error, not the memory.
   */
  constructor(
    private readonly scope: Scope,
    private readonly budget: EvaluationBudget = { steps: DEFAULT_STEPS },
  ) {}

  evaluate(expr: Expression): Value {
    if (--this.budget.steps < 0) throw new HclEvalError(BUDGET_MESSAGE, expr.range);
    if (this.depth >= MAX_DEPTH) throw new HclEvalError('expression nested too deeply', expr.range);
    this.depth++;
    try {
      return this.eval(expr);
    } finally {
      this.depth--;
    }
  }

  /** Evaluates `expr` with `names` bound (for expressions, dynamic-block iterators). */
  withBindings<T>(names: Map<string, Value>, run: () => T): T {
    this.bindings.push(names);
    try {
      return run();
    } finally {
      this.bindings.pop();
    }
  }

  private lookupBinding(name: string): Value | undefined {
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const frame = this.bindings[i];
      if (frame.has(name)) return frame.get(name);
    }
    return undefined;
  }

  private eval(expr: Expression): Value {
    switch (expr.type) {
      case 'Literal':
        return expr.value;
      case 'Parens':
        return this.evaluate(expr.expression);
      case 'Template':
        return this.template(expr.parts);
      case 'Variable':
        return this.traverse(expr.name, [], expr.range);
      case 'Traversal':
        if (expr.source.type === 'Variable') return this.traverse(expr.source.name, expr.steps, expr.range);
        return this.applySteps(this.evaluate(expr.source), expr.steps);
      case 'Splat':
        return this.splat(this.evaluate(expr.source), expr.full, expr.each);
      case 'FunctionCall':
        return this.call(expr.name, expr.args, expr.expandFinal, expr.range);
      case 'Tuple':
        return expr.items.map((item) => this.evaluate(item));
      case 'Object': {
        const out: ValueObject = {};
        for (const item of expr.items) {
          const key = item.key.type === 'Variable' ? item.key.name : this.evaluate(item.key);
          if (isUnknown(key)) return key;
          out[toText(key, item.key.range)] = this.evaluate(item.value);
        }
        return out;
      }
      case 'For':
        return this.forExpr(expr);
      case 'Unary': {
        const v = this.evaluate(expr.operand);
        if (isUnknown(v)) return v;
        return expr.operator === '!' ? !toBool(v, expr.range) : -toNumber(v, expr.range);
      }
      case 'Binary':
        return this.binary(expr.operator, expr.left, expr.right, expr.range);
      case 'Conditional': {
        const c = this.evaluate(expr.condition);
        if (isUnknown(c)) return c;
        return toBool(c, expr.condition.range)
          ? this.evaluate(expr.trueResult)
          : this.evaluate(expr.falseResult);
      }
    }
  }

  private traverse(name: string, steps: TraversalStep[], range: HclRange): Value {
    const bound = this.lookupBinding(name);
    if (bound !== undefined || this.bindings.some((f) => f.has(name))) {
      return this.applySteps(bound ?? null, steps);
    }
    const { value, used } = this.scope.reference(name, steps, range);
    return this.applySteps(value, steps.slice(used));
  }

  /** Applies `.name` and `[key]` steps in order; an Unknown stops the walk and is the result. */
  applySteps(start: Value, steps: TraversalStep[]): Value {
    let value = start;
    for (const step of steps) {
      if (isUnknown(value)) return value;
      if (step.type === 'GetAttr') value = getAttr(value, step.name, step.range);
      else {
        const key = this.evaluate(step.key);
        if (isUnknown(key)) return key;
        value = index(value, key, step.range);
      }
    }
    return value;
  }

  private splat(source: Value, full: boolean, each: TraversalStep[]): Value {
    if (isUnknown(source)) return source;
    if (source === null) return [];
    const items = Array.isArray(source) ? source : [source];
    const steps = full ? each : each.filter((s) => s.type === 'GetAttr');
    return items.map((item) => this.applySteps(item, steps));
  }

  private template(parts: TemplatePart[]): Value {
    if (parts.length === 1 && parts[0].type === 'TemplateInterpolation')
      return this.evaluate(parts[0].expression);
    return this.joinParts(parts);
  }

  private templatePart(part: TemplatePart): string | Unknown {
    switch (part.type) {
      case 'TemplateLiteral':
        return part.value;
      case 'TemplateInterpolation': {
        const v = this.evaluate(part.expression);
        return isUnknown(v) ? v : toText(v, part.expression.range);
      }
      case 'TemplateIf': {
        const c = this.evaluate(part.condition);
        if (isUnknown(c)) return c;
        const chosen = toBool(c, part.condition.range) ? part.thenParts : (part.elseParts ?? []);
        return this.joinParts(chosen);
      }
      case 'TemplateFor': {
        const coll = this.evaluate(part.collection);
        if (isUnknown(coll)) return coll;
        let out = '';
        for (const [k, v] of entriesOf(coll, part.collection.range)) {
          const frame = new Map<string, Value>([[part.valueVar, v]]);
          if (part.keyVar) frame.set(part.keyVar, k);
          const text = this.withBindings(frame, () => this.joinParts(part.parts));
          if (isUnknown(text)) return text;
          out += text;
        }
        return out;
      }
    }
  }

  private joinParts(parts: TemplatePart[]): string | Unknown {
    let out = '';
    for (const p of parts) {
      const v = this.templatePart(p);
      if (isUnknown(v)) return v;
      checkText(out.length + v.length, p.range);
      out += v;
    }
    return out;
  }

  private forExpr(expr: ForExpr): Value {
    const coll = this.evaluate(expr.collection);
    if (isUnknown(coll)) return coll;
    const tuple: Value[] = [];
    const object: ValueObject = {};
    const groups = new Map<string, Value[]>();
    for (const [k, v] of entriesOf(coll, expr.collection.range)) {
      const frame = new Map<string, Value>([[expr.valueVar, v]]);
      if (expr.keyVar) frame.set(expr.keyVar, k);
      const result = this.withBindings(frame, (): Value | undefined => {
        if (expr.condition) {
          const c = this.evaluate(expr.condition);
          if (isUnknown(c)) return c;
          if (!toBool(c, expr.condition.range)) return undefined;
        }
        if (expr.kind === 'tuple') {
          tuple.push(this.evaluate(expr.value));
          return undefined;
        }
        const key = this.evaluate(expr.key as Expression);
        if (isUnknown(key)) return key;
        const name = toText(key, (expr.key as Expression).range);
        const value = this.evaluate(expr.value);
        if (expr.grouping) {
          const group = groups.get(name) ?? [];
          group.push(value);
          groups.set(name, group);
        } else if (Object.hasOwn(object, name)) {
          throw new HclEvalError(
            `duplicate key "${name}" in a for expression (use ... to group)`,
            expr.range,
          );
        } else object[name] = value;
        return undefined;
      });
      if (result !== undefined) return result;
    }
    if (expr.kind === 'tuple') return tuple;
    for (const [name, group] of groups) object[name] = group;
    return object;
  }

  private binary(op: string, leftExpr: Expression, rightExpr: Expression, range: HclRange): Value {
    const left = this.evaluate(leftExpr);
    // `false && x` and `true || x` are decided without x; an unknown side decides nothing else.
    if (op === '&&' || op === '||') {
      if (!isUnknown(left) && toBool(left, leftExpr.range) === (op === '||')) return op === '||';
      const right = this.evaluate(rightExpr);
      const u = firstUnknown(left, right);
      if (u) {
        if (!isUnknown(right) && toBool(right, rightExpr.range) === (op === '||')) return op === '||';
        return u;
      }
      return toBool(right, rightExpr.range);
    }
    const right = this.evaluate(rightExpr);
    const u = firstUnknown(left, right);
    if (u) return u;
    switch (op) {
      case '==':
        return this.metered(range, () => deepEqual(left, right));
      case '!=':
        return !this.metered(range, () => deepEqual(left, right));
    }
    const a = toNumber(left, leftExpr.range);
    const b = toNumber(right, rightExpr.range);
    switch (op) {
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '<=':
        return a <= b;
      case '>=':
        return a >= b;
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new HclEvalError('division by zero', range);
        return a / b;
      default:
        if (b === 0) throw new HclEvalError('modulo by zero', range);
        return a % b;
    }
  }

  private call(name: string, args: Expression[], expandFinal: boolean, range: HclRange): Value {
    if (name === 'try') {
      for (const arg of args) {
        try {
          return this.evaluate(arg);
        } catch (err) {
          if (!(err instanceof HclEvalError)) throw err;
        }
      }
      throw new HclEvalError('no argument of try() could be evaluated', range);
    }
    if (name === 'can') {
      if (args.length !== 1) throw new HclEvalError('can() takes one argument', range);
      try {
        const v = this.evaluate(args[0]);
        return isUnknown(v) ? v : true;
      } catch (err) {
        if (!(err instanceof HclEvalError)) throw err;
        return false;
      }
    }
    const values = args.map((a) => this.evaluate(a));
    if (expandFinal && values.length > 0) {
      const last = values.pop() as Value;
      if (isUnknown(last)) return last;
      if (!Array.isArray(last))
        throw new HclEvalError(`the argument expanded with ... must be a list`, range);
      values.push(...last);
    }
    return this.metered(range, () => {
      const result = callFunction(name, values, range);
      if (typeof result === 'string') checkText(result.length, range);
      return result;
    });
  }

  /** Runs a function call or comparison with this evaluator's budget charged for its work. */
  private metered<T>(range: HclRange, fn: () => T): T {
    const saved = active;
    active = this.budget;
    try {
      return fn();
    } catch (err) {
      if (err instanceof OutOfSteps) throw new HclEvalError(BUDGET_MESSAGE, range);
      throw err;
    } finally {
      active = saved;
    }
  }
}

export function getAttr(value: Value, name: string, range: HclRange): Value {
  if (isUnknown(value)) return value;
  if (isObject(value)) {
    if (Object.hasOwn(value, name)) return value[name];
    const owner = computedOwners.get(value);
    if (owner !== undefined) return new Unknown(`known after apply: ${owner}.${name}`, locationOf({ range }));
    throw new HclEvalError(`this object has no attribute "${name}"`, range);
  }
  throw new HclEvalError(`a ${describeType(value)} has no attribute "${name}"`, range);
}

export function index(value: Value, key: Value, range: HclRange): Value {
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) {
    const i = toNumber(key, range);
    if (!Number.isInteger(i) || i < 0 || i >= value.length) {
      throw new HclEvalError(`index ${i} is out of range for a list of ${value.length}`, range);
    }
    return value[i];
  }
  if (isObject(value)) {
    const k = toText(key, range);
    if (Object.hasOwn(value, k)) return value[k];
    const owner = computedOwners.get(value);
    if (owner !== undefined) return new Unknown(`known after apply: ${owner}["${k}"]`, locationOf({ range }));
    throw new HclEvalError(`the map has no key "${k}"`, range);
  }
  throw new HclEvalError(`a ${describeType(value)} cannot be indexed`, range);
}

export function unknownAt(reason: string, range: HclRange): Unknown {
  const at: SourceLocation = locationOf({ range });
  return new Unknown(reason, at);
}
