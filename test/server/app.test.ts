import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Assessment } from '../../src/core/model.ts';
import type {
  FindingPage,
  RunMeta,
  RunSummary,
  SourceSnippet,
  SubjectView,
} from '../../src/server/api-types.ts';
import { createApp, tokenMatches } from '../../src/server/app.ts';
import { LazyStore } from '../../src/server/lazy-store.ts';
import { isLoopback, startServer } from '../../src/server/listen.ts';
import type { Store } from '../../src/store/store.ts';
import { groupFindings, sortFindingsBy } from '../../web/filter.ts';
import { HOSTILE_NAME, scanProject, withCompliance, writeProject } from '../helpers/dashboard.ts';
import { MemoryStore } from '../helpers/memory-store.ts';

const assets = async () => ({ js: 'console.log(1)', css: 'body{}', hash: 'f'.repeat(64) });
const dir = mkdtempSync(join(tmpdir(), 'assay-server-'));
const store = new MemoryStore();
let first: Assessment;
let second: Assessment;

before(async () => {
  writeProject(dir);
  first = withCompliance(await scanProject(dir));
  await store.saveAssessment(first, { label: 'before' });
  writeProject(dir, true);
  second = await scanProject(dir);
  await store.saveAssessment(second, { label: 'after' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function get<T>(app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

describe('dashboard API', () => {
  const app = () => createApp(store, { assets });

  it('lists runs newest first and resolves latest', async () => {
    const { status, body } = await get<{ runs: RunSummary[] }>(app(), '/api/runs');
    assert.equal(status, 200);
    assert.deepEqual(
      body.runs.map((r) => r.run),
      [2, 1],
    );
    const latest = await get<RunMeta>(app(), '/api/runs/latest');
    assert.equal(latest.body.run, 2);
  });

  it('returns run metadata without findings or subjects', async () => {
    const { body } = await get<RunMeta & { findings?: unknown; subjects?: unknown }>(app(), '/api/runs/1');
    assert.equal(body.findings, undefined);
    assert.equal(body.subjects, undefined);
    assert.equal(body.subjectCount, first.subjects.length);
    assert.equal(body.compliance?.[0].baseline.name, 'test-baseline');
    assert.ok(body.checks.length > 0);
  });

  it('filters findings by severity, status, check, control, subject, file and text, and pages', async () => {
    const all = await get<FindingPage>(app(), '/api/runs/1/findings?limit=1000');
    assert.equal(all.body.total, first.findings.length);
    const failedHigh = await get<FindingPage>(
      app(),
      '/api/runs/1/findings?severity=high,critical&status=fail',
    );
    const expected = first.findings.filter(
      (f) => (f.severity === 'high' || f.severity === 'critical') && f.status === 'fail',
    );
    assert.ok(expected.length > 0);
    assert.equal(failedHigh.body.total, expected.length);
    const check = expected[0].checkId;
    const byCheck = await get<FindingPage>(app(), `/api/runs/1/findings?check=${check}`);
    assert.ok(byCheck.body.findings.every((f) => f.checkId === check));
    const control = expected[0].controls[0];
    const byControl = await get<FindingPage>(app(), `/api/runs/1/findings?control=${control}`);
    assert.ok(byControl.body.total > 0 && byControl.body.findings.every((f) => f.controls.includes(control)));
    const bySubject = await get<FindingPage>(
      app(),
      `/api/runs/1/findings?subject=${encodeURIComponent('<IMG')}`,
    );
    assert.ok(
      bySubject.body.total > 0 && bySubject.body.findings.every((f) => f.subject.name === HOSTILE_NAME),
    );
    const byFile = await get<FindingPage>(app(), '/api/runs/1/findings?file=nothing-like-this');
    assert.equal(byFile.body.total, 0);
    const byText = await get<FindingPage>(app(), '/api/runs/1/findings?text=HTTPS');
    assert.ok(byText.body.total > 0);
    const page = await get<FindingPage>(app(), '/api/runs/1/findings?limit=5&offset=5');
    assert.equal(page.body.findings.length, 5);
    assert.deepEqual(page.body.findings[0], first.findings[5]);
  });

  it('sorts (sort=key or -key), filters by resource type and counts groups (group=)', async () => {
    const sorted = await get<FindingPage>(app(), '/api/runs/1/findings?sort=-check&limit=1000');
    assert.deepEqual(sorted.body.findings, sortFindingsBy(first.findings, '-check'));
    const type = first.findings[0].subject.type;
    const byType = await get<FindingPage>(
      app(),
      `/api/runs/1/findings?type=${encodeURIComponent(type)}&group=check`,
    );
    assert.equal(byType.body.total, first.findings.filter((f) => f.subject.type === type).length);
    assert.deepEqual(
      byType.body.groups,
      groupFindings(
        first.findings.filter((f) => f.subject.type === type),
        'check',
      ),
    );
    const badSort = await get<{ error: string }>(app(), '/api/runs/1/findings?sort=seq');
    assert.equal(badSort.status, 400);
    assert.match(badSort.body.error, /unknown sort 'seq'/);
    assert.equal((await get(app(), '/api/runs/1/findings?group=owner')).status, 400);
  });

  it('rejects unknown filter values and bad runs with 400/404', async () => {
    assert.equal((await get(app(), '/api/runs/1/findings?severity=urgent')).status, 400);
    assert.equal((await get(app(), '/api/runs/1/findings?limit=lots')).status, 400);
    assert.equal((await get(app(), '/api/runs/99')).status, 404);
    assert.equal((await get(app(), '/api/runs/x')).status, 400);
    assert.equal((await get(app(), '/api/nothing')).status, 404);
  });

  it('shows a subject with all its findings', async () => {
    const id = first.findings.find((f) => f.subject.name === HOSTILE_NAME)!.subject.id;
    const { body } = await get<SubjectView>(app(), `/api/runs/1/subject?id=${encodeURIComponent(id)}`);
    assert.equal(body.subject.name, HOSTILE_NAME);
    assert.equal(body.findings.length, first.findings.filter((f) => f.subject.id === id).length);
    assert.equal((await get(app(), '/api/runs/1/subject?id=nope')).status, 404);
  });

  it('reads source lines only from input files of the run', async () => {
    const f = first.findings.find((x) => x.subject.name === HOSTILE_NAME)!;
    const ok = await get<SourceSnippet>(
      app(),
      `/api/runs/2/source?file=${encodeURIComponent(f.location.file)}&line=${f.location.line}`,
    );
    assert.equal(ok.status, 200);
    assert.ok(ok.body.lines.some((l) => l.includes('"name"') || l.includes('properties')));
    assert.equal(ok.body.note, undefined, 'the file has not changed since run 2');
    const changed = await get<SourceSnippet>(
      app(),
      `/api/runs/1/source?file=${encodeURIComponent(f.location.file)}&line=3`,
    );
    assert.match(changed.body.note ?? '', /changed since this run/);
    for (const file of ['../../../etc/passwd', '/etc/passwd', 'infra/../infra/main.json', 'package.json']) {
      const res = await get<{ error: string }>(
        app(),
        `/api/runs/1/source?file=${encodeURIComponent(file)}&line=1`,
      );
      assert.equal(res.status, 404, file);
      assert.match(res.body.error, /only for input files/);
    }
  });

  it('is read-only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await app().request('/api/runs', { method });
      assert.equal(res.status, 405, method);
    }
  });

  it('sets security headers on the page and the API', async () => {
    for (const path of ['/', '/api/runs']) {
      const res = await app().request(path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
    const page = await (await app().request('/')).text();
    assert.match(page, /<script src="\/assets\/app\.js\?v=f{16}"><\/script>/);
    const js = await app().request('/assets/app.js');
    assert.match(js.headers.get('content-type') ?? '', /text\/javascript/);
  });

  it('answers only loopback host names without a token (DNS rebinding)', async () => {
    const res = await app().request('/api/runs', { headers: { host: 'evil.example:8470' } });
    assert.equal(res.status, 421);
    for (const host of ['127.0.0.1:8470', '127.0.0.2:8470', 'localhost', '[::1]:8470']) {
      const ok = await app().request('/api/runs', { headers: { host } });
      assert.equal(ok.status, 200, host);
    }
    const suffix = await app().request('/api/runs', { headers: { host: 'localhost.evil.example' } });
    assert.equal(suffix.status, 421);
  });
});

describe('dashboard API with a token', () => {
  const token = 'correct-horse-battery-staple';
  const app = () => createApp(store, { assets, token });

  it('answers 401 without the token or with a wrong one, on every endpoint', async () => {
    for (const path of [
      '/api/runs',
      '/api/runs/1',
      '/api/runs/1/findings',
      '/api/runs/1/source?file=x&line=1',
    ]) {
      const none = await app().request(path);
      assert.equal(none.status, 401, path);
      assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/);
      const wrong = await app().request(path, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401, path);
    }
    const basic = await app().request('/api/runs', { headers: { authorization: `Basic ${token}` } });
    assert.equal(basic.status, 401);
  });

  it('answers with the token, from any host name', async () => {
    const res = await app().request('/api/runs', {
      headers: { authorization: `Bearer ${token}`, host: 'assay.internal:8470' },
    });
    assert.equal(res.status, 200);
  });

  it('serves the page itself without a token (it holds no data)', async () => {
    assert.equal((await app().request('/')).status, 200);
  });

  it('compares tokens in constant time over digests', () => {
    assert.equal(tokenMatches(token, token), true);
    assert.equal(tokenMatches(`${token}x`, token), false);
    assert.equal(tokenMatches(undefined, token), false);
    assert.equal(tokenMatches('', token), false);
  });
});

describe('listening', () => {
  it('tells loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com'])
      assert.equal(isLoopback(h), false, h);
  });

  it('serves on 127.0.0.1 with a free port', async () => {
    const server = await startServer(store, { assets, port: 0 });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(`${server.url}api/runs`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { runs: RunSummary[] };
      assert.equal(body.runs.length, 2);
    } finally {
      await server.close();
    }
  });
});

describe('LazyStore', () => {
  it('opens on demand, closes when idle, and reopens', async () => {
    let opened = 0;
    const stores: MemoryStore[] = [];
    const lazy = new LazyStore(async (): Promise<Store> => {
      opened++;
      const s = new MemoryStore();
      await s.saveAssessment(second);
      stores.push(s);
      return s;
    }, 20);
    assert.equal(opened, 0);
    assert.equal((await lazy.listRuns()).length, 1);
    await Promise.all([lazy.listRuns(), lazy.queryFindings({ run: 1 })]);
    assert.equal(opened, 1, 'calls in one burst share one open store');
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(stores[0].closed, true);
    await lazy.getAssessment(1);
    assert.equal(opened, 2);
    await lazy.close();
    assert.equal(stores[1].closed, true);
    await assert.rejects(lazy.saveAssessment(), /read-only/);
  });
});

it('source path guard also rejects an input file replaced by a link outside the root', async () => {
  const { readInputLines } = await import('../../src/server/source.ts');
  const outside = mkdtempSync(join(tmpdir(), 'assay-outside-'));
  const inside = mkdtempSync(join(tmpdir(), 'assay-inside-'));
  try {
    writeFileSync(join(outside, 'secret.json'), '{"secret": true}');
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(outside, 'secret.json'), join(inside, 'main.json'));
    const read = readInputLines(
      { root: inside, inputs: [{ file: 'main.json', kind: 'arm-template', sha256: '' }] },
      'main.json',
    );
    assert.deepEqual(read, { note: 'the file is outside the run root' });
  } finally {
    rmSync(outside, { recursive: true, force: true });
    rmSync(inside, { recursive: true, force: true });
  }
});
