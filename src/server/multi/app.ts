/**
 * `assay server`: one hono app for many projects (docs/server.md). Every /api call carries a
 * server token (`Authorization: Bearer assay_...`); what it may do follows from its kind:
 *
 * - push: POST assessments to its one project, nothing else;
 * - read: the org view, trends, the findings explorer and the job queue's dead letters of its projects only;
 * - admin: manage projects and tokens, and read every project (and every dead letter).
 *
 * A project's findings explorer is the single-project dashboard app (src/server/app.ts) over a
 * view of the store that holds only that project's runs (project-store.ts), mounted under
 * `/projects/<name>/`. Projects a token may not read answer 404, as if they did not exist.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SEVERITIES, type Severity } from '../../core/model.ts';
import type { DeadLetter } from '../../queue/dead-letter.ts';
import { getWebAssets, type WebAssets } from '../../report/web-assets.ts';
import type { RunSummary, SqlStore } from '../../store/store.ts';
import { createApp, dashboardPage, PAGE_CSP } from '../app.ts';
import { validateAssessment } from './assessment-schema.ts';
import { acrossTrend, type OrgView, rank, standing, trend } from './org.ts';
import { ProjectStore } from './project-store.ts';
import { PROJECT_NAME, type Project, Registry, RegistryError } from './registry.ts';
import { parseToken, TOKEN_SCOPES, type TokenScope, VerifiedTokens } from './tokens.ts';

export interface ServerAppOptions {
  /** The largest request body taken, in bytes (`--max-body`). */
  maxBody?: number;
  assets?: () => Promise<WebAssets>;
  /**
   * The job queue's dead letters (docs/queue.md), of one project or of all; absent when the
   * store has no queue (a DuckDB store), and the routes then say so.
   */
  deadLetters?: (project?: string) => Promise<DeadLetter[]>;
}

export const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

type Status = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 503;

export class ServerHttpError extends Error {
  constructor(
    readonly status: Status,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Principal {
  id: string;
  scope: TokenScope;
  projects: string[];
}

type Env = { Variables: { principal: Principal } };

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

function severityParam(value: string | undefined): Severity {
  if (value === undefined || value === '') return 'high';
  if (!(SEVERITIES as readonly string[]).includes(value))
    throw new ServerHttpError(400, `unknown severity '${value}'; expected ${SEVERITIES.join(', ')}`);
  return value as Severity;
}

export function createServerApp(store: SqlStore, options: ServerAppOptions = {}): Hono<Env> {
  const registry = new Registry(store);
  const verified = new VerifiedTokens();
  const loadAssets = options.assets ?? (() => getWebAssets());
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const projectApps = new Map<string, Hono>();
  // Saves go one at a time: a DuckDB store has one connection, and run numbers are handed out in turn.
  let saving: Promise<unknown> = Promise.resolve();

  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', API_CSP);
  });

  async function authenticate(c: Context<Env>): Promise<Principal> {
    const auth = c.req.header('authorization');
    const given = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    const parsed = given === undefined ? undefined : parseToken(given);
    const row = parsed ? await registry.token(parsed.id) : undefined;
    if (
      given === undefined ||
      parsed === undefined ||
      row === undefined ||
      row.revokedAt !== undefined ||
      !(await verified.verify(parsed.id, given, parsed.secret, row.hash))
    ) {
      if (row?.revokedAt !== undefined) verified.forget(row.id);
      c.header('WWW-Authenticate', 'Bearer realm="assay"');
      throw new ServerHttpError(
        401,
        'a valid, unrevoked server token is required: Authorization: Bearer <token>',
      );
    }
    return { id: row.id, scope: row.scope, projects: row.projects };
  }

  const apiPaths = ['/api/*', '/projects/:project/api/*'];
  for (const path of apiPaths)
    app.use(path, async (c, next) => {
      c.set('principal', await authenticate(c));
      await next();
      c.header('Cache-Control', 'no-store');
    });

  const limit = bodyLimit({
    maxSize: maxBody,
    onError: () => {
      throw new ServerHttpError(
        413,
        `the request body is larger than the server takes (${maxBody} bytes; --max-body)`,
      );
    },
  });

  function requireAdmin(c: Context<Env>): void {
    if (c.get('principal').scope !== 'admin')
      throw new ServerHttpError(403, 'only an admin token manages projects and tokens');
  }

  /** The projects a token may read: all for admin, its own for read, none for push. */
  async function readable(c: Context<Env>): Promise<Project[]> {
    const p = c.get('principal');
    if (p.scope === 'push') throw new ServerHttpError(403, 'a push token only pushes assessments');
    return registry.projects(p.scope === 'admin' ? undefined : p.projects);
  }

  async function readableProject(c: Context<Env>): Promise<Project> {
    const name = c.req.param('project') ?? '';
    const found = (await readable(c)).find((p) => p.name === name);
    if (!found) throw new ServerHttpError(404, `no project '${name}' readable with this token`);
    return found;
  }

  async function body(c: Context<Env>): Promise<unknown> {
    try {
      return await c.req.json();
    } catch (err) {
      if (err instanceof ServerHttpError) throw err;
      throw new ServerHttpError(400, 'the request body is not JSON');
    }
  }

  // --- projects and tokens (admin) ---

  app.get('/api/projects', async (c) => c.json({ projects: await readable(c) }));

  app.post('/api/projects', limit, async (c) => {
    requireAdmin(c);
    const b = (await body(c)) as { name?: unknown; scope?: unknown } | null;
    if (typeof b?.name !== 'string' || (b.scope !== undefined && typeof b.scope !== 'string'))
      throw new ServerHttpError(400, 'expected {"name": "...", "scope": "..."}');
    return c.json({ project: await registry.addProject(b.name, (b.scope as string | undefined) ?? '') }, 201);
  });

  app.get('/api/tokens', async (c) => {
    requireAdmin(c);
    return c.json({ tokens: await registry.tokens() });
  });

  app.post('/api/tokens', limit, async (c) => {
    requireAdmin(c);
    const b = (await body(c)) as { scope?: unknown; projects?: unknown; note?: unknown } | null;
    const scope = b?.scope;
    const projects = b?.projects ?? [];
    if (
      typeof scope !== 'string' ||
      !(TOKEN_SCOPES as readonly string[]).includes(scope) ||
      !Array.isArray(projects) ||
      !projects.every((p) => typeof p === 'string') ||
      (b?.note !== undefined && typeof b.note !== 'string')
    )
      throw new ServerHttpError(
        400,
        'expected {"scope": "push|read|admin", "projects": ["..."], "note": "..."}',
      );
    const made = await registry.createToken(
      scope as TokenScope,
      projects as string[],
      b?.note as string | undefined,
    );
    return c.json(made, 201);
  });

  app.delete('/api/tokens/:id', async (c) => {
    requireAdmin(c);
    const id = c.req.param('id');
    if (!(await registry.revokeToken(id))) throw new ServerHttpError(404, `no unrevoked token '${id}'`);
    verified.forget(id);
    return c.json({ revoked: id });
  });

  // --- pushes ---

  // A push token belongs to one project, so a pipeline needs only the server's URL.
  app.post('/api/assessments', limit, async (c) => {
    const p = c.get('principal');
    if (p.scope !== 'push') throw new ServerHttpError(403, 'only a push token pushes assessments');
    return push(c, p.projects[0] ?? '');
  });

  app.post('/api/projects/:project/assessments', limit, (c) => push(c, c.req.param('project')));

  async function push(c: Context<Env>, project: string) {
    const p = c.get('principal');
    if (p.scope !== 'push' || !p.projects.includes(project))
      throw new ServerHttpError(403, `this token may not push to project '${project}'`);
    const checked = validateAssessment(await body(c));
    if ('problems' in checked)
      throw new ServerHttpError(422, 'not a valid assay assessment (schema version 1)', {
        problems: checked.problems,
      });
    const { assessment } = checked;
    const label = c.req.query('label');
    if (label !== undefined && label.length > 500)
      throw new ServerHttpError(400, 'a label is at most 500 characters');
    const claim = await registry.claimPush(project, assessment.id);
    if (!claim.claimed) {
      if (claim.run !== undefined) return c.json({ project, run: claim.run, duplicate: true }, 200);
      c.header('Retry-After', '2');
      throw new ServerHttpError(503, 'this assessment is being saved by another push; retry shortly');
    }
    const save = saving.then(async () => {
      try {
        const summary = await store.saveAssessment(assessment, label ? { label } : {});
        await registry.completePush(project, assessment.id, summary.run);
        return summary;
      } catch (err) {
        await registry.releasePush(project, assessment.id).catch(() => undefined);
        throw err;
      }
    });
    saving = save.catch(() => undefined);
    const summary = await save;
    return c.json({ project, run: summary.run, duplicate: false }, 201);
  }

  // --- the organisation-wide view ---

  async function runsOf(project: Project) {
    return new ProjectStore(store, registry, project.name).listRuns();
  }

  /** Every project's runs (newest first) from one read of the store, for the org-wide routes. */
  async function runsByProject(projects: readonly Project[]): Promise<Map<string, RunSummary[]>> {
    const owners = await registry.runOwners();
    const out = new Map<string, RunSummary[]>(projects.map((p) => [p.name, []]));
    for (const r of await store.listRuns()) {
      const owner = owners.get(r.run);
      if (owner !== undefined) out.get(owner)?.push(r);
    }
    return out;
  }

  app.get('/api/org', async (c) => {
    const severity = severityParam(c.req.query('severity'));
    const baseline = c.req.query('baseline') || undefined;
    const projects = await readable(c);
    const runs = await runsByProject(projects);
    const standings = projects.map((p) => standing(p, runs.get(p.name) ?? [], severity, baseline));
    const body: OrgView = { severity, ...(baseline ? { baseline } : {}), projects: rank(standings) };
    return c.json(body);
  });

  app.get('/api/org/trends', async (c) => {
    const severity = severityParam(c.req.query('severity'));
    const baseline = c.req.query('baseline') || undefined;
    const projects = await readable(c);
    const runs = await runsByProject(projects);
    const trends = projects.map((p) => ({
      project: p.name,
      points: trend(runs.get(p.name) ?? [], severity, baseline),
    }));
    return c.json({
      severity,
      ...(baseline ? { baseline } : {}),
      projects: trends,
      across: acrossTrend(trends),
    });
  });

  app.get('/api/projects/:project/trend', async (c) => {
    const project = await readableProject(c);
    const severity = severityParam(c.req.query('severity'));
    const baseline = c.req.query('baseline') || undefined;
    return c.json({
      project: project.name,
      severity,
      points: trend(await runsOf(project), severity, baseline),
    });
  });

  // --- the job queue's dead letters: a reader sees its own projects' only, an admin all ---

  app.get('/api/jobs/dead', async (c) => {
    const p = c.get('principal');
    const names = new Set((await readable(c)).map((r) => r.name));
    if (!options.deadLetters) return c.json({ available: false, dead: [] });
    const all = await options.deadLetters();
    const dead =
      p.scope === 'admin' ? all : all.filter((d) => d.project !== undefined && names.has(d.project));
    return c.json({ available: true, dead });
  });

  app.get('/api/projects/:project/jobs/dead', async (c) => {
    const project = await readableProject(c);
    if (!options.deadLetters) return c.json({ project: project.name, available: false, dead: [] });
    return c.json({ project: project.name, available: true, dead: await options.deadLetters(project.name) });
  });

  // --- one project's findings explorer: the dashboard API over the project's view ---

  app.all('/projects/:project/api/*', async (c) => {
    const project = await readableProject(c);
    let inner = projectApps.get(project.name);
    if (!inner) {
      inner = createApp(new ProjectStore(store, registry, project.name), {
        authenticated: true,
        assets: loadAssets,
      });
      projectApps.set(project.name, inner);
    }
    const url = new URL(c.req.url);
    // Drop `/projects/<segment>` as the request spelt it (the segment may be percent-encoded).
    url.pathname = `/${url.pathname.split('/').slice(3).join('/')}`;
    return inner.fetch(new Request(url, c.req.raw));
  });

  app.all('/api/*', (c) => {
    throw new ServerHttpError(404, `no API endpoint ${c.req.path}`);
  });

  // --- pages: the same UI bundle, as the org view or one project's dashboard ---

  const page = async (c: Context<Env>, mount: { api?: string; org?: boolean }) => {
    const assets = await loadAssets();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Cache-Control', 'no-cache');
    return c.html(dashboardPage(assets, mount));
  };
  app.get('/', (c) => page(c, { org: true }));
  app.get('/projects/:project', (c) =>
    c.redirect(`/projects/${encodeURIComponent(c.req.param('project'))}/`),
  );
  app.get('/projects/:project/', (c) => {
    const name = c.req.param('project');
    if (!PROJECT_NAME.test(name)) throw new ServerHttpError(404, 'no such project');
    return page(c, { api: `/projects/${name}` });
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
    if (err instanceof ServerHttpError) return c.json({ error: err.message, ...err.extra }, err.status);
    if (err instanceof RegistryError)
      return c.json({ error: err.message }, err.code === 'exists' ? 409 : err.code === 'missing' ? 404 : 400);
    process.stderr.write(`assay server: ${err.stack ?? err.message}\n`);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
