/**
 * The compiled CLI (dist/, `npm run build`): bin/assay.js picks it only when it matches the
 * sources, and it gives the same results as the sources, worker threads included.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
// @ts-expect-error bin/entry.js is plain JavaScript with JSDoc types, outside the TypeScript project.
import { chooseEntry } from '../../bin/entry.js';
import { VERSION } from '../../src/version.ts';
import { templateText } from '../helpers/arm.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-bundle-'));
after(() => rmSync(work, { recursive: true, force: true }));

const choose = chooseEntry as (root: URL, env: Record<string, string | undefined>) => 'dist' | 'source';

/** A package folder with one source file, a build of it, and optionally a .git. */
function fakePackage(name: string, git: boolean): { root: URL; source: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  if (git) mkdirSync(join(dir, '.git'));
  const source = join(dir, 'src', 'main.ts');
  writeFileSync(source, 'export const x = 1;\n');
  writeFileSync(join(dir, 'dist', 'cli.js'), 'export const x = 1;\n');
  const s = statSync(source);
  writeFileSync(
    join(dir, 'dist', 'build-info.json'),
    JSON.stringify({ inputs: { 'src/main.ts': [s.size, s.mtimeMs] } }),
  );
  return { root: pathToFileURL(`${dir}/`), source };
}

describe('bin/entry.js chooses the bundle only when it is current', () => {
  it('runs the bundle of an unchanged checkout', () => {
    assert.equal(choose(fakePackage('current', true).root, {}), 'dist');
  });
  it('runs the sources once a source file changed after the build', () => {
    const { root, source } = fakePackage('edited', true);
    const later = new Date(Date.now() + 5_000);
    utimesSync(source, later, later);
    assert.equal(choose(root, {}), 'source');
  });
  it('runs the sources once a source file the build read is gone', () => {
    const { root, source } = fakePackage('deleted', true);
    rmSync(source);
    assert.equal(choose(root, {}), 'source');
  });
  it('trusts the build of an installed package (no .git: npm resets file times)', () => {
    const { root, source } = fakePackage('installed', false);
    utimesSync(source, new Date(0), new Date(0));
    assert.equal(choose(root, {}), 'dist');
  });
  it('runs the sources when there is no build, or when ASSAY_FROM_SOURCE=1', () => {
    const { root } = fakePackage('forced', true);
    assert.equal(choose(root, { ASSAY_FROM_SOURCE: '1' }), 'source');
    rmSync(fileURLToPath(new URL('dist/build-info.json', root)));
    assert.equal(choose(root, {}), 'source');
  });
});

const built = choose(pathToFileURL(repo), {}) === 'dist';
const reason = 'dist/ is absent or older than the sources (npm ci runs `npm run build` through prepare)';
if (!built) console.log(`# bundle end-to-end tests skipped: ${reason}`);
// CI installs with `npm ci`, whose prepare step builds dist/: there a missing build is a failure.
// (A build older than an edit is fine there too: bin/assay.js then runs the sources, and this skips.)
if (process.env.CI === 'true') assert.ok(existsSync(join(repo, 'dist', 'cli.js')), `CI=true but ${reason}`);

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'assay.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What a scan decided, independent of run ids and times. */
function verdicts(stdout: string): string[] {
  const a = JSON.parse(stdout) as {
    findings: { checkId: string; status: string; location?: { file?: string; line?: number } }[];
  };
  return a.findings
    .map((f) => `${f.checkId} ${f.status} ${f.location?.file ?? ''}:${f.location?.line ?? ''}`)
    .sort();
}

describe('the compiled CLI', { skip: !built && reason }, () => {
  it('prints the version', () => {
    const r = run(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), VERSION);
  });

  it('scans the bundled example exactly as the sources do', () => {
    const args = ['scan', join(repo, 'examples', 'azure'), '--format', 'json'];
    const compiled = run(args);
    const source = run(args, { ASSAY_FROM_SOURCE: '1' });
    assert.equal(compiled.code, 1, compiled.stderr);
    assert.equal(source.code, 1, source.stderr);
    const v = verdicts(compiled.stdout);
    assert.ok(v.length > 10, `${v.length} findings`);
    assert.deepEqual(v, verdicts(source.stdout));
  });

  it('expands in its compiled worker threads with the same result as one job', () => {
    const dir = join(work, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 4; i++) {
      writeFileSync(
        join(dir, `t${i}.json`),
        templateText([
          {
            type: 'Microsoft.Storage/storageAccounts',
            apiVersion: '2023-01-01',
            name: `sa${i}`,
            location: 'australiaeast',
            kind: 'StorageV2',
            sku: { name: 'Standard_LRS' },
            properties: { minimumTlsVersion: i % 2 === 0 ? 'TLS1_2' : 'TLS1_0' },
          },
        ]),
      );
    }
    const args = ['scan', dir, '--format', 'json'];
    const env = { ASSAY_PARALLEL_FROM: '1:0' };
    const two = run([...args, '--jobs', '2'], env);
    const one = run([...args, '--jobs', '1'], env);
    assert.ok(two.code === 0 || two.code === 1, two.stderr);
    // A worker that fails to start is reported as a warning note (and its template expanded on
    // the main thread), so none may mention one.
    assert.equal(two.stderr.includes('worker thread'), false, two.stderr);
    assert.deepEqual(verdicts(two.stdout), verdicts(one.stdout));
    assert.ok(existsSync(join(repo, 'dist', 'worker.js')));
  });
});
