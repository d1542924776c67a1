/**
 * The dashboard server: a read-only JSON API over a Store, and the UI (web/) that reads it.
 * Security model (docs/dashboard.md): loopback by default; with a token, every /api call
 * needs `Authorization: Bearer <token>`; without one, requests must name a loopback host
 * (a page on another site that rebinds its DNS name to 127.0.0.1 cannot read the API);
 * only GET; source lines only from the run's own input files; strict CSP on every answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { SEVERITIES, type Severity, STATUSES, type Status } from '../core/model.ts';
import { escapeHtml } from '../report/html-escape.ts';
import { getWebAssets, type WebAssets } from '../report/web-assets.ts';
import { StoreError } from '../store/errors.ts';
import { FINDING_GROUP_BYS, FINDING_SORT_KEYS, type FindingGroupBy, type Store } from '../store/store.ts';
import type { FindingFilter, RunList, RunMeta, SourceSnippet, SubjectRef, SubjectView } from './api-types.ts';
import { readRunBody } from './run-body.ts';
import { chooseSeries, seriesInfo } from './series-view.ts';
import { readInputLines } from './source.ts';

export interface AppOptions {
  /** When set, every /api request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** The UI bundle; defaults to building or reading the cached one on first request. */
  assets?: () => Promise<WebAssets>;
  /** Runs whose metadata stays in memory (each holds its subjects list). */
  cacheRuns?: number;
  /** The caller (assay server, src/server/multi/) has authenticated the request already. */
  authenticated?: boolean;
}

/** The largest run number the store can hold (its `run` column is a 32-bit INTEGER). */
const MAX_RUN = 2 ** 31 - 1;
const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;
const SOURCE_CONTEXT_DEFAULT = 3;
const SOURCE_CONTEXT_MAX = 20;

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 421 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** 127.0.0.0/8, ::1 and localhost: the addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison: both sides are hashed first, so lengths match and nothing leaks through timing. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

function hostname(host: string | undefined): string {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0].toLowerCase();
}

/**
 * The dashboard page. `mount.api` is the path the UI's API calls start with (assay server's
 * `/projects/<name>`), `mount.org` shows the organisation-wide view (web/views/org.ts).
 */
export function dashboardPage(
  assets: Pick<WebAssets, 'hash'>,
  mount: { api?: string; org?: boolean } = {},
): string {
  const v = assets.hash.slice(0, 16);
  const attrs =
    (mount.api !== undefined ? ` data-api="${escapeHtml(mount.api)}"` : '') +
    (mount.org ? ' data-org="1"' : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>assay dashboard</title>
<link rel="stylesheet" href="/assets/app.css?v=${v}">
</head>
<body>
<div id="app"${attrs}><noscript>The assay dashboard needs JavaScript.</noscript></div>
<script src="/assets/app.js?v=${v}"></script>
</body>
</html>
`;
}

function list<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T[] | undefined {
  if (!value) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items)
    if (!(allowed as readonly string[]).includes(item))
      throw new HttpError(400, `unknown ${name} '${item}'; expected ${allowed.join(', ')}`);
  return items as T[];
}

function int(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new HttpError(400, `${name} must be a whole number, got '${value}'`);
  return Math.min(max, Math.max(min, Number(value)));
}

export function filterFromParams(q: (key: string) => string | undefined): FindingFilter {
  const filter: FindingFilter = {
    limit: int(q('limit'), 'limit', PAGE_DEFAULT, 0, PAGE_MAX),
    offset: int(q('offset'), 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
  const severity = list<Severity>(q('severity'), SEVERITIES, 'severity');
  const status = list<Status>(q('status'), STATUSES, 'status');
  const checks = q('check')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (severity) filter.severity = severity;
  if (status) filter.status = status;
  if (checks?.length) filter.checkId = checks;
  for (const key of ['control', 'subject', 'file', 'text', 'type'] as const) {
    const v = q(key);
    if (v) filter[key] = v;
  }
  const sort = q('sort');
  if (sort) {
    const key = sort.startsWith('-') ? sort.slice(1) : sort;
    if (!(FINDING_SORT_KEYS as readonly string[]).includes(key))
      throw new HttpError(
        400,
        `unknown sort '${sort}'; expected one of ${FINDING_SORT_KEYS.join(', ')}, '-' before it for the reverse`,
      );
    filter.sort = sort;
  }
  const group = q('group');
  if (group) {
    if (!(FINDING_GROUP_BYS as readonly string[]).includes(group))
      throw new HttpError(400, `unknown group '${group}'; expected ${FINDING_GROUP_BYS.join(', ')}`);
    filter.groupBy = group as FindingGroupBy;
  }
  return filter;
}

interface RunCache {
  meta: RunMeta;
  subjects: Map<string, SubjectRef>;
  root: string;
  inputs: RunMeta['inputs'];
}

export function createApp(store: Store, options: AppOptions = {}): Hono {
  const app = new Hono();
  const loadAssets = options.assets ?? (() => getWebAssets());
  const cacheSize = options.cacheRuns ?? 4;
  const runs = new Map<number, Promise<RunCache | undefined>>();

  // Runs are immutable once saved, so a run's metadata can be kept; the oldest entry goes first.
  function runCache(run: number): Promise<RunCache | undefined> {
    let entry = runs.get(run);
    if (entry) {
      runs.delete(run);
      runs.set(run, entry);
      return entry;
    }
    entry = readRunBody(store, run).then((a) => {
      if (!a) return undefined;
      const { subjects, ...rest } = a;
      return {
        meta: { ...rest, run, subjectCount: subjects.length },
        subjects: new Map(subjects.map((s) => [s.id, s])),
        root: a.root,
        inputs: a.inputs,
      };
    });
    entry.then(
      (v) => v === undefined && runs.delete(run),
      () => runs.delete(run),
    );
    runs.set(run, entry);
    while (runs.size > cacheSize) runs.delete(runs.keys().next().value as number);
    return entry;
  }

  async function resolveRun(c: Context): Promise<{ run: number; cache: RunCache }> {
    const param = c.req.param('run') ?? '';
    let run: number;
    if (param === 'latest') {
      const [latest] = await store.listRuns({ limit: 1 });
      if (!latest) throw new HttpError(404, 'no runs saved yet');
      run = latest.run;
    } else if (/^\d+$/.test(param)) run = Number(param);
    else throw new HttpError(400, `a run is a number or 'latest', got '${param}'`);
    // Run numbers are 32-bit in the store: a larger one names no run (and must not reach SQL).
    if (run > MAX_RUN) throw new HttpError(404, `no run ${param} in the store`);
    const cache = await runCache(run);
    if (!cache) throw new HttpError(404, `no run ${run} in the store`);
    return { run, cache };
  }

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', API_CSP);
  });

  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD')
      throw new HttpError(405, 'the dashboard API is read-only: GET only');
    if (options.authenticated === true) {
      // Checked by the caller: a server token for this project.
    } else if (options.token !== undefined) {
      const auth = c.req.header('authorization');
      const given = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (!tokenMatches(given, options.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="assay"');
        throw new HttpError(401, 'a token is required: send Authorization: Bearer <token>');
      }
    } else if (!isLoopback(hostname(c.req.header('host') ?? new URL(c.req.url).host))) {
      throw new HttpError(421, 'without a token the API answers only requests addressed to localhost');
    }
    await next();
    c.header('Cache-Control', 'no-store');
  });

  // One series by default (the newest run's), another by key, or every series with series=all.
  app.get('/api/runs', async (c) => {
    const domain = c.req.query('domain');
    const limit = c.req.query('limit');
    const max = limit ? int(limit, 'limit', 100, 1, 10_000) : undefined;
    const ofDomain = domain ? { domain } : {};
    // The series are counted in the store; only the runs shown are read.
    const available = (await store.listSeries(ofDomain)).map(seriesInfo);
    const choice = chooseSeries(available, c.req.query('series'));
    if ('error' in choice) throw new HttpError(404, choice.error);
    const series = choice.all ? undefined : choice.series;
    const runs =
      choice.all || series
        ? await store.listRuns({
            ...ofDomain,
            ...(series ? { series: series.key } : {}),
            ...(max !== undefined ? { limit: max } : {}),
          })
        : [];
    const body: RunList = { runs, ...(series ? { series } : {}), all: choice.all, available };
    return c.json(body);
  });

  app.get('/api/runs/:run', async (c) => {
    const { cache } = await resolveRun(c);
    return c.json(cache.meta);
  });

  app.get('/api/runs/:run/findings', async (c) => {
    const { run } = await resolveRun(c);
    const filter = filterFromParams((k) => c.req.query(k));
    return c.json(await store.queryFindings({ run, ...filter }));
  });

  app.get('/api/runs/:run/subject', async (c) => {
    const { run, cache } = await resolveRun(c);
    const id = c.req.query('id') ?? '';
    if (id === '') throw new HttpError(400, 'a subject is named by ?id=<subject id>');
    const page = await store.queryFindings({ run, subjectId: id, limit: 10_000 });
    const subject =
      cache.subjects.get(id) ??
      (page.findings[0] ? { ...page.findings[0].subject, location: page.findings[0].location } : undefined);
    if (!subject) throw new HttpError(404, `no subject with that id in run ${run}`);
    const body: SubjectView = { subject, findings: page.findings };
    return c.json(body);
  });

  app.get('/api/runs/:run/source', async (c) => {
    const { cache } = await resolveRun(c);
    const file = c.req.query('file') ?? '';
    if (file === '') throw new HttpError(400, 'a source file is named by ?file=<path>');
    const line = int(c.req.query('line'), 'line', 1, 1, Number.MAX_SAFE_INTEGER);
    const context = int(c.req.query('context'), 'context', SOURCE_CONTEXT_DEFAULT, 0, SOURCE_CONTEXT_MAX);
    if (!cache.inputs.some((i) => i.file === file))
      throw new HttpError(404, 'source is shown only for input files of the run');
    const read = readInputLines({ root: cache.root, inputs: cache.inputs }, file);
    const body: SourceSnippet =
      'note' in read
        ? { file, line, startLine: line, lines: [], note: read.note }
        : {
            file,
            line,
            startLine: Math.max(1, line - context),
            lines: read.lines.slice(Math.max(0, line - 1 - context), line + context),
            ...(read.unchanged ? {} : { note: 'the file has changed since this run: lines may have moved' }),
          };
    return c.json(body);
  });

  app.all('/api/*', (c) => {
    throw new HttpError(404, `no API endpoint ${c.req.path}`);
  });

  app.get('/', async (c) => {
    const assets = await loadAssets();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Cache-Control', 'no-cache');
    return c.html(dashboardPage(assets));
  });
  app.get('/assets/app.js', async (c) => {
    const assets = await loadAssets();
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(assets.js);
  });
  app.get('/assets/app.css', async (c) => {
    const assets = await loadAssets();
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(assets.css);
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    if (err instanceof StoreError && err.code === 'in-use') {
      // A writer (scan --save) holds the store: a moment's wait, not a fault.
      c.header('Retry-After', '5');
      return c.json({ error: 'the store is being written by another process; retry in a few seconds' }, 503);
    }
    // Internal details (paths, SQL) stay on the server's stderr.
    process.stderr.write(`assay serve: ${err.stack ?? err.message}\n`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
