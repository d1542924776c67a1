import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { buildAssessment } from '../core/assessment.ts';
import { evaluate } from '../core/evaluate.ts';
import { appendAll } from '../core/extent.ts';
import type { Assessment, CheckMeta, Finding, InputError, InputNote, TemplateFault } from '../core/model.ts';
import { type Waiver, waiverStage } from '../core/waivers.ts';
import type { JsonValue } from '../json/parse.ts';
import { scanBicepFiles } from './bicep-scan.ts';
import type { AzureCheck } from './checks/define.ts';
import { azureChecks } from './checks/index.ts';
import type { SuppliedParameter } from './expand/parameters.ts';
import type { ExpansionSink } from './expand/resources.ts';
import { resolveScope } from './expand/scope.ts';
import {
  expandStandalone,
  inputError,
  readOwnParameters,
  readRunParameters,
  type StandaloneSettings,
} from './expand/standalone.ts';
import type { BudgetLimits } from './expressions/budget.ts';
import type { DeploymentScope } from './expressions/context.ts';
import { type BicepCli, findBicepCli } from './load/bicep.ts';
import { classify } from './load/classify.ts';
import { type DiscoveredFile, discoverJsonFiles, displayPath } from './load/discover.ts';
import { type JsonDocument, loadDocument } from './load/document.ts';
import { expandInWorkers, type JobOutcome } from './parallel/pool.ts';
import type { RootJob } from './parallel/protocol.ts';
import { mergeResult, mergeRoot, parallelThreads, rootSink, workerInit } from './parallel/roots.ts';
import { type Boundary, describeBoundaryLocation } from './residency/boundary.ts';
import { RESIDENCY_TAG } from './residency/checks.ts';
import { AZURE_RESOURCE_KIND, type AzureResource, type AzureSubject } from './resource.ts';
import { ResourceIndex } from './resource-index.ts';
import { readerFor } from './sources/index.ts';
import { type LiveAzureQuery, readLiveAzure } from './sources/live/graph-sdk.ts';
import { resourceGraphReader } from './sources/live/index.ts';
import type { AzureSourceReader } from './sources/source.ts';
import { readTerraformFolders } from './sources/terraform/hcl-source.ts';
import { inlineSuppressions } from './suppressions.ts';

export interface AzureScanOptions {
  /**
   * Root that reported file paths are relative to, and that linked templates may not leave.
   * Default: paths are shown relative to cwd, and links may not leave the scanned path they
   * were found under (a folder: itself; a file: its folder).
   */
  root?: string;
  /** Extra parameter files (`--parameters`), applied to every template after its own parameter file. */
  parameterFiles?: string[];
  /** `-p name=value` overrides, applied last; converted to each parameter's declared type. */
  parameterOverrides?: Record<string, string>;
  /** Deployment scope used by `resourceGroup()`, `subscription()` and friends. */
  scope?: Partial<DeploymentScope>;
  /** Fixed clock for `utcNow()` (ISO 8601). Default: the scan's start time. */
  now?: string;
  /** Checks to run. Default: every built-in Azure check. */
  checks?: AzureCheck[];
  /** Risk acceptances from a waiver file; inline `metadata.assay.suppress` ones are read from the templates. */
  waivers?: Waiver[];
  /** The day waiver expiry is judged on (YYYY-MM-DD). Default: the date of `now`. */
  today?: string;
  /** The Bicep compiler for `.bicep` and `.bicepparam` files; null for none. Default: found on PATH (`findBicepCli`). */
  bicep?: BicepCli | null;
  /** Time allowed for compiling one Bicep file, in milliseconds. */
  bicepTimeoutMs?: number;
  /** Limits on each template file's expansion (docs/security.md); unset ones take their defaults. */
  budgets?: Partial<BudgetLimits>;
  /** Report skipped JSON files and other info notes. */
  verbose?: boolean;
  /** Terraform `-var-file` files and `-var` values for `.tf` configurations read without a plan. */
  terraformVarFiles?: string[];
  terraformVars?: Record<string, string>;
  /**
   * The Terraform configuration folder of the plan JSON the scan reads (`--terraform-config`),
   * whose `.tf` files give findings their lines. Default: each plan's own folder.
   */
  terraformConfig?: string;
  /**
   * Workers expanding root templates at once (`--jobs`). Default: the number of cores. A scan
   * of few or small templates expands on its own thread; the result is the same either way.
   */
  jobs?: number;
  /** Smallest scan that uses workers (default `PARALLEL_FROM`: 32 root templates and 8 MiB of them). */
  parallelFrom?: { templates: number; bytes: number };
  /**
   * Live mode: read these subscriptions and management groups through Azure Resource Graph
   * (the optional Azure SDK). Unset: no cloud call is made.
   */
  live?: LiveAzureQuery;
  /** Called after each template file. */
  onProgress?(done: number, total: number, file: string): void;
  /** Sovereign boundary (`--boundary`): the residency checks (tag `residency`) run only when it is set. */
  boundary?: Boundary;
  /**
   * Findings computed from the whole scan rather than one resource (the threat-and-risk
   * assessment), added with their checks before waivers apply, so they can be waived too.
   */
  analyse?(input: AnalysisInput): { checks: CheckMeta[]; findings: Finding[] };
}

export interface AnalysisInput {
  resources: readonly AzureResource[];
  subjects: readonly AzureSubject[];
  findings: readonly Finding[];
}

export interface AzureScanResult {
  assessment: Assessment;
  resources: AzureResource[];
  /** Workers the root templates were expanded in (1: none), and how many templates they expanded. */
  workers: { threads: number; templates: number };
}

/** A member of a parsed object by key, case-insensitively (exact key first). */
function member(node: JsonValue | undefined, key: string): JsonValue | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  if (Object.hasOwn(node, key)) return node[key];
  const lower = key.toLowerCase();
  // Only keys of the same length can match: most resources have no such member at all.
  for (const k in node) if (k.length === lower.length && k.toLowerCase() === lower) return node[k];
  return undefined;
}

/**
 * Literal `templateLink.relativePath` targets: those templates are scanned through their
 * parent, not alone. A link can only sit in a resource declaration's `properties` (a
 * deployment), so this walks resources, their child resources and inline nested templates
 * rather than every node of the template.
 */
function linkedTargets(doc: JsonDocument, into: Set<string>): void {
  const visitTemplate = (template: JsonValue | undefined, depth: number): void => {
    const resources = member(template, 'resources');
    if (Array.isArray(resources)) for (const r of resources) visitResource(r, depth);
    else if (resources !== null && typeof resources === 'object')
      for (const key in resources) visitResource(resources[key], depth);
  };
  const visitResource = (decl: JsonValue, depth: number): void => {
    // Bounded like the parser's nesting limit: a hostile file cannot recurse forever.
    if (depth > 512 || decl === null || typeof decl !== 'object' || Array.isArray(decl)) return;
    const properties = member(decl, 'properties');
    const link = member(properties, 'templateLink');
    if (link !== null && typeof link === 'object' && !Array.isArray(link)) {
      const rel = link.relativePath;
      if (typeof rel === 'string' && !rel.startsWith('[')) into.add(resolve(dirname(doc.absolutePath), rel));
    }
    const inline = member(properties, 'template');
    if (inline !== undefined) visitTemplate(inline, depth + 1);
    const children = member(decl, 'resources');
    if (Array.isArray(children)) for (const c of children) visitResource(c, depth + 1);
  };
  visitTemplate(doc.value, 0);
}

/** A template found by the scan, with the folder its links may not leave. */
interface ScannedTemplate {
  doc: JsonDocument;
  linkRoot: string;
}

/** `<name>.parameters.json` beside a template or Bicep file. */
function siblingParameterFile(absolutePath: string): string {
  return join(
    dirname(absolutePath),
    `${basename(absolutePath).replace(/\.(json|bicep)$/i, '')}.parameters.json`,
  );
}

/** The path with symlinks resolved, as linked templates are keyed; the path itself when it cannot be. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The parameter files of one folder, in discovery order, with their names lower-cased once. */
interface FolderParameters {
  docs: JsonDocument[];
  /** Lower-cased file name: the first parameter file (in discovery order) with it. */
  byName: Map<string, JsonDocument>;
}

/** Parameter files by folder: built once, so pairing a template is a lookup. */
function parameterFilesByDir(parameterDocs: readonly JsonDocument[]): Map<string, FolderParameters> {
  const byDir = new Map<string, FolderParameters>();
  for (const p of parameterDocs) {
    const dir = dirname(p.absolutePath);
    let folder = byDir.get(dir);
    if (!folder) {
      folder = { docs: [], byName: new Map() };
      byDir.set(dir, folder);
    }
    folder.docs.push(p);
    const name = basename(p.absolutePath).toLowerCase();
    if (!folder.byName.has(name)) folder.byName.set(name, p);
  }
  return byDir;
}

/** The parameter file for a template: `<name>.parameters.json`, one naming it in `metadata.template`, or `azuredeploy.parameters.json`. */
function pairParameterFile(
  template: JsonDocument,
  parametersByDir: Map<string, FolderParameters>,
  templatesInDir: number,
): JsonDocument | undefined {
  const dir = dirname(template.absolutePath);
  const folder = parametersByDir.get(dir);
  if (!folder) return undefined;
  const base = basename(template.absolutePath).replace(/\.(json|bicep)$/i, '');
  const byName = folder.byName.get(`${base}.parameters.json`.toLowerCase());
  if (byName) return byName;
  const byMetadata = folder.docs.find((p) => {
    const meta = (p.value as Record<string, JsonValue>).metadata as Record<string, JsonValue> | undefined;
    return typeof meta?.template === 'string' && resolve(dir, meta.template) === template.absolutePath;
  });
  if (byMetadata) return byMetadata;
  // azuredeploy.parameters.json is the quickstart convention; it fits the folder's only template.
  if (templatesInDir === 1) return folder.byName.get('azuredeploy.parameters.json');
  return undefined;
}

/**
 * Scans ARM templates: discovers them, expands each as Azure Resource Manager would, runs
 * the checks on every resource and assembles the assessment. Problems with one file are
 * recorded as input errors and the rest of the run goes on.
 */
export async function scanAzure(paths: string[], options: AzureScanOptions = {}): Promise<AzureScanResult> {
  const startedAt = new Date();
  const root = resolve(options.root ?? process.cwd());
  const scope = resolveScope(options.scope);
  const now = options.now ?? startedAt.toISOString();
  // Without a boundary the residency checks have nothing to judge against: they do not run.
  const checks = (options.checks ?? azureChecks).filter(
    (c) => options.boundary !== undefined || !c.meta.tags?.includes(RESIDENCY_TAG),
  );
  const errors: InputError[] = [];
  const faults: TemplateFault[] = [];
  const notes: InputNote[] = [];
  const sink: ExpansionSink = {
    root,
    resources: [],
    errors,
    faults,
    notes,
    linked: new Map(),
    expanded: new Set(),
  };

  const discovery = await discoverJsonFiles(paths, root, options.root ? root : undefined);
  for (const missing of discovery.missing)
    errors.push({ file: missing, code: 'path-missing', message: 'no such file or folder' });

  const templates: ScannedTemplate[] = [];
  const parameterDocs: JsonDocument[] = [];
  const bicepFiles: DiscoveredFile[] = [];
  const inputs: Assessment['inputs'] = [];
  const read = new Set(discovery.files.map((f) => f.absolutePath));
  /** A template named on its own still gets the `<name>.parameters.json` beside it. */
  const readSibling = async (template: string): Promise<void> => {
    const sibling = siblingParameterFile(template);
    if (read.has(sibling) || !existsSync(sibling)) return;
    read.add(sibling);
    try {
      const p = await loadDocument(displayPath(root, sibling), sibling);
      if (classify(p.value) !== 'parameters') return;
      appendAll(notes, p.notes);
      parameterDocs.push(p);
      inputs.push({ file: p.file, kind: 'arm-parameters', sha256: p.sha256 });
    } catch (err) {
      errors.push(inputError(err, displayPath(root, sibling)));
    }
  };
  /** Another Azure source (a Terraform plan, a live export or read): it yields the same model. */
  const readSource = async (doc: JsonDocument, reader: AzureSourceReader): Promise<void> => {
    const read = await reader.read(doc, {
      root,
      scope,
      now,
      ...(options.terraformConfig !== undefined ? { terraformConfig: resolve(options.terraformConfig) } : {}),
    });
    appendAll(sink.resources, read.resources);
    appendAll(errors, read.errors);
    appendAll(notes, [...doc.notes, ...read.notes]);
    inputs.push({ file: doc.file, kind: reader.kind, sha256: doc.sha256 });
  };
  const terraformFiles: DiscoveredFile[] = [];
  for (const found of discovery.files) {
    if (found.source === 'terraform') {
      terraformFiles.push(found);
      continue;
    }
    if (found.source !== 'json') {
      bicepFiles.push(found);
      if (found.explicit && found.source === 'bicep') await readSibling(found.absolutePath);
      continue;
    }
    let doc: JsonDocument;
    try {
      doc = await loadDocument(found.file, found.absolutePath);
    } catch (err) {
      errors.push(inputError(err, found.file));
      continue;
    }
    const kind = classify(doc.value);
    const reader = kind === 'other' ? readerFor(doc.value) : undefined;
    if (reader) {
      await readSource(doc, reader);
      continue;
    }
    if (kind === 'other') {
      if (found.explicit) {
        errors.push({
          file: found.file,
          line: 1,
          column: 1,
          code: 'not-a-template',
          message: 'not an ARM deployment template: its $schema is not a deploymentTemplate schema',
        });
      } else if (options.verbose) {
        notes.push({
          file: found.file,
          level: 'info',
          message: 'skipped: JSON without a deployment template $schema',
        });
      }
      continue;
    }
    appendAll(notes, doc.notes);
    inputs.push({
      file: doc.file,
      kind: kind === 'template' ? 'arm-template' : 'arm-parameters',
      sha256: doc.sha256,
    });
    if (kind === 'template') templates.push({ doc, linkRoot: found.linkRoot });
    else parameterDocs.push(doc);
    if (kind === 'template' && found.explicit) await readSibling(found.absolutePath);
  }

  // Live mode: each scope's rows in the form of a Resource Graph export, read by the same reader.
  for (const live of options.live ? await readLiveAzure(options.live) : []) {
    if (live.doc) await readSource(live.doc, resourceGraphReader);
    if (live.error) errors.push(live.error);
  }

  // Read once: a linked template found in the folder is expanded from this parse too.
  sink.documents = new Map(templates.map((t) => [realPath(t.doc.absolutePath), t.doc]));
  const extra = await readRunParameters(options.parameterFiles ?? [], { errors, inputs });
  const cliValues = new Map(
    Object.entries(options.parameterOverrides ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );

  const settings: StandaloneSettings = {
    extra,
    cliValues,
    scope,
    now,
    ...(options.budgets ? { budgets: options.budgets } : {}),
  };
  /** Expands one template as a deployment of its own, with its parameter file and the run's parameters. */
  const expandOne = (
    doc: JsonDocument,
    linkRoot: string,
    own: () => Map<string, SuppliedParameter> | undefined,
    into: ExpansionSink = sink,
  ): void => expandStandalone(doc, linkRoot, own, settings, into);

  // Templates another links to are assessed through that parent, with the parameters it
  // passes; one that no parent's expansion reached is assessed standalone afterwards.
  const linked = new Set<string>();
  for (const t of templates) linkedTargets(t.doc, linked);
  const roots = templates.filter((t) => !linked.has(t.doc.absolutePath));
  const perDir = new Map<string, number>();
  for (const t of roots)
    perDir.set(dirname(t.doc.absolutePath), (perDir.get(dirname(t.doc.absolutePath)) ?? 0) + 1);

  const parametersByDir = parameterFilesByDir(parameterDocs);
  const ownParameters = (doc: JsonDocument, into = errors): Map<string, SuppliedParameter> | undefined => {
    const paired = pairedOf(doc);
    // A parameter file ARM cannot read at all: reported, and the template is assessed without it.
    return paired && readOwnParameters(paired, into);
  };
  const pairedOf = (doc: JsonDocument) =>
    pairParameterFile(doc, parametersByDir, perDir.get(dirname(doc.absolutePath)) ?? 0);
  let done = 0;
  let total = roots.length + bicepFiles.length;
  const standalone = new Set<JsonDocument>();
  const expandRoot = (t: ScannedTemplate, result?: JobOutcome<ExpansionSink>): void => {
    standalone.add(t.doc);
    if (result?.ok === 'main') mergeRoot(result.local, sink, byPath);
    const merged =
      result?.ok === 'main' ||
      (result?.ok === true && result.sha256 === t.doc.sha256 && mergeResult(result, sink, byPath));
    if (merged) fromWorkers++;
    else expandOne(t.doc, t.linkRoot, () => ownParameters(t.doc));
    // Same result either way, but a worker that cannot run is a fault of the install: say so.
    if (result?.ok === false)
      notes.push({
        file: t.doc.file,
        level: 'warning',
        message: `a worker thread could not expand this template (${result.reason}); expanded on the main thread instead`,
      });
    options.onProgress?.(++done, total, t.doc.file);
  };
  const byPath = new Map(templates.map((t) => [t.doc.absolutePath, t.doc]));
  const threads = parallelThreads(roots, options);
  let fromWorkers = 0;
  if (threads > 1) {
    // Each root in a worker; merged in discovery order as the results come, so the run is the one-job run.
    const results: (JobOutcome<ExpansionSink> | undefined)[] = [];
    let merged = 0;
    await expandInWorkers<ExpansionSink>(
      roots.map((t): RootJob => {
        const paired = pairedOf(t.doc);
        return {
          key: realPath(t.doc.absolutePath),
          linkRoot: t.linkRoot,
          ...(paired ? { paired: { file: paired.file, absolutePath: paired.absolutePath } } : {}),
        };
      }),
      workerInit(sink, options.parameterFiles ?? [], settings),
      threads,
      (index, result) => {
        results[index] = result;
        for (let r = results[merged]; r !== undefined; r = results[merged]) {
          results[merged] = undefined;
          expandRoot(roots[merged++] as ScannedTemplate, r);
        }
      },
      // A root the main thread takes goes into a sink of its own, as in a worker.
      (index) => {
        const t = roots[index] as ScannedTemplate;
        const local = rootSink(sink.root, sink.documents);
        expandOne(t.doc, t.linkRoot, () => ownParameters(t.doc, local.errors), local);
        return local;
      },
    );
  } else for (const t of roots) expandRoot(t);
  for (const t of templates) {
    if (standalone.has(t.doc)) continue;
    if (sink.expanded?.has(t.doc.absolutePath)) {
      if (options.verbose)
        notes.push({
          file: t.doc.file,
          level: 'info',
          message: 'linked from another template; assessed through it',
        });
      continue;
    }
    standalone.add(t.doc);
    notes.push({
      file: t.doc.file,
      level: 'info',
      message:
        'linked from another template, but no deployment expanded it (a false condition, a copy loop of 0, a link cycle or an error in the parent); assessed standalone',
    });
    total++;
    expandOne(t.doc, t.linkRoot, () => ownParameters(t.doc));
    options.onProgress?.(++done, total, t.doc.file);
  }

  if (terraformFiles.length > 0) {
    // Folders whose plan or state the readers took are that plan's configuration.
    const planned = new Set(
      inputs
        .filter((i) => i.kind === 'terraform-plan' || i.kind === 'terraform-state')
        .map((i) => dirname(resolve(root, i.file))),
    );
    // `--terraform-config` names the plan's configuration folder: its .tf files only give lines.
    if (options.terraformConfig !== undefined && inputs.some((i) => i.kind === 'terraform-plan'))
      planned.add(resolve(options.terraformConfig));
    const tf = await readTerraformFolders(terraformFiles, {
      root,
      scope,
      planned,
      ...(options.terraformVarFiles ? { varFiles: options.terraformVarFiles } : {}),
      ...(options.terraformVars ? { vars: options.terraformVars } : {}),
    });
    appendAll(sink.resources, tf.resources);
    appendAll(errors, tf.errors);
    appendAll(notes, tf.notes);
    appendAll(inputs, tf.inputs);
  }

  await scanBicepFiles(bicepFiles, {
    root,
    sink,
    inputs,
    cli: options.bicep === undefined ? findBicepCli() : options.bicep,
    ...(options.bicepTimeoutMs ? { timeoutMs: options.bicepTimeoutMs } : {}),
    verbose: options.verbose === true,
    expand: expandOne,
    pairedParameters: ownParameters,
    progress: (file) => options.onProgress?.(++done, total, file),
  });
  const listed = new Set(inputs.map((i) => i.file));
  for (const doc of sink.linked.values()) {
    if (!listed.has(doc.file)) {
      listed.add(doc.file);
      inputs.push({ file: doc.file, kind: 'arm-template', sha256: doc.sha256 });
    }
  }

  const subjects = toSubjects(sink.resources);
  const suppressions = inlineSuppressions(subjects);
  appendAll(errors, suppressions.errors);
  const context = {
    resources: sink.resources,
    index: new ResourceIndex(sink.resources),
    now,
    ...(options.boundary ? { boundary: options.boundary } : {}),
  };
  const findings = evaluate(subjects, checks, context);
  const analysed = options.analyse?.({ resources: sink.resources, subjects, findings });
  if (analysed) appendAll(findings, analysed.findings);
  if (options.boundary && scope.resourceGroupLocation !== '') {
    const outside = describeBoundaryLocation(options.boundary, scope.resourceGroupLocation);
    if (outside)
      notes.push({ file: '--location', level: 'warning', message: `resource group location ${outside}` });
  }
  const waived = waiverStage(
    findings,
    [...suppressions.waivers, ...(options.waivers ?? [])],
    options.today ?? now.slice(0, 10),
  );
  notes.push(...waived.notes);
  const assessment = buildAssessment({
    domain: 'azure',
    root,
    startedAt,
    inputs,
    checks: [...checks.map((c) => c.meta), ...(analysed?.checks ?? []), ...waived.checks],
    subjects,
    findings: waived.findings,
    errors: once(errors, problemKey),
    faults: once(faults, problemKey),
    notes: once(notes, (n) => `${n.file}:${n.line}:${n.level}:${n.message}`),
  });
  if (waived.expired.length > 0) assessment.expiredWaivers = waived.expired;
  return { assessment, resources: sink.resources, workers: { threads, templates: fromWorkers } };
}

function problemKey(e: InputError | TemplateFault): string {
  return `${e.file}:${e.line}:${e.column}:${e.code}:${e.message}`;
}

/** Drops repeats: a variable read from several places fails the same way each time, but is one problem. */
function once<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toSubjects(resources: AzureResource[]): AzureSubject[] {
  const seen = new Set<string>();
  return resources.map((r) => {
    let id = r.id;
    if (seen.has(id))
      id = `${r.id}@${r.location.file}:${r.location.line}${r.copy ? `[${r.copy.index}]` : ''}`;
    seen.add(id);
    const name = typeof r.name === 'string' ? r.name : '{unknown name}';
    return { kind: AZURE_RESOURCE_KIND, id, name, type: r.type, location: r.location, data: r };
  });
}
