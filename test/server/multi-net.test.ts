/**
 * assay server over a real socket on an ephemeral port: the bind refusal, the body limit, pushes
 * from `assay push` and `assay scan --push` (on DuckDB and PostgreSQL), and the push client's
 * retries and backoff against a fake server, with --push-required's exit code.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pushAssessment, pushEndpoint } from '../../src/cli/push-client.ts';
import { parseSize } from '../../src/cli/server.ts';
import type { RunningServer } from '../../src/server/listen.ts';
import { bindProblem, startMultiServer } from '../../src/server/multi/listen.ts';
import { Registry, SERVER_MIGRATIONS } from '../../src/server/multi/registry.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import type { SqlStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';
import { scanProject, writeProject } from '../helpers/dashboard.ts';
import { describeStoreContract } from '../helpers/store-contract.ts';

registerMigrations(SERVER_MIGRATIONS);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const assets = async () => ({ js: '', css: '', hash: 'f'.repeat(64) });
const dir = mkdtempSync(join(tmpdir(), 'assay-multi-net-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => {
  writeProject(dir);
});

describe('where assay server listens', () => {
  it('refuses a non-loopback address without TLS termination or --insecure-http', () => {
    assert.equal(bindProblem({ host: '127.0.0.1' }), undefined);
    assert.equal(bindProblem({ host: '::1' }), undefined);
    assert.match(bindProblem({ host: '0.0.0.0' }) ?? '', /refusing to listen on 0\.0\.0\.0 without TLS/);
    assert.match(bindProblem({ host: '10.1.2.3' }) ?? '', /--behind-proxy/);
    assert.equal(bindProblem({ host: '0.0.0.0', behindProxy: true }), undefined);
    assert.equal(bindProblem({ host: '0.0.0.0', insecureHttp: true }), undefined);
    assert.equal(bindProblem({ host: '0.0.0.0', tlsCert: 'c.pem', tlsKey: 'k.pem' }), undefined);
    assert.match(bindProblem({ host: '127.0.0.1', tlsCert: 'c.pem' }) ?? '', /go together/);
  });

  it('exits 2 before opening any store when the bind is refused', async () => {
    const r = await runCli(['server', '--host', '0.0.0.0', '--store', join(dir, 'never.duckdb')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /refusing to listen on 0\.0\.0\.0 without TLS/);
  });

  it('serves HTTPS with --tls-cert and --tls-key', async (t) => {
    const tls = join(dir, 'tls');
    mkdirSync(tls);
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(tls, 'key.pem'),
        '-out',
        join(tls, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (made.error || made.status !== 0) {
      t.skip(`openssl could not make a test certificate: ${made.error?.message ?? made.stderr}`);
      return;
    }
    const cert = readFileSync(join(tls, 'cert.pem'));
    // Unauthenticated requests never reach the store.
    const server = await startMultiServer({} as SqlStore, {
      host: '127.0.0.1',
      port: 0,
      tlsCert: join(tls, 'cert.pem'),
      tlsKey: join(tls, 'key.pem'),
      assets,
    });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        httpsGet(new URL('api/org', server.url), { ca: cert }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).on('error', reject);
      });
      assert.equal(status, 401);
    } finally {
      await server.close();
    }
  });

  it('reads --max-body sizes', () => {
    assert.equal(parseSize('64MiB'), 64 * 1024 * 1024);
    assert.equal(parseSize('10mb'), 10_000_000);
    assert.equal(parseSize('2048'), 2048);
    assert.throws(() => parseSize('lots'), /--max-body expects a size/);
    assert.throws(() => parseSize('0'), /--max-body expects a size/);
  });
});

/** A fake server answering each request with the next status of `statuses` (the last one repeats). */
async function fakeServer(statuses: number[]): Promise<{ url: string; hits: number; server: Server }> {
  const state = { url: '', hits: 0, server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = statuses[Math.min(state.hits, statuses.length - 1)];
      state.hits++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          status < 300 ? { project: 'p', run: 7, duplicate: false } : { error: `status ${status}` },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/`;
  return state;
}

describe('the push client', () => {
  const token = `assay_${'0'.repeat(16)}_${'a'.repeat(43)}`;

  it('retries 5xx with exponential backoff and stops at the first success', async () => {
    const fake = await fakeServer([500, 502, 201]);
    const waits: number[] = [];
    const result = await pushAssessment(fake.url, '{}', token, {
      baseDelayMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    fake.server.close();
    assert.deepEqual(result, { ok: true, run: 7, project: 'p', duplicate: false, attempts: 3 });
    assert.deepEqual(waits, [100, 200]);
    assert.equal(fake.hits, 3);
  });

  it('does not retry a 4xx answer', async () => {
    const fake = await fakeServer([422, 201]);
    const result = await pushAssessment(fake.url, '{}', token, { sleep: async () => undefined });
    fake.server.close();
    assert.equal(result.ok, false);
    assert.equal(fake.hits, 1);
    assert.equal(!result.ok && result.status, 422);
  });

  it('retries network errors, each wait doubling up to the cap, and gives up after the attempts', async () => {
    const fake = await fakeServer([201]);
    const url = fake.url;
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
    const waits: number[] = [];
    const result = await pushAssessment(url, '{}', token, {
      attempts: 5,
      baseDelayMs: 10,
      maxDelayMs: 50,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /after 5 attempts/);
    assert.deepEqual(waits, [10, 20, 40, 50]);
  });

  it('needs a token and an http(s) URL without credentials', async () => {
    const none = await pushAssessment('http://127.0.0.1:1/', '{}', undefined);
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.message : '', /ASSAY_TOKEN/);
    assert.equal(
      pushEndpoint('https://assay.example/org/').href,
      'https://assay.example/org/api/assessments',
    );
    assert.equal(pushEndpoint('https://assay.example/org').href, 'https://assay.example/org/api/assessments');
    assert.throws(() => pushEndpoint('https://me:pw@assay.example/'), /ASSAY_TOKEN/);
    assert.throws(() => pushEndpoint('ftp://assay.example/'), /http/);
  });
});

describe('--push-required', () => {
  it('turns a failed push into exit 2; without it the push only warns', async () => {
    const fake = await fakeServer([500]);
    const env = { ASSAY_TOKEN: `assay_${'0'.repeat(16)}_${'a'.repeat(43)}`, ASSAY_PUSH_BACKOFF_MS: '1' };
    const args = ['scan', 'infra', '--no-save', '-f', 'json', '-o', 'out.json', '--fail-on', 'none'];
    const plain = await runCli(args, { cwd: dir, env });
    assert.equal(plain.code, 0, plain.err);
    const warned = await runCli([...args, '--push', fake.url], { cwd: dir, env });
    assert.equal(warned.code, 0, warned.err);
    assert.match(warned.err, /push to .* failed: 500 status 500 \(after 5 attempts\)/);
    const required = await runCli([...args, '--push', fake.url, '--push-required'], { cwd: dir, env });
    assert.equal(required.code, 2, required.err);
    assert.equal(fake.hits, 10);
    fake.server.close();
    assert.doesNotMatch(warned.err + required.err, /assay_0{16}/, 'the token is never printed');
  });
});

describeStoreContract('assay server on a socket', (backend) => {
  let store: SqlStore;
  let server: RunningServer;
  let push: string;
  let read: string;
  before(async () => {
    store = await backend.open(await backend.fresh());
    const registry = new Registry(store);
    await registry.addProject('web', 'repo:web');
    push = (await registry.createToken('push', ['web'])).token;
    read = (await registry.createToken('read', ['web'])).token;
    server = await startMultiServer(store, { host: '127.0.0.1', port: 0, maxBody: 200_000, assets });
  });
  after(async () => {
    await server?.close();
    await store?.close();
  });

  const runsOfWeb = async () => {
    const res = await fetch(new URL('projects/web/api/runs?series=all', server.url), {
      headers: { authorization: `Bearer ${read}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { runs: { run: number; label?: string }[] }).runs;
  };

  it('refuses a body over --max-body with 413 and saves nothing', async () => {
    const res = await fetch(new URL('api/assessments', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${push}`, 'content-type': 'application/json' },
      body: `{"pad":"${'x'.repeat(300_000)}"}`,
    });
    assert.equal(res.status, 413);
    assert.match(((await res.json()) as { error: string }).error, /200000 bytes/);
    assert.equal((await runsOfWeb()).length, 0);
  });

  it('takes assay push and assay scan --push, once per assessment', async () => {
    const assessment = await scanProject(dir);
    const file = join(dir, 'pushed.json');
    writeFileSync(file, JSON.stringify(assessment));
    const env = { ASSAY_TOKEN: push };
    const first = await runCli(['push', file, '--server', server.url, '--label', 'v1'], { env });
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /pushed as run \d+ of project web/);
    const again = await runCli(['push', file, '--server', server.url], { env });
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /had this assessment already/);
    assert.equal((await runsOfWeb()).length, 1);
    assert.equal((await runsOfWeb())[0].label, 'v1');

    writeProject(dir, true);
    const scan = await runCli(
      ['scan', 'infra', '--no-save', '-f', 'json', '-o', 'out.json', '--push', server.url, '--push-required'],
      { cwd: dir, env },
    );
    writeProject(dir);
    assert.ok(scan.code === 0 || scan.code === 1, scan.err);
    assert.match(scan.err, /pushed as run \d+ of project web/);
    assert.equal((await runsOfWeb()).length, 2);
  });

  it('answers 403 to a read token pushing (no retry) and 401 to no token', async () => {
    const res = await pushAssessment(server.url, '{}', read, { attempts: 3, sleep: async () => undefined });
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.status, 403);
    assert.equal(res.attempts, 1);
    const none = await fetch(new URL('api/org', server.url));
    assert.equal(none.status, 401);
  });
});

describeStoreContract('assay server as a process', (backend) => {
  it('opens the store, prints where it listens, answers, and stops on SIGTERM', async () => {
    const spec = await backend.fresh();
    // The store exists before the server starts (the token commands made it).
    const made = await runCli(['server', 'project', 'add', 'web', '--store', spec]);
    assert.equal(made.code, 0, made.err);
    const child = spawn(
      process.execPath,
      [join(repo, 'bin', 'assay.js'), 'server', '--port', '0', '--max-body', '1MiB', '--store', spec],
      { env: { ...process.env, ASSAY_STORE_URL: '' } },
    );
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${err}`)), 60_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        // The URL and the store line are two writes: wait for both, they may arrive apart.
        const m = /assay server: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m && out.includes('Ctrl-C stops')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    try {
      assert.match(out, /request bodies up to 1048576 bytes/);
      assert.equal((await fetch(new URL('api/org', url))).status, 401);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, err);
  });
});
