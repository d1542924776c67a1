import { main } from '../../src/cli/main.ts';

/**
 * Runs the CLI in this process with stderr captured and `process.exitCode` restored after, so
 * a test can assert the exit code and messages without spawning. Outputs should go to files
 * (`-o`): the test runner owns this process's stdout.
 */
export async function runCli(argv: string[]): Promise<{ code: number; err: string }> {
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
