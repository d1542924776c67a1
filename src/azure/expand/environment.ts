import type { InputError, SourceLocation } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import type { ExpansionBudget } from '../expressions/budget.ts';
import {
  type DeploymentScope,
  type EvalContext,
  TemplateError,
  type UserFunction,
} from '../expressions/context.ts';
import { evaluateString, isExpression } from '../expressions/index.ts';
import { isObject, Unknown, type Value, type ValueObject } from '../expressions/value.ts';
import { templateScopeLevel } from '../load/classify.ts';
import type { JsonDocument } from '../load/document.ts';
import { coerceCliValue, type SuppliedParameter } from './parameters.ts';
import { deploymentLocation } from './scope.ts';
import { checkValue, isResourceDerived, TypeDefinitions, type TypeSchema, typeOf } from './types.ts';

/** ARM's own limit on copy loops (resources, properties and variables). */
export const MAX_COPY_COUNT = 800;
/** Calls of user-defined functions inside each other beyond this are taken as runaway recursion. */
const MAX_FUNCTION_DEPTH = 32;

export interface TemplateEnvInput {
  doc: JsonDocument;
  template: Record<string, JsonValue>;
  /** Supplied values by lower-case name, later sources already applied over earlier ones. */
  supplied: Map<string, SuppliedParameter>;
  /** `-p name=value` strings, converted to the declared type here. */
  cliValues: Map<string, string>;
  scope: DeploymentScope;
  now: string;
  deploymentName: string;
  /** Nested deployment depth, 0 for a top-level template. */
  depth: number;
  /** Files of the templates that contain this one, outermost first (cycle detection for linked templates). */
  fileChain: string[];
  /** Names of the nested deployments that contain this one, outermost first. */
  deployments: string[];
  /** Limits of the scanned file this template belongs to (nested and linked ones share it). */
  budget?: ExpansionBudget;
}

interface Declared {
  name: string;
  raw: JsonValue;
  location: SourceLocation;
}

interface LoopState {
  /** Index of the resource copy loop, used by `copyIndex()` without a name. */
  resource: number | undefined;
  resourceLoop: string | undefined;
  /** Named loops (resource, property and variable copies) by lower-case name. */
  named: Map<string, number>;
}

/**
 * A parameter value ARM would refuse (or a supplied name the template does not declare):
 * reported as an input error once the template is expanded, with the resource declarations
 * that read it, while those resources are still assessed with the value unknown.
 */
interface ParameterProblem {
  code: 'parameter-invalid' | 'parameter-undeclared' | 'parameter-file';
  message: string;
  location: SourceLocation;
  /** Resource declarations that read the parameter, by `file:line:column`. */
  readers: Set<string>;
}

const NO_LOOPS: LoopState = { resource: undefined, resourceLoop: undefined, named: new Map() };
/** Outside lambdas there are no lambda variables; lambdas copy the map, never change it. */
const NO_LAMBDA_VARIABLES = new Map<string, Value>();

/**
 * One template's evaluation environment: parameters, variables and functions, resolved
 * lazily and cached, so only what is used is evaluated and cycles are caught with the path.
 */
export class TemplateEnv {
  readonly input: TemplateEnvInput;
  readonly doc: JsonDocument;
  readonly userFunctions = new Map<string, UserFunction>();
  readonly deployment: ValueObject;
  /** Deployment scope the template's schema implies; read for every resource id. */
  readonly scopeLevel: ReturnType<typeof templateScopeLevel>;
  /** Set on an outer-scope view: the environment whose parameters the view shares (and reports). */
  readonly outer: TemplateEnv | undefined = undefined;
  private readonly params = new Map<string, Declared>();
  private readonly paramValues = new Map<string, Value>();
  private readonly vars = new Map<string, Declared & { copy?: Record<string, JsonValue> }>();
  private readonly varValues = new Map<string, Value>();
  private readonly resolving: string[] = [];
  private functionDepth = 0;
  /** The template's `definitions`, against which parameter types resolve. */
  readonly types: TypeDefinitions;
  /** The resource declaration being expanded (set by the expander), credited with the parameters it reads. */
  reading: SourceLocation | undefined;
  private readonly problems: ParameterProblem[] = [];
  private readonly problemsByParam = new Map<string, ParameterProblem>();
  /** Parameters each parameter and variable value came from (itself included), so cached reads are credited too. */
  private readonly paramSources = new Map<string, Set<string>>();
  private readonly varSources = new Map<string, Set<string>>();
  /** One set per parameter default or variable being evaluated: the parameters it reads. */
  private readonly collecting: Set<string>[] = [];
  /**
   * Nested deployments this template has declared so far, by `symbol:` name (and `symbol:name[i]`
   * in a loop) and `name:` deployment name: what `reference()` of one shows (its outputs).
   */
  private readonly nested = new Map<string, () => Value | undefined>();

  constructor(input: TemplateEnvInput) {
    this.input = input;
    this.doc = input.doc;
    const t = input.template;
    this.scopeLevel = templateScopeLevel(t.$schema);
    this.types = new TypeDefinitions(t.definitions);
    const templateLocation = this.locationOf(t, [], input.doc.start);
    const parameters = t.parameters;
    if (parameters !== undefined && !isObject(parameters as Value)) {
      throw new TemplateError('template-shape', 'template "parameters" must be an object', templateLocation);
    }
    for (const [name, raw] of Object.entries((parameters ?? {}) as Record<string, JsonValue>)) {
      this.params.set(name.toLowerCase(), {
        name,
        raw,
        location: this.locationOf(parameters, [name], templateLocation),
      });
    }
    const variables = t.variables;
    if (variables !== undefined && !isObject(variables as Value)) {
      throw new TemplateError('template-shape', 'template "variables" must be an object', templateLocation);
    }
    for (const [name, raw] of Object.entries((variables ?? {}) as Record<string, JsonValue>)) {
      const location = this.locationOf(variables, [name], templateLocation);
      if (name.toLowerCase() === 'copy' && Array.isArray(raw)) {
        raw.forEach((loop, i) => {
          const l = loop as Record<string, JsonValue>;
          if (!isObject(l as Value) || typeof l.name !== 'string') {
            throw new TemplateError(
              'template-shape',
              'each variable copy needs a "name"',
              this.locationOf(raw, [i], location),
            );
          }
          this.vars.set(l.name.toLowerCase(), {
            name: l.name,
            raw: l.input ?? null,
            location: this.locationOf(raw, [i], location),
            copy: l,
          });
        });
      } else this.vars.set(name.toLowerCase(), { name, raw, location });
    }
    this.readFunctions(t.functions, templateLocation);
    // Unknown parameters supplied from outside are an ARM deployment error; the rest is still assessed.
    for (const [key, supplied] of input.supplied) {
      if (!this.params.has(key) && supplied.source !== '--parameters') {
        this.problems.push({
          code: 'parameter-undeclared',
          message: `${supplied.source === 'nested deployment' ? 'the nested deployment' : `parameter file ${supplied.source}`} sets '${key}', which the template does not declare`,
          location: supplied.location ?? templateLocation,
          readers: new Set(),
        });
      }
    }
    this.deployment = {
      name: input.deploymentName,
      properties: {
        // Known only when the template is deployed from a URI; a local deployment has none.
        templateLink: new Unknown(
          'deployment().properties.templateLink is known only when the template is deployed from a URI',
        ),
        template: {
          contentVersion: (t.contentVersion as Value) ?? '1.0.0.0',
          metadata: (t.metadata as Value) ?? {},
        },
        mode: 'Incremental',
        provisioningState: 'Accepted',
      },
    };
    const location = deploymentLocation(input.scope, this.scopeLevel, input.doc.start);
    if (location !== undefined) this.deployment.location = location;
  }

  /**
   * A nested template deployed with outer expression scope: its expressions are evaluated in
   * this template's scope, so the view shares this environment's parameters, variables,
   * functions and caches, and differs only in which resources it declares and where they sit.
   */
  outerView(template: Record<string, JsonValue>, deployments: string[]): TemplateEnv {
    const view = Object.create(this) as TemplateEnv;
    Object.defineProperty(view, 'input', {
      value: {
        ...this.input,
        template: { ...this.input.template, resources: template.resources },
        deployments,
        depth: this.input.depth + 1,
      },
    });
    Object.defineProperty(view, 'outer', { value: this });
    return view;
  }

  /** Records a nested deployment's `reference()` value, computed once on first read. */
  registerNested(keys: readonly string[], read: () => Value): void {
    let cached: Value | undefined;
    let reading = false;
    const once = () => {
      // An output that reads its own deployment (an outer-scope template can) stays unknown.
      if (cached === undefined && !reading) {
        reading = true;
        try {
          cached = read();
        } finally {
          reading = false;
        }
      }
      return cached;
    };
    for (const k of keys) this.nested.set(k.toLowerCase(), once);
  }

  /** `reference()` of a nested deployment this template declared before, or undefined. */
  nestedReference(key: string): Value | undefined {
    return this.nested.get(key.toLowerCase())?.();
  }

  locationOf(node: unknown, path: readonly (string | number)[], fallback: SourceLocation): SourceLocation {
    return path.length === 0 ? fallback : this.doc.locate(node, path, fallback);
  }

  private readFunctions(functions: JsonValue | undefined, fallback: SourceLocation): void {
    if (functions === undefined) return;
    if (!Array.isArray(functions))
      throw new TemplateError('template-shape', 'template "functions" must be an array', fallback);
    for (const ns of functions) {
      const n = ns as { namespace?: string; members?: Record<string, JsonValue> };
      if (typeof n?.namespace !== 'string' || !isObject(n.members as Value)) continue;
      for (const [name, member] of Object.entries(n.members ?? {})) {
        const m = member as {
          parameters?: { name: string; type: string }[];
          output?: { type: string; value: unknown };
        };
        this.userFunctions.set(`${n.namespace}.${name}`.toLowerCase(), {
          namespace: n.namespace,
          name,
          parameters: Array.isArray(m.parameters) ? m.parameters : [],
          output: m.output ?? { type: 'any', value: null },
        });
      }
    }
  }

  /** The root evaluation context of this template (no loops). */
  context(location: SourceLocation): EvalScope {
    return new EvalScope(this, location, NO_LOOPS, NO_LAMBDA_VARIABLES);
  }

  parameter(name: string): Value {
    const key = name.toLowerCase();
    const cached = this.paramValues.get(key);
    if (cached !== undefined) {
      this.noteReads(this.paramSources.get(key));
      return cached;
    }
    const decl = this.params.get(key);
    if (!decl)
      throw new TemplateError('parameter-undeclared', `the template parameter '${name}' is not found`);
    const marker = `parameter '${decl.name}'`;
    if (this.resolving.includes(marker)) {
      throw new TemplateError(
        'parameter-cycle',
        `${marker} refers to itself: ${[...this.resolving, marker].join(' -> ')}`,
        decl.location,
      );
    }
    const raw = decl.raw as TypeSchema;
    const schema = this.parameterSchema(decl);
    const supplied = this.input.supplied.get(key);
    const cli = this.input.cliValues.get(key);
    const sources = new Set([key]);
    let value: Value;
    let failed: string | undefined;
    let code: ParameterProblem['code'] = 'parameter-invalid';
    let origin = 'supplied';
    if (cli !== undefined) {
      try {
        value = coerceCliValue(cli, typeOf(schema), decl.name);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        value = null;
        failed = err.message;
      }
      // null means "not supplied" (Azure/bicep#11532): the default applies, else null for a nullable parameter.
    } else if (supplied?.fault !== undefined) {
      // A malformed parameter-file entry: ARM refuses the file; this parameter alone is unknown.
      value = null;
      failed = supplied.fault;
      code = 'parameter-file';
    } else if (supplied && supplied.value !== null) value = supplied.value;
    else if ('defaultValue' in raw) {
      origin = 'default';
      this.resolving.push(marker);
      this.collecting.push(sources);
      try {
        value = evaluateBody(
          raw.defaultValue,
          this.context(this.locationOf(raw, ['defaultValue'], decl.location)).forParameterDefault(),
        );
      } finally {
        this.collecting.pop();
        this.resolving.pop();
      }
    } else if (schema.nullable === true) value = null;
    else
      value = new Unknown(
        `parameter '${decl.name}' has no value: no default and none supplied`,
        decl.location,
      );
    // A null default or nullable value is "no value"; only a value ARM would hold to the type is checked.
    if (failed === undefined && value !== null) {
      const found = checkValue(this.types, schema, value);
      if (found !== undefined) failed = `parameter '${decl.name}': ${found}`;
    }
    if (failed !== undefined) {
      const where = (cli === undefined ? supplied?.location : undefined) ?? decl.location;
      const problem: ParameterProblem = {
        code,
        message: failed,
        location: where,
        readers: new Set(),
      };
      this.problems.push(problem);
      this.problemsByParam.set(key, problem);
      value = new Unknown(
        code === 'parameter-file'
          ? `parameter '${decl.name}': its parameter-file entry is malformed (${failed})`
          : `parameter '${decl.name}': the ${origin} value failed validation (${failed})`,
        where,
      );
    }
    this.paramValues.set(key, value);
    this.paramSources.set(key, sources);
    this.noteReads(sources);
    return value;
  }

  /** A parameter's type, `$ref` resolved; a declaration with neither `type` nor `$ref` is a template error. */
  private parameterSchema(decl: Declared): TypeSchema {
    const raw = decl.raw as TypeSchema;
    // Bicep's resource-derived types carry no `type`: ARM takes any value for them.
    if (isObject(raw as Value) && isResourceDerived(raw)) return raw;
    if (!isObject(raw as Value) || (typeof raw.type !== 'string' && typeof raw.$ref !== 'string')) {
      throw new TemplateError('template-shape', `parameter '${decl.name}' needs a "type"`, decl.location);
    }
    try {
      return this.types.resolve(raw);
    } catch (err) {
      if (err instanceof TemplateError) {
        err.location ??= decl.location;
        err.message = `parameter '${decl.name}': ${err.message}`;
      }
      throw err;
    }
  }

  /** Credits the declaration being expanded, and every value being computed, with reading these parameters. */
  private noteReads(params: Set<string> | undefined): void {
    if (!params) return;
    const into = this.collecting.at(-1);
    for (const key of params) {
      into?.add(key);
      const problem = this.problemsByParam.get(key);
      const at = this.reading;
      if (problem && at) problem.readers.add(`${at.file}:${at.line}:${at.column}`);
    }
  }

  /**
   * The parameter problems as input errors, each saying how many resource declarations read
   * the parameter. Supplied values nothing read are checked here too, as ARM checks every one.
   */
  parameterErrors(): InputError[] {
    const errors: InputError[] = [];
    const saved = this.reading;
    this.reading = undefined;
    // Only given values: a null entry means "not supplied", and an unread default is not evaluated.
    const given = [...this.input.cliValues.keys()];
    for (const [key, supplied] of this.input.supplied) if (supplied.value !== null) given.push(key);
    for (const key of given) {
      if (!this.params.has(key) || this.paramValues.has(key)) continue;
      try {
        this.parameter(key);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        const at = err.location ?? this.doc.start;
        errors.push({
          file: at.file,
          line: at.line,
          column: at.column,
          code: err.code,
          message: err.message,
        });
      }
    }
    this.reading = saved;
    for (const p of this.problems) {
      const n = p.readers.size;
      const affects =
        p.code === 'parameter-undeclared'
          ? 'affects no resources: the entry is ignored'
          : `affects ${n === 0 ? 'no resources' : n === 1 ? '1 resource' : `${n} resources`}${n === 0 ? '' : ': values read from it are unknown'}`;
      errors.push({
        file: p.location.file,
        line: p.location.line,
        column: p.location.column,
        code: p.code,
        message: `${p.message} (${affects})`,
      });
    }
    return errors;
  }

  variable(name: string): Value {
    const key = name.toLowerCase();
    const cached = this.varValues.get(key);
    if (cached !== undefined) {
      this.noteReads(this.varSources.get(key));
      return cached;
    }
    const decl = this.vars.get(key);
    if (!decl) throw new TemplateError('variable-undeclared', `the template variable '${name}' is not found`);
    const marker = `variable '${decl.name}'`;
    if (this.resolving.includes(marker)) {
      throw new TemplateError(
        'variable-cycle',
        `${marker} refers to itself: ${[...this.resolving.filter((r) => r.startsWith('variable')), marker].join(' -> ')}`,
        decl.location,
      );
    }
    this.resolving.push(marker);
    const sources = new Set<string>();
    this.collecting.push(sources);
    let value: Value;
    try {
      const ctx = this.context(decl.location);
      if (decl.copy) {
        const count = copyCount(decl.copy.count, ctx, decl.location, `variable copy '${decl.name}'`);
        if (count instanceof Unknown) value = count;
        else {
          const items: Value[] = [];
          for (let i = 0; i < count; i++) {
            ctx.budget?.step();
            items.push(evaluateBody(decl.raw, ctx.withLoop(decl.name, i)));
          }
          ctx.budget?.produced(items, `variable copy '${decl.name}'`);
          value = items;
        }
      } else value = evaluateBody(decl.raw, ctx);
    } finally {
      this.collecting.pop();
      this.resolving.pop();
    }
    this.varValues.set(key, value);
    this.varSources.set(key, sources);
    this.noteReads(sources);
    return value;
  }

  callUserFunction(fn: UserFunction, args: Value[], location: SourceLocation | undefined): Value {
    if (args.length !== fn.parameters.length) {
      throw new TemplateError(
        'function-arguments',
        `user function '${fn.namespace}.${fn.name}' takes ${fn.parameters.length} argument(s), got ${args.length}`,
        location,
      );
    }
    if (this.functionDepth >= MAX_FUNCTION_DEPTH) {
      throw new TemplateError(
        'function-recursion',
        `user function '${fn.namespace}.${fn.name}' nests deeper than ${MAX_FUNCTION_DEPTH} calls`,
        location,
      );
    }
    const bound = new Map<string, Value>();
    fn.parameters.forEach((p, i) => {
      this.checkFunctionValue(fn, p as unknown as TypeSchema, args[i], `argument '${p.name}'`, location);
      bound.set(String(p.name).toLowerCase(), args[i]);
    });
    this.functionDepth++;
    let result: Value;
    try {
      result = evaluateBody(
        fn.output.value as JsonValue,
        new EvalScope(this, location ?? this.doc.start, NO_LOOPS, NO_LAMBDA_VARIABLES, bound),
      );
    } finally {
      this.functionDepth--;
    }
    this.checkFunctionValue(fn, fn.output as unknown as TypeSchema, result, 'output', location);
    return result;
  }

  /** ARM holds a user function's arguments and output to their declared (possibly user-defined) types. */
  private checkFunctionValue(
    fn: UserFunction,
    schema: TypeSchema,
    value: Value,
    what: string,
    location: SourceLocation | undefined,
  ): void {
    const subject = `user function '${fn.namespace}.${fn.name}' ${what}`;
    let found: string | undefined;
    try {
      found = checkValue(this.types, schema, value);
    } catch (err) {
      if (err instanceof TemplateError)
        throw new TemplateError(err.code, `${subject}: ${err.message}`, location);
      throw err;
    }
    if (found !== undefined) throw new TemplateError('function-arguments', `${subject}: ${found}`, location);
  }
}

/** An evaluation context: a template environment seen from one place, in zero or more copy loops. */
export class EvalScope implements EvalContext {
  readonly file: string;
  readonly location: SourceLocation | undefined;
  readonly scope: DeploymentScope;
  readonly now: string;
  readonly lambdaVariables: Map<string, Value>;
  readonly userFunctions: Map<string, UserFunction>;
  readonly deployment: ValueObject;
  readonly budget: ExpansionBudget | undefined;
  private readonly env: TemplateEnv;
  private readonly loops: LoopState;
  /** Set inside a user-defined function: its arguments replace the template's parameters. */
  private readonly functionArgs: Map<string, Value> | undefined;
  private parameterDefault = false;

  constructor(
    env: TemplateEnv,
    location: SourceLocation | undefined,
    loops: LoopState,
    lambdaVariables: Map<string, Value>,
    functionArgs?: Map<string, Value>,
  ) {
    this.env = env;
    this.file = env.doc.file;
    this.location = location;
    this.scope = env.input.scope;
    this.now = env.input.now;
    this.lambdaVariables = lambdaVariables;
    this.userFunctions = env.userFunctions;
    this.deployment = env.deployment;
    this.budget = env.input.budget;
    this.loops = loops;
    this.functionArgs = functionArgs;
  }

  /** The location for messages: this context's, or the template file's start. */
  get here(): SourceLocation {
    return this.location ?? this.env.doc.start;
  }

  forParameterDefault(): EvalScope {
    const s = new EvalScope(this.env, this.location, this.loops, this.lambdaVariables, this.functionArgs);
    s.parameterDefault = true;
    return s;
  }

  at(location: SourceLocation): EvalScope {
    // A scope never changes once made: the same place needs no new one.
    if (location === this.location) return this;
    const s = new EvalScope(this.env, location, this.loops, this.lambdaVariables, this.functionArgs);
    s.parameterDefault = this.parameterDefault;
    return s;
  }

  /** Enters a named loop (property or variable copy) at an index. */
  withLoop(name: string, index: number): EvalScope {
    const named = new Map(this.loops.named);
    named.set(name.toLowerCase(), index);
    return new EvalScope(
      this.env,
      this.location,
      { ...this.loops, named },
      this.lambdaVariables,
      this.functionArgs,
    );
  }

  /** Enters a resource copy loop: `copyIndex()` without a name now answers with this index. */
  withResourceLoop(name: string, index: number): EvalScope {
    const named = new Map(this.loops.named);
    named.set(name.toLowerCase(), index);
    return new EvalScope(
      this.env,
      this.location,
      { resource: index, resourceLoop: name, named },
      this.lambdaVariables,
      this.functionArgs,
    );
  }

  parameter(name: string): Value {
    if (this.functionArgs) {
      const v = this.functionArgs.get(name.toLowerCase());
      if (v === undefined)
        throw new TemplateError(
          'parameter-undeclared',
          `the function parameter '${name}' is not found`,
          this.location,
        );
      return v;
    }
    return this.env.parameter(name);
  }

  variable(name: string): Value {
    if (this.functionArgs) {
      throw new TemplateError(
        'function-scope',
        `user-defined functions cannot read variables ('${name}')`,
        this.location,
      );
    }
    if (this.parameterDefault) {
      throw new TemplateError(
        'parameter-default',
        `a parameter default cannot read variables ('${name}')`,
        this.location,
      );
    }
    return this.env.variable(name);
  }

  copyIndex(loopName: string | undefined): number {
    if (loopName === undefined) {
      if (this.loops.resource === undefined) {
        throw new TemplateError(
          'copy-index',
          'copyIndex() is used outside a resource copy loop',
          this.location,
        );
      }
      return this.loops.resource;
    }
    const i = this.loops.named.get(loopName.toLowerCase());
    if (i === undefined)
      throw new TemplateError(
        'copy-index',
        `copyIndex('${loopName}') is used outside the copy loop '${loopName}'`,
        this.location,
      );
    return i;
  }

  callUserFunction(fn: UserFunction, args: Value[]): Value {
    return this.env.callUserFunction(fn, args, this.location);
  }

  /**
   * A nested deployment declared earlier in this template, read by symbolic name or by its
   * resource id: its outputs, as ARM shows them once it has run. Anything else is live state.
   */
  resolveReference(target: Value, full: boolean): Value | undefined {
    if (full || typeof target !== 'string') return undefined;
    const byId = /\/providers\/microsoft\.resources\/deployments\/([^/]+)$/i.exec(target);
    if (byId) return this.env.nestedReference(`name:${byId[1]}`);
    if (target.includes('/')) return undefined;
    return this.env.nestedReference(`symbol:${target}`) ?? this.env.nestedReference(`name:${target}`);
  }
}

/** Evaluates a copy `count`: an integer 0..800, or Unknown when only the deployment knows it. */
export function copyCount(
  raw: JsonValue | undefined,
  ctx: EvalScope,
  location: SourceLocation,
  what: string,
): number | Unknown {
  const count = typeof raw === 'string' ? evaluateString(raw, ctx.at(location)) : (raw as Value);
  if (count instanceof Unknown) return count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new TemplateError(
      'copy-count',
      `${what}: count must be a non-negative integer, got ${JSON.stringify(count)}`,
      location,
    );
  }
  if (count > MAX_COPY_COUNT) {
    throw new TemplateError(
      'copy-limit',
      `${what}: count ${count} is above Azure Resource Manager's limit of ${MAX_COPY_COUNT}`,
      location,
    );
  }
  return count;
}

function isPropertyCopy(value: JsonValue): value is Record<string, JsonValue>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (l) =>
        typeof l === 'object' &&
        l !== null &&
        !Array.isArray(l) &&
        'name' in l &&
        'count' in l &&
        'input' in l,
    )
  );
}

/** Sets a property; `__proto__` as a plain key must not change the object's prototype. */
function setMember(out: ValueObject, name: string, value: Value): void {
  if (name === '__proto__') {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else out[name] = value;
}

/** A new object with the members of `raw` that come before `stop` (for...in order). */
function copyBefore(raw: { [key: string]: JsonValue }, stop: string): ValueObject {
  const out: ValueObject = {};
  for (const key in raw) {
    if (key === stop) break;
    setMember(out, key, raw[key] as Value);
  }
  return out;
}

/**
 * Evaluates a JSON value from a template: every expression string is evaluated, object keys
 * too, and property `copy` arrays (`[{name, count, input}]`) become the named array properties.
 *
 * A part with nothing to evaluate is returned as it was parsed, not copied (a container is
 * copied from its first changed member on), so literal subtrees of a template are shared by
 * the resources that declare them: expanded values are read, never written.
 */
export function evaluateBody(raw: JsonValue | undefined, ctx: EvalScope): Value {
  if (raw === undefined) return null;
  if (typeof raw === 'string')
    return raw.charCodeAt(0) === 91 && (isExpression(raw) || raw.startsWith('[['))
      ? evaluateString(raw, ctx)
      : raw;
  if (raw === null || typeof raw !== 'object') return raw;
  if (Array.isArray(raw)) {
    let items: Value[] | undefined;
    for (let i = 0; i < raw.length; i++) {
      const item = raw[i] as JsonValue;
      const value = evaluateBody(item, ctx);
      if (items) items.push(value);
      else if (value !== item) {
        items = raw.slice(0, i) as Value[];
        items.push(value);
      }
    }
    return items ?? raw;
  }
  let out: ValueObject | undefined;
  for (const key in raw) {
    const value = raw[key] as JsonValue;
    if (key.length === 4 && key.toLowerCase() === 'copy' && isPropertyCopy(value)) {
      out ??= copyBefore(raw, key);
      for (const loop of value) {
        const name = String(loop.name);
        const count = copyCount(loop.count, ctx, ctx.here, `property copy '${name}'`);
        if (count instanceof Unknown) {
          out[name] = count;
          continue;
        }
        const items: Value[] = [];
        for (let i = 0; i < count; i++) {
          ctx.budget?.step();
          items.push(evaluateBody(loop.input, ctx.withLoop(name, i)));
        }
        ctx.budget?.produced(items, `property copy '${name}'`);
        out[name] = items;
      }
      continue;
    }
    let name = key;
    if (isExpression(key)) {
      const k = evaluateString(key, ctx);
      if (k instanceof Unknown) {
        // A property whose name only the deployment knows: keep the value under a readable placeholder.
        name = `<unknown:${key}>`;
      } else if (typeof k !== 'string') {
        throw new TemplateError(
          'property-name',
          `property name ${key} must evaluate to a string`,
          ctx.location,
        );
      } else name = k;
    }
    const evaluated = evaluateBody(value, ctx);
    if (!out) {
      if (name === key && evaluated === value) continue;
      out = copyBefore(raw, key);
    }
    setMember(out, name, evaluated);
  }
  return out ?? raw;
}
