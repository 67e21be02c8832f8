import WebSocket from 'ws';
import type { MessageLink } from '../../src-common/rpc/client.js';
import { RpcClient } from '../../src-common/rpc/client.js';

/** A Node WebSocket client speaking the browser-mode protocol, with the Origin a browser would send. */
export async function openWsLink(url: string, origin: string): Promise<MessageLink> {
  const ws = new WebSocket(url, { headers: { Origin: origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return {
    send: (text) => ws.send(text),
    onMessage: (cb) => ws.on('message', (data) => cb(data.toString('utf8'))),
    onClose: (cb) => ws.on('close', (code) => cb(String(code))),
    close: () => ws.close(),
  };
}

export async function wsClient(url: string, origin: string): Promise<RpcClient> {
  return new RpcClient(await openWsLink(url, origin));
}

/** Try to connect and report how the server answered the upgrade. */
export function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}
