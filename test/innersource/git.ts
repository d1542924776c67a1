/**
 * Real git repositories for the InnerSource tests: commits with chosen authors and dates,
 * in temp folders, with HOME and system config isolated so the machine's git config (a
 * signing key, a global mailmap, rename settings) cannot leak into the results. Importing
 * this module isolates the scanner's git calls too: they inherit process.env.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'assay-is-home-'));
process.env.HOME = home;
process.env.XDG_CONFIG_HOME = join(home, '.config');
process.env.GIT_CONFIG_NOSYSTEM = '1';
delete process.env.GIT_DIR;
delete process.env.GIT_WORK_TREE;

export function tempDir(prefix = 'assay-is-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function git(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string | Buffer,
): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(input !== undefined ? { input } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface CommitSpec {
  /** `Name <email>` */
  author: string;
  /** ISO date, e.g. `2024-03-01T10:00:00Z`. */
  date: string;
  /** Files to write (content) or delete (null). Default: one line appended to `log.txt`. */
  files?: Record<string, string | null>;
  message?: string;
}

function person(spec: string): { name: string; email: string } {
  const m = /^(.*?)\s*<([^>]*)>$/.exec(spec);
  if (!m) throw new Error(`author must be 'Name <email>', got ${spec}`);
  return { name: m[1], email: m[2] };
}

let counter = 0;

export function initRepo(dir: string, branch = 'main'): string {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', branch]);
  return dir;
}

export function commit(dir: string, spec: CommitSpec): void {
  const who = person(spec.author);
  const files = spec.files ?? { 'log.txt': null };
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (spec.files === undefined) {
      // Default change: append a line, so every commit has a diff (+1 line, 1 file).
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, `${++counter}\n`, { flag: 'a' });
    } else if (content === null) rmSync(full, { force: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', spec.message ?? `change ${counter}`], {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_AUTHOR_DATE: spec.date,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_COMMITTER_DATE: spec.date,
  });
}

export function tag(dir: string, name: string, date: string): void {
  git(dir, ['tag', '-a', name, '-m', name], {
    GIT_COMMITTER_NAME: 'Release',
    GIT_COMMITTER_EMAIL: 'release@example.com',
    GIT_COMMITTER_DATE: date,
  });
}

export function head(dir: string): string {
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** `count` commits by `author`, one a day from `start`, each appending a line to log.txt. */
export function commitDaily(dir: string, author: string, start: string, count: number): void {
  const t0 = Date.parse(start);
  for (let i = 0; i < count; i++) commit(dir, { author, date: new Date(t0 + i * 86_400_000).toISOString() });
}
