/**
 * A reader that stops early (`assay checks | head -2`) closes stdout under us. Writing then
 * fails with EPIPE; Node raises it as an 'error' event, which would crash the process with a
 * stack trace. The guard swallows exactly that error, remembers that stdout is gone, and the
 * run goes on (its save and exit code unchanged) with nothing more written to stdout.
 */
let installed = false;
let closed = false;

export function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/** Installs the guard once per process; any other stdout error is re-thrown as before. */
export function guardStdout(stream: NodeJS.WriteStream = process.stdout): void {
  if (installed) return;
  installed = true;
  stream.on('error', (err) => {
    if (!isBrokenPipe(err)) throw err;
    closed = true;
  });
}

/** True once a reader has closed stdout. */
export function stdoutClosed(): boolean {
  return closed;
}
