/**
 * Exports of deployed resources, which Azure Resource Manager already gives in the shape of
 * the model: an Azure Resource Graph result (`az graph query -o json`, the paged object or an
 * array of rows), `az resource list -o json` and `az resource show -o json`. Each row becomes
 * one resource of its file; a row that is not a resource is an error naming its line, and the
 * other rows are read. docs/azure-model.md, "Live state exports".
 */
import type { InputNote } from '../../../core/model.ts';
import type { JsonValue } from '../../../json/parse.ts';
import type { JsonDocument } from '../../load/document.ts';
import type { AzureSourceReader, SourceRead } from '../source.ts';
import { isRow, mostlyRows, readRows, rowResource } from './rows.ts';

const GRAPH_NO_PROPERTIES = 'the Resource Graph query does not project them';
const LIST_NO_PROPERTIES =
  'az resource list does not include them: export with az resource show or an Azure Resource Graph query';

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `az graph query`'s paged object: `{ count, data, skip_token, total_records }`. */
function isGraphPage(value: JsonValue): value is JsonObject & { data: JsonValue[] } {
  if (!isObject(value) || !Array.isArray(value.data)) return false;
  const paged = typeof value.count === 'number' && 'total_records' in value;
  // An empty page is recognised only by its whole bookkeeping; a page with rows by its rows.
  return value.data.length === 0 ? paged && 'skip_token' in value : mostlyRows(value.data);
}

/** An array of rows; Resource Graph rows carry their `subscriptionId`, `az resource list` rows do not. */
function rowArray(value: JsonValue): 'graph' | 'list' | undefined {
  if (!Array.isArray(value) || !mostlyRows(value)) return undefined;
  const first = value.find(isRow);
  return first !== undefined && 'subscriptionId' in first ? 'graph' : 'list';
}

/**
 * Said once per export: checks that look for related resources (a storage account's
 * `blobServices`, diagnostic settings, SQL auditing settings) find only those in the scan; one
 * the export leaves out is unknown, not absent (`AzureResource.unlistedRelations`).
 */
function relatedNote(doc: JsonDocument): InputNote {
  return {
    file: doc.file,
    line: 1,
    level: 'info',
    message:
      'an export of deployed resources: checks that look for related resources (blobServices, diagnostic settings, SQL auditing settings) see those in the scanned exports; where none is there the finding is unknown, as the export may leave them out (docs/azure-model.md, "Live state exports")',
  };
}

/** A note when the page in the file is not the whole result. */
function pageNote(doc: JsonDocument, page: JsonObject & { data: JsonValue[] }): InputNote[] {
  const total = page.total_records;
  const more =
    (typeof page.skip_token === 'string' && page.skip_token.length > 0) ||
    (typeof total === 'number' && total > page.data.length);
  if (!more) return [];
  return [
    {
      file: doc.file,
      line: 1,
      level: 'warning',
      message: `one page of a larger Resource Graph result (${page.data.length} of ${typeof total === 'number' ? total : 'more'} records): only the rows in this file are assessed; export every page (az graph query --first 1000 with --skip-token) to assess the rest`,
    },
  ];
}

export const resourceGraphReader: AzureSourceReader = {
  kind: 'azure-resource-graph',
  detect: (value) => isGraphPage(value) || rowArray(value) === 'graph',
  read(doc): SourceRead {
    const value = doc.value;
    const context = { doc, noProperties: GRAPH_NO_PROPERTIES };
    if (isGraphPage(value)) {
      const { resources, errors } = readRows(value.data, context, 'data row');
      return { resources, errors, notes: [relatedNote(doc), ...pageNote(doc, value)] };
    }
    const { resources, errors } = readRows(value as JsonValue[], context, 'row');
    return { resources, errors, notes: [relatedNote(doc)] };
  },
};

export const resourceListReader: AzureSourceReader = {
  kind: 'azure-resource-list',
  detect: (value) => rowArray(value) === 'list',
  read(doc): SourceRead {
    const context = { doc, noProperties: LIST_NO_PROPERTIES };
    const { resources, errors } = readRows(doc.value as JsonValue[], context, 'row');
    return { resources, errors, notes: [relatedNote(doc)] };
  },
};

export const resourceShowReader: AzureSourceReader = {
  kind: 'azure-resource-show',
  // `properties` must be there: an object, or null for a resource type that has none.
  detect: (value) =>
    isRow(value) &&
    (value.properties === null || (value.properties !== undefined && isObject(value.properties))),
  read(doc): SourceRead {
    const row = doc.value;
    if (!isRow(row)) return { resources: [], errors: [], notes: [] };
    const resource = rowResource(row, doc.start, { doc, noProperties: LIST_NO_PROPERTIES });
    return { resources: [resource], errors: [], notes: [relatedNote(doc)] };
  },
};

/** The live-state readers, most specific first. */
export const LIVE_READERS: readonly AzureSourceReader[] = [
  resourceGraphReader,
  resourceListReader,
  resourceShowReader,
];
