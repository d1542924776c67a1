/**
 * The terminal behaviours the README promises: a reader that closes stdout early, a busy port
 * and a missing parameter file each end with one line (or none) and the documented exit code.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { openStore } from '../../src/store/duckdb.ts';
import { runCli } from '../helpers/cli.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-terminal-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the real binary and closes its stdout after the first chunk, as `| head -1` does. */
function firstChunkThenClose(
  args: string[],
): Promise<{ code: number | null; stderr: string; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repo, 'bin/assay.js'), ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let first = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout.once('data', (d) => {
      first = String(d);
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, first }));
  });
}

describe('a reader that closes stdout early (| head)', () => {
  it('assay checks ends quietly with exit 0', async () => {
    const r = await firstChunkThenClose(['checks']);
    assert.ok(r.first.length > 0);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error:|\n\s+at /);
  });

  it('assay scan -f json keeps its exit code (1: the example has failing checks)', async () => {
    const r = await firstChunkThenClose([
      'scan',
      'examples/azure',
      '-f',
      'json',
      '--no-save',
      '--no-progress',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error:|\n\s+at |not written/);
  });
});

describe('a busy port', () => {
  it('assay serve says the port is in use, in one line, and exits 2', async () => {
    const store = join(work, 'runs.duckdb');
    await (await openStore(store)).close();
    const busy: Server = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '--store', store, '--port', String(port)]);
      assert.equal(r.code, 2);
      assert.match(r.err, new RegExp(`^assay: 127\\.0\\.0\\.1:${port} is already in use: .*--port\\n$`));
    } finally {
      await new Promise<void>((done) => busy.close(() => done()));
    }
  });
});

describe('a missing parameter file', () => {
  it('is a usage error naming the file (exit 2), not an input error of the scan', async () => {
    const r = await runCli([
      'scan',
      join(repo, 'examples/azure'),
      '--parameters',
      join(work, 'nope.parameters.json'),
      '--no-save',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^assay: --parameters: file not found: .*nope\.parameters\.json\n$/);
  });
});

describe('the table on the bundled examples', () => {
  it('fits 100 columns (every line, findings, input errors and summary)', async () => {
    const out = join(work, 'examples-table.txt');
    const r = await runCli(['scan', join(repo, 'examples/azure'), '--no-save', '--no-progress', '-o', out]);
    assert.equal(r.code, 1, r.err);
    const long = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.length > 100);
    assert.deepEqual(long, []);
  });
});
