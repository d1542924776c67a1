/** What `npm pack` would ship: the CLI and library sources, never tests, benchmarks or fixtures. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

describe('install scripts', () => {
  it('denies every dependency install script it knows of: nothing is downloaded at install time', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    assert.deepEqual(pkg.allowScripts, { esbuild: false });
  });
});

describe('npm package contents', () => {
  it('ships bin, src, web and schemas, and no tests, benchmarks, fixtures or examples', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    for (const needed of [
      'bin/assay.js',
      'src/cli/main.ts',
      'src/index.ts',
      'src/controls/mappings/ism.json',
      'web/main.ts',
    ])
      assert.ok(files.includes(needed), `${needed} is shipped`);
    // dist/ is built by `npm run build` (prepare, after npm ci); where it is, it ships.
    if (existsSync(join(repo, 'dist', 'cli.js')))
      for (const built of ['dist/cli.js', 'dist/worker.js', 'dist/web/app.js', 'dist/build-info.json'])
        assert.ok(files.includes(built), `${built} is shipped`);
    const stray = files.filter(
      (f) => /^(test|bench|examples|scripts|docs)\//.test(f) || f.endsWith('.test.ts'),
    );
    assert.deepEqual(stray, []);
  });
});
