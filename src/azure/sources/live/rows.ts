/**
 * One row of an export of deployed resources (an Azure Resource Graph result, `az resource
 * list`, `az resource show`) as a resource of the normalised model. The rows are already what
 * Azure Resource Manager returns for a resource, so nothing is evaluated: the body is the row
 * less the export's own bookkeeping, and every position is the row's place in the file.
 */
import type { InputError, SourceLocation } from '../../../core/model.ts';
import type { JsonValue } from '../../../json/parse.ts';
import { Unknown, type Value, type ValueObject } from '../../expressions/value.ts';
import type { JsonDocument } from '../../load/document.ts';
import { type AzureResource, pathParts } from '../../resource.ts';
import { canonicalType } from './types.ts';

/** Fields an export adds about where a resource sits or when it changed: not part of the resource. */
const BOOKKEEPING = new Set([
  'resourcegroup',
  'subscriptionid',
  'tenantid',
  'createdtime',
  'changedtime',
  'provisioningstate',
]);

/** Members Resource Graph writes as `""` when a resource has none. */
const EMPTY_MEANS_NONE = new Set(['kind', 'managedby']);

/** The members a row needs to be read: a resource id in a subscription and a type. */
export interface LiveRow {
  id: string;
  type: string;
  [key: string]: JsonValue;
}

/** Whether a value is an object with a string `id` under `/subscriptions/` and a string `type`. */
export function isRow(value: JsonValue | undefined): value is LiveRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { id, type } = value;
  return (
    typeof id === 'string' &&
    id.slice(0, 15).toLowerCase() === '/subscriptions/' &&
    typeof type === 'string' &&
    type.length > 0
  );
}

/**
 * Whether at least half the elements of an array, and at least one, are rows: a few malformed
 * rows are reported rather than making the file unrecognised, but an array of other things is
 * not taken for an export because one element looks like a resource.
 */
export function mostlyRows(values: readonly JsonValue[]): boolean {
  let rows = 0;
  for (const v of values) if (isRow(v)) rows++;
  return rows > 0 && rows * 2 >= values.length;
}

/**
 * The full name from a resource id: the names after the last provider namespace joined by
 * `/` (`.../providers/Microsoft.Sql/servers/s/databases/d` gives `s/d`), as a template names a
 * child resource; the id's last segment when the id has no provider part.
 */
export function nameFromId(id: string, fallback: JsonValue | undefined): string {
  const parts = id.split('/').filter((p) => p.length > 0);
  let providers = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if ((parts[i] as string).toLowerCase() === 'providers') {
      providers = i;
      break;
    }
  }
  const rest = providers < 0 ? [] : parts.slice(providers + 2);
  if (rest.length >= 2 && rest.length % 2 === 0) return rest.filter((_, i) => i % 2 === 1).join('/');
  if (typeof fallback === 'string' && fallback.length > 0) return fallback;
  return parts[parts.length - 1] ?? id;
}

/** A member of a row by key, ignoring case as ARM does. */
function memberOf(row: Record<string, JsonValue>, key: string): JsonValue | undefined {
  if (Object.hasOwn(row, key)) return row[key];
  const lower = key.toLowerCase();
  for (const k in row) if (k.toLowerCase() === lower) return row[k];
  return undefined;
}

/** What reading rows needs besides the row itself. */
export interface RowContext {
  doc: JsonDocument;
  /** Why `properties` is unknown when a row carries none (depends on the export). */
  noProperties: string;
}

/** A row as a resource: the body is the row less bookkeeping and members that say "none" (null, an empty kind). */
export function rowResource(row: LiveRow, location: SourceLocation, context: RowContext): AzureResource {
  const { doc } = context;
  const type = canonicalType(row.type);
  const name = nameFromId(row.id, row.name);
  const body: ValueObject = {};
  for (const key in row) {
    const value = row[key] as JsonValue;
    const lower = key.toLowerCase();
    if (value === null || BOOKKEEPING.has(lower) || (value === '' && EMPTY_MEANS_NONE.has(lower))) continue;
    body[key] = value as Value;
  }
  // Set in place so the keys keep the row's order; written in the model's spelling.
  body.type = type;
  body.name = name;
  const properties = memberOf(row, 'properties');
  if (properties === undefined || properties === null) {
    // Absent is not "unset": the export did not carry them, so nothing about them is decided.
    body.properties = new Unknown(
      `the export has no properties for this resource (${context.noProperties})`,
      location,
    );
  }
  return {
    type,
    apiVersion: '',
    name,
    id: row.id,
    body,
    deployments: [],
    file: doc.file,
    tree: doc.absolutePath,
    location,
    locate: (path: string) => doc.locate(row, pathParts(path), location),
    // An export lists resources one by one: a child it leaves out may well be deployed.
    unlistedRelations: RELATED_UNLISTED,
  };
}

const RELATED_UNLISTED =
  'an export of deployed resources may leave out its children and extension resources (blobServices, diagnostic settings, auditing settings): add their az resource show output to the scan to decide';

/** What a malformed element is missing, for its error. */
function problemOf(value: JsonValue): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a resource object`;
  const id = value.id;
  if (typeof id !== 'string') return 'has no string "id"';
  if (id.slice(0, 15).toLowerCase() !== '/subscriptions/')
    return `has an "id" that is not a resource id under /subscriptions/ (${JSON.stringify(id.slice(0, 80))})`;
  return 'has no string "type"';
}

/** Reads the rows of an array: each one that is a resource becomes one; the others become errors naming their line. */
export function readRows(
  rows: readonly JsonValue[],
  context: RowContext,
  where: string,
): { resources: AzureResource[]; errors: InputError[] } {
  const { doc } = context;
  const resources: AzureResource[] = [];
  const errors: InputError[] = [];
  rows.forEach((row, i) => {
    const location = doc.memberLocation(rows, i, doc.start);
    if (isRow(row)) {
      resources.push(rowResource(row, location, context));
      return;
    }
    errors.push({
      file: doc.file,
      line: location.line,
      column: location.column,
      code: 'live-row',
      message: `${where} ${i + 1} ${problemOf(row)}; it is not assessed`,
    });
  });
  return { resources, errors };
}
