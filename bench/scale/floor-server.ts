/**
 * The ingest bench's floor: a bare node:http server that does the least any push endpoint
 * must do — read the whole body, JSON.parse it, answer 201 with a small JSON — and nothing
 * else (no auth, validation or store). Started as a child process like `assay server`, so
 * both are measured the same way; prints `floor: http://127.0.0.1:PORT/` when listening.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainScript } from '../args.ts';

export function startFloorServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 201;
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        status = 400;
      }
      const body = JSON.stringify({ ok: status === 201 });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

if (isMainScript(import.meta.url)) {
  const { url } = await startFloorServer();
  process.stdout.write(`floor: ${url}\n`);
}
