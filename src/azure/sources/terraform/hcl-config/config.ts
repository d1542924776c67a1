/**
 * Reads a Terraform configuration folder without a plan: the Terraform counterpart of ARM
 * expansion (issue 14, item 3). Every `.tf` file of the folder (not its subfolders) is parsed;
 * variables take their values in Terraform's precedence order, locals, resources, data sources
 * and local modules are evaluated, and each resource instance becomes a `TerraformInstance` for
 * the provider mapping. What only `terraform plan` could know stays `Unknown` with its reason;
 * docs/terraform-hcl.md lists what is evaluated and what is not.
 *
 * Loops: `count` and `for_each` give one instance per element (`x.y[0]`, `x.y["key"]`). A loop
 * whose count or collection is unknown gives no instance at all, and a note naming the
 * resource: as with ARM copy loops (docs/azure-model.md), no phantom instance of a loop that may
 * run zero times is assessed.
 *
 * Errors: a file that does not parse is one `InputError` (file, line, column) and the other
 * files are still read; an expression Terraform would reject is an `InputError` at its line and
 * the attribute is Unknown; a cycle among locals, resources or modules is one error naming them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { InputError, InputNote, SourceLocation } from '../../../../core/model.ts';
import { isObject, isUnknown, Unknown, type Value, type ValueObject } from '../../../expressions/value.ts';
import { withoutIndexes } from '../config.ts';
import {
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type HclRange,
  HclSyntaxError,
  locationOf,
  parseHcl,
  type TraversalStep,
} from '../hcl/parser.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  BUDGET_MESSAGE,
  DEFAULT_STEPS,
  type EvaluationBudget,
  Evaluator,
  HclEvalError,
  markComputed,
  type Scope,
  stepName,
} from './evaluate.ts';
import { toSet } from './functions.ts';
import { parseTerraformJson } from './json-syntax.ts';

export interface TerraformConfigOptions {
  /** `-var-file` files, applied in order after `terraform.tfvars` and `*.auto.tfvars`. */
  varFiles?: string[];
  /**
   * `-var name=value` values, applied after every file. A value is taken as written for a
   * variable of type `string` or with no type; for another type it is read as an HCL expression.
   */
  vars?: Record<string, string>;
  /**
   * The environment to read `TF_VAR_<name>` values from (read as `-var` values are, below every
   * variable file). Not read unless given: `{ environment: process.env }` does what Terraform does.
   */
  environment?: Record<string, string | undefined>;
}

export interface TerraformConfigResult {
  instances: TerraformInstance[];
  errors: InputError[];
  notes: InputNote[];
}

/** Most instances one `count` or `for_each` may create. */
export const MAX_LOOP = 10_000;
/** Most instances one configuration may yield, modules and loops included. */
export const MAX_INSTANCES = 50_000;
/** Deepest chain of locals and resources evaluated on demand, one waiting for the next. */
export const MAX_REFERENCE_DEPTH = 400;
/** Deepest chain of local module calls. */
export const MAX_MODULE_DEPTH = 16;

/** Arguments of a resource or module block that are Terraform's, not the provider's. */
const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider']);
const RESOURCE_META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);
/** How many labels each top-level block type takes. */
const LABELS: Record<string, number> = { variable: 1, locals: 0, resource: 2, data: 2, module: 1, output: 1 };
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);

/** Shared by a root and every module under it. */
interface Run {
  rootDir: string;
  errors: InputError[];
  notes: InputNote[];
  errorKeys: Set<string>;
  /** Expression steps left (evaluate.ts, `DEFAULT_STEPS`). */
  budget: EvaluationBudget;
  /** Instances made so far (for `MAX_INSTANCES`). */
  instanceCount: number;
  /** Locals and resources being evaluated, one inside the other (for `MAX_REFERENCE_DEPTH`). */
  depth: number;
}

interface VariableDecl {
  block: Block;
  name: string;
  sensitive: boolean;
  type?: string;
}

interface Decl {
  block: Block;
  mode: 'managed' | 'data';
  type: string;
  name: string;
}

/** One module call's instances: the value `module.x` reads and the instances under it. */
interface Evaluated {
  value: Value;
  instances: TerraformInstance[];
}

type State<T> = { state: 'pending' } | { state: 'done'; result: T };

/** The iteration of one instance: `count.index` or `each.key`/`each.value`. */
interface Iteration {
  suffix: string;
  count?: number;
  each?: { key: string; value: Value };
}

function addError(run: Run, error: InputError): void {
  const key = `${error.file}:${error.line}:${error.column}:${error.message}`;
  if (run.errorKeys.has(key)) return;
  run.errorKeys.add(key);
  run.errors.push(error);
}

function addNote(run: Run, note: InputNote): void {
  const key = `note:${note.file}:${note.line}:${note.message}`;
  if (run.errorKeys.has(key)) return;
  run.errorKeys.add(key);
  run.notes.push(note);
}

function evalError(run: Run, err: HclEvalError, code = 'hcl-eval'): void {
  addError(run, {
    file: err.range.file,
    line: err.range.start.line,
    column: err.range.start.column,
    code,
    message: err.message,
  });
}

function readText(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses one HCL file (or a `.tf.json` file); a syntax error is recorded and gives undefined. */
function parseFile(run: Run, file: string): Body | undefined {
  try {
    const text = readText(file);
    return file.endsWith('.tf.json') ? parseTerraformJson(text, file) : parseHcl(text, file).body;
  } catch (err) {
    if (err instanceof HclSyntaxError) {
      addError(run, {
        file: err.file,
        line: err.line,
        column: err.column,
        code: 'hcl-syntax',
        message: err.detail,
      });
      return undefined;
    }
    addError(run, { file, code: 'read', message: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

function attribute(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** An expression with nothing to resolve: a `type` constraint's keyword, a literal. */
function keyword(expr: Expression | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.type === 'Variable') return expr.name;
  if (expr.type === 'FunctionCall') return expr.name;
  return undefined;
}

/** A scope in which no name resolves: variable defaults and `.tfvars` values. */
const CONSTANT_SCOPE: Scope = {
  reference(name, _steps, range) {
    throw new HclEvalError(`"${name}" cannot be referenced here`, range);
  },
};

function literalValue(run: Run, expr: Expression): Value {
  try {
    return new Evaluator(CONSTANT_SCOPE, run.budget).evaluate(expr);
  } catch (err) {
    if (err instanceof HclEvalError) {
      evalError(run, err);
      return new Unknown(err.message, locationOf(expr));
    }
    throw err;
  }
}

/** A value of `-var` as Terraform reads it: text for a string variable, else an HCL expression. */
function commandLineValue(run: Run, text: string, type: string | undefined): Value {
  if (type === undefined || type === 'string') return text;
  try {
    const { body } = parseHcl(`v = ${text}\n`, '-var');
    const attr = body.attributes[0];
    return attr ? literalValue(run, attr.value) : text;
  } catch {
    return text;
  }
}

/** The `.tfvars` values of a file: attribute name to value. */
function tfvarsValues(run: Run, file: string): Map<string, Value> {
  const out = new Map<string, Value>();
  if (file.endsWith('.json')) {
    try {
      const parsed = JSON.parse(readText(file)) as unknown;
      if (isObject(parsed as Value))
        for (const [k, v] of Object.entries(parsed as ValueObject)) out.set(k, v);
    } catch (err) {
      addError(run, { file, code: 'tfvars-json', message: err instanceof Error ? err.message : String(err) });
    }
    return out;
  }
  const body = parseFile(run, file);
  if (!body) return out;
  for (const attr of body.attributes) out.set(attr.name, literalValue(run, attr.value));
  return out;
}

/** `[0]` or `["a"]` for an index step written as a constant; else empty. */
function constantIndex(step: TraversalStep | undefined): string {
  if (step?.type !== 'Index') return '';
  const key = step.key;
  if (key.type === 'Literal' && typeof key.value === 'number') return addressKey(key.value);
  const name = stepName(step);
  return name === undefined ? '' : addressKey(name);
}

function addressKey(key: string | number): string {
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** The iterations of a `count` or `for_each` value, or a reason there are none to assess. */
function iterations(
  meta: { count?: Attribute; forEach?: Attribute },
  value: Value,
): { items: Iteration[] } | { unknown: Unknown } | { error: string } {
  if (isUnknown(value)) return { unknown: value };
  if (meta.count) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return { error: `count must be a whole number, got ${JSON.stringify(value)}` };
    }
    if (value > MAX_LOOP) return { error: `count of ${value} is more than the ${MAX_LOOP} instances read` };
    return { items: Array.from({ length: value }, (_, i) => ({ suffix: addressKey(i), count: i })) };
  }
  let entries: [string, Value][];
  if (isObject(value)) entries = Object.keys(value).map((k) => [k, value[k]]);
  else if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string' || isUnknown(v))) {
      return { error: 'for_each needs a map or a set of strings (use toset())' };
    }
    const unknown = value.find(isUnknown);
    if (unknown) return { unknown };
    entries = (toSet(value) as string[]).map((k) => [k, k]);
  } else
    return {
      error: `for_each needs a map or a set of strings, got ${value === null ? 'null' : typeof value}`,
    };
  if (entries.length > MAX_LOOP)
    return { error: `for_each of ${entries.length} is more than the ${MAX_LOOP} instances read` };
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { items: entries.map(([key, v]) => ({ suffix: addressKey(key), each: { key, value: v } })) };
}

/** Where each attribute of an instance is set: path (`a.b`, `a.0.b`) to location. */
type LocationTable = Map<string, SourceLocation>;

/** What reading one instance's body collects besides its values. */
interface BodyContext {
  table: LocationTable;
  /** Each nested block's object and its path (`network_rules.0`). */
  blocks: [string, ValueObject][];
  /** Per top-level attribute or block type, the resources its expressions refer to (`TerraformInstance.references`). */
  references: Map<string, Set<string>>;
}

/** `a.0.b.1` as an address suffix: `a[0].b[1]`. */
function addressPath(path: string): string {
  return pathSegments(path)
    .map((s, i) => (isIndex(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

/** Normalises a path: `a[0].b`, `a.0.b` and `a["k"]` to dotted segments. */
function pathSegments(path: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '.' || c === '[' || c === ']') {
      if (current !== '') out.push(current);
      current = '';
    } else if (c !== '"') current += c;
  }
  if (current !== '') out.push(current);
  return out;
}

function isIndex(segment: string): boolean {
  return segment !== '' && [...segment].every((c) => c >= '0' && c <= '9');
}

function makeLocate(table: LocationTable, fallback: SourceLocation): (path: string) => SourceLocation {
  return (path) => {
    const segments = pathSegments(path);
    for (let n = segments.length; n > 0; n--) {
      const prefix = segments.slice(0, n);
      const exact = table.get(prefix.join('.'));
      if (exact) return exact;
      const loose = table.get(prefix.filter((s) => !isIndex(s)).join('.'));
      if (loose) return loose;
    }
    return fallback;
  };
}

/** A module: its folder, declarations and the evaluation of each on demand. */
class ModuleEval implements Scope {
  private readonly variables = new Map<string, VariableDecl>();
  private readonly variableValues = new Map<string, Value>();
  private readonly locals = new Map<string, Attribute>();
  private readonly localState = new Map<string, State<Value>>();
  private readonly localStack: string[] = [];
  private readonly resources = new Map<string, Decl>();
  private readonly resourceState = new Map<string, State<Evaluated>>();
  private readonly resourceStack: string[] = [];
  private readonly modules = new Map<string, Block>();
  private readonly moduleState = new Map<string, State<Evaluated>>();
  private readonly outputs = new Map<string, Attribute>();
  /** `required_providers`: local name to source (`hashicorp/azurerm`). */
  private readonly providerSources = new Map<string, string>();
  /** Declarations in file and source order: the order instances are listed in. */
  private readonly order: { kind: 'resource' | 'module'; key: string }[] = [];
  private iteration: Iteration | undefined;
  /** The references of the top-level attribute being evaluated, when one is. */
  private referenced: Set<string> | undefined;
  /** Dynamic-block iterators in scope, innermost last. */
  private frames: Map<string, Value>[] = [];

  constructor(
    private readonly run: Run,
    readonly dir: string,
    /** `module.net.` inside module `net`; empty at the root. */
    private readonly prefix: string,
    /** The call chain that led here (folder and the `module` block's file:line), for cycle errors. */
    private readonly chain: { dir: string; at: string }[],
  ) {}

  load(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir).sort();
    } catch (err) {
      addError(this.run, {
        file: this.dir,
        code: 'read',
        message: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    for (const name of names) {
      const file = join(this.dir, name);
      if (!(name.endsWith('.tf') || name.endsWith('.tf.json')) || !statSync(file).isFile()) continue;
      const body = parseFile(this.run, file);
      if (body) this.declare(body);
    }
  }

  private duplicate(kind: string, name: string, block: Block): void {
    addError(this.run, {
      ...locationOf(block),
      code: 'hcl-duplicate',
      message: `${kind} "${name}" is declared twice`,
    });
  }

  private declare(body: Body): void {
    for (const block of body.blocks) {
      const labels = block.labels.map((l) => l.value);
      const wanted = LABELS[block.blockType];
      if (wanted !== undefined && labels.length !== wanted) {
        addError(this.run, {
          ...locationOf(block),
          code: 'hcl-block',
          message: `a ${block.blockType} block needs ${wanted} label(s), has ${labels.length}`,
        });
        continue;
      }
      switch (block.blockType) {
        case 'variable': {
          const name = labels[0];
          if (this.variables.has(name)) this.duplicate('variable', name, block);
          const sensitive = attribute(block.body, 'sensitive');
          this.variables.set(name, {
            block,
            name,
            sensitive: sensitive !== undefined && literalValue(this.run, sensitive.value) === true,
            type: keyword(attribute(block.body, 'type')?.value),
          });
          break;
        }
        case 'locals':
          for (const attr of block.body.attributes) {
            if (this.locals.has(attr.name)) this.duplicate('local', attr.name, block);
            this.locals.set(attr.name, attr);
          }
          break;
        case 'resource':
        case 'data': {
          const mode = block.blockType === 'data' ? 'data' : 'managed';
          const key = `${mode === 'data' ? 'data.' : ''}${labels[0]}.${labels[1]}`;
          if (this.resources.has(key)) this.duplicate(block.blockType, key, block);
          this.resources.set(key, { block, mode, type: labels[0], name: labels[1] });
          this.order.push({ kind: 'resource', key });
          break;
        }
        case 'module':
          if (this.modules.has(labels[0])) this.duplicate('module', labels[0], block);
          this.modules.set(labels[0], block);
          this.order.push({ kind: 'module', key: labels[0] });
          break;
        case 'terraform':
          for (const inner of block.body.blocks) {
            if (inner.blockType !== 'required_providers') continue;
            for (const attr of inner.body.attributes) {
              const spec = literalValue(this.run, attr.value);
              if (isObject(spec) && typeof spec.source === 'string')
                this.providerSources.set(attr.name, spec.source);
            }
          }
          break;
        case 'output':
          {
            const value = attribute(block.body, 'value');
            if (value) this.outputs.set(labels[0], value);
          }
          break;
      }
    }
  }

  /** Whether the module declares variable `name`. */
  declares(name: string): boolean {
    return this.variables.has(name);
  }

  /** Sets each variable's value: `given` (from the caller, in precedence order) over its default. */
  assignVariables(
    given: Map<string, Value>,
    commandLine: Record<string, string> = {},
    environment: Record<string, string | undefined> = {},
  ): void {
    for (const [name, decl] of this.variables) {
      let value: Value;
      const fromEnvironment = environment[`TF_VAR_${name}`];
      if (Object.hasOwn(commandLine, name)) value = commandLineValue(this.run, commandLine[name], decl.type);
      else if (given.has(name)) value = given.get(name) as Value;
      else if (fromEnvironment !== undefined) value = commandLineValue(this.run, fromEnvironment, decl.type);
      else {
        const def = attribute(decl.block.body, 'default');
        value = def
          ? literalValue(this.run, def.value)
          : new Unknown(`variable ${name} has no value`, locationOf(decl.block));
      }
      if (decl.sensitive) value = new Unknown('(sensitive)', locationOf(decl.block));
      this.variableValues.set(name, value);
    }
    for (const name of given.keys()) {
      if (!this.variables.has(name) && this.prefix === '') {
        addNote(this.run, {
          file: this.dir,
          level: 'info',
          message: `a value was given for undeclared variable "${name}"`,
        });
      }
    }
  }

  /** Every instance of the module, in declaration order. */
  instances(): TerraformInstance[] {
    const out: TerraformInstance[] = [];
    for (const item of this.order) {
      const evaluated = item.kind === 'resource' ? this.resource(item.key) : this.module(item.key);
      out.push(...evaluated.instances);
    }
    return out;
  }

  /** The module's outputs, as the caller reads `module.x`. */
  outputValues(): ValueObject {
    const out: ValueObject = {};
    for (const [name, attr] of this.outputs) out[name] = this.evaluateSafely(attr.value);
    return out;
  }

  /** Evaluates `expr`, in `iteration` when given; an error is recorded and gives Unknown. */
  private evaluateSafely(expr: Expression, iteration?: Iteration): Value {
    const saved = this.iteration;
    if (iteration) this.iteration = iteration;
    try {
      if (this.run.budget.steps <= 0) return new Unknown(BUDGET_MESSAGE, locationOf(expr));
      return new Evaluator(this, this.run.budget).evaluate(expr);
    } catch (err) {
      if (err instanceof HclEvalError) {
        evalError(this.run, err);
        return new Unknown(err.message, locationOf(expr));
      }
      // The engine's own limits (string length, call stack) are the last line: that value only.
      if (err instanceof RangeError) {
        evalError(this.run, new HclEvalError(`value too large to evaluate (${err.message})`, expr.range));
        return new Unknown('value too large to evaluate', locationOf(expr));
      }
      throw err;
    } finally {
      this.iteration = saved;
    }
  }

  // ---- names ---------------------------------------------------------------------------------

  reference(name: string, steps: TraversalStep[], range: HclRange): { value: Value; used: number } {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame.has(name)) return { value: frame.get(name) as Value, used: 0 };
    }
    const first = stepName(steps[0]);
    const need = (what: string): string => {
      if (first === undefined) throw new HclEvalError(`"${name}" must be followed by ${what}`, range);
      return first;
    };
    switch (name) {
      case 'var': {
        const v = need('a variable name');
        if (!this.variableValues.has(v)) throw new HclEvalError(`variable "${v}" is not declared`, range);
        return { value: this.variableValues.get(v) as Value, used: 1 };
      }
      case 'local':
        return { value: this.local(need('a local name'), range), used: 1 };
      case 'count': {
        if (this.iteration?.count === undefined)
          throw new HclEvalError('count.index is only valid with count', range);
        if (need('index') !== 'index') throw new HclEvalError(`count has no attribute "${first}"`, range);
        return { value: this.iteration.count, used: 1 };
      }
      case 'each': {
        const each = this.iteration?.each;
        if (!each) throw new HclEvalError('each is only valid with for_each', range);
        const attr = need('key or value');
        if (attr === 'key') return { value: each.key, used: 1 };
        if (attr === 'value') return { value: each.value, used: 1 };
        throw new HclEvalError(`each has no attribute "${attr}"`, range);
      }
      case 'path': {
        const attr = need('module, root or cwd');
        if (attr === 'module') return { value: relative(this.run.rootDir, this.dir) || '.', used: 1 };
        if (attr === 'root') return { value: '.', used: 1 };
        if (attr === 'cwd')
          return { value: new Unknown('path.cwd depends on where Terraform runs'), used: 1 };
        throw new HclEvalError(`path has no attribute "${attr}"`, range);
      }
      case 'terraform':
        if (need('workspace') === 'workspace') return { value: 'default', used: 1 };
        throw new HclEvalError(`terraform has no attribute "${first}"`, range);
      case 'module': {
        const m = need('a module name');
        if (!this.modules.has(m)) throw new HclEvalError(`module "${m}" is not declared`, range);
        return { value: this.module(m).value, used: 1 };
      }
      case 'data': {
        const type = need('a data source type');
        const dataName = stepName(steps[1]);
        if (dataName === undefined) throw new HclEvalError('data.<type> must be followed by a name', range);
        const key = `data.${type}.${dataName}`;
        if (!this.resources.has(key)) throw new HclEvalError(`data source "${key}" is not declared`, range);
        return {
          value: new Unknown(`data source ${this.prefix}${key} is read at plan time`, locationOf({ range })),
          used: 2,
        };
      }
      case 'self':
        throw new HclEvalError('self is only valid in provisioners', range);
    }
    const resourceName = need('a resource name');
    const key = `${name}.${resourceName}`;
    if (!this.resources.has(key)) throw new HclEvalError(`resource "${key}" is not declared`, range);
    // As a plan's configuration records it: the module path without indexes, the resource with
    // its index only when written as a constant (`sa[0]`), so the mapping can bind a child.
    this.referenced?.add(`${withoutIndexes(this.prefix)}${key}${constantIndex(steps[1])}`);
    return { value: this.resource(key, range).value, used: 1 };
  }

  private local(name: string, range: HclRange): Value {
    const attr = this.locals.get(name);
    if (!attr) throw new HclEvalError(`local "${name}" is not declared`, range);
    const state = this.localState.get(name);
    if (state?.state === 'done') return state.result;
    if (state?.state === 'pending') {
      const cycle = [...this.localStack.slice(this.localStack.indexOf(name)), name];
      const names = cycle.map((n) => `local.${n}`).join(' -> ');
      addError(this.run, {
        ...locationOf(attr),
        code: 'local-cycle',
        message: `locals refer to each other in a cycle: ${names}`,
      });
      return new Unknown(`local.${name} is in a cycle: ${names}`, locationOf(attr));
    }
    if (this.run.depth >= MAX_REFERENCE_DEPTH) throw this.tooDeep(range);
    this.localState.set(name, { state: 'pending' });
    this.localStack.push(name);
    this.run.depth++;
    try {
      const value = this.isolated(() => this.evaluateSafely(attr.value));
      this.localState.set(name, { state: 'done', result: value });
      return value;
    } finally {
      this.run.depth--;
      this.localStack.pop();
    }
  }

  private tooDeep(range: HclRange): HclEvalError {
    return new HclEvalError(`references nested more than ${MAX_REFERENCE_DEPTH} deep`, range);
  }

  /** Evaluates a `count` or `for_each` of a block into its iterations; undefined for a single instance. */
  private loop(block: Block, what: string): { items: Iteration[] } | { none: true } | undefined {
    const count = attribute(block.body, 'count');
    const forEach = attribute(block.body, 'for_each');
    const meta = count ?? forEach;
    if (!meta) return undefined;
    const value = this.evaluateSafely(meta.value, { suffix: '' });
    const result = iterations({ count, forEach }, value);
    const loc = locationOf(meta);
    if ('items' in result) {
      if (this.run.instanceCount + result.items.length > MAX_INSTANCES) {
        addError(this.run, {
          ...loc,
          code: 'hcl-loop',
          message: `${what}: more than ${MAX_INSTANCES} instances in all`,
        });
        return { none: true };
      }
      return result;
    }
    if ('unknown' in result) {
      addNote(this.run, {
        file: loc.file,
        line: loc.line,
        level: 'warning',
        message: `${meta.name} of ${what} is unknown (${result.unknown.reason}): its instances are not assessed`,
      });
    } else addError(this.run, { ...loc, code: 'hcl-loop', message: `${what}: ${result.error}` });
    return { none: true };
  }

  private resource(key: string, range?: HclRange): Evaluated {
    const decl = this.resources.get(key) as Decl;
    const state = this.resourceState.get(key);
    if (state?.state === 'done') return state.result;
    if (state?.state === 'pending') {
      const cycle = [...this.resourceStack.slice(this.resourceStack.indexOf(key)), key].join(' -> ');
      addError(this.run, {
        ...locationOf(decl.block),
        code: 'reference-cycle',
        message: `resources refer to each other in a cycle: ${cycle}`,
      });
      return { value: new Unknown(`${this.prefix}${key} is in a reference cycle`), instances: [] };
    }
    if (range && this.run.depth >= MAX_REFERENCE_DEPTH) throw this.tooDeep(range);
    this.resourceState.set(key, { state: 'pending' });
    this.resourceStack.push(key);
    this.run.depth++;
    try {
      return this.isolated(() => this.evaluateResource(key, decl));
    } finally {
      this.run.depth--;
      this.resourceStack.pop();
    }
  }

  private evaluateResource(key: string, decl: Decl): Evaluated {
    const address = `${this.prefix}${key}`;
    const loop = this.loop(decl.block, address);
    let result: Evaluated;
    if (loop === undefined) {
      const instance = this.instance(decl, address, undefined);
      result = { value: instance.values, instances: [instance] };
    } else if ('none' in loop) {
      result = { value: new Unknown(`the instances of ${address} are unknown`), instances: [] };
    } else {
      const instances = loop.items.map((it) => this.instance(decl, `${address}${it.suffix}`, it));
      const value: Value = attribute(decl.block.body, 'count')
        ? instances.map((i) => i.values)
        : Object.fromEntries(loop.items.map((it, n) => [it.each?.key ?? '', instances[n].values]));
      result = { value, instances };
    }
    this.resourceState.set(key, { state: 'done', result });
    return result;
  }

  private instance(decl: Decl, address: string, iteration: Iteration | undefined): TerraformInstance {
    const ctx: BodyContext = { table: new Map(), blocks: [], references: new Map() };
    const saved = this.iteration;
    this.iteration = iteration;
    let values: ValueObject;
    try {
      values = this.body(decl.block.body, '', ctx, RESOURCE_META, RESOURCE_META_BLOCKS);
    } finally {
      this.iteration = saved;
    }
    markComputed(values, address);
    for (const [path, obj] of ctx.blocks) markComputed(obj, `${address}.${addressPath(path)}`);
    this.run.instanceCount++;
    const location = locationOf(decl.block);
    return {
      address,
      mode: decl.mode,
      type: decl.type,
      name: decl.name,
      module: this.prefix.endsWith('.') ? this.prefix.slice(0, -1) : this.prefix,
      provider: this.providerOf(decl),
      values,
      file: location.file,
      location,
      locate: makeLocate(ctx.table, location),
      references: new Map([...ctx.references].map(([name, refs]) => [name, [...refs]])),
    };
  }

  /**
   * The provider's full source, as a plan names it: the `provider` argument's local name, else the
   * type's prefix (`azurerm_x` is `azurerm`), looked up in `required_providers`, else `hashicorp/`.
   */
  private providerOf(decl: Decl): string {
    const meta = attribute(decl.block.body, 'provider')?.value;
    const root = meta?.type === 'Traversal' ? meta.source : meta;
    const underscore = decl.type.indexOf('_');
    const local =
      root?.type === 'Variable' ? root.name : underscore > 0 ? decl.type.slice(0, underscore) : decl.type;
    const source = this.providerSources.get(local) ?? `hashicorp/${local}`;
    return source.split('/').length === 2 ? `registry.terraform.io/${source}` : source;
  }

  /** A block body as Terraform's JSON plan shows it: attributes, and each block type as a list of objects. */
  private body(
    body: Body,
    path: string,
    ctx: BodyContext,
    skipAttributes: ReadonlySet<string> = new Set(),
    skipBlocks: ReadonlySet<string> = new Set(),
  ): ValueObject {
    const out: ValueObject = {};
    const table = ctx.table;
    const at = (name: string): string => (path === '' ? name : `${path}.${name}`);
    for (const attr of body.attributes) {
      if (skipAttributes.has(attr.name)) continue;
      out[attr.name] = this.collecting(path, attr.name, ctx, () => this.evaluateSafely(attr.value));
      table.set(at(attr.name), locationOf(attr));
    }
    for (const block of body.blocks) {
      if (skipBlocks.has(block.blockType)) continue;
      const isDynamic = block.blockType === 'dynamic';
      const name = isDynamic ? (block.labels[0]?.value ?? 'dynamic') : block.blockType;
      if (!Object.hasOwn(out, name)) out[name] = [];
      const list = out[name];
      if (!Array.isArray(list)) continue;
      if (!table.has(at(name))) table.set(at(name), locationOf(block));
      if (isDynamic) {
        const unknown = this.collecting(path, name, ctx, () =>
          this.dynamic(block, name, at(name), list, ctx),
        );
        // Blocks of this type whose number is unknown: the whole list is, not an empty one.
        if (unknown) out[name] = unknown;
      } else {
        const element = at(`${name}.${list.length}`);
        table.set(element, locationOf(block));
        const value = this.collecting(path, name, ctx, () => this.body(block.body, element, ctx));
        ctx.blocks.push([element, value]);
        list.push(value);
        if (list.length === 1) this.aliasFirst(table, element, at(name));
      }
    }
    return out;
  }

  /**
   * Runs `fn` recording the resources it refers to under top-level attribute `name` (nested
   * bodies record under their top-level block, whose collection is already running).
   */
  private collecting<T>(path: string, name: string, ctx: BodyContext, fn: () => T): T {
    if (path !== '') return fn();
    const saved = this.referenced;
    const refs = ctx.references.get(name) ?? new Set<string>();
    this.referenced = refs;
    try {
      return fn();
    } finally {
      this.referenced = saved;
      if (refs.size > 0) ctx.references.set(name, refs);
    }
  }

  /** Makes `name.attr` find the first block's attributes as well as `name.0.attr`. */
  private aliasFirst(table: LocationTable, indexed: string, plain: string): void {
    for (const [key, loc] of [...table]) {
      if (key.startsWith(`${indexed}.`)) {
        const alias = `${plain}${key.slice(indexed.length)}`;
        if (!table.has(alias)) table.set(alias, loc);
      }
    }
  }

  /**
   * `dynamic "name" { for_each = ..., iterator = it, content { ... } }`: one block per element.
   * A `for_each` that is unknown gives the Unknown the block list becomes.
   */
  private dynamic(
    block: Block,
    name: string,
    path: string,
    list: Value[],
    ctx: BodyContext,
  ): Unknown | undefined {
    const table = ctx.table;
    const forEach = attribute(block.body, 'for_each');
    const content = block.body.blocks.find((b) => b.blockType === 'content');
    if (!forEach || !content) {
      addError(this.run, {
        ...locationOf(block),
        code: 'hcl-dynamic',
        message: `dynamic "${name}" needs for_each and content`,
      });
      return undefined;
    }
    const iteratorName = keyword(attribute(block.body, 'iterator')?.value) ?? name;
    const collection = this.evaluateSafely(forEach.value);
    if (isUnknown(collection)) {
      addNote(this.run, {
        file: block.range.file,
        line: block.range.start.line,
        level: 'warning',
        message: `dynamic "${name}": for_each is unknown (${collection.reason}): the ${name} blocks are unknown`,
      });
      return new Unknown(
        `dynamic "${name}" blocks are unknown: for_each is unknown (${collection.reason})`,
        locationOf(block),
      );
    }
    let entries: [Value, Value][];
    if (Array.isArray(collection)) entries = collection.map((v, i) => [i, v]);
    else if (isObject(collection))
      entries = Object.keys(collection)
        .sort()
        .map((k) => [k, collection[k]]);
    else {
      addError(this.run, {
        ...locationOf(forEach),
        code: 'hcl-dynamic',
        message: `dynamic "${name}": for_each must be a collection`,
      });
      return undefined;
    }
    for (const [key, value] of entries.slice(0, MAX_LOOP)) {
      const element = `${path}.${list.length}`;
      table.set(element, locationOf(content));
      // The iterator is a name every expression of the content resolves (reference() reads frames).
      this.frames.push(new Map<string, Value>([[iteratorName, { key, value }]]));
      let obj: ValueObject;
      try {
        obj = this.body(content.body, element, ctx);
      } finally {
        this.frames.pop();
      }
      ctx.blocks.push([element, obj]);
      list.push(obj);
      if (list.length === 1) this.aliasFirst(table, element, path);
    }
  }

  /**
   * Runs `fn` outside any instance: a local, another resource or a module call evaluated on
   * demand from inside an instance must not see that instance's `count`, `each` or iterators.
   */
  private isolated<T>(fn: () => T): T {
    const saved = { iteration: this.iteration, frames: this.frames, referenced: this.referenced };
    this.iteration = undefined;
    this.frames = [];
    this.referenced = undefined;
    try {
      return fn();
    } finally {
      this.iteration = saved.iteration;
      this.frames = saved.frames;
      this.referenced = saved.referenced;
    }
  }

  /** The value of `module.name`: its outputs (a list or map of them with count or for_each). */
  private module(name: string): Evaluated {
    const block = this.modules.get(name) as Block;
    const state = this.moduleState.get(name);
    if (state?.state === 'done') return state.result;
    const address = `${this.prefix}module.${name}`;
    if (state?.state === 'pending') {
      addError(this.run, {
        ...locationOf(block),
        code: 'reference-cycle',
        message: `module ${address} refers to its own outputs`,
      });
      return { value: new Unknown(`${address} is in a reference cycle`), instances: [] };
    }
    this.moduleState.set(name, { state: 'pending' });
    const result = this.isolated(() => this.callModule(name, block, address));
    this.moduleState.set(name, { state: 'done', result });
    return result;
  }

  private callModule(name: string, block: Block, address: string): Evaluated {
    const sourceAttr = attribute(block.body, 'source');
    const source = sourceAttr ? this.evaluateSafely(sourceAttr.value) : undefined;
    const loc = locationOf(block);
    if (typeof source !== 'string') {
      addError(this.run, { ...loc, code: 'hcl-module', message: `module "${name}" needs a literal source` });
      return { value: new Unknown(`module ${address} has no source`), instances: [] };
    }
    if (!source.startsWith('./') && !source.startsWith('../')) {
      const reason = `module ${address} (source ${source}) not read`;
      addNote(this.run, { file: loc.file, line: loc.line, level: 'warning', message: reason });
      return { value: new Unknown(reason, loc), instances: [] };
    }
    const dir = join(this.dir, source);
    const at = `${loc.file}:${loc.line}`;
    const chain = [...this.chain, { dir: resolve(this.dir), at }];
    const cycleStart = chain.findIndex((c) => c.dir === resolve(dir));
    if (cycleStart >= 0) {
      const files = chain.slice(cycleStart).map((c) => c.at);
      addError(this.run, {
        ...loc,
        code: 'module-cycle',
        message: `modules call each other in a cycle: ${files.join(' -> ')}`,
      });
      return { value: new Unknown(`${address} is in a module cycle`), instances: [] };
    }
    if (chain.length > MAX_MODULE_DEPTH) {
      addError(this.run, {
        ...loc,
        code: 'module-depth',
        message: `modules nested more than ${MAX_MODULE_DEPTH} deep`,
      });
      return { value: new Unknown(`${address} is nested too deep`), instances: [] };
    }
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      addError(this.run, {
        ...loc,
        code: 'hcl-module',
        message: `module "${name}": folder ${source} not found`,
      });
      return { value: new Unknown(`module ${address} (source ${source}) not found`), instances: [] };
    }
    const loop = this.loop(block, address);
    const one = (iteration: Iteration | undefined, suffix: string): Evaluated => {
      const inputs = new Map<string, Value>();
      for (const attr of block.body.attributes) {
        if (!MODULE_META.has(attr.name)) inputs.set(attr.name, this.evaluateSafely(attr.value, iteration));
      }
      const child = new ModuleEval(this.run, dir, `${address}${suffix}.`, chain);
      child.load();
      for (const attr of block.body.attributes) {
        if (!MODULE_META.has(attr.name) && !child.declares(attr.name)) {
          addError(this.run, {
            ...locationOf(attr),
            code: 'hcl-module',
            message: `module "${name}" has no variable "${attr.name}"`,
          });
        }
      }
      child.assignVariables(inputs);
      return { value: child.outputValues(), instances: child.instances() };
    };
    if (loop === undefined) return one(undefined, '');
    if ('none' in loop)
      return { value: new Unknown(`the instances of ${address} are unknown`), instances: [] };
    const results = loop.items.map((it) => one(it, it.suffix));
    const value: Value = attribute(block.body, 'count')
      ? results.map((r) => r.value)
      : Object.fromEntries(loop.items.map((it, n) => [it.each?.key ?? '', results[n].value]));
    return { value, instances: results.flatMap((r) => r.instances) };
  }
}

/**
 * Reads the Terraform configuration in `dir` (its `.tf` files, not subfolders, plus local modules
 * it calls) into resource instances, with the errors and notes met on the way.
 *
 * Variable precedence, lowest first: `default`, `terraform.tfvars`, `terraform.tfvars.json`,
 * `*.auto.tfvars` and `*.auto.tfvars.json` in name order, `options.varFiles` in order, then
 * `options.vars`. A sensitive variable is Unknown("(sensitive)") wherever it is used.
 */
export async function readTerraformConfig(
  dir: string,
  options: TerraformConfigOptions = {},
): Promise<TerraformConfigResult> {
  const run: Run = {
    rootDir: resolve(dir),
    errors: [],
    notes: [],
    errorKeys: new Set(),
    instanceCount: 0,
    depth: 0,
    budget: { steps: DEFAULT_STEPS },
  };
  const root = new ModuleEval(run, dir, '', []);
  root.load();
  const given = new Map<string, Value>();
  const files: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // load() has reported it
  }
  for (const name of ['terraform.tfvars', 'terraform.tfvars.json'])
    if (names.includes(name)) files.push(join(dir, name));
  for (const name of names) {
    if (name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json')) files.push(join(dir, name));
  }
  files.push(...(options.varFiles ?? []));
  for (const file of files) {
    if (!existsSync(file)) {
      addError(run, { file, code: 'read', message: `variable file ${basename(file)} not found` });
      continue;
    }
    for (const [k, v] of tfvarsValues(run, file)) given.set(k, v);
  }
  root.assignVariables(given, options.vars ?? {}, options.environment ?? {});
  const instances = root.instances();
  return { instances, errors: run.errors, notes: run.notes };
}
