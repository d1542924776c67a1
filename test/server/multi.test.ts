/**
 * assay server on both store backends: tenant isolation on every API route (each route x each
 * token kind x own and other project), token hashing and revocation, schema rejection and
 * idempotent pushes. In process, through the app's fetch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Assessment } from '../../src/core/model.ts';
import type { DeadLetter } from '../../src/queue/dead-letter.ts';
import { createServerApp } from '../../src/server/multi/app.ts';
import { Registry, SERVER_MIGRATIONS } from '../../src/server/multi/registry.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { scanProject, withCompliance, writeProject } from '../helpers/dashboard.ts';
import { describeStoreContract } from '../helpers/store-contract.ts';

registerMigrations(SERVER_MIGRATIONS);
const assets = async () => ({ js: 'console.log(1)', css: 'body{}', hash: 'f'.repeat(64) });

const dir = mkdtempSync(join(tmpdir(), 'assay-multi-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let insecure: Assessment;
let secure: Assessment;
before(async () => {
  writeProject(dir);
  insecure = withCompliance(await scanProject(dir));
  writeProject(dir, true);
  secure = await scanProject(dir);
});

type Kind = 'push' | 'read' | 'admin' | 'none' | 'revoked';
const KINDS: Kind[] = ['push', 'read', 'admin', 'none', 'revoked'];
type Target = 'own' | 'other';

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The path for a project (the token's own, or the other one), its run, and a token id to revoke. */
  path(x: { project: string; run: number; file: string; subject: string; tokenId: string }): string;
  body?: (project: string) => unknown;
  /** The status expected for a valid token of `kind` aimed at its own or the other project. */
  expect(kind: 'push' | 'read' | 'admin', target: Target): number;
  /** True when the route names a project (otherwise own and other are the same request). */
  perProject?: boolean;
}

// Reading a project: read tokens their own only (another is 404, as if absent), admin all, push nothing.
const reads = (kind: 'push' | 'read' | 'admin', target: Target) =>
  kind === 'push' ? 403 : kind === 'read' && target === 'other' ? 404 : 200;
const adminOnly = (ok: number) => (kind: 'push' | 'read' | 'admin') => (kind === 'admin' ? ok : 403);

const ROUTES: Route[] = [
  {
    name: 'list projects',
    method: 'GET',
    path: () => '/api/projects',
    expect: (k) => (k === 'push' ? 403 : 200),
  },
  {
    name: 'add a project',
    method: 'POST',
    path: () => '/api/projects',
    body: () => ({ name: `p-${Math.random().toString(16).slice(2, 10)}`, scope: 'x' }),
    expect: adminOnly(201),
  },
  { name: 'list tokens', method: 'GET', path: () => '/api/tokens', expect: adminOnly(200) },
  {
    name: 'create a token',
    method: 'POST',
    path: () => '/api/tokens',
    body: (project) => ({ scope: 'read', projects: [project] }),
    expect: adminOnly(201),
    perProject: true,
  },
  {
    name: 'revoke a token',
    method: 'DELETE',
    path: (x) => `/api/tokens/${x.tokenId}`,
    expect: adminOnly(200),
  },
  {
    name: 'push (the token names the project)',
    method: 'POST',
    path: () => '/api/assessments',
    body: () => 'assessment',
    expect: (k) => (k === 'push' ? 200 : 403),
  },
  {
    name: 'push to a named project',
    method: 'POST',
    path: (x) => `/api/projects/${x.project}/assessments`,
    body: () => 'assessment',
    expect: (k, t) => (k === 'push' && t === 'own' ? 200 : 403),
    perProject: true,
  },
  {
    name: 'org ranking',
    method: 'GET',
    path: () => '/api/org?severity=low',
    expect: (k) => (k === 'push' ? 403 : 200),
  },
  {
    name: 'org trends',
    method: 'GET',
    path: () => '/api/org/trends',
    expect: (k) => (k === 'push' ? 403 : 200),
  },
  {
    name: 'project trend',
    method: 'GET',
    path: (x) => `/api/projects/${x.project}/trend`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'dead letters of the job queue',
    method: 'GET',
    path: () => '/api/jobs/dead',
    expect: (k) => (k === 'push' ? 403 : 200),
  },
  {
    name: "a project's dead letters",
    method: 'GET',
    path: (x) => `/api/projects/${x.project}/jobs/dead`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'runs',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs?series=all`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'latest run',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs/latest`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'a run',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs/${x.run}`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'findings',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs/${x.run}/findings?limit=5`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'a subject',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs/${x.run}/subject?id=${encodeURIComponent(x.subject)}`,
    expect: reads,
    perProject: true,
  },
  {
    name: 'source lines',
    method: 'GET',
    path: (x) => `/projects/${x.project}/api/runs/${x.run}/source?file=${encodeURIComponent(x.file)}&line=1`,
    expect: reads,
    perProject: true,
  },
];

/** The queue's dead letters as the app is given them: one of each project, one of none. */
const DEAD: DeadLetter[] = [
  {
    id: 'd1',
    kind: 'scan',
    what: 'scan a [alpha]',
    project: 'alpha',
    reason: 'alpha-reason',
    at: '2026-01-01T00:00:00.000Z',
  },
  {
    id: 'd2',
    kind: 'scan',
    what: 'scan b [beta]',
    project: 'beta',
    reason: 'beta-secret',
    at: '2026-01-01T00:00:00.000Z',
  },
  { id: 'd3', kind: '?', what: 'not a valid job', reason: 'no project', at: '2026-01-01T00:00:00.000Z' },
];

describeStoreContract('assay server', (backend) => {
  let store: SqlStore;
  let registry: Registry;
  let app: ReturnType<typeof createServerApp>;
  const tokens = {} as Record<'alpha' | 'beta', Record<'push' | 'read', string>> & {
    admin: string;
    revoked: string;
  };
  const runs = {} as Record<'alpha' | 'beta', number>;

  const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };

  before(async () => {
    store = await backend.open(await backend.fresh());
    registry = new Registry(store);
    app = createServerApp(store, {
      assets,
      deadLetters: async (p) => DEAD.filter((d) => p === undefined || d.project === p),
    });
    await registry.addProject('alpha', 'repo:alpha');
    await registry.addProject('beta', 'repo:beta');
    for (const p of ['alpha', 'beta'] as const)
      tokens[p] = {
        push: (await registry.createToken('push', [p])).token,
        read: (await registry.createToken('read', [p])).token,
      };
    tokens.admin = (await registry.createToken('admin', [])).token;
    const revoked = await registry.createToken('admin', []);
    tokens.revoked = revoked.token;
    assert.ok(await registry.revokeToken(revoked.info.id));
    const a = await call('POST', '/api/assessments', tokens.alpha.push, insecure);
    assert.equal(a.status, 201, a.text);
    runs.alpha = a.json().run;
    const b = await call('POST', '/api/assessments?label=beta-secret', tokens.beta.push, secure);
    assert.equal(b.status, 201, b.text);
    runs.beta = b.json().run;
  });
  after(() => store?.close());

  const tokenFor = (kind: Kind) =>
    kind === 'none'
      ? undefined
      : kind === 'revoked'
        ? tokens.revoked
        : kind === 'admin'
          ? tokens.admin
          : tokens.alpha[kind];

  it('answers every route as the table says, for every token kind, on its own and the other project', async () => {
    const file = insecure.inputs[0].file;
    const subject = insecure.subjects[0].id;
    let checked = 0;
    for (const route of ROUTES)
      for (const kind of KINDS)
        for (const target of ['own', 'other'] as const) {
          if (!route.perProject && target === 'other') continue;
          const project = target === 'own' ? 'alpha' : 'beta';
          // An admin reads every project; a reader of alpha aims at beta's run through beta's path.
          const run = runs[project];
          const tokenId =
            route.method === 'DELETE' ? (await registry.createToken('read', ['beta'])).info.id : 'none';
          const path = route.path({ project, run, file, subject, tokenId });
          const raw = route.body?.(project);
          const body = raw === 'assessment' ? insecure : raw;
          const res = await call(route.method, path, tokenFor(kind), body);
          const expected = kind === 'none' || kind === 'revoked' ? 401 : route.expect(kind, target);
          const ok = expected === 200 ? [200, 201] : [expected];
          assert.ok(
            ok.includes(res.status),
            `${route.name} with a ${kind} token on the ${target} project: ${res.status} ${res.text.slice(0, 200)}`,
          );
          // What alpha's reader sees of its own project never carries beta's data.
          if (kind === 'read' && res.status === 200)
            assert.doesNotMatch(res.text, /beta-secret|repo:beta|"beta"/);
          if (kind === 'push' || kind === 'none' || kind === 'revoked')
            assert.doesNotMatch(res.text, /"findings":\[\{|beta-secret/);
          if (res.status === 401) assert.doesNotMatch(res.text, /alpha|beta/);
          checked++;
        }
    assert.ok(checked >= ROUTES.length * KINDS.length);
  });

  it("never serves another project's run through a readable project's path", async () => {
    for (const path of [
      `/projects/alpha/api/runs/${runs.beta}`,
      `/projects/alpha/api/runs/${runs.beta}/findings`,
      `/projects/alpha/api/runs/${runs.beta}/subject?id=${encodeURIComponent(secure.subjects[0].id)}`,
      `/projects/alpha/api/runs/${runs.beta}/source?file=${encodeURIComponent(secure.inputs[0].file)}`,
    ]) {
      const res = await call('GET', path, tokens.alpha.read);
      assert.equal(res.status, 404, `${path}: ${res.text}`);
    }
    const list = (await call('GET', '/projects/alpha/api/runs?series=all', tokens.alpha.read)).json();
    assert.ok(list.runs.every((r: { run: number }) => r.run !== runs.beta));
    assert.ok(list.runs.some((r: { run: number }) => r.run === runs.alpha));
  });

  it('stores only scrypt hashes, and a revoked token stops at once', async () => {
    const made = await registry.createToken('read', ['alpha'], 'ci');
    const rows = await store.all<{ hash: string }>('SELECT hash FROM server_tokens WHERE id = ?', [
      made.info.id,
    ]);
    assert.match(rows[0].hash, /^scrypt\$16384\$8\$1\$/);
    const secret = made.token.slice(23);
    const all = JSON.stringify(await store.all('SELECT * FROM server_tokens'));
    assert.ok(!all.includes(secret), 'the secret is not stored');
    assert.equal((await call('GET', '/api/projects', made.token)).status, 200);
    // A token that differs in one character of its secret is refused.
    const wrong = made.token.slice(0, -1) + (made.token.endsWith('A') ? 'B' : 'A');
    assert.equal((await call('GET', '/api/projects', wrong)).status, 401);
    assert.equal((await call('DELETE', `/api/tokens/${made.info.id}`, tokens.admin)).status, 200);
    assert.equal((await call('GET', '/api/projects', made.token)).status, 401);
    assert.equal((await call('DELETE', `/api/tokens/${made.info.id}`, tokens.admin)).status, 404);
  });

  it('rejects what is not an assessment, naming the problem, and saves nothing', async () => {
    const before = (await store.listRuns()).length;
    const bad = { ...insecure, findings: [{ ...insecure.findings[0], severity: 'apocalyptic' }] };
    const res = await call('POST', '/api/assessments', tokens.alpha.push, bad);
    assert.equal(res.status, 422);
    assert.match(res.json().problems.join('\n'), /findings\.0\.severity/);
    assert.equal((await call('POST', '/api/assessments', tokens.alpha.push, '{not json')).status, 400);
    assert.equal(
      (await call('POST', '/api/assessments', tokens.alpha.push, { schemaVersion: 2 })).status,
      422,
    );
    assert.equal((await store.listRuns()).length, before);
  });

  it("shows a reader its own projects' dead letters only, an admin every one", async () => {
    const ids = async (path: string, token: string) => {
      const res = await call('GET', path, token);
      assert.equal(res.status, 200, res.text);
      return (res.json().dead as DeadLetter[]).map((d) => d.id);
    };
    assert.deepEqual(await ids('/api/jobs/dead', tokens.alpha.read), ['d1']);
    assert.deepEqual(await ids('/api/jobs/dead', tokens.beta.read), ['d2']);
    assert.deepEqual(await ids('/api/jobs/dead', tokens.admin), ['d1', 'd2', 'd3']);
    assert.deepEqual(await ids('/api/projects/alpha/jobs/dead', tokens.alpha.read), ['d1']);
    assert.deepEqual(await ids('/api/projects/beta/jobs/dead', tokens.admin), ['d2']);
    // A store without a queue says so rather than listing nothing as if all were well.
    const plain = createServerApp(store, { assets });
    const res = await plain.request('/api/jobs/dead', {
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    assert.deepEqual(await res.json(), { available: false, dead: [] });
  });

  it('takes a push once per assessment id and project', async () => {
    const first = await call('POST', '/api/assessments', tokens.beta.push, insecure);
    assert.equal(first.status, 201);
    const again = await call('POST', '/api/assessments', tokens.beta.push, insecure);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json(), { project: 'beta', run: first.json().run, duplicate: true });
    // Concurrent pushes of one new assessment: one run, the others told it exists or to retry.
    const fresh = { ...secure, id: `${secure.id}-concurrent` };
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/api/assessments', tokens.beta.push, fresh)),
    );
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    assert.ok(answers.every((a) => [200, 201, 503].includes(a.status)));
    const saved = (await store.listRuns()).filter((r) => r.assessmentId === fresh.id);
    assert.equal(saved.length, 1);
  });

  it('ranks projects by failures at or above a severity and by baseline compliance, with trends', async () => {
    const org = (await call('GET', '/api/org?severity=low', tokens.admin)).json();
    const names = org.projects.map((p: { project: string }) => p.project);
    assert.deepEqual(names.slice(0, 2), ['alpha', 'beta'], 'the insecure project ranks first');
    const alpha = org.projects[0];
    assert.ok(alpha.failures > 0);
    const baseline = insecure.compliance?.[0]?.baseline.name;
    if (baseline) {
      const withBaseline = (
        await call('GET', `/api/org?baseline=${encodeURIComponent(baseline)}`, tokens.admin)
      ).json();
      const a = withBaseline.projects.find((p: { project: string }) => p.project === 'alpha');
      assert.equal(typeof a.compliance, 'number');
    }
    const trend = (await call('GET', '/api/projects/alpha/trend?severity=low', tokens.alpha.read)).json();
    assert.equal(trend.points.at(-1).failures, alpha.failures);
    const trends = (await call('GET', '/api/org/trends?severity=low', tokens.admin)).json();
    const newest = trends.projects.reduce(
      (n: number, p: { points: { failures: number }[] }) => n + (p.points.at(-1)?.failures ?? 0),
      0,
    );
    assert.equal(
      trends.across.at(-1).failures,
      newest,
      'the line across projects ends at the sum of their newest runs',
    );
    const mine = (await call('GET', '/api/org', tokens.alpha.read)).json();
    assert.deepEqual(
      mine.projects.map((p: { project: string }) => p.project),
      ['alpha'],
    );
  });
});
