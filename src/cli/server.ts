/**
 * `assay server`: the dashboard and API for many projects (src/server/multi/, docs/server.md),
 * and its administration on the store itself: `assay server project add|list` and
 * `assay server token create|list|revoke`. A token is printed once, on creation.
 */
import type { Command } from 'commander';
import { type DeadLetter, deadLetters, queueExists, storeDb } from '../queue/control.ts';
import { queueSchema } from '../queue/settings.ts';
import { DEFAULT_MAX_BODY } from '../server/multi/app.ts';
import { bindProblem, startMultiServer } from '../server/multi/listen.ts';
import { Registry, RegistryError, SERVER_MIGRATIONS } from '../server/multi/registry.ts';
import { TOKEN_SCOPES, type TokenScope } from '../server/multi/tokens.ts';
import { registerMigrations } from '../store/migrations.ts';
import { displayStore, isPostgresSpec } from '../store/open.ts';
import type { SqlStore } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './select-checks.ts';
import { listenProblem } from './serve.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';
import { collect } from './template-options.ts';

interface CommonFlags extends StoreFlags {
  config?: string;
}

interface ServerFlags extends CommonFlags {
  host?: string;
  port?: string;
  maxBody?: string;
  tlsCert?: string;
  tlsKey?: string;
  behindProxy?: boolean;
  insecureHttp?: boolean;
  queueSchema?: string;
}

/** The queue's dead letters read through the store's own connections (none until a queue exists). */
function queueDeadLetters(store: SqlStore, schema: string) {
  const db = storeDb(store);
  return async (project?: string): Promise<DeadLetter[]> =>
    (await queueExists(db, schema))
      ? deadLetters(db, { schema }, project !== undefined ? { project } : {})
      : [];
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A size such as `64MiB`, `10mb` or `1048576` in bytes. */
export function parseSize(text: string): number {
  const m = /^(\d{1,12})\s?([a-z]{0,3})$/i.exec(text.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) === 0)
    throw new UsageError(`--max-body expects a size such as 64MiB, 10mb or 1048576; got '${text}'`);
  return Number(m[1]) * unit;
}

async function openServerStore(flags: CommonFlags): Promise<{ store: SqlStore; spec: string }> {
  const { config } = loadConfig(flags.config);
  const spec = storePath(flags, config);
  registerMigrations(SERVER_MIGRATIONS);
  return { store: await openHistory(spec, false), spec };
}

async function withRegistry<T>(flags: CommonFlags, fn: (r: Registry) => Promise<T>): Promise<T> {
  const { store } = await openServerStore(flags);
  try {
    return await fn(new Registry(store));
  } catch (err) {
    if (err instanceof RegistryError) throw new UsageError(err.message);
    throw err;
  } finally {
    await store.close();
  }
}

/**
 * A subcommand's flags with those given to `assay server` itself: commander gives `--store` and
 * `--config` to the parent, which declares them too, wherever they stand on the line.
 */
function withParent<T>(cmd: Command): T {
  const local = cmd.opts();
  const merged: Record<string, unknown> = { ...cmd.optsWithGlobals() };
  for (const [k, v] of Object.entries(local)) if (v !== undefined) merged[k] = v;
  return merged as T;
}

const common = (c: Command) =>
  addStoreOption(c.option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)'));

export function registerServer(program: Command): void {
  const server = program
    .command('server')
    .description('serve many projects: pushes from pipelines, tokens per project, the org-wide dashboard')
    .option(
      '--host <address>',
      'address to listen on; anything but loopback needs TLS termination',
      '127.0.0.1',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', '8471')
    .option(
      '--max-body <size>',
      'largest request body taken, e.g. 64MiB (set the proxy limit at least as high)',
    )
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM), with --tls-key')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option('--behind-proxy', 'TLS is terminated by a reverse proxy in front of this server')
    .option(
      '--insecure-http',
      'allow plain HTTP on a non-loopback address (tokens cross the network in clear)',
    )
    .option(
      '--queue-schema <name>',
      'PostgreSQL schema of the job queue whose dead letters the dashboard shows (default: $ASSAY_QUEUE_SCHEMA, else assay_jobs)',
    );
  common(server).action(async (flags: ServerFlags) => {
    process.exitCode = await runServer(flags);
  });

  const project = server.command('project').description('projects: a name and the scope their scans cover');
  common(
    project
      .command('add <name>')
      .description('add a project')
      .option('--scope <text>', 'what the project scans (a repository, a subscription)', ''),
  ).action(async (name: string, _flags: unknown, cmd: Command) => {
    const flags = withParent<CommonFlags & { scope: string }>(cmd);
    const added = await withRegistry(flags, (r) => r.addProject(name, flags.scope));
    process.stdout.write(`added project ${added.name}\n`);
  });
  common(project.command('list').description('list the projects')).action(
    async (_flags: unknown, cmd: Command) => {
      const flags = withParent<CommonFlags>(cmd);
      const projects = await withRegistry(flags, (r) => r.projects());
      for (const p of projects) process.stdout.write(`${p.name}\t${p.scope}\t${p.createdAt}\n`);
    },
  );

  const token = server.command('token').description('server tokens: push, read or admin; hashed at rest');
  common(
    token
      .command('create')
      .description('create a token and print it once')
      .requiredOption('--scope <scope>', `what the token may do: ${TOKEN_SCOPES.join(', ')}`)
      .option('--project <name>', 'the project (push: exactly one; read: one or more; admin: none)', collect)
      .option('--note <text>', 'what the token is for (shown by token list)'),
  ).action(async (_flags: unknown, cmd: Command) => {
    const flags = withParent<CommonFlags & { scope: string; project?: string[]; note?: string }>(cmd);
    if (!(TOKEN_SCOPES as readonly string[]).includes(flags.scope))
      throw new UsageError(`--scope expects ${TOKEN_SCOPES.join(', ')}; got '${flags.scope}'`);
    const projects = (flags.project ?? [])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    const made = await withRegistry(flags, (r) =>
      r.createToken(flags.scope as TokenScope, projects, flags.note),
    );
    process.stderr.write(
      `assay: created ${made.info.scope} token ${made.info.id}${projects.length ? ` for ${projects.join(', ')}` : ''}; ` +
        'it is shown once, below: keep it in a secret store\n',
    );
    process.stdout.write(`${made.token}\n`);
  });
  common(token.command('list').description('list tokens (never their secrets)')).action(
    async (_flags: unknown, cmd: Command) => {
      const flags = withParent<CommonFlags>(cmd);
      const tokens = await withRegistry(flags, (r) => r.tokens());
      for (const t of tokens)
        process.stdout.write(
          `${t.id}\t${t.scope}\t${t.projects.join(',') || '-'}\t${t.createdAt}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}${t.note ? `\t${t.note}` : ''}\n`,
        );
    },
  );
  common(token.command('revoke <id>').description('revoke a token at once')).action(
    async (id: string, _flags: unknown, cmd: Command) => {
      const flags = withParent<CommonFlags>(cmd);
      const done = await withRegistry(flags, (r) => r.revokeToken(id));
      if (!done) throw new UsageError(`no unrevoked token '${id}'`);
      process.stdout.write(`revoked token ${id}\n`);
    },
  );
}

async function runServer(flags: ServerFlags): Promise<number> {
  const host = flags.host ?? '127.0.0.1';
  const port = Number(flags.port ?? '8471');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port expects a port number 0-65535, got '${flags.port}'`);
  const bind = {
    host,
    ...(flags.tlsCert !== undefined ? { tlsCert: flags.tlsCert } : {}),
    ...(flags.tlsKey !== undefined ? { tlsKey: flags.tlsKey } : {}),
    behindProxy: flags.behindProxy === true,
    insecureHttp: flags.insecureHttp === true,
  };
  const problem = bindProblem(bind);
  if (problem) throw new UsageError(problem);
  const maxBody = flags.maxBody !== undefined ? parseSize(flags.maxBody) : DEFAULT_MAX_BODY;
  if (bind.insecureHttp && !bind.behindProxy && bind.tlsCert === undefined)
    process.stderr.write(
      `assay: warning: --insecure-http: tokens and findings cross the network to ${host} in clear\n`,
    );
  const { store, spec } = await openServerStore(flags);
  const deadLetters = isPostgresSpec(spec)
    ? queueDeadLetters(store, queueSchema(flags.queueSchema))
    : undefined;
  const server = await startMultiServer(store, {
    ...bind,
    port,
    maxBody,
    ...(deadLetters ? { deadLetters } : {}),
  }).catch(async (err: NodeJS.ErrnoException) => {
    await store.close();
    throw listenProblem(err, host, port);
  });
  process.stdout.write(`assay server: ${server.url}\n`);
  process.stdout.write(`store ${displayStore(spec)}; request bodies up to ${maxBody} bytes; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await store.close();
  return 0;
}
