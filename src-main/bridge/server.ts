import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Backend } from '../host/backend.js';
import { attachWebSocketRpc } from '../rpc/ws-server.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserModeOptions {
  backend: Backend;
  staticDir: string;
  token: string;
  host?: string;
  port?: number;
}

export interface BrowserModeServer {
  server: Server;
  /** The page to open, with the per-launch token in the fragment (never sent to the server in requests). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/**
 * Browser mode: the built renderer and the WebSocket RPC endpoint on 127.0.0.1 only.
 */
export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserModeServer> {
  const host = opts.host ?? '127.0.0.1';
  const root = normalize(opts.staticDir);
  let csp = '';
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
      if (!file.startsWith(root + sep) && file !== root) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=31536000, immutable',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      }
    })();
  });
  let port = opts.port ?? 0;
  try {
    port = await listen(server, port, host);
  } catch (e) {
    if ((e as { code?: string }).code !== 'EADDRINUSE' || port === 0) throw e;
    port = await listen(server, 0, host);
  }
  const origin = `http://${host}:${port}`;
  csp = [
    "default-src 'self'",
    `connect-src 'self' ws://${host}:${port}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const ws = attachWebSocketRpc(server, opts.backend.dispatcher, {
    token: opts.token,
    allowedOrigins: [origin, `http://localhost:${port}`],
  });
  return {
    server,
    origin,
    url: `${origin}/#token=${opts.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        ws.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
