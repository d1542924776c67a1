/** Command-line helpers shared by the benchmarks. */

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A flag's value as a positive integer, or an error naming the flag. */
export function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${value}`);
  return n;
}

/** Whether the module at `moduleUrl` is the script node was started with, not one imported by it. */
export function isMainScript(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/**
 * Runs a benchmark's `main` when its file is the script started: exit 0 when it ends (a missed
 * target is printed, not an exit code), 1 with the stack when it crashes.
 */
export function runAsScript(moduleUrl: string, main: () => Promise<void>): void {
  if (!isMainScript(moduleUrl)) return;
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
