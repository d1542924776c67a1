/**
 * azapi: `azapi_resource` is already ARM. Its `type` is `<ARM type>@<api version>`, its `body`
 * the ARM body (an object in azapi 2.x, a JSON string in 1.x), and its id is the parent's id
 * plus the type and name.
 */
import { isObject, Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  type Draft,
  type MappingContext,
  nameOf,
  partText,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

/** `Microsoft.Storage/storageAccounts@2023-05-01` -> type and api version. */
function splitType(v: Value | undefined): { type: string; apiVersion: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const at = v.indexOf('@');
  return at > 0 ? { type: v.slice(0, at), apiVersion: v.slice(at + 1) } : undefined;
}

/** The body as an object: azapi 1.x holds it as JSON text. */
function bodyOf(i: TerraformInstance): Value | undefined {
  const body = attr(i, 'body');
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as Value;
  } catch {
    return new Unknown(`${i.address}: body is not JSON`, i.location);
  }
}

/** The ARM name: a child's parent names from `parent_id` (`.../storageAccounts/acct/blobServices/default`). */
function armName(type: string, parentId: Value | undefined, leaf: string | Unknown): string | Unknown {
  const depth = type.split('/').length - 2;
  if (depth === 0 || leaf instanceof Unknown) return leaf;
  if (typeof parentId !== 'string')
    return parentId instanceof Unknown ? parentId : new Unknown('parent_id is not set');
  const parts = parentId.split('/');
  const names: string[] = [];
  for (let k = parts.length - 1; k > 0 && names.length < depth; k -= 2) names.unshift(parts[k] as string);
  return [...names, leaf].join('/');
}

function mapResource(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const typed = splitType(attr(i, 'type'));
  if (!typed) return [];
  const leaf = nameOf(i);
  const parentId = attr(i, 'parent_id');
  const name = armName(typed.type, parentId, leaf);
  const segments = typed.type.split('/');
  const id = `${partText(parentId, 'parent_id')}/providers/${segments[0]}/${segments.slice(1).join('/')}/${partText(leaf, 'name')}`;
  const d = standardDraft(ctx, i, {
    ...typed,
    name,
    id: typeof attr(i, 'id') === 'string' ? String(attr(i, 'id')) : id,
  });
  const body = bodyOf(i);
  if (body instanceof Unknown) d.set('properties', body, 'body');
  else if (isObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'name' || key === 'type' || key === 'apiVersion') continue;
      d.set(key, value, `body.${key}`);
    }
  }
  return [d];
}

export const azapiMappings: TypeMapping[] = [
  { tfType: 'azapi_resource', armType: '(the type it names)', map: mapResource },
];
