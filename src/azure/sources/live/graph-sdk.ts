/**
 * Optional live mode (`assay scan --azure-subscription ID`): reads deployed resources through
 * the Azure SDK for JavaScript (`@azure/arm-resourcegraph` with `@azure/identity`'s
 * DefaultAzureCredential). The SDK is an optional peer dependency, imported only here and only
 * when live mode is asked for. Each scope's rows become one JSON document in the form
 * `az graph query -o json` prints, which the Resource Graph export reader (`index.ts`) reads:
 * a live read and a file export of the same rows give the same assessment.
 * docs/live-azure.md.
 */
import type { InputError } from '../../../core/model.ts';
import { JsonDocument } from '../../load/document.ts';

/** What to read: subscriptions and management groups, and an optional KQL filter after `Resources`. */
export interface LiveAzureQuery {
  subscriptions?: string[];
  managementGroups?: string[];
  /** KQL appended to `Resources` (`| where type =~ 'microsoft.storage/storageaccounts'`). */
  filter?: string;
}

/** One page of a Resource Graph query, as the SDK gives it. */
export interface GraphPage {
  data: unknown;
  skipToken?: string;
}

/** The Resource Graph request the SDK sends (`QueryRequest`), the part live mode uses. */
export interface GraphRequest {
  subscriptions?: string[];
  managementGroups?: string[];
  query: string;
  options: { resultFormat: 'objectArray'; skipToken?: string };
}

/** A Resource Graph client: `ResourceGraphClient` or anything with its `resources` call. */
export interface GraphClient {
  resources(request: GraphRequest): Promise<GraphPage>;
}

/** Retries of a throttled (429, Retry-After) or unavailable request, by the SDK's retry policies. */
export const GRAPH_RETRIES = 4;

export const MISSING_SDK =
  'live mode needs the Azure SDK: npm install @azure/identity@^4.10.0 @azure/arm-resourcegraph@5.0.0-beta.4';

/** The SDK is not installed: the run cannot read the scopes it was asked to. */
export class MissingSdkError extends Error {
  constructor() {
    super(MISSING_SDK);
    this.name = 'MissingSdkError';
  }
}

/** The SDK client with the default credential chain; a missing SDK is one line that says what to install. */
async function defaultClient(): Promise<GraphClient> {
  let modules: [typeof import('@azure/arm-resourcegraph'), typeof import('@azure/identity')];
  try {
    modules = await Promise.all([import('@azure/arm-resourcegraph'), import('@azure/identity')]);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw new MissingSdkError();
    throw err;
  }
  const [{ ResourceGraphClient }, { DefaultAzureCredential }] = modules;
  return new ResourceGraphClient(new DefaultAzureCredential(), {
    retryOptions: { maxRetries: GRAPH_RETRIES },
  }) as GraphClient;
}

/**
 * How live mode gets its client. Tests replace `create` with a client built on recorded
 * responses (a fake TokenCredential and the SDK's `httpClient` option); nothing else does.
 */
export const graphClientSeam: { create: () => Promise<GraphClient> } = { create: defaultClient };

/** The query: `Resources`, then the user's filter (a leading `|` optional). */
export function graphQuery(filter: string | undefined): string {
  const rest = filter?.trim().replace(/^\|\s*/, '') ?? '';
  return rest.length > 0 ? `Resources | ${rest}` : 'Resources';
}

/** One scope's read: its document (the rows read, even when a later page failed) and its error. */
export interface LiveScopeRead {
  doc?: JsonDocument;
  error?: InputError;
}

interface Scope {
  /** `subscriptions/ID` or `managementGroups/ID`: the name of its document and its errors. */
  name: string;
  what: string;
  request: Pick<GraphRequest, 'subscriptions' | 'managementGroups'>;
}

function scopesOf(query: LiveAzureQuery): Scope[] {
  return [
    ...(query.subscriptions ?? []).map((id) => ({
      name: `subscriptions/${id}`,
      what: `subscription ${id}`,
      request: { subscriptions: [id] },
    })),
    ...(query.managementGroups ?? []).map((id) => ({
      name: `managementGroups/${id}`,
      what: `management group ${id}`,
      request: { managementGroups: [id] },
    })),
  ];
}

/** The first line of an error's message, for a one-line input error. */
function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').trim().slice(0, 300);
}

/** Why a request failed, in words that say what to do. */
function reason(err: unknown, what: string): string {
  const e = err as { name?: string; statusCode?: number };
  if (
    e.name === 'AggregateAuthenticationError' ||
    e.name === 'CredentialUnavailableError' ||
    e.name === 'AuthenticationError'
  )
    return `could not sign in to Azure (DefaultAzureCredential: az login, the AZURE_* environment variables or a managed identity): ${firstLine(err)}`;
  if (e.statusCode === 401) return `Azure refused the credential (401): ${firstLine(err)}`;
  if (e.statusCode === 403)
    return `no read access to ${what} (403): the identity needs the Reader role on it: ${firstLine(err)}`;
  if (e.statusCode === 429)
    return `Azure Resource Graph throttled the query (429) and ${GRAPH_RETRIES} retries after Retry-After did not get through: run again later or narrow --azure-query`;
  return `${e.statusCode ? `HTTP ${e.statusCode}: ` : ''}${firstLine(err)}`;
}

/**
 * A page's rows. The SDK's mapper types `data` as a dictionary, so the row array arrives as an
 * object keyed "0", "1", ...; integer keys enumerate in ascending order, which is the row order.
 */
function rowsOf(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (data === null || typeof data !== 'object') return undefined;
  const keys = Object.keys(data);
  if (!keys.every((k, i) => k === String(i))) return undefined;
  return Object.values(data);
}

/** The rows as `az graph query -o json` prints them, so the export reader reads them unchanged. */
function pageText(rows: unknown[]): string {
  return `${JSON.stringify({ count: rows.length, data: rows, skip_token: null, total_records: rows.length }, null, 2)}\n`;
}

/** Reads every page of one scope; a failure keeps the rows already read and says what was lost. */
async function readScope(client: GraphClient, scope: Scope, query: string): Promise<LiveScopeRead> {
  const file = `azure:${scope.name}`;
  const rows: unknown[] = [];
  let skipToken: string | undefined;
  let pages = 0;
  let error: InputError | undefined;
  do {
    let page: GraphPage;
    try {
      page = await client.resources({
        ...scope.request,
        query,
        options: { resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      });
    } catch (err) {
      const partial =
        pages > 0
          ? ` after ${pages} page(s) (${rows.length} resources, assessed); the rest is not assessed`
          : '';
      error = {
        file,
        code: pages > 0 ? 'live-partial' : 'live-read',
        message: `reading ${scope.what} failed${partial}: ${reason(err, scope.what)}`,
      };
      break;
    }
    pages++;
    const data = rowsOf(page.data);
    if (!data) {
      error = {
        file,
        code: 'live-read',
        message: `reading ${scope.what}: page ${pages} has no row array (resultFormat objectArray expected); the rest is not assessed`,
      };
      break;
    }
    for (const row of data) rows.push(row);
    skipToken = page.skipToken || undefined;
  } while (skipToken);
  if (pages === 0) return { ...(error ? { error } : {}) };
  return { doc: new JsonDocument(file, file, pageText(rows)), ...(error ? { error } : {}) };
}

/**
 * Reads each subscription and management group in turn, one Resource Graph query each (so an
 * error names the scope it hit). Never throws for a failed scope: its error is returned and the
 * other scopes are read; a missing SDK throws its one-line message.
 */
export async function readLiveAzure(query: LiveAzureQuery): Promise<LiveScopeRead[]> {
  const scopes = scopesOf(query);
  if (scopes.length === 0) return [];
  const client = await graphClientSeam.create();
  const text = graphQuery(query.filter);
  const reads: LiveScopeRead[] = [];
  for (const scope of scopes) reads.push(await readScope(client, scope, text));
  return reads;
}
