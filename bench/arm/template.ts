/**
 * A small builder for ARM deployment templates used by the benchmark corpus generator:
 * parameters, variables (with variable copy loops), resources (array or, for
 * languageVersion 2.0, an object keyed by symbolic name), outputs and helpers that write
 * the expressions real templates use (resourceId, reference, listKeys, copyIndex).
 */
import type { Rng } from './prng.ts';

export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const DEPLOYMENT_TEMPLATE_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
export const DEPLOYMENT_PARAMETERS_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** A declared resource a module can point at. */
export interface Ref {
  type: string;
  apiVersion: string;
  /** Symbolic name (the key in a languageVersion 2.0 template; the loop name for copied resources). */
  sym: string;
  /** resourceId() arguments after the type: one expression per name segment. */
  segs: string[];
  /** Copy loop name when the resource is declared with `copy`. */
  copyName?: string;
  /** The template the resource is declared in. */
  owner: Template;
}

/** Per-template switches drawn once, so a template has a coherent style. */
export interface TemplateStyle {
  symbolic: boolean;
  /** Probability that a module uses a copy loop where it has one. */
  copyP: number;
  /** Probability that a module gets a `condition`. */
  conditionP: number;
  /** Probability that a module emits an optional reference()/list*() use. */
  referenceP: number;
  /** Probability a given security setting is the secure choice. */
  secureP: number;
  /** `[resourceGroup().location]` inline instead of a `location` parameter. */
  inlineLocation: boolean;
  /** Declare child resources inside their parent's `resources` array when possible. */
  nestedChildren: boolean;
  /** Add `metadata.description` to parameters. */
  describeParameters: boolean;
  /** A user-defined function namespace for names, or undefined. */
  userFunctions: boolean;
}

/** Counters the generator reports in its manifest. */
export interface BuildStats {
  resourceCopy: number;
  propertyCopy: number;
  variableCopy: number;
  outputCopy: number;
  conditions: number;
  nestedInner: number;
  nestedOuter: number;
  linked: number;
}

export function emptyStats(): BuildStats {
  return {
    resourceCopy: 0,
    propertyCopy: 0,
    variableCopy: 0,
    outputCopy: 0,
    conditions: 0,
    nestedInner: 0,
    nestedOuter: 0,
    linked: 0,
  };
}

/** A parameter declaration: a `type`, or (languageVersion 2.0) a `$ref` to a user-defined type. */
export type ParamSpec = JsonObject & { type?: string };

/** A linked template the root template points at with templateLink.relativePath. */
export interface LinkedTemplate {
  relativePath: string;
  template: Template;
}

export const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const x = (expr: string): string => `[${expr}]`;

export class Template {
  readonly rng: Rng;
  readonly style: TemplateStyle;
  readonly stats: BuildStats;
  /** For an outer-scope nested template: the template whose parameters and variables it uses. */
  readonly host: Template | undefined;
  /** Nesting depth: 0 for a file's root template. */
  readonly depth: number;
  readonly parameters: Record<string, ParamSpec> = {};
  /** Value to write in a parameter file for parameters that need one. */
  readonly parameterSamples: Record<string, Json> = {};
  readonly variables: JsonObject = {};
  readonly variableCopies: JsonObject[] = [];
  readonly functions: JsonObject[] = [];
  /** User-defined types (languageVersion 2.0 only), by name. */
  readonly definitions: JsonObject = {};
  readonly resources: { sym: string; decl: JsonObject }[] = [];
  readonly outputs: Record<string, JsonObject> = {};
  readonly refs: Ref[] = [];
  readonly linked: LinkedTemplate[] = [];
  metadata: JsonObject | undefined;
  private readonly symbols = new Set<string>();
  private readonly literalNames = new Set<string>();
  private readonly apiVersions = new Map<string, string>();

  constructor(rng: Rng, style: TemplateStyle, stats: BuildStats, host?: Template, depth = 0) {
    this.rng = rng;
    this.style = style;
    this.stats = stats;
    this.host = host;
    this.depth = depth;
  }

  get symbolic(): boolean {
    return this.style.symbolic && this.depth === 0;
  }

  /** Where parameters and variables live (the host for outer-scope nested templates). */
  get scopeOwner(): Template {
    return this.host ? this.host.scopeOwner : this;
  }

  /** The template whose file this one is written in. */
  get root(): Template {
    return this.host ? this.host.root : this;
  }

  secure(): boolean {
    return this.rng.chance(this.style.secureP);
  }

  /** One API version per resource type per template, as real templates do. */
  api(type: string, versions: readonly string[]): string {
    let v = this.apiVersions.get(type);
    if (!v) {
      v = this.rng.pick(versions);
      this.apiVersions.set(type, v);
    }
    return v;
  }

  /** Declares a parameter; returns its (possibly suffixed) name. `shared` reuses an existing one. */
  param(
    base: string,
    spec: ParamSpec,
    opts: { shared?: boolean; description?: string; sample?: Json } = {},
  ): string {
    const owner = this.scopeOwner;
    if (opts.shared && owner.parameters[base]) return base;
    let name = base;
    for (let i = 2; owner.parameters[name]; i++) name = `${base}${i}`;
    const full: ParamSpec = { ...spec };
    if (opts.description && owner.style.describeParameters) full.metadata = { description: opts.description };
    owner.parameters[name] = full;
    if (opts.sample !== undefined) owner.parameterSamples[name] = opts.sample;
    return name;
  }

  /** Declares a variable; returns its (possibly suffixed) name. */
  variable(base: string, value: Json, shared = false): string {
    const owner = this.scopeOwner;
    if (shared && Object.hasOwn(owner.variables, base)) return base;
    let name = base;
    for (let i = 2; Object.hasOwn(owner.variables, name) || owner.hasVariableCopy(name); i++)
      name = `${base}${i}`;
    owner.variables[name] = value;
    return name;
  }

  /** A variable copy loop (`variables.copy[]`); returns its name. */
  variableCopy(base: string, count: Json, input: (loop: string) => Json): string {
    const owner = this.scopeOwner;
    let name = base;
    for (let i = 2; Object.hasOwn(owner.variables, name) || owner.hasVariableCopy(name); i++)
      name = `${base}${i}`;
    owner.variableCopies.push({ name, count, input: input(name) });
    this.stats.variableCopy++;
    return name;
  }

  private hasVariableCopy(name: string): boolean {
    return this.variableCopies.some((c) => c.name === name);
  }

  p(name: string): string {
    return `parameters('${name}')`;
  }

  v(name: string): string {
    return `variables('${name}')`;
  }

  /** Expression (with brackets) for the location of a resource. */
  location(): string {
    if (this.style.inlineLocation && this.depth === 0) return '[resourceGroup().location]';
    const name = this.param(
      'location',
      { type: 'string', defaultValue: '[resourceGroup().location]' },
      { shared: true, description: 'Location for all resources.' },
    );
    return x(this.p(name));
  }

  /** A unique symbolic name within this template. */
  symbol(base: string): string {
    let name = base;
    for (let i = 2; this.symbols.has(name); i++) name = `${base}${i}`;
    this.symbols.add(name);
    return name;
  }

  /** A unique literal resource name within this template (e.g. for deployments). */
  literal(base: string): string {
    let name = base;
    for (let i = 2; this.literalNames.has(name); i++) name = `${base}${i}`;
    this.literalNames.add(name);
    return name;
  }

  /** Adds a top-level resource. `decl` must carry type, apiVersion and name. */
  add(symBase: string, decl: JsonObject, segs: string[], copyName?: string): Ref {
    const sym = copyName ?? this.symbol(symBase);
    if (copyName) this.symbols.add(copyName);
    this.resources.push({ sym, decl });
    const ref: Ref = {
      type: String(decl.type),
      apiVersion: String(decl.apiVersion),
      sym,
      segs,
      owner: this,
      ...(copyName ? { copyName } : {}),
    };
    this.refs.push(ref);
    return ref;
  }

  /** resourceId() expression (no brackets). */
  id(ref: Ref): string {
    return `resourceId('${ref.type}', ${ref.segs.join(', ')})`;
  }

  /** A dependsOn entry for `ref`. */
  dep(ref: Ref): string {
    if (ref.copyName) return ref.copyName;
    if (this.symbolic && ref.owner === this) return ref.sym;
    return x(this.id(ref));
  }

  /** reference() expression (no brackets) for the runtime state of `ref`. */
  reference(ref: Ref, full = false): string {
    if (this.symbolic && ref.owner === this)
      return full ? `reference('${ref.sym}', '${ref.apiVersion}', 'full')` : `reference('${ref.sym}')`;
    return full
      ? `reference(${this.id(ref)}, '${ref.apiVersion}', 'Full')`
      : `reference(${this.id(ref)}, '${ref.apiVersion}')`;
  }

  listKeys(ref: Ref): string {
    return `listKeys(${this.id(ref)}, '${ref.apiVersion}')`;
  }

  /** Finds an earlier resource of this type declared in this template (not copied). */
  find(type: string): Ref | undefined {
    return this.refs.find((r) => r.type === type && !r.copyName);
  }

  /** Maybe adds a condition to a declaration. */
  maybeCondition(decl: JsonObject): void {
    if (!this.rng.chance(this.style.conditionP)) return;
    const kind = this.rng.int(0, 2);
    if (kind === 0) {
      const name = this.param(
        `deploy${cap(String(decl.type).split('/').pop() ?? 'Resource')}`,
        { type: 'bool', defaultValue: this.rng.chance(0.7) },
        { description: 'Whether to deploy this resource.', sample: this.rng.chance(0.5) },
      );
      decl.condition = x(this.p(name));
    } else if (kind === 1) {
      const env = this.environmentParam();
      decl.condition = x(`equals(${this.p(env)}, 'prod')`);
    } else {
      const env = this.environmentParam();
      decl.condition = x(`not(equals(${this.p(env)}, 'dev'))`);
    }
    this.stats.conditions++;
  }

  environmentParam(): string {
    return this.param(
      'environmentName',
      {
        type: 'string',
        defaultValue: this.rng.pick(['dev', 'test', 'prod']),
        allowedValues: ['dev', 'test', 'prod'],
      },
      {
        shared: true,
        description: 'Environment the resources are for.',
        sample: this.rng.pick(['dev', 'test', 'prod']),
      },
    );
  }

  /** The JSON of the template (a whole file's content, or a nested deployment's `template`). */
  toJson(): JsonObject {
    const out: JsonObject = { $schema: DEPLOYMENT_TEMPLATE_SCHEMA };
    if (this.symbolic) out.languageVersion = '2.0';
    out.contentVersion = '1.0.0.0';
    if (this.metadata) out.metadata = this.metadata;
    if (this.symbolic && Object.keys(this.definitions).length > 0) out.definitions = this.definitions;
    const outer = this.host !== undefined;
    if (!outer) {
      if (Object.keys(this.parameters).length > 0 || this.depth === 0) out.parameters = this.parameters;
      if (this.functions.length > 0) out.functions = this.functions;
      const vars: JsonObject = {};
      if (this.variableCopies.length > 0) vars.copy = this.variableCopies;
      Object.assign(vars, this.variables);
      if (Object.keys(vars).length > 0 || this.depth === 0) out.variables = vars;
    }
    if (this.symbolic) {
      const res: JsonObject = {};
      for (const r of this.resources) res[r.sym] = r.decl;
      out.resources = res;
    } else {
      out.resources = this.resources.map((r) => r.decl);
    }
    if (Object.keys(this.outputs).length > 0) out.outputs = this.outputs;
    return out;
  }
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
