import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { SourceLocation } from '../../core/model.ts';
import { TemplateError } from '../expressions/context.ts';

/** A Bicep compiler the scan can run: the `bicep` CLI, or the Azure CLI's `az bicep`. */
export interface BicepCli {
  /** Executable path, run without a shell. */
  command: string;
  /** `az` takes the file by `--file`, `bicep` as an argument. */
  viaAz: boolean;
}

/** A compilation that does not end within this time is an input error for that file. */
export const DEFAULT_BICEP_TIMEOUT_MS = 120_000;
/** Compiled output above this is refused, like a template file above the size limit. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** What to tell a user who has Bicep files and no compiler. */
export const BICEP_HOWTO =
  'install the Bicep CLI (https://aka.ms/bicep/install) so assay can compile it, or run `bicep build <file>` and scan the JSON';

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  // Windows runs `bicep.exe` directly; `az` there is a .cmd script, which needs a shell, so it is not used.
  const names = process.platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const n of names) {
      const full = join(dir, n);
      if (executable(full)) return full;
    }
  }
  return undefined;
}

/**
 * The Bicep compiler to use: `ASSAY_BICEP` (an executable path), else `bicep` on PATH, else
 * `az` on PATH (its `az bicep` command group).
 */
export function findBicepCli(env: NodeJS.ProcessEnv = process.env): BicepCli | undefined {
  const named = env.ASSAY_BICEP;
  if (named) return { command: isAbsolute(named) ? named : resolve(named), viaAz: false };
  const bicep = onPath('bicep', env);
  if (bicep) return { command: bicep, viaAz: false };
  const az = onPath('az', env);
  if (az) return { command: az, viaAz: true };
  return undefined;
}

/** The arguments that build one file to stdout; the file is one argument, never part of a command string. */
function buildArgs(cli: BicepCli, file: string, params: boolean): string[] {
  const verb = params ? 'build-params' : 'build';
  return cli.viaAz ? ['bicep', verb, '--file', file, '--stdout'] : [verb, '--stdout', file];
}

/**
 * The first error in the compiler's diagnostics, which it writes as
 * `<path>(<line>,<column>) : Error <code>: <message>`. Parsed without a regular expression.
 */
export function firstBicepError(
  stderr: string,
  fallback: SourceLocation,
  show: (absolutePath: string) => string,
): { location: SourceLocation; message: string } | undefined {
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    const marker = line.indexOf(') : Error ');
    if (marker < 0) continue;
    const open = line.lastIndexOf('(', marker);
    const [l, c] = line.slice(open + 1, marker).split(',');
    const lineNo = Number(l);
    const column = Number(c);
    if (open <= 0 || !Number.isInteger(lineNo) || !Number.isInteger(column)) continue;
    const path = line.slice(0, open);
    return {
      location: { file: isAbsolute(path) ? show(path) : fallback.file, line: lineNo, column },
      message: line.slice(marker + ') : '.length),
    };
  }
  return undefined;
}

/**
 * Compiles one `.bicep` (to an ARM template) or `.bicepparam` (to the CLI's
 * `{ parametersJson, templateJson }`) and returns stdout. Failures are TemplateErrors
 * naming the Bicep file and, for compile errors, the line the compiler reports.
 */
export function compileBicep(
  cli: BicepCli,
  absolutePath: string,
  file: string,
  options: { params: boolean; timeoutMs?: number; show: (absolutePath: string) => string },
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_BICEP_TIMEOUT_MS;
  const at: SourceLocation = { file, line: 1, column: 1 };
  return new Promise((resolvePromise, reject) => {
    execFile(
      cli.command,
      buildArgs(cli, absolutePath, options.params),
      { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) {
          resolvePromise(stdout);
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.code === 'ENOENT' || e.code === 'EACCES') {
          reject(
            new TemplateError('bicep-cli', `the Bicep CLI '${cli.command}' could not be run (${e.code})`, at),
          );
        } else if (e.killed || e.signal) {
          reject(
            new TemplateError(
              'bicep-timeout',
              `Bicep compilation did not finish within ${timeoutMs / 1000} s; the file is not assessed`,
              at,
            ),
          );
        } else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(
            new TemplateError(
              'bicep-output-too-large',
              `compiled output is above ${MAX_OUTPUT_BYTES / 1048576} MB; the file is not assessed`,
              at,
            ),
          );
        } else {
          const first = firstBicepError(stderr, at, options.show);
          const detail = first?.message ?? (stderr.trim().split('\n')[0] || `exit code ${String(e.code)}`);
          reject(
            new TemplateError('bicep-compile', `Bicep compilation failed: ${detail}`, first?.location ?? at),
          );
        }
      },
    );
  });
}
