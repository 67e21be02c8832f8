/** A small MessageLink over the `ws` package: what the renderer's browser-mode link does, from Node. */
import WebSocket from 'ws';
import { RpcClient, type MessageLink } from '../src-common/rpc/client.js';

/** Connect to browser mode's RPC endpoint (`ws://…/rpc?token=…`) with the Origin our own page would send. */
export async function wsClient(url: string, origin: string): Promise<RpcClient> {
  const ws = new WebSocket(url, { headers: { Origin: origin }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`)));
  });
  const link: MessageLink = {
    send: (text) => ws.send(text),
    // Text frames arrive as one Buffer (binaryType 'nodebuffer', the default).
    onMessage: (cb) => ws.on('message', (data) => cb((data as Buffer).toString('utf8'))),
    onClose: (cb) => ws.on('close', (code) => cb(String(code))),
    close: () => ws.close(),
  };
  return new RpcClient(link);
}
