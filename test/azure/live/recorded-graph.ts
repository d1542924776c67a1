/**
 * A Resource Graph client for tests: the real SDK client (`ResourceGraphClient`, its pipeline
 * and retry policies) over recorded responses. A fake TokenCredential and the SDK's
 * `httpClient` option stand in for sign-in and the network; no request leaves the process.
 */
import { readFileSync } from 'node:fs';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import {
  GRAPH_RETRIES,
  type GraphClient,
  graphClientSeam,
} from '../../../src/azure/sources/live/graph-sdk.ts';

interface Exchange {
  /** The subscription or management group queried. */
  scope: string;
  skipToken: string | null;
  response: { status: number; headers: Record<string, string>; body: unknown };
}

/** What the recorded server saw: one entry per HTTP request, in order. */
export interface Recorded {
  requests: { scope: string; skipToken: string | null; authorization: string | undefined }[];
}

/** An HttpClient answering each request with the next recorded response for its scope and $skipToken. */
function recordedHttpClient(file: string, seen: Recorded): HttpClient {
  const { exchanges } = JSON.parse(readFileSync(file, 'utf8')) as { exchanges: Exchange[] };
  const pending = [...exchanges];
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const body = JSON.parse(String(request.body)) as {
        subscriptions?: string[];
        managementGroups?: string[];
        options?: { $skipToken?: string };
      };
      const scope = body.subscriptions?.[0] ?? body.managementGroups?.[0] ?? '';
      const skipToken = body.options?.$skipToken ?? null;
      seen.requests.push({ scope, skipToken, authorization: request.headers.get('authorization') });
      const at = pending.findIndex((e) => e.scope === scope && e.skipToken === skipToken);
      if (at < 0) throw new Error(`no recorded response for ${scope} ${skipToken ?? '(first page)'}`);
      const [{ response }] = pending.splice(at, 1) as [Exchange];
      return {
        request,
        status: response.status,
        headers: createHttpHeaders(response.headers),
        bodyAsText: JSON.stringify(response.body),
      };
    },
  };
}

/** A credential that always signs in, or always fails as DefaultAzureCredential does with no sign-in. */
function fakeCredential(signedIn: boolean): TokenCredential {
  return {
    async getToken() {
      if (signedIn) return { token: 'recorded-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      const err = new Error(
        'DefaultAzureCredential failed to retrieve a token from the included credentials.\nAzureCliCredential: Please run az login.',
      );
      err.name = 'AggregateAuthenticationError';
      throw err;
    },
  };
}

/**
 * Makes live mode use the SDK over the recorded responses in `file`; returns what was
 * requested and a restore function for `after`.
 */
export function useRecordedGraph(file: string, options: { signedIn?: boolean } = {}) {
  const seen: Recorded = { requests: [] };
  const original = graphClientSeam.create;
  graphClientSeam.create = async (): Promise<GraphClient> =>
    new ResourceGraphClient(fakeCredential(options.signedIn ?? true), {
      httpClient: recordedHttpClient(file, seen),
      retryOptions: { maxRetries: GRAPH_RETRIES },
    }) as GraphClient;
  return { seen, restore: () => (graphClientSeam.create = original) };
}
