import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin', 'assay.js');
const work = mkdtempSync(join(tmpdir(), 'assay-dash-cli-'));
const store = join(work, 'history.duckdb');
const assessmentFile = join(work, 'assessment.json');
const env = (extra: Record<string, string> = {}) => {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete e.ASSAY_TOKEN;
  return e;
};

/** The CLI in this process; only the served dashboard below runs the real binary. */
async function assay(args: string[], extra: Record<string, string> = {}) {
  const r = await runCli(args, { cwd: repo, env: { NO_COLOR: '1', ASSAY_TOKEN: undefined, ...extra } });
  return { code: r.code, stdout: r.out, stderr: r.err };
}

before(async () => {
  const scan = await assay([
    'scan',
    'examples/azure',
    '-f',
    'json',
    '-o',
    assessmentFile,
    '--save',
    '--store',
    store,
  ]);
  assert.equal(scan.code, 1, scan.stderr);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('assay serve', () => {
  it('refuses to listen beyond loopback without a token, and exits 2', async () => {
    const { code, stderr } = await assay(['serve', '--host', '0.0.0.0', '--store', store]);
    assert.equal(code, 2);
    assert.match(stderr, /refusing to serve on 0\.0\.0\.0 without a token/);
    assert.match(stderr, /--token/);
    assert.match(stderr, /ASSAY_TOKEN/);
  });

  it('names a missing store before listening', async () => {
    const { code, stderr } = await assay(['serve', '--store', join(work, 'none.duckdb'), '--port', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /no store at/);
  });

  it('warns that --token is visible in the process list', async () => {
    const { code, stderr } = await assay([
      'serve',
      '--token',
      'a-token-on-the-command-line',
      '--store',
      join(work, 'none.duckdb'),
    ]);
    assert.equal(code, 2, 'the missing store still stops it');
    assert.match(stderr, /warning: --token is visible to other users .*set ASSAY_TOKEN instead/);
    assert.doesNotMatch(stderr, /a-token-on-the-command-line/);
  });

  describe('with a token (from the environment)', () => {
    let child: ChildProcess;
    let base = '';
    const token = 'cli-test-token-0123456789';

    before(async () => {
      child = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0', '--store', store], {
        cwd: repo,
        env: { ...env(), ASSAY_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr?.on('data', (d) => {
        err += d;
      });
      base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 20_000);
        child.stdout?.on('data', (d) => {
          out += d;
          const port = /:(\d+)\//.exec(out)?.[1];
          if (port) {
            clearTimeout(timer);
            // Listening on every interface; the test talks to loopback only.
            resolve(`http://127.0.0.1:${port}`);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
      });
      assert.doesNotMatch(out, new RegExp(token), 'the token itself is never printed');
    });
    after(async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    });

    it('answers 401 to API calls without the token and 200 with it', async () => {
      assert.equal((await fetch(`${base}/api/runs`)).status, 401);
      assert.equal(
        (await fetch(`${base}/api/runs`, { headers: { authorization: 'Bearer wrong' } })).status,
        401,
      );
      const ok = await fetch(`${base}/api/runs`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      const { runs } = (await ok.json()) as { runs: { run: number; domain: string }[] };
      assert.deepEqual(
        runs.map((r) => [r.run, r.domain]),
        [[1, 'azure']],
      );
    });

    it('stops on SIGTERM with exit code 0', async () => {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    });
  });
});

describe('assay report', () => {
  it('writes the single-file HTML report from an assessment file', async () => {
    const out = join(work, 'from-file.html');
    const { code, stderr } = await assay(['report', '--html', out, '--from', assessmentFile]);
    assert.equal(code, 0, stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    assert.match(
      html,
      /<script type="application\/octet-stream" id="assay-data" data-encoding="gzip\+base64">/,
    );
    assert.doesNotMatch(html.slice(0, html.indexOf('<script')), /\b(src|href)=/);
  });

  it('writes the report of a saved run, and names a run that is not there', async () => {
    const out = join(work, 'from-store.html');
    assert.equal((await assay(['report', '--html', out, '--store', store, '--run', 'latest'])).code, 0);
    assert.ok(existsSync(out));
    const missing = await assay(['report', '--html', out, '--store', store, '--run', '7']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no run 7/);
  });

  it('asks for an output, and rejects a file that is not an assessment', async () => {
    assert.equal((await assay(['report', '--from', assessmentFile])).code, 2);
    const notOne = join(work, 'not.json');
    writeFileSync(notOne, '{"hello": 1}');
    const r = await assay(['report', '--html', join(work, 'x.html'), '--from', notOne]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an assay assessment/);
  });

  it('says which package to install when Chromium is missing for --pdf', async () => {
    const r = await assay(['report', '--pdf', join(work, 'out.pdf'), '--from', assessmentFile], {
      ASSAY_CHROMIUM: join(work, 'no-such-chromium'),
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Chromium not found/);
    assert.match(r.stderr, /apt-get install chromium/);
  });
});
