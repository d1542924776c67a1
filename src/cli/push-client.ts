/**
 * Sends an assessment to `assay server` (docs/server.md, "Pushes"): `POST <server>/api/assessments`
 * with the push token from ASSAY_TOKEN. Network errors and 5xx answers are retried with
 * exponential backoff (a 503's Retry-After is honoured up to the cap); a 4xx answer is final,
 * since sending the same request again cannot change it. The token never appears in a message.
 */
import { TOKEN_ENV } from './serve.ts';

export interface PushOptions {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** The first retry's delay; each next one doubles (default 500 ms, env ASSAY_PUSH_BACKOFF_MS). */
  baseDelayMs?: number;
  /** The longest wait between attempts (default 30 s). */
  maxDelayMs?: number;
  /** Each attempt's time limit (default 120 s). */
  timeoutMs?: number;
  label?: string;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Said before each retry. */
  onRetry?: (message: string) => void;
}

export type PushResult =
  | { ok: true; run: number; project: string; duplicate: boolean; attempts: number }
  | { ok: false; message: string; status?: number; attempts: number };

export const PUSH_BACKOFF_ENV = 'ASSAY_PUSH_BACKOFF_MS';

/** The push endpoint under a server URL; the URL may carry a path prefix (a proxy's `/assay/`). */
export function pushEndpoint(server: string): URL {
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new Error(`'${server}' is not a URL (expected e.g. https://assay.example.org/)`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new Error(`the server URL must be http(s)://, got '${base.protocol}'`);
  if (base.username !== '' || base.password !== '')
    throw new Error(`put the token in ${TOKEN_ENV}, not in the server URL`);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return new URL('api/assessments', base);
}

function defaultDelay(): number {
  const v = Number(process.env[PUSH_BACKOFF_ENV]);
  return process.env[PUSH_BACKOFF_ENV] !== undefined && Number.isFinite(v) && v >= 0 ? v : 500;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function errorOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown; problems?: unknown };
    const problems = Array.isArray(body.problems) ? `: ${body.problems.slice(0, 5).join('; ')}` : '';
    if (typeof body.error === 'string') return `${res.status} ${body.error}${problems}`;
  } catch {
    // Not JSON: the status line says enough.
  }
  return `${res.status} ${res.statusText}`;
}

export async function pushAssessment(
  server: string,
  body: string,
  token: string | undefined,
  options: PushOptions = {},
): Promise<PushResult> {
  if (!token) return { ok: false, message: `no push token: set ${TOKEN_ENV}`, attempts: 0 };
  let endpoint: URL;
  try {
    endpoint = pushEndpoint(server);
  } catch (err) {
    return { ok: false, message: (err as Error).message, attempts: 0 };
  }
  if (options.label !== undefined) endpoint.searchParams.set('label', options.label);
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? defaultDelay();
  const cap = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? wait;
  const send = options.fetch ?? fetch;
  let last = '';
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs: number | undefined;
    try {
      const res = await send(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
        redirect: 'error',
      });
      if (res.ok) {
        const answer = (await res.json()) as { run: number; project: string; duplicate: boolean };
        return {
          ok: true,
          run: answer.run,
          project: answer.project,
          duplicate: answer.duplicate,
          attempts: attempt,
        };
      }
      last = await errorOf(res);
      lastStatus = res.status;
      if (res.status < 500) return { ok: false, message: last, status: res.status, attempts: attempt };
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) retryAfterMs = after * 1000;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      last = cause?.code ?? cause?.message ?? (err as Error).message;
      lastStatus = undefined;
    }
    if (attempt < attempts) {
      const delay = Math.min(cap, retryAfterMs ?? base * 2 ** (attempt - 1));
      options.onRetry?.(`push attempt ${attempt} of ${attempts} failed (${last}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
  return {
    ok: false,
    message: `${last} (after ${attempts} attempts)`,
    ...(lastStatus !== undefined ? { status: lastStatus } : {}),
    attempts,
  };
}
