/**
 * Running git: one place that decides the environment and the flags that keep a scan
 * read-only, fast and independent of the user's diff settings.
 */
import { execFile, spawn } from 'node:child_process';
import { dirname } from 'node:path';

/** Raised when a git command exits non-zero; carries git's own message for the report. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

/**
 * The environment every git call runs in. The ceiling stops git from walking up into a
 * parent repository when a folder is not a repository itself (or its `.git` is broken),
 * optional locks are off so a scan never writes to a clone, messages are in English so
 * they read the same in every report, and git never prompts.
 */
export function gitEnv(repoDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CEILING_DIRECTORIES: dirname(repoDir),
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    LANG: 'C',
  };
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a short git command to completion. Non-zero exit is returned, not thrown, so callers decide. */
export function git(repoDir: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: repoDir, env: gitEnv(repoDir), maxBuffer, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          // ENOENT (git missing) or a buffer overflow: not a git verdict about the repository.
          reject(new GitError(`cannot run git: ${err.message}`, null, String(stderr)));
          return;
        }
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
  });
}

/** Like `git`, but throws a GitError with git's first message line when the command fails. */
export async function gitOk(repoDir: string, args: string[]): Promise<string> {
  const r = await git(repoDir, args);
  if (r.code !== 0) throw new GitError(firstLine(r.stderr) || `git ${args[0]} failed`, r.code, r.stderr);
  return r.stdout;
}

/** The most telling line of git's stderr: the `fatal:`/`error:` one when there is one. */
export function firstLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? '';
}

/**
 * Streams a git command's stdout into `onChunk`; resolves when git exits, rejects with a
 * GitError when it fails. Stdout is consumed as it arrives, so memory stays bounded.
 */
export function gitStream(repoDir: string, args: string[], onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: repoDir,
      env: gitEnv(repoDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let failed: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        onChunk(chunk);
      } catch (err) {
        failed = err instanceof Error ? err : new Error(String(err));
        child.kill();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (stderr.length < 16_384) stderr += s;
    });
    child.on('error', (err) => reject(new GitError(`cannot run git: ${err.message}`, null, stderr)));
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new GitError(firstLine(stderr) || `git ${args[0]} failed`, code, stderr));
      else resolve();
    });
  });
}
