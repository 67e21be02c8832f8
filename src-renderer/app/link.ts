import type { MessageLink } from '../../src-common/rpc/client.js';

/** What Electron's preload exposes; absent in browser mode. */
export interface LavkaIpc {
  send(text: string): void;
  onMessage(cb: (text: string) => void): () => void;
}

declare global {
  interface Window {
    lavkaIpc?: LavkaIpc;
    /** Benchmark hook: ms from the Enter that submitted a scan to the frame after its line is in the DOM. */
    __lavkaScanTimings?: number[];
  }
}

/** Electron IPC when the preload gave us one; otherwise the browser-mode WebSocket with the launch token. */
export function openLink(): Promise<MessageLink> {
  const ipc = window.lavkaIpc;
  return ipc ? Promise.resolve(ipcLink(ipc)) : webSocketLink();
}

function ipcLink(ipc: LavkaIpc): MessageLink {
  const offs: (() => void)[] = [];
  return {
    send: (text) => ipc.send(text),
    onMessage: (cb) => {
      offs.push(ipc.onMessage(cb));
    },
    // The backend lives in Electron's main process: if it goes, the window goes with it.
    onClose: () => {},
    close: () => offs.splice(0).forEach((off) => off()),
  };
}

function webSocketLink(): Promise<MessageLink> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/rpc?token=${encodeURIComponent(token)}`);
  return new Promise((resolve, reject) => {
    const fail = () => reject(new Error('connection failed'));
    ws.addEventListener('error', fail);
    ws.addEventListener('close', fail);
    ws.addEventListener('open', () => {
      ws.removeEventListener('error', fail);
      ws.removeEventListener('close', fail);
      // addEventListener, not onclose =: the RPC client and the connection manager both listen.
      resolve({
        send: (text) => ws.send(text),
        onMessage: (cb) => ws.addEventListener('message', (e: MessageEvent<unknown>) => typeof e.data === 'string' && cb(e.data)),
        onClose: (cb) => ws.addEventListener('close', (e) => cb(String(e.code))),
        close: () => ws.close(),
      });
    });
  });
}
