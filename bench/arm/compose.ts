/**
 * Composes whole corpus entries: one root template (scenario modules, nested deployments
 * with inline templates, linked templates by relativePath, filler modules up to a drawn
 * size), its parameter file, and the text quirks real repositories have (// comments,
 * trailing commas, mixed-case function names, indentation styles).
 */

import { nullToNested, typedNsg } from './modern.ts';
import {
  aks,
  appGateway,
  containerRegistry,
  cosmos,
  diagnosticSettings,
  keyVault,
  LEAF_MODULES,
  logAnalytics,
  type Module,
  managedIdentity,
  network,
  recoveryVault,
  redis,
  roleAssignment,
  serviceBus,
  sqlServer,
  storage,
  virtualMachine,
  webApp,
} from './modules.ts';
import { Rng } from './prng.ts';
import {
  type BuildStats,
  DEPLOYMENT_PARAMETERS_SCHEMA,
  type Json,
  type JsonObject,
  type Ref,
  Template,
  type TemplateStyle,
  x,
} from './template.ts';

/** Bump when the output changes, so a cached corpus is regenerated. */
export const GENERATOR_VERSION = 4;

export interface GeneratedFile {
  /** Path relative to the corpus directory, with forward slashes. */
  path: string;
  text: string;
  kind: 'template' | 'parameters' | 'other';
  /** The text has comments or trailing commas (not plain JSON). */
  jsonc: boolean;
}

const SCENARIOS: readonly (readonly [string, Module[], number])[] = [
  ['storage', [storage], 12],
  ['webapp', [webApp], 7],
  ['webapp-sql', [storage, sqlServer, webApp], 5],
  ['vm', [virtualMachine], 14],
  ['network', [network], 8],
  ['keyvault', [keyVault], 6],
  ['keyvault-diagnostics', [keyVault, diagnosticSettings], 3],
  ['sql', [sqlServer], 7],
  ['aks', [logAnalytics, aks], 6],
  ['cosmos', [cosmos], 5],
  ['redis', [redis], 4],
  ['appgateway', [network, appGateway], 4],
  ['monitoring', [logAnalytics, diagnosticSettings], 5],
  ['backup', [recoveryVault], 3],
  ['rbac', [managedIdentity, roleAssignment], 4],
  ['acr', [containerRegistry], 3],
  ['servicebus', [serviceBus], 3],
];

function drawStyle(rng: Rng): TemplateStyle {
  const copyish = rng.chance(0.22);
  const conditional = rng.chance(0.1);
  return {
    // Most templates written today are compiled from Bicep; a quarter use languageVersion 2.0.
    symbolic: rng.chance(0.25),
    copyP: copyish ? 0.55 : 0.01,
    conditionP: conditional ? 0.4 : 0.002,
    referenceP: rng.chance(0.35) ? 0.6 : 0.08,
    secureP: rng.pick([0.15, 0.35, 0.5, 0.7, 0.9]),
    inlineLocation: rng.chance(0.15),
    nestedChildren: rng.chance(0.3),
    describeParameters: rng.chance(0.75),
    userFunctions: rng.chance(0.02),
  };
}

/** Target size of a root template in bytes: mostly a few KB, a long tail to ~200 KB. */
function drawSize(rng: Rng): number {
  const [lo, hi] = rng.weighted<[number, number]>([
    [[2_000, 12_000], 60],
    [[12_000, 40_000], 28],
    [[40_000, 100_000], 10],
    [[100_000, 185_000], 2],
  ]);
  return Math.round(lo * (hi / lo) ** rng.next());
}

/** Parameters a nested (inner scope) or linked template receives from its parent. */
function passParameters(parent: Template, child: Template): JsonObject {
  const r = parent.rng;
  const out: JsonObject = {};
  const owner = parent.scopeOwner;
  for (const [name, spec] of Object.entries(child.parameters)) {
    const required = spec.defaultValue === undefined && spec.nullable !== true;
    if (owner.parameters[name]) {
      if (required || r.chance(0.8)) out[name] = { value: x(parent.p(name)) };
    } else if (required) {
      const sample = child.parameterSamples[name];
      const declared = parent.param(name, { ...spec }, sample === undefined ? {} : { sample });
      out[name] = { value: x(parent.p(declared)) };
    } else if (r.chance(0.3) && typeof spec.defaultValue !== 'string') {
      out[name] = { value: spec.defaultValue };
    } else if (r.chance(0.3) && Array.isArray(spec.allowedValues)) {
      out[name] = { value: r.pick(spec.allowedValues) };
    }
  }
  return out;
}

function fillModules(t: Template, n: number): void {
  for (let i = 0; i < n; i++) t.rng.weighted(LEAF_MODULES)(t);
}

function deploymentName(t: Template, base: string): { name: string; literal: string | undefined } {
  const r = t.rng;
  if (r.chance(0.7)) {
    const literal = t.literal(base);
    return { name: literal, literal };
  }
  return { name: x(`format('${base}-{0}', uniqueString(resourceGroup().id))`), literal: undefined };
}

/** A Microsoft.Resources/deployments resource with an inline template (scope inner or outer). */
export function nestedDeployment(t: Template): Ref {
  const r = t.rng;
  const inner = r.chance(0.65);
  const child = new Template(r, t.style, t.stats, inner ? undefined : t, t.depth + 1);
  fillModules(child, r.int(1, 3));
  if (t.depth < 1 && r.chance(0.1)) nestedDeployment(child);
  const type = 'Microsoft.Resources/deployments';
  const { name, literal } = deploymentName(
    t,
    r.pick(['storageDeployment', 'networkDeployment', 'nestedTemplate', 'appDeployment', 'dataDeployment']),
  );
  const props: JsonObject = {};
  if (inner) {
    props.expressionEvaluationOptions = { scope: 'inner' };
    t.stats.nestedInner++;
  } else {
    if (r.chance(0.6)) props.expressionEvaluationOptions = { scope: 'outer' };
    t.stats.nestedOuter++;
  }
  props.mode = 'Incremental';
  if (inner) props.parameters = passParameters(t, child);
  if (inner && r.chance(0.5)) {
    const first = child.refs.find((ref) => !ref.copyName);
    if (first) child.outputs[child.symbol('resourceId')] = { type: 'string', value: x(child.id(first)) };
  }
  props.template = child.toJson();
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, ['2022-09-01', '2021-04-01', '2020-10-01']),
    name,
  };
  if (r.chance(0.08)) {
    const rg = t.param(
      'secondaryResourceGroup',
      { type: 'string', defaultValue: 'rg-shared' },
      { shared: true, description: 'Resource group for the shared resources.' },
    );
    decl.resourceGroup = x(t.p(rg));
  }
  let copyName: string | undefined;
  if (!literal && r.chance(0.15)) {
    copyName = t.symbol('deploymentLoop');
    decl.name = x(`concat('nested-', copyIndex())`);
    decl.copy = { name: copyName, count: r.int(2, 3) };
    t.stats.resourceCopy++;
  }
  const dependOn = t.refs.filter((ref) => ref.owner === t).slice(0, 1);
  if (dependOn.length > 0 && r.chance(0.5)) decl.dependsOn = dependOn.map((ref) => t.dep(ref));
  decl.properties = props;
  t.maybeCondition(decl);
  const segs = [literal ? `'${literal}'` : String(decl.name).slice(1, -1)];
  const ref = t.add(literal ?? 'deployment', decl, segs, copyName);
  const childOutputs = Object.keys(child.outputs);
  if (literal && !copyName && childOutputs.length > 0 && r.chance(0.6)) {
    const out = r.pick(childOutputs);
    const value =
      t.symbolic && r.chance(0.5)
        ? `reference('${ref.sym}').outputs.${out}.value`
        : r.chance(0.5)
          ? `reference('${literal}').outputs.${out}.value`
          : `reference(resourceId('${type}', '${literal}'), '${ref.apiVersion}').outputs.${out}.value`;
    t.outputs[t.symbol(`${literal}Output`)] = {
      type: String(child.outputs[out].type ?? 'string'),
      value: x(value),
    };
  }
  return ref;
}

/** A deployment of a template in a file beside this one, via templateLink.relativePath. */
export function linkedDeployment(t: Template, fileBase: string): Ref {
  const r = t.rng;
  const child = new Template(
    r,
    { ...t.style, symbolic: false, inlineLocation: false },
    t.stats,
    undefined,
    0,
  );
  fillModules(child, r.int(1, 3));
  const relativePath = `linked/${fileBase}-${t.linked.length + 1}.json`;
  t.linked.push({ relativePath, template: child });
  t.stats.linked++;
  const type = 'Microsoft.Resources/deployments';
  const { name, literal } = deploymentName(t, 'linkedTemplate');
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, ['2022-09-01', '2021-04-01', '2020-10-01']),
    name,
    properties: {
      mode: 'Incremental',
      templateLink: { relativePath, contentVersion: '1.0.0.0' },
      parameters: passParameters(t, child),
    },
  };
  return t.add(literal ?? 'linkedDeployment', decl, [literal ? `'${literal}'` : String(name).slice(1, -1)]);
}

function size(t: Template): number {
  return JSON.stringify(t.toJson(), null, 2).length;
}

/** Values for a parameter file: every required parameter, some overrides. */
function parameterFile(t: Template, rng: Rng): JsonObject {
  const params: JsonObject = {};
  for (const [name, spec] of Object.entries(t.parameters)) {
    const sample = t.parameterSamples[name];
    // A nullable parameter is optional: without a value it is null.
    const required = spec.defaultValue === undefined && spec.nullable !== true;
    let value: Json | undefined;
    if (required) value = sample ?? sampleFor(spec.type ?? 'object', rng);
    else if (Array.isArray(spec.allowedValues) && rng.chance(0.4)) value = rng.pick(spec.allowedValues);
    else if (sample !== undefined && rng.chance(0.35)) value = sample;
    if (value === undefined) continue;
    if (spec.type === 'securestring' && required && rng.chance(0.4)) {
      params[name] = {
        reference: {
          keyVault: {
            id: `/subscriptions/${rng.guid()}/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-deploy-${rng.hex(4)}`,
          },
          secretName: name,
        },
      };
    } else params[name] = { value };
  }
  return { $schema: DEPLOYMENT_PARAMETERS_SCHEMA, contentVersion: '1.0.0.0', parameters: params };
}

function sampleFor(type: string, rng: Rng): Json {
  switch (type.toLowerCase()) {
    case 'int':
      return rng.int(1, 5);
    case 'bool':
      return rng.chance(0.5);
    case 'array':
      return [];
    case 'object':
      return {};
    case 'securestring':
      return `Gen-${rng.hex(12)}!`;
    default:
      return `value-${rng.hex(6)}`;
  }
}

// --- Text quirks ---------------------------------------------------------------------------

const COMMENTS = [
  'Parameters the deployment expects',
  'TODO: tighten this before production',
  'Variables derived from the parameters',
  'Resources',
  'See https://learn.microsoft.com/azure/azure-resource-manager/templates/',
  'Outputs used by the pipeline',
  'Keep in sync with the parameter file',
  'Generated from the platform baseline',
];

/** Whole-line `//` comments and one block comment; never inside strings. */
function addComments(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let added = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)"(parameters|variables|resources|outputs|functions|type|properties|sku)":/.exec(
      lines[i],
    );
    if (m && (m[1].length <= 2 ? rng.chance(0.7) : rng.chance(0.04)) && added < 12) {
      out.push(`${m[1]}// ${rng.pick(COMMENTS)}`);
      added++;
    }
    out.push(lines[i]);
    if (i === 0 && rng.chance(0.4)) {
      out.push(
        '  /*',
        '   * Deployment template for the benchmark corpus.',
        '   * Review the security settings before use.',
        '   */',
      );
    }
  }
  return out.join('\n');
}

/** Up to three trailing commas before a closing bracket. */
function addTrailingCommas(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const candidates: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const cur = lines[i].trimEnd();
    const next = lines[i + 1].trim();
    if (!/^[}\]]/.test(next)) continue;
    if (
      cur.endsWith(',') ||
      cur.endsWith('{') ||
      cur.endsWith('[') ||
      cur.trim().startsWith('//') ||
      cur.trim() === ''
    )
      continue;
    candidates.push(i);
  }
  for (const i of rng.sample(candidates, rng.int(1, 3))) lines[i] = `${lines[i].trimEnd()},`;
  return lines.join('\n');
}

const MIXED_CASE: readonly [RegExp, string][] = [
  [/copyIndex\(/g, 'copyindex('],
  [/listKeys\(/g, 'listkeys('],
  [/resourceGroup\(\)/g, 'resourcegroup()'],
  [/uniqueString\(/g, 'uniquestring('],
  [/resourceId\(/g, 'resourceid('],
];

function mixCase(text: string, rng: Rng): string {
  let out = text;
  for (const [re, to] of rng.sample(MIXED_CASE, rng.int(1, 3))) out = out.replace(re, to);
  return out;
}

/** Strips what the generator's JSONC quirks add so JSON.parse accepts the text (the floor's equivalent). */
export function stripJsonc(text: string): string {
  return text
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/^\s*\/\*[\s\S]*?\*\/\s*$/gm, '')
    .replace(/,(\s*[}\]])/g, '$1');
}

function serialize(value: JsonObject, rng: Rng): string {
  const indent = rng.weighted<string | number>([
    [2, 80],
    [4, 15],
    ['\t', 5],
  ]);
  return `${JSON.stringify(value, null, indent)}\n`;
}

// --- Entries ---------------------------------------------------------------------------------

export interface Entry {
  files: GeneratedFile[];
  /** Deployment template files in the entry (root + linked). */
  templates: number;
}

/** Builds corpus entry `index`: its root template and the files that go with it. Deterministic in `index`. */
export function buildEntry(index: number, stats: BuildStats): Entry {
  const rng = new Rng(`assay-bench-arm:v${GENERATOR_VERSION}:${index}`);
  const style = drawStyle(rng);
  const t = new Template(rng, style, stats);
  const [scenario, modules] = rng.weighted(SCENARIOS.map(([n, m, w]) => [[n, m] as const, w] as const));
  for (const m of modules) m(t);
  const group = `g${String(Math.floor(index / 100)).padStart(2, '0')}`;
  const base = `${String(index).padStart(4, '0')}-${scenario}`;
  const nestedP = rng.chance(0.11) ? 0.35 : 0.005;
  if (nestedP > 0.1) for (let i = rng.int(1, 2); i > 0; i--) nestedDeployment(t);
  if (rng.chance(0.035)) for (let i = rng.int(1, 2); i > 0; i--) linkedDeployment(t, base);
  if (rng.chance(0.25)) roleAssignment(t);
  // Today's Bicep output: typed and nullable parameters, imported types, null to nested deployments.
  if (t.symbolic) typedNsg(t);
  if (rng.chance(t.symbolic ? 0.5 : 0.05)) nullToNested(t);
  const target = drawSize(rng);
  for (let guard = 0; guard < 200 && size(t) < target; guard++) {
    if (rng.chance(nestedP)) nestedDeployment(t);
    else rng.weighted(LEAF_MODULES)(t);
  }
  if (rng.chance(0.35)) {
    t.metadata = {
      _generator: {
        name: 'bicep',
        version: `0.${rng.int(18, 28)}.${rng.int(1, 60)}.${rng.int(1000, 60000)}`,
        templateHash: String(rng.int(1e9, 2e9)) + rng.int(1e8, 9e8),
      },
    };
  } else if (rng.chance(0.3)) {
    t.metadata = {
      description: `Deploys the ${scenario} baseline.`,
      author: rng.pick(['platform-team', 'contoso-cloud', 'sre']),
    };
  }
  const files: GeneratedFile[] = [];
  const comments = rng.chance(0.04);
  const trailing = rng.chance(0.02);
  const mixed = rng.chance(0.03);
  let text = serialize(t.toJson(), rng);
  if (mixed) text = mixCase(text, rng);
  if (comments || trailing) {
    const plain = text;
    if (comments) text = addComments(text, rng);
    if (trailing) text = addTrailingCommas(text, rng);
    // The floor strips these quirks with stripJsonc(); make sure that gives the same value.
    if (JSON.stringify(JSON.parse(stripJsonc(text))) !== JSON.stringify(JSON.parse(plain))) {
      throw new Error(`entry ${index}: stripJsonc() does not undo the JSONC quirks`);
    }
  }
  files.push({ path: `${group}/${base}.json`, text, kind: 'template', jsonc: comments || trailing });
  for (const linked of t.linked) {
    files.push({
      path: `${group}/${linked.relativePath}`,
      text: serialize(linked.template.toJson(), rng),
      kind: 'template',
      jsonc: false,
    });
  }
  const required = Object.values(t.parameters).some((p) => p.defaultValue === undefined);
  if (rng.chance(required ? 0.6 : 0.25)) {
    files.push({
      path: `${group}/${base}.parameters.json`,
      text: serialize(parameterFile(t, rng), rng),
      kind: 'parameters',
      jsonc: false,
    });
  }
  return { files, templates: 1 + t.linked.length };
}

/** A quickstart-style metadata.json per group: JSON that is not a template (the scanner skips it). */
export function groupMetadata(group: number): GeneratedFile {
  const rng = new Rng(`assay-bench-arm:v${GENERATOR_VERSION}:metadata:${group}`);
  const value: JsonObject = {
    $schema: 'https://aka.ms/azure-quickstart-templates-metadata-schema#',
    type: 'QuickStart',
    itemDisplayName: `Benchmark group ${group}`,
    description: 'Templates generated for the assay ARM scanner benchmark.',
    summary: 'Synthetic but realistic deployment templates.',
    githubUsername: rng.pick(['contoso', 'fabrikam']),
    dateUpdated: `2025-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
  };
  return {
    path: `g${String(group).padStart(2, '0')}/metadata.json`,
    text: `${JSON.stringify(value, null, 2)}\n`,
    kind: 'other',
    jsonc: false,
  };
}
