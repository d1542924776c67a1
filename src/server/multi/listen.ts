/**
 * Where `assay server` listens. Loopback by default; any other address only with TLS
 * terminated somewhere: by this process (`--tls-cert`/`--tls-key`), by a reverse proxy in
 * front of it (`--behind-proxy`), or by an explicit, logged `--insecure-http`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { SqlStore } from '../../store/store.ts';
import { isLoopback } from '../app.ts';
import type { RunningServer } from '../listen.ts';
import { createServerApp, type ServerAppOptions } from './app.ts';

export interface BindOptions {
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  behindProxy?: boolean;
  insecureHttp?: boolean;
}

/** Why the bind is refused, or undefined when it is allowed. */
export function bindProblem(o: BindOptions): string | undefined {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined))
    return '--tls-cert and --tls-key go together: give both, or neither';
  if (isLoopback(o.host)) return undefined;
  if (o.tlsCert !== undefined || o.behindProxy === true || o.insecureHttp === true) return undefined;
  return (
    `refusing to listen on ${o.host} without TLS: tokens and findings would cross the network in clear. ` +
    'Terminate TLS here (--tls-cert/--tls-key), behind a reverse proxy (--behind-proxy, keep --host 127.0.0.1 ' +
    'when the proxy is on this machine), or accept the risk with --insecure-http'
  );
}

export function startMultiServer(
  store: SqlStore,
  options: ServerAppOptions & BindOptions & { port?: number },
): Promise<RunningServer> {
  const problem = bindProblem(options);
  if (problem) return Promise.reject(new Error(problem));
  const app = createServerApp(store, options);
  const tls =
    options.tlsCert !== undefined && options.tlsKey !== undefined
      ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
      : undefined;
  const scheme = tls ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        hostname: options.host,
        port: options.port ?? 0,
        ...(tls ? { createServer: createHttpsServer, serverOptions: tls } : {}),
      },
      (info: AddressInfo) => {
        const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `${scheme}://${shown}:${info.port}/`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
