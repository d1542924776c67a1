/** Starts the dashboard on a host and port (0 = any free port) and says where it listens. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Store } from '../store/store.ts';
import { type AppOptions, createApp } from './app.ts';

export { isLoopback } from './app.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startServer(
  store: Store,
  options: AppOptions & { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const app = createApp(store, options);
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: host, port: options.port ?? 0 },
      (info: AddressInfo) => {
        const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${shown}:${info.port}/`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Keep-alive connections from a browser would hold close() open.
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
