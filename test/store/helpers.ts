import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanAzure } from '../../src/azure/scan.ts';
import type { Assessment } from '../../src/core/model.ts';
import { runCli } from '../helpers/cli.ts';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(repo, 'bin', 'assay.js');

/** A fresh temp folder (never the repo's .assay/) and its cleanup. */
export function tempDir(prefix = 'assay-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies examples/azure into `dir/azure`, so a test can edit a template. */
export function copyExample(dir: string): string {
  const target = join(dir, 'azure');
  cpSync(join(repo, 'examples', 'azure'), target, { recursive: true });
  return target;
}

/** The bundled example scanned with the real pipeline. */
export async function exampleAssessment(root = repo): Promise<Assessment> {
  const { assessment } = await scanAzure([join(root, 'examples', 'azure')], {
    root,
    now: '2025-01-01T00:00:00Z',
  });
  return assessment;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const cliEnv = (extra: Record<string, string> = {}) => ({ ...process.env, NO_COLOR: '1', ...extra });

/** Runs `assay` to completion in `cwd`. */
export function assay(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: cliEnv(env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `assay` in this process (no tsx start-up); for runs that need no second process. */
export async function assayHere(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const r = await runCli(args, { cwd, env: { NO_COLOR: '1', ...env } });
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/** Starts `assay` without waiting; `waitFor` resolves once stderr has printed a line matching `pattern`. */
export function startAssay(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): {
  child: ChildProcess;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  done: Promise<CliResult>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: cliEnv(env) });
  let stdout = '';
  let stderr = '';
  const listeners: (() => void)[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const l of [...listeners]) l();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stderr)) {
          listeners.splice(listeners.indexOf(check), 1);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern} on stderr; got:\n${stderr}`)),
        timeoutMs,
      );
      listeners.push(check);
      void done.then(() => {
        if (!pattern.test(stderr)) {
          clearTimeout(timer);
          reject(new Error(`process ended before ${pattern}; stderr:\n${stderr}`));
        }
      });
      check();
    });
  return { child, waitFor, done, stderr: () => stderr };
}
