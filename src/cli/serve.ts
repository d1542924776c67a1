import type { Command } from 'commander';
import { LazyStore } from '../server/lazy-store.ts';
import { isLoopback, startServer } from '../server/listen.ts';
import { displayStore, isPostgresSpec } from '../store/open.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './select-checks.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';

export const TOKEN_ENV = 'ASSAY_TOKEN';

interface ServeFlags extends StoreFlags {
  host?: string;
  port?: string;
  token?: string;
  config?: string;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('serve the dashboard: a read-only web UI and JSON API over the saved runs')
    .option('--host <address>', 'address to listen on; anything but loopback needs a token', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '8470')
    .option(
      '--token <token>',
      `require this bearer token on every API call; prefer ${TOKEN_ENV}, since a flag is visible in ps`,
    )
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(command).action(async (flags: ServeFlags) => {
    process.exitCode = await runServe(flags);
  });
}

/**
 * The API token: `--token`, else ASSAY_TOKEN. A token on the command line is visible to every
 * user of the machine (`ps`, /proc/<pid>/cmdline), so using the flag earns a warning.
 */
export function resolveToken(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { token?: string; warning?: string } {
  if (flag !== undefined)
    return {
      token: flag,
      warning: `--token is visible to other users of this machine in the process list (ps); set ${TOKEN_ENV} instead`,
    };
  const fromEnv = env[TOKEN_ENV];
  return fromEnv ? { token: fromEnv } : {};
}

/** A listen failure a person can act on (a busy or privileged port) as one line; anything else as it is. */
export function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE')
    return new UsageError(
      `${host}:${port} is already in use: stop what is listening there, or choose another --port`,
    );
  if (err.code === 'EACCES')
    return new UsageError(`${host}:${port} needs privileges to listen on: choose a --port above 1023`);
  if (err.code === 'EADDRNOTAVAIL')
    return new UsageError(`${host} is not an address of this machine: check --host`);
  return err;
}

async function runServe(flags: ServeFlags): Promise<number> {
  const host = flags.host ?? '127.0.0.1';
  const port = Number(flags.port ?? '8470');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects a port number 0-65535, got '${flags.port}'`);
  const { token, warning } = resolveToken(flags.token);
  if (warning) process.stderr.write(`assay: warning: ${warning}\n`);
  if (!isLoopback(host) && token === undefined) {
    throw new UsageError(
      `refusing to serve on ${host} without a token: other machines could read every finding. ` +
        `Set ${TOKEN_ENV}=<secret> (--token works too, but other users see it in ps), or keep the default --host 127.0.0.1`,
    );
  }
  if (token !== undefined && token.length < 16)
    process.stderr.write('assay: warning: a token shorter than 16 characters is easy to guess\n');
  const { config } = loadConfig(flags.config);
  const path = storePath(flags, config);
  // Open once now so that a missing or unreadable store is reported before listening.
  await (await openHistory(path, true)).close();
  // A DuckDB file is let go between bursts of requests; a PostgreSQL pool has no single owner.
  const store = new LazyStore(() => openHistory(path, true), isPostgresSpec(path) ? {} : { storeFile: path });
  const server = await startServer(store, { host, port, ...(token !== undefined ? { token } : {}) }).catch(
    async (err: NodeJS.ErrnoException) => {
      await store.close();
      throw listenProblem(err, host, port);
    },
  );
  process.stdout.write(`assay dashboard: ${server.url}${token !== undefined ? '#token=<token>' : ''}\n`);
  process.stdout.write(`serving ${displayStore(path)} read-only; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await store.close();
  return 0;
}
