/**
 * The container image: the Dockerfile read as instructions (stages, user, entrypoint), the build
 * context .dockerignore leaves, and a real `docker build` when a daemon is reachable.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions: comments dropped, `\` continuations joined, keywords upper-cased. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const full = pending + line;
    pending = '';
    const space = full.indexOf(' ');
    out.push({ op: full.slice(0, space).toUpperCase(), args: full.slice(space + 1).trim() });
  }
  return out;
}

/** The instructions of each stage, split at FROM. */
function stages(list: Instruction[]): Instruction[][] {
  const out: Instruction[][] = [];
  for (const i of list) {
    if (i.op === 'FROM') out.push([]);
    out.at(-1)?.push(i);
  }
  return out;
}

const dockerfile = instructions(readFileSync(join(repo, 'Dockerfile'), 'utf8'));

describe('Dockerfile', () => {
  const all = stages(dockerfile);
  const final = all.at(-1) ?? [];

  it('is multi-stage on a slim Node base, installing production dependencies without scripts', () => {
    assert.ok(all.length >= 2, 'a dependency stage and a runtime stage');
    const base = dockerfile.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    assert.match(base?.args ?? '', /^NODE_IMAGE=node:(20|22|24)[\w.-]*-slim$/);
    for (const stage of all) assert.match(stage[0]?.args ?? '', /^\$\{NODE_IMAGE\}/);
    const install = all[0]?.find((i) => i.op === 'RUN' && i.args.includes('npm ci'));
    assert.match(install?.args ?? '', /npm ci --omit=dev --ignore-scripts/);
  });

  it('runs as the non-root node user, with assay as the entrypoint', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args);
    assert.deepEqual(users, ['node']);
    const userAt = final.findIndex((i) => i.op === 'USER');
    const lastRun = final.findLastIndex((i) => i.op === 'RUN');
    assert.ok(userAt > lastRun, 'nothing runs as root after USER');
    const entry = final.filter((i) => i.op === 'ENTRYPOINT');
    assert.equal(entry.length, 1);
    assert.deepEqual(JSON.parse(entry[0]?.args ?? ''), ['assay'], 'exec form, so signals reach assay');
    assert.ok(
      final.some(
        (i) => i.op === 'RUN' && i.args.includes('ln -s /opt/assay/bin/assay.js /usr/local/bin/assay'),
      ),
    );
  });

  it('copies only what the package ships, and every source it copies exists', () => {
    const copied = final
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    assert.deepEqual(copied.sort(), ['bin', 'package.json', 'schemas', 'src', 'tsconfig.json', 'web']);
    for (const path of copied) assert.ok(existsSync(join(repo, path)), path);
    // The compiled CLI comes from the build stage, which runs the project's own build script.
    assert.ok(final.some((i) => i.op === 'COPY' && i.args === '--from=build /opt/assay/dist ./dist'));
    assert.ok(existsSync(join(repo, 'scripts', 'build.ts')));
    assert.ok(existsSync(join(repo, 'package-lock.json')));
  });

  it('makes Chromium (report --pdf) optional, off by default', () => {
    assert.ok(final.some((i) => i.op === 'ARG' && i.args === 'WITH_CHROMIUM=false'));
    const apt = final.find((i) => i.op === 'RUN' && i.args.includes('apt-get install'));
    assert.match(apt?.args ?? '', /^if \[ "\$WITH_CHROMIUM" = "true" \]/);
  });
});

describe('.dockerignore', () => {
  it('excludes everything but the copied sources, and tests and node_modules inside them', () => {
    const lines = readFileSync(join(repo, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    for (const kept of ['!package.json', '!package-lock.json', '!src', '!web', '!bin', '!schemas'])
      assert.ok(lines.includes(kept), kept);
    assert.ok(lines.includes('**/*.test.ts'));
    assert.ok(lines.includes('**/node_modules'));
  });
});

describe('docker build', () => {
  const daemon = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const reason =
    daemon.error !== undefined
      ? `docker is not installed (${daemon.error.message})`
      : daemon.status !== 0
        ? `no docker daemon is reachable (${(daemon.stderr ?? '').trim().split('\n')[0]})`
        : undefined;
  if (reason) console.log(`skipping docker build: ${reason}`);

  it('builds the image, and the image prints the version as the node user', {
    skip: reason,
    timeout: 900_000,
  }, () => {
    const tag = `assay-test:${process.pid}`;
    try {
      const build = spawnSync('docker', ['build', '-t', tag, '.'], { cwd: repo, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
      const version = spawnSync('docker', ['run', '--rm', tag, '--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.stdout.trim(), pkg.version);
      const user = spawnSync('docker', ['run', '--rm', '--entrypoint', 'id', tag, '-u'], {
        encoding: 'utf8',
      });
      assert.notEqual(user.stdout.trim(), '0');
    } finally {
      spawnSync('docker', ['rmi', '-f', tag]);
    }
  });
});
