/**
 * The Terraform plan reader: the JSON of `terraform show -json plan.out`. Each entry of
 * `resource_changes` is one instance, assessed with the values it will have after apply
 * (`change.after`); what only apply knows (`after_unknown`) is unknown with the reason
 * "known after apply", and what is sensitive (`after_sensitive`) is unknown with the reason
 * "(sensitive)", so its value never reaches a check or a report. Instances the plan only
 * deletes are not assessed. See docs/terraform.md.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import type { InputError, SourceLocation } from '../../../core/model.ts';
import type { JsonValue } from '../../../json/parse.ts';
import type { JsonDocument } from '../../load/document.ts';
import { pathParts } from '../../resource.ts';
import type { AzureSourceReader, SourceContext, SourceRead } from '../source.ts';
import {
  locateInBlock,
  type PlanConfiguration,
  readConfiguration,
  TfBlocks,
  withoutIndexes,
} from './config.ts';
import type { TerraformInstance } from './instance.ts';
import { mapInstances } from './mapping/index.ts';
import { isJsonObject, maskedAttributes } from './values.ts';

/** Whether the document has a `format_version` Terraform wrote. */
function hasFormatVersion(value: JsonValue): value is { [key: string]: JsonValue } {
  return isJsonObject(value) && typeof value.format_version === 'string';
}

/**
 * The error for a `format_version` whose major version this reader does not know (the JSON
 * output format promises compatibility within a major version only), or undefined for 1.x.
 */
export function formatVersionError(doc: JsonDocument): InputError | undefined {
  const value = doc.value as { [key: string]: JsonValue };
  const version = String(value.format_version);
  if (version.split('.')[0] === '1') return undefined;
  const at = doc.memberLocation(value, 'format_version', doc.start);
  return {
    file: doc.file,
    line: at.line,
    column: at.column,
    code: 'unsupported-format-version',
    message: `unsupported format_version ${version}: this reader knows Terraform's JSON format 1.x`,
  };
}

/** What every Terraform JSON reader needs to place an instance: its `.tf` block when found, else the JSON. */
export interface Placement {
  doc: JsonDocument;
  config: PlanConfiguration;
  blocks: TfBlocks;
}

/**
 * Where an instance is declared and where its attributes are set: the resource block in the
 * module's `.tf` files when the configuration names the module's folder and the block is
 * found there, else the instance's entry in the JSON (`entry`, with `values` the attribute
 * object under it).
 */
export function placeInstance(
  p: Placement,
  item: { type: string; name: string; module: string },
  entry: SourceLocation,
  values: JsonValue | undefined,
): { location: SourceLocation; locate(path: string): SourceLocation } {
  const dir = p.config.moduleDirs.get(withoutIndexes(item.module));
  const block = dir === undefined ? undefined : p.blocks.find(dir, item.type, item.name);
  if (block) return { location: block.location, locate: (path) => locateInBlock(block, path) };
  return { location: entry, locate: (path) => p.doc.locate(values, pathParts(path), entry) };
}

/** The configured attributes of an instance and what they refer to, from the plan's configuration. */
export function referencesOf(
  config: PlanConfiguration,
  address: string,
): ReadonlyMap<string, readonly string[]> | undefined {
  return config.references.get(withoutIndexes(address));
}

function text(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** Reads `resource_changes` into instances; `planned_values` when a plan has no `resource_changes`. */
function planInstances(doc: JsonDocument, p: Placement, hasConfiguration: boolean): TerraformInstance[] {
  const plan = doc.value as { [key: string]: JsonValue };
  const changes = plan.resource_changes;
  const out: TerraformInstance[] = [];
  if (!Array.isArray(changes)) return moduleInstances(p, plan.planned_values, hasConfiguration);
  for (let i = 0; i < changes.length; i++) {
    const rc = changes[i];
    if (!isJsonObject(rc) || !isJsonObject(rc.change)) continue;
    const actions = Array.isArray(rc.change.actions) ? rc.change.actions : [];
    // Only deleted: nothing of it remains after apply. A replace (delete + create) is assessed.
    if (actions.length === 0 || actions.every((a) => a === 'delete')) continue;
    const after = rc.change.after;
    const address = text(rc.address);
    const item = { type: text(rc.type), name: text(rc.name), module: text(rc.module_address) };
    const entry = doc.memberLocation(changes, i, doc.start);
    const place = placeInstance(p, item, entry, after);
    const references = hasConfiguration ? referencesOf(p.config, address) : undefined;
    out.push({
      address,
      mode: rc.mode === 'data' ? 'data' : 'managed',
      ...item,
      ...(typeof rc.provider_name === 'string' ? { provider: rc.provider_name } : {}),
      values: maskedAttributes(after, rc.change.after_unknown, rc.change.after_sensitive),
      file: doc.file,
      ...place,
      ...(references ? { references } : {}),
    });
  }
  return out;
}

/**
 * Instances of a module tree as `planned_values` and a state's `values` hold them: each
 * resource with `values` and `sensitive_values`, child modules under `child_modules`.
 */
export function moduleInstances(
  p: Placement,
  values: JsonValue | undefined,
  hasConfiguration: boolean,
): TerraformInstance[] {
  const out: TerraformInstance[] = [];
  const visit = (module: JsonValue | undefined, depth: number): void => {
    if (!isJsonObject(module) || depth > 32) return;
    const resources = module.resources;
    if (Array.isArray(resources)) {
      for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        if (!isJsonObject(r)) continue;
        const address = text(r.address);
        const item = { type: text(r.type), name: text(r.name), module: text(module.address) };
        const entry = p.doc.memberLocation(resources, i, p.doc.start);
        const references = hasConfiguration ? referencesOf(p.config, address) : undefined;
        out.push({
          address,
          mode: r.mode === 'data' ? 'data' : 'managed',
          ...item,
          ...(typeof r.provider_name === 'string' ? { provider: r.provider_name } : {}),
          values: maskedAttributes(r.values, undefined, r.sensitive_values),
          file: p.doc.file,
          ...placeInstance(p, item, entry, r.values),
          ...(references ? { references } : {}),
        });
      }
    }
    const children = module.child_modules;
    if (Array.isArray(children)) for (const child of children) visit(child, depth + 1);
  };
  visit(isJsonObject(values) ? values.root_module : undefined, 0);
  return out;
}

/** Whether `path` is `folder` or inside it. */
function within(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

export const terraformPlanReader: AzureSourceReader = {
  kind: 'terraform-plan',
  detect: (value) =>
    hasFormatVersion(value) && (value.planned_values !== undefined || value.resource_changes !== undefined),
  read(doc: JsonDocument, context: SourceContext): SourceRead {
    const error = formatVersionError(doc);
    if (error) return { resources: [], errors: [error], notes: [] };
    const plan = doc.value as { [key: string]: JsonValue };
    const hasConfiguration = isJsonObject(plan.configuration);
    const p: Placement = {
      doc,
      config: readConfiguration(
        plan.configuration,
        context.terraformConfig ?? dirname(doc.absolutePath),
        // Local modules may not leave the scan root, or the folder the user named.
        context.terraformConfig !== undefined && !within(context.root, context.terraformConfig)
          ? context.terraformConfig
          : context.root,
      ),
      blocks: new TfBlocks(context.root),
    };
    return mapInstances(planInstances(doc, p, hasConfiguration), { scope: context.scope, file: doc.file });
  },
};
