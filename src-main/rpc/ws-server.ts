import type { IncomingMessage, Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../src-common/rpc/wire.js';
import type { Dispatcher } from './dispatcher.js';
import { newConnection } from './dispatcher.js';

export interface WsOptions {
  /** Per-launch secret the client must present as ?token=… */
  token: string;
  /** Origins allowed to connect (the page we serve); a request without Origin is refused too. */
  allowedOrigins: readonly string[];
  path?: string;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * The WebSocket RPC endpoint of browser mode. Only our own page, holding the per-launch token,
 * may connect; every frame is a JSON request answered through the dispatcher.
 */
export function attachWebSocketRpc(server: Server, dispatcher: Dispatcher, opts: WsOptions): { close(): void; clients(): number } {
  const path = opts.path ?? '/rpc';
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) return reject(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (!origin || !opts.allowedOrigins.includes(origin)) return reject(socket, 403, 'Forbidden');
    const token = url.searchParams.get('token') ?? '';
    if (!sameSecret(token, opts.token)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const unsubscribe = dispatcher.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  wss.on('connection', (ws: WebSocket) => {
    const conn = newConnection();
    sockets.add(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify({ id: -1, ok: false, error: { code: 'bad_request', message: 'binary frames are not accepted' } }));
        return;
      }
      ws.send(dispatcher.handleText(data.toString('utf8'), conn));
    });
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
  });

  return {
    clients: () => sockets.size,
    close: () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
