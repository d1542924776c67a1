import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { InputError, InputNote, SourceLocation, TemplateFault } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';
import { setProp } from '../expressions/functions/registry.ts';
import { isExpression } from '../expressions/index.ts';
import { withLiveRest } from '../expressions/live.ts';
import { isObject, Unknown, type Value, type ValueObject } from '../expressions/value.ts';
import { classify } from '../load/classify.ts';
import { displayPath } from '../load/discover.ts';
import { JsonDocument, MAX_TEMPLATE_BYTES } from '../load/document.ts';
import { type AzureResource, pathParts } from '../resource.ts';
import { copyCount, type EvalScope, evaluateBody, TemplateEnv } from './environment.ts';
import type { SuppliedParameter } from './parameters.ts';
import { recordProblem } from './problems.ts';
import { DeclarationProblems, evaluateResilient, isTemplateFatal, unknownFromError } from './resilient.ts';
import { resourceIdOf } from './resource-id.ts';
import { sameName } from './scope.ts';

/** Nested deployments deeper than this are refused; ARM's practical limit is far lower than a runaway loop. */
export const MAX_NESTING_DEPTH = 10;

const DEPLOYMENTS_TYPE = 'microsoft.resources/deployments';
/** Keys of a declaration that steer expansion and are not part of the deployed resource. */
const CONTROL_KEYS = new Set(['copy', 'resources', 'dependson', 'condition', 'existing', 'comments']);

/** Where expansion results go; one per scan, shared by every template. */
export interface ExpansionSink {
  root: string;
  resources: AzureResource[];
  errors: InputError[];
  /** Template faults: expressions ARM refuses at deployment (src/azure/expand/problems.ts files them). */
  faults: TemplateFault[];
  notes: InputNote[];
  /** Linked templates read during expansion, by absolute path. */
  linked: Map<string, JsonDocument>;
  /** Templates the scan has already read, by absolute path: a linked one is not read and parsed again. */
  documents?: ReadonlyMap<string, JsonDocument>;
  /** The folder links of the template being expanded may not leave (default: `root`); set per scanned path. */
  linkRoot?: string;
  /** Linked templates a deployment actually expanded, by absolute path; the scan assesses the others standalone. */
  expanded?: Set<string>;
}

interface Parent {
  type: string;
  name: string | Unknown;
}

function errorOf(err: unknown, fallback: SourceLocation): InputError {
  if (err instanceof TemplateError) {
    const at = err.location ?? fallback;
    return { file: at.file, line: at.line, column: at.column, code: err.code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { file: fallback.file, line: fallback.line, column: fallback.column, code: 'internal', message };
}

function isPropertyCopyArray(v: unknown): v is Record<string, JsonValue>[] {
  return (
    Array.isArray(v) &&
    v.every((l) => isObject(l as Value) && 'name' in (l as object) && 'input' in (l as object))
  );
}

function memberOf(node: unknown, key: string): unknown {
  if (!isObject(node as Value)) return undefined;
  const obj = node as Record<string, unknown>;
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k in obj) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** Where a resource's `locate` reads positions from: kept on the function, so a worker can name the declaration. */
export const LOCATOR_SOURCE = Symbol('assay.locatorSource');

export interface LocatorSource {
  doc: JsonDocument;
  decl: JsonValue;
}

/**
 * Finds the source line of a property path in a declaration. Paths produced by a property
 * copy loop (`properties.securityRules[2]`) map to that loop's `input`, since every element
 * comes from it. Exported so a resource expanded in a worker gets its `locate` back.
 */
export function locator(
  doc: JsonDocument,
  decl: JsonValue,
  declLocation: SourceLocation,
): (path: string) => SourceLocation {
  const locate = (path: string) => {
    let node: unknown = decl;
    let location = declLocation;
    let skipIndex = false;
    const parts = pathParts(path);
    for (let p = 0; p < parts.length; p++) {
      const seg = parts[p] as string;
      if (skipIndex && /^\d+$/.test(seg)) {
        skipIndex = false;
        continue;
      }
      skipIndex = false;
      const offset = doc.memberOffset(node, Array.isArray(node) ? Number(seg) : seg);
      if (offset !== undefined) {
        location = doc.at(offset);
        node = Array.isArray(node) ? node[Number(seg)] : memberOf(node, seg);
        continue;
      }
      const loops = memberOf(node, 'copy');
      if (isPropertyCopyArray(loops)) {
        const i = loops.findIndex((l) => String(l.name).toLowerCase() === seg.toLowerCase());
        if (i >= 0) {
          const at = doc.memberOffset(loops, i);
          if (at !== undefined) location = doc.at(at);
          node = loops[i].input;
          skipIndex = true;
          continue;
        }
      }
      break;
    }
    return location;
  };
  const source: LocatorSource = { doc, decl };
  return Object.defineProperty(locate, LOCATOR_SOURCE, { value: source });
}

/** The top-level template a template environment was reached from (see `AzureResource.tree`). */
function treeOf(env: TemplateEnv): string {
  return env.input.fileChain[0] ?? env.doc.absolutePath;
}

function joinName(parent: Parent | undefined, name: Value): string | Unknown {
  if (name instanceof Unknown) return name;
  if (typeof name !== 'string')
    throw new TemplateError('resource-name', `resource name must be a string, got ${JSON.stringify(name)}`);
  if (!parent) return name;
  if (parent.name instanceof Unknown) return parent.name;
  return `${parent.name}/${name}`;
}

function joinType(parent: Parent | undefined, type: string): string {
  if (!parent || type.toLowerCase().startsWith(`${parent.type.split('/')[0].toLowerCase()}/`)) return type;
  return `${parent.type}/${type}`;
}

/** Expands every resource of a template (top level or nested) into the sink. */
export function expandTemplate(env: TemplateEnv, sink: ExpansionSink): void {
  const t = env.input.template;
  const list = t.resources;
  const start = env.locationOf(t, ['resources'], env.doc.start);
  // Parameter problems are reported once the resources that read them are known.
  if (list !== undefined) expandResources(env, list, start, sink);
  if (!env.outer) for (const e of env.parameterErrors()) recordProblem(sink, e);
}

function expandResources(
  env: TemplateEnv,
  list: JsonValue,
  start: SourceLocation,
  sink: ExpansionSink,
): void {
  // Contexts are immutable: one root context serves every declaration of the template.
  const root = env.context(start);
  if (Array.isArray(list)) {
    list.forEach((raw, i) => {
      expandDeclaration(env, root, raw, list, i, undefined, sink);
    });
  } else if (isObject(list as Value)) {
    // languageVersion 2.0: resources keyed by symbolic name.
    for (const [symbolic, raw] of Object.entries(list as Record<string, JsonValue>)) {
      expandDeclaration(env, root, raw, list, symbolic, undefined, sink, symbolic);
    }
  } else {
    sink.errors.push(
      errorOf(
        new TemplateError('template-shape', 'template "resources" must be an array or an object'),
        start,
      ),
    );
  }
}

function expandDeclaration(
  env: TemplateEnv,
  ctx: EvalScope,
  raw: JsonValue,
  container: JsonValue,
  key: string | number,
  parent: Parent | undefined,
  sink: ExpansionSink,
  symbolicName?: string,
): void {
  const location = env.doc.memberLocation(container, key, ctx.here);
  const problems = new DeclarationProblems();
  let typeLabel = 'declared';
  const outerReading = env.reading;
  env.reading = location;
  try {
    if (!isObject(raw as Value))
      throw new TemplateError('template-shape', 'a resource declaration must be an object', location);
    const decl = raw as Record<string, JsonValue>;
    if (decl.existing === true) return;
    if (typeof decl.type === 'string' && !isExpression(decl.type)) typeLabel = joinType(parent, decl.type);
    const copy = decl.copy;
    if (copy === undefined) {
      expandInstance(env, ctx.at(location), decl, location, parent, sink, symbolicName, undefined, problems);
      return;
    }
    if (!isObject(copy as Value) || typeof (copy as Record<string, JsonValue>).name !== 'string') {
      throw new TemplateError('template-shape', 'a resource "copy" needs a "name" and a "count"', location);
    }
    const loop = copy as Record<string, JsonValue>;
    const loopName = loop.name as string;
    const copyLocation = env.locationOf(decl, ['copy'], location);
    let count: number | Unknown;
    try {
      count = copyCount(loop.count, ctx.at(location), copyLocation, `copy loop '${loopName}'`);
    } catch (err) {
      if (isTemplateFatal(err)) throw err;
      // A count ARM would refuse is an input error; the declaration is still assessed once.
      problems.add(err, copyLocation, `the count of copy loop '${loopName}'`, 0);
      count = unknownFromError(err, copyLocation);
    }
    let instances = count;
    if (count instanceof Unknown) {
      sink.notes.push({
        file: copyLocation.file,
        line: copyLocation.line,
        level: 'warning',
        message: `copy loop '${loopName}': count is unknown (${count.reason}); one instance is assessed`,
      });
      instances = 1;
    }
    for (let i = 0; i < (instances as number); i++) {
      expandInstance(
        env,
        ctx.at(location).withResourceLoop(loopName, i),
        decl,
        location,
        parent,
        sink,
        symbolicName,
        {
          name: loopName,
          index: i,
        },
        problems,
      );
    }
  } catch (err) {
    if (isTemplateFatal(err)) throw err;
    const error = errorOf(err, location);
    error.message += ` (the resource declared at line ${location.line} and its child resources are not assessed)`;
    recordProblem(sink, error);
  } finally {
    env.reading = outerReading;
    problems.flush(sink, typeLabel);
  }
}

function expandInstance(
  env: TemplateEnv,
  ctx: EvalScope,
  decl: Record<string, JsonValue>,
  location: SourceLocation,
  parent: Parent | undefined,
  sink: ExpansionSink,
  symbolicName: string | undefined,
  copy: { name: string; index: number } | undefined,
  problems: DeclarationProblems,
): void {
  const instance = copy?.index ?? 0;
  ctx.budget?.step();
  if ('condition' in decl) {
    const conditionAt = env.locationOf(decl, ['condition'], location);
    let condition: Value;
    try {
      condition = evaluateBody(decl.condition, ctx);
    } catch (err) {
      if (isTemplateFatal(err)) throw err;
      problems.add(err, conditionAt, 'the condition', instance, ctx.location);
      condition = unknownFromError(err, conditionAt);
    }
    if (condition === false) return;
    if (condition instanceof Unknown) {
      sink.notes.push({
        file: location.file,
        line: location.line,
        level: 'info',
        message: `condition is unknown (${condition.reason}); the resource is assessed as if deployed`,
      });
    } else if (condition !== true) {
      throw new TemplateError(
        'condition',
        `condition must be a boolean, got ${JSON.stringify(condition)}`,
        location,
      );
    }
  }
  // Counted before it is built: nested deployments too, so loops of them stop early.
  ctx.budget?.resource(location);
  const typeValue = evaluateBody(decl.type, ctx);
  if (typeof typeValue !== 'string')
    throw new TemplateError('resource-type', 'resource "type" must be a string', location);
  const type = joinType(parent, typeValue);
  let nameValue: Value;
  try {
    nameValue = evaluateBody(decl.name, ctx);
  } catch (err) {
    if (isTemplateFatal(err)) throw err;
    const nameAt = env.locationOf(decl, ['name'], location);
    problems.add(err, nameAt, 'the name', instance, ctx.location);
    nameValue = unknownFromError(err, nameAt);
  }
  const name = joinName(parent, nameValue);

  if (type.toLowerCase() === DEPLOYMENTS_TYPE) {
    // A deployment that declares a location (subscription, management group or tenant scope)
    // stores its template and parameters there: kept as a resource so residency checks see it.
    const declared = memberOf(decl, 'location');
    if (declared !== undefined) {
      sink.resources.push({
        type,
        apiVersion: typeof decl.apiVersion === 'string' ? decl.apiVersion : '',
        name,
        id: resourceIdOf(env.input.scope, env.scopeLevel, type, name, undefined),
        body: { type, name, location: evaluateBody(declared as JsonValue, ctx) },
        deployments: env.input.deployments,
        file: location.file,
        tree: treeOf(env),
        location,
        locate: locator(env.doc, decl, location),
      });
    }
    expandDeployment(env, ctx, decl, location, name, sink, problems, instance, symbolicName);
    return;
  }

  const body: ValueObject = {};
  for (const key in decl) {
    // Control keys are at most 9 characters: longer keys are not lower-cased to find out.
    if (key.length <= 9 && CONTROL_KEYS.has(key.toLowerCase())) continue;
    // Decided above (and set below, in place): evaluating them again would report twice.
    if (key === 'name' || key === 'type') {
      body[key] = null;
      continue;
    }
    body[key] = evaluateResilient(
      decl[key],
      ctx,
      env.doc,
      env.doc.memberLocation(decl, key, location),
      key,
      problems,
      instance,
    );
  }
  body.type = type;
  body.name = name;
  // The body was just built from the declaration: sized without caching its inner objects.
  ctx.budget?.produced(body, 'the resource', undefined, true);
  const scopeValue = body.scope;
  const resource: AzureResource = {
    type,
    apiVersion: typeof body.apiVersion === 'string' ? body.apiVersion : '',
    name,
    id: resourceIdOf(
      env.input.scope,
      env.scopeLevel,
      type,
      name,
      typeof scopeValue === 'string' ? scopeValue : undefined,
    ),
    body,
    deployments: env.input.deployments,
    file: location.file,
    tree: treeOf(env),
    location,
    locate: locator(env.doc, decl, location),
  };
  if (symbolicName) resource.symbolicName = symbolicName;
  if (copy) resource.copy = copy;
  sink.resources.push(resource);

  const children = decl.resources;
  if (Array.isArray(children)) {
    children.forEach((child, i) => {
      expandDeclaration(env, ctx, child, children, i, { type, name }, sink);
    });
  }
}

/** Reads a linked template named by `templateLink.relativePath`, never outside the scan's link root. */
function loadLinked(
  env: TemplateEnv,
  relativePath: string,
  location: SourceLocation,
  sink: ExpansionSink,
): JsonDocument {
  const target = resolve(dirname(env.doc.absolutePath), relativePath);
  const root = resolve(sink.linkRoot ?? sink.root);
  const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);
  const outside = () =>
    new TemplateError(
      'linked-template-outside-root',
      `linked template '${relativePath}' is outside the scan root '${displayPath(sink.root, root)}' (set with --root); it is not read`,
      location,
    );
  // Checked on the path as written, then again after symlinks are resolved.
  if (!inside(target, root)) throw outside();
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw new TemplateError(
      'linked-template-missing',
      `linked template '${relativePath}' not found (${displayPath(sink.root, target)})`,
      location,
    );
  }
  if (!inside(real, realpathSync(root))) throw outside();
  const cached = sink.linked.get(real);
  if (cached) return cached;
  if (!statSync(real).isFile()) {
    throw new TemplateError(
      'linked-template-not-a-file',
      `linked template '${relativePath}' names a folder or other non-file (${displayPath(sink.root, real)}); a relativePath must name a template file`,
      location,
    );
  }
  const doc = sink.documents?.get(real) ?? readLinked(sink, real, relativePath, location);
  if (classify(doc.value) !== 'template') {
    throw new TemplateError(
      'linked-template-kind',
      `linked template '${relativePath}' has no deployment template $schema`,
      location,
    );
  }
  sink.notes.push(...doc.notes);
  sink.linked.set(real, doc);
  return doc;
}

/** The files of a link cycle in order, from the first repeated one back to itself. */
function cycleOf(env: TemplateEnv, target: string, sink: ExpansionSink): string {
  const chain = [...env.input.fileChain, env.doc.absolutePath];
  const files = [...chain.slice(Math.max(0, chain.indexOf(target))), target];
  return files.map((f) => displayPath(sink.root, f)).join(' -> ');
}

function readLinked(
  sink: ExpansionSink,
  real: string,
  relativePath: string,
  location: SourceLocation,
): JsonDocument {
  if (statSync(real).size > MAX_TEMPLATE_BYTES) {
    throw new TemplateError(
      'file-too-large',
      `linked template '${relativePath}' is above the ${MAX_TEMPLATE_BYTES / 1048576} MB limit`,
      location,
    );
  }
  return new JsonDocument(displayPath(sink.root, real), real, readFileSync(real));
}

/**
 * Parameters passed to a nested deployment, evaluated in the calling template's scope. An
 * entry may itself be an expression that yields `{value}` (Bicep emits
 * `[if(c, createObject('value', x), createObject('value', y))]`), and so may the whole
 * `parameters` object. A value that fails to evaluate is unknown in the nested template.
 */
function nestedParameters(
  raw: JsonValue | undefined,
  ctx: EvalScope,
  env: TemplateEnv,
  location: SourceLocation,
  problems: DeclarationProblems,
  instance: number,
): Map<string, SuppliedParameter> {
  const out = new Map<string, SuppliedParameter>();
  let entries: Value | undefined = raw as Value | undefined;
  if (typeof raw === 'string' && isExpression(raw)) {
    try {
      entries = evaluateBody(raw, ctx.at(location));
    } catch (err) {
      if (isTemplateFatal(err)) throw err;
      problems.add(err, location, 'every parameter of the nested deployment', instance);
      return out;
    }
  }
  if (!isObject(entries)) return out;
  for (const name in entries) {
    const at = env.locationOf(raw, [name], location);
    let entry: Value = entries[name] as Value;
    if (typeof entry === 'string' && isExpression(entry)) {
      try {
        entry = evaluateBody(entry, ctx.at(at));
      } catch (err) {
        if (isTemplateFatal(err)) throw err;
        problems.add(err, at, `nested deployment parameter '${name}'`, instance);
        entry = unknownFromError(err, at);
      }
    }
    let value: Value;
    if (entry instanceof Unknown) value = entry;
    else if (isObject(entry) && 'value' in entry) {
      value = evaluateResilient(
        entry.value as JsonValue,
        ctx.at(at),
        env.doc,
        at,
        `nested deployment parameter '${name}'`,
        problems,
        instance,
      );
    } else if (isObject(entry) && 'reference' in entry)
      value = new Unknown(`parameter '${name}' is a Key Vault secret reference`, at);
    else value = new Unknown(`parameter '${name}' has no usable value in the nested deployment`, at);
    // Held to the budget before the nested template's type checks walk it.
    ctx.budget?.produced(value, `nested deployment parameter '${name}'`);
    out.set(name.toLowerCase(), { value, source: 'nested deployment', location: at });
  }
  return out;
}

function expandDeployment(
  env: TemplateEnv,
  ctx: EvalScope,
  decl: Record<string, JsonValue>,
  location: SourceLocation,
  name: string | Unknown,
  sink: ExpansionSink,
  problems: DeclarationProblems,
  instance: number,
  symbolicName: string | undefined,
): void {
  const deploymentName = name instanceof Unknown ? 'nested' : name;
  /** Lets `reference()` of this deployment in the template read the outputs `inner` evaluates. */
  const remember = (inner: TemplateEnv, template: Record<string, JsonValue>) => {
    const keys = name instanceof Unknown ? [] : [`name:${name}`];
    if (symbolicName !== undefined)
      keys.push(`symbol:${symbolicName}`, `symbol:${symbolicName}[${instance}]`);
    env.registerNested(keys, () =>
      withLiveRest({ outputs: nestedOutputs(inner, template) }, `deployment '${deploymentName}'`),
    );
  };
  if (env.input.depth + 1 > MAX_NESTING_DEPTH) {
    throw new TemplateError(
      'nesting-depth',
      `nested deployments go deeper than ${MAX_NESTING_DEPTH} levels`,
      location,
    );
  }
  const props = (isObject(decl.properties as Value) ? decl.properties : {}) as Record<string, JsonValue>;
  const propsLocation = env.locationOf(decl, ['properties'], location);
  const options = evaluateBody(memberOf(props, 'expressionEvaluationOptions') as JsonValue, ctx);
  const scopeOption = String((options as ValueObject | null)?.scope ?? 'outer').toLowerCase();

  // A nested deployment may target another resource group or subscription.
  const scope = { ...env.input.scope };
  const rg = 'resourceGroup' in decl ? evaluateBody(decl.resourceGroup, ctx) : undefined;
  const sub = 'subscriptionId' in decl ? evaluateBody(decl.subscriptionId, ctx) : undefined;
  // The run's location is that of its own resource group only: another one's is unknown.
  if (!sameName(rg, scope.resourceGroupName) || !sameName(sub, scope.subscriptionId))
    scope.resourceGroupLocation = '';
  if (typeof rg === 'string') scope.resourceGroupName = rg;
  if (typeof sub === 'string') scope.subscriptionId = sub;
  // A subscription, management group or tenant deployment carries its own location.
  if ('location' in decl) {
    const at = evaluateBody(decl.location, ctx);
    scope.deploymentLocation = typeof at === 'string' ? at : '';
  }
  const deployments = [...env.input.deployments, deploymentName];

  const inline = memberOf(props, 'template') as JsonValue | undefined;
  // The parameters an inner-scope or linked template receives, evaluated in this template's scope.
  const passed = () =>
    nestedParameters(memberOf(props, 'parameters') as JsonValue, ctx, env, propsLocation, problems, instance);
  const link = memberOf(props, 'templateLink') as JsonValue | undefined;
  if (isObject(inline as Value)) {
    const template = inline as Record<string, JsonValue>;
    if (scopeOption === 'inner') {
      const child = new TemplateEnv({
        ...env.input,
        template,
        supplied: passed(),
        cliValues: new Map(),
        scope,
        deploymentName,
        depth: env.input.depth + 1,
        deployments,
      });
      expandTemplate(child, sink);
      remember(child, template);
    } else {
      // Outer scope: the nested template's expressions read the parent's parameters, variables and functions.
      const view = env.outerView(template, deployments);
      expandTemplate(view, sink);
      remember(view, template);
    }
    return;
  }
  if (isObject(link as Value)) {
    const l = link as Record<string, JsonValue>;
    const relative = memberOf(l, 'relativePath');
    if (relative === undefined) {
      sink.notes.push({
        file: location.file,
        line: location.line,
        level: 'warning',
        message: `nested deployment '${deploymentName}' links a template by URI or id; it is not fetched and its resources are not assessed`,
      });
      return;
    }
    const path = evaluateBody(relative as JsonValue, ctx);
    if (path instanceof Unknown) {
      sink.notes.push({
        file: location.file,
        line: location.line,
        level: 'warning',
        message: `nested deployment '${deploymentName}': linked template path is unknown (${path.reason}); not assessed`,
      });
      return;
    }
    if (typeof path !== 'string')
      throw new TemplateError('linked-template', 'templateLink.relativePath must be a string', location);
    const doc = loadLinked(env, path, location, sink);
    if (env.input.fileChain.includes(doc.absolutePath) || doc.absolutePath === env.doc.absolutePath) {
      throw new TemplateError(
        'linked-template-cycle',
        `link cycle: ${cycleOf(env, doc.absolutePath, sink)}; the link back is not followed`,
        location,
      );
    }
    sink.expanded?.add(doc.absolutePath);
    const child = new TemplateEnv({
      ...env.input,
      doc,
      template: doc.value as Record<string, JsonValue>,
      supplied: passed(),
      cliValues: new Map(),
      scope,
      deploymentName,
      depth: env.input.depth + 1,
      fileChain: [...env.input.fileChain, env.doc.absolutePath],
      deployments,
    });
    expandTemplate(child, sink);
    remember(child, child.input.template);
    return;
  }
  sink.notes.push({
    file: location.file,
    line: location.line,
    level: 'warning',
    message: `nested deployment '${deploymentName}' has neither "template" nor "templateLink"`,
  });
}

/**
 * A nested template's outputs as `reference()` of its deployment shows them, `{ name: { type,
 * value } }`: each evaluated in that template; one that fails or reads live state is unknown.
 */
function nestedOutputs(env: TemplateEnv, template: Record<string, JsonValue>): ValueObject {
  const out: ValueObject = {};
  const outputs = template.outputs;
  if (!isObject(outputs as Value)) return out;
  const start = env.locationOf(template, ['outputs'], env.doc.start);
  const root = env.context(start);
  for (const [name, raw] of Object.entries(outputs as Record<string, JsonValue>)) {
    if (!isObject(raw as Value)) continue;
    const output = raw as Record<string, JsonValue>;
    const at = env.locationOf(outputs, [name], start);
    let value: Value;
    try {
      value =
        'copy' in output ? outputCopy(output.copy, root.at(at), at) : evaluateBody(output.value, root.at(at));
    } catch (err) {
      if (isTemplateFatal(err) || !(err instanceof TemplateError)) throw err;
      value = unknownFromError(err, at);
    }
    setProp(out, name, { type: typeof output.type === 'string' ? output.type : 'object', value });
  }
  return out;
}

/** An output written as a copy loop: `count` items of `input`, `copyIndex()` counting them. */
function outputCopy(raw: JsonValue, ctx: EvalScope, at: SourceLocation): Value {
  const loop = (isObject(raw as Value) ? raw : {}) as Record<string, JsonValue>;
  const count = copyCount(loop.count, ctx, at, 'output copy');
  if (count instanceof Unknown) return count;
  const items: Value[] = [];
  for (let i = 0; i < count; i++) items.push(evaluateBody(loop.input, ctx.withResourceLoop('output', i)));
  return items;
}
