/**
 * What a scan needs to know about a clone before and besides its history: is it a
 * repository at all, bare or shallow or empty, where HEAD is, its tags, the files at HEAD.
 * A handful of git processes per repository, never one per commit.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { firstLine, GitError, git, gitEnv, gitOk, gitStream } from './run.ts';

export type Probe =
  | { kind: 'not-a-repository' }
  | { kind: 'corrupt'; message: string }
  | { kind: 'empty'; bare: boolean }
  | { kind: 'ok'; bare: boolean; shallow: boolean; head: string; branch: string | null };

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A folder that git would treat as a repository of its own: a `.git` inside, or a bare layout. */
export function looksLikeRepository(dir: string): boolean {
  if (existsSync(join(dir, '.git'))) return true;
  return existsSync(join(dir, 'HEAD')) && isDir(join(dir, 'objects')) && isDir(join(dir, 'refs'));
}

/** Classifies a folder. A `.git` git cannot read is `corrupt` with git's own message. */
export async function probeRepository(dir: string): Promise<Probe> {
  if (!looksLikeRepository(dir)) return { kind: 'not-a-repository' };
  const info = await git(dir, ['rev-parse', '--is-bare-repository', '--is-shallow-repository']);
  if (info.code !== 0) return { kind: 'corrupt', message: firstLine(info.stderr) || 'git cannot read it' };
  const [bareLine, shallowLine] = info.stdout.trim().split('\n');
  const bare = bareLine === 'true';
  // A work tree inside another repository's folder would make git report the outer one.
  if (!bare && !existsSync(join(dir, '.git'))) return { kind: 'not-a-repository' };
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.code !== 0) {
    const refs = await git(dir, ['for-each-ref', '--count=1', '--format=%(refname)']);
    if (refs.code !== 0) return { kind: 'corrupt', message: firstLine(refs.stderr) || 'cannot list refs' };
    if (refs.stdout.trim() === '') return { kind: 'empty', bare };
    return { kind: 'corrupt', message: 'HEAD does not resolve to a commit although the repository has refs' };
  }
  const branch = await git(dir, ['symbolic-ref', '-q', '--short', 'HEAD']);
  return {
    kind: 'ok',
    bare,
    shallow: shallowLine === 'true',
    head: head.stdout.trim(),
    branch: branch.code === 0 ? branch.stdout.trim() : null,
  };
}

/**
 * The commits at the tip of every local and remote-tracking branch, sorted and without
 * repeats (a remote's `HEAD` points at one of its branches). A clone made with
 * `git clone --mirror` or a fetch of every branch has them all.
 */
export async function branchTips(dir: string): Promise<string[]> {
  const r = await git(dir, ['for-each-ref', '--format=%(objectname)', 'refs/heads', 'refs/remotes']);
  if (r.code !== 0) throw new GitError(firstLine(r.stderr) || 'cannot list branches', r.code, r.stderr);
  return [...new Set(r.stdout.split('\n').filter(Boolean))].sort();
}

/**
 * True when every commit of `olds` is reachable from `news`: the aggregates stored for the
 * old tips are then a part of the history of the new ones, and only the difference needs
 * reading. False also when an old commit no longer exists (history rewritten and pruned).
 */
export async function allReachable(
  dir: string,
  olds: readonly string[],
  news: readonly string[],
): Promise<boolean> {
  if (olds.length === 1 && news.length === 1) {
    const r = await git(dir, ['merge-base', '--is-ancestor', olds[0], news[0]]);
    return r.code === 0;
  }
  const r = await git(dir, ['rev-list', '--count', ...olds, '--not', ...news, '--']);
  return r.code === 0 && r.stdout.trim() === '0';
}

/**
 * A fingerprint of the `.mailmap` in force: the stored aggregates hold names after
 * mapping, so a changed mailmap means they must be rebuilt.
 */
export async function mailmapFingerprint(dir: string, bare: boolean): Promise<string> {
  if (bare) {
    const r = await git(dir, ['rev-parse', '-q', '--verify', 'HEAD:.mailmap']);
    return r.code === 0 ? r.stdout.trim() : '';
  }
  const file = join(dir, '.mailmap');
  if (!existsSync(file)) return '';
  return createHash('sha1').update(readFileSync(file)).digest('hex');
}

export interface TagInfo {
  count: number;
  latest: { name: string; at: number } | null;
}

/**
 * The tags that existed by `before` (epoch seconds, exclusive; all tags when absent): how
 * many, and the latest by creation date. A tag made after the window's end is not part of
 * the window, so the release check judges the repository as it was then.
 */
export async function readTags(dir: string, before?: number): Promise<TagInfo> {
  const out = await gitOk(dir, [
    'for-each-ref',
    '--sort=-creatordate',
    '--format=%(refname:short)%00%(creatordate:unix)',
    'refs/tags',
  ]);
  let count = 0;
  let latest: TagInfo['latest'] = null;
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [name, at] = line.split('\0');
    const when = Number(at);
    if (before !== undefined && when >= before) continue;
    count++;
    if (latest === null) latest = { name, at: when };
  }
  return { count, latest };
}

/** `origin`'s URL with any user name or token removed, for links in reports. */
export async function remoteUrl(dir: string): Promise<string | null> {
  const r = await git(dir, ['config', '--get', 'remote.origin.url']);
  if (r.code !== 0) return null;
  return stripCredentials(r.stdout.trim()) || null;
}

export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

export interface TreeSummary {
  /** Paths that hygiene checks look at: the root, `.github/`, `.gitlab/`, `.azuredevops/`, `docs/` (one level). */
  paths: string[];
  /** Files per extension (lower case, without the dot), for the portal's languages. */
  extensions: Map<string, number>;
  files: number;
}

function interesting(path: string): boolean {
  const slash = path.indexOf('/');
  if (slash < 0) return true;
  const top = path.slice(0, slash).toLowerCase();
  if (top === '.github' || top === '.gitlab' || top === '.azuredevops') return true;
  return top === 'docs' && path.indexOf('/', slash + 1) < 0;
}

/** Lists HEAD's tree in one streamed `git ls-tree`, keeping only what the checks and portal need. */
export async function summariseTree(dir: string): Promise<TreeSummary> {
  const summary: TreeSummary = { paths: [], extensions: new Map(), files: 0 };
  let carry = '';
  const take = (path: string): void => {
    summary.files++;
    if (interesting(path)) summary.paths.push(path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    if (dot > 0) {
      const ext = base.slice(dot + 1).toLowerCase();
      summary.extensions.set(ext, (summary.extensions.get(ext) ?? 0) + 1);
    }
  };
  await gitStream(dir, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'], (chunk) => {
    const parts = (carry + chunk.toString('utf8')).split('\0');
    carry = parts.pop() ?? '';
    for (const p of parts) if (p) take(p);
  });
  if (carry) take(carry);
  return summary;
}

/** At most this much of a document is read; the checks look at headings and a few words. */
const BLOB_LIMIT = 256 * 1024;

/**
 * Reads several files from HEAD with one `git cat-file --batch` (which also works in bare
 * clones). Missing paths are absent from the result.
 */
export function readBlobs(dir: string, paths: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (paths.length === 0) return Promise.resolve(result);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, env: gitEnv(dir) });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', (err) => reject(new GitError(`cannot run git: ${err.message}`, null, stderr)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new GitError(firstLine(stderr) || 'git cat-file failed', code, stderr));
        return;
      }
      const out = Buffer.concat(chunks);
      let pos = 0;
      for (const path of paths) {
        const nl = out.indexOf(10, pos);
        if (nl < 0) break;
        const header = out.toString('utf8', pos, nl);
        pos = nl + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) continue; // `<name> missing` or `ambiguous`
        const size = Number(m[2]);
        if (m[1] === 'blob') result.set(path, out.toString('utf8', pos, pos + Math.min(size, BLOB_LIMIT)));
        pos += size + 1;
      }
      resolve(result);
    });
    child.stdin.end(`${paths.map((p) => `HEAD:${p}`).join('\n')}\n`);
  });
}
