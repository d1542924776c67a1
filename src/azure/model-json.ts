import { compareText } from '../core/compare.ts';
import type { InputError, InputNote, SourceLocation } from '../core/model.ts';
import { isObject, Unknown, type Value } from './expressions/value.ts';
import type { AzureResource } from './resource.ts';
import { ResourceIndex } from './resource-index.ts';

/**
 * The normalised Azure model as JSON: what assay believes will be deployed, one entry per
 * resource instance. It is the contract between Azure sources (ARM and Bicep today) and
 * everything that reads them (checks, residency, the TRA): docs/azure-model.md describes it.
 * An undecidable value is `{ "$unknown": "<reason>" }`.
 */
export const AZURE_MODEL_SCHEMA = 'assay-azure-model/1';

export interface ModelResource {
  id: string;
  type: string;
  apiVersion: string;
  name: string | { $unknown: string };
  symbolicName?: string;
  /** Copy loop and iteration this instance came from. */
  copy?: { name: string; index: number };
  /** Nested deployments containing it, outermost first. */
  deployments: string[];
  source: SourceLocation;
  relations: {
    /** The parent resource's id: a child type's (`.../subnets/x` under its network), or an extension resource's scope. */
    parent?: string;
    /** Whether the parent is itself in the model (declared, in this scan). */
    parentDeclared?: boolean;
    /** Ids of other resources of the model that its properties name (case-insensitive match). */
    references: string[];
  };
  body: Value;
}

export interface AzureModelJson {
  schema: typeof AZURE_MODEL_SCHEMA;
  resources: ModelResource[];
  errors: InputError[];
  notes: InputNote[];
}

export function azureModelJson(
  resources: readonly AzureResource[],
  problems: { errors: InputError[]; notes: InputNote[] },
): AzureModelJson {
  const index = new ResourceIndex(resources);
  return {
    schema: AZURE_MODEL_SCHEMA,
    resources: resources.map((r) => modelResource(r, index)),
    errors: problems.errors,
    notes: problems.notes,
  };
}

function modelResource(r: AzureResource, index: ResourceIndex): ModelResource {
  const parent = parentId(r);
  const references = new Set<string>();
  collectReferences(r.body, index, r.id.toLowerCase(), references);
  return {
    id: r.id,
    type: r.type,
    apiVersion: r.apiVersion,
    name: r.name instanceof Unknown ? r.name.toJSON() : r.name,
    ...(r.symbolicName !== undefined ? { symbolicName: r.symbolicName } : {}),
    ...(r.copy ? { copy: r.copy } : {}),
    deployments: r.deployments,
    source: r.location,
    relations: {
      ...(parent !== undefined ? { parent, parentDeclared: index.withId(parent) !== undefined } : {}),
      references: [...references].sort(compareText),
    },
    body: r.body,
  };
}

/**
 * `/.../providers/NS/type/name/child/name` → `/.../providers/NS/type/name`. An extension
 * resource (`.../vaults/v/providers/Microsoft.Insights/diagnosticSettings/d`) belongs to the
 * resource before its last `/providers/`. Undefined for a top-level resource.
 */
function parentId(r: AzureResource): string | undefined {
  const lower = r.id.toLowerCase();
  const last = lower.lastIndexOf('/providers/');
  if (last > lower.indexOf('/providers/')) return r.id.slice(0, last);
  if (r.type.split('/').length <= 2) return undefined;
  const parts = r.id.split('/');
  return parts.length > 2 ? parts.slice(0, -2).join('/') : undefined;
}

/** Walks a value for strings that are the id of another resource in the model. */
function collectReferences(v: Value, index: ResourceIndex, self: string, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.length > 12 && v.charCodeAt(0) === 47 /* / */ && v.toLowerCase() !== self) {
      const target = index.withId(v);
      if (target) out.add(target.id);
    }
    return;
  }
  if (Array.isArray(v)) for (const item of v) collectReferences(item, index, self, out);
  else if (isObject(v))
    for (const item of Object.values(v)) collectReferences(item as Value, index, self, out);
}
