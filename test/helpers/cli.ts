import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  /** What the command wrote to stdout. */
  out: string;
  err: string;
}

export interface CliOptions {
  /** Working directory for the run; the previous one is restored after. */
  cwd?: string;
  /** Environment variables set for the run (undefined unsets); the previous values are restored after. */
  env?: Record<string, string | undefined>;
}

type Write = typeof process.stdout.write;

/**
 * Under `node --test` each file runs in a child process that sends its results to the parent
 * over stdout as V8-serialized messages, written as Buffers whose first byte is the serializer's
 * version tag 0xFF. That byte never starts UTF-8 text, so a chunk starting with it is the test
 * runner's and goes through untouched; everything else is the command's output.
 */
function isRunnerMessage(chunk: unknown): boolean {
  return chunk instanceof Uint8Array && chunk[0] === 0xff;
}

/** Replaces `stream.write` with one that appends to `sink`, passing the test runner's own messages through. */
function capture(stream: NodeJS.WriteStream, sink: (text: string) => void): () => void {
  const original = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (isRunnerMessage(chunk)) return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    sink(chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk));
    const callback = rest.find((r) => typeof r === 'function') as ((err?: Error) => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as Write;
  return () => {
    stream.write = original;
  };
}

/** Sets each variable (deleting the undefined ones); returns a function that puts the old values back. */
function setEnv(env: Record<string, string | undefined>): () => void {
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  const apply = (pairs: readonly (readonly [string, string | undefined])[]) => {
    for (const [k, v] of pairs) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(Object.entries(env));
  return () => apply(saved);
}

/**
 * Runs the CLI in this process with stdout and stderr captured and `process.exitCode`, the
 * working directory and the environment restored after, so a test can assert the exit code,
 * the output and the messages without spawning (and paying for a fresh tsx start-up).
 * Runs must not overlap: tests that call this run one at a time within their file.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const restoreOut = capture(process.stdout, (t) => {
    out += t;
  });
  const restoreErr = capture(process.stderr, (t) => {
    err += t;
  });
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  const cwd = process.cwd();
  const restoreEnv = setEnv(options.env ?? {});
  try {
    if (options.cwd !== undefined) process.chdir(options.cwd);
    return { code: await main(argv), out, err };
  } finally {
    process.chdir(cwd);
    restoreEnv();
    restoreOut();
    restoreErr();
    process.exitCode = exitCode;
  }
}
