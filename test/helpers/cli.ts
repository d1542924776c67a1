import { main } from '../../src/cli/main.ts';

/**
 * Runs the CLI in this process with stderr captured and `process.exitCode` restored, so a test
 * sees what the command said and the runner's own exit code is untouched.
 */
export async function runMain(argv: string[]): Promise<{ code: number; err: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let err = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    return { code: await main(argv), err };
  } finally {
    process.stderr.write = write;
    process.exitCode = exitCode;
  }
}
