import type { MessageLink } from '../../src-common/rpc/client.js';

/** What Electron's preload exposes; absent in browser mode. */
export interface LavkaIpc {
  send(text: string): void;
  onMessage(cb: (text: string) => void): () => void;
}

declare global {
  interface Window {
    lavkaIpc?: LavkaIpc;
    __lavkaScanTimings?: number[];
  }
}

/** Electron IPC when the preload gave us one; otherwise the browser-mode WebSocket with the launch token. */
export function openLink(): Promise<MessageLink> {
  const ipc = window.lavkaIpc;
  if (ipc) {
    let off: (() => void) | null = null;
    return Promise.resolve({
      send: (text) => ipc.send(text),
      onMessage: (cb) => {
        off = ipc.onMessage(cb);
      },
      onClose: () => {},
      close: () => off?.(),
    });
  }
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/rpc?token=${encodeURIComponent(token)}`);
  return new Promise((resolve, reject) => {
    ws.onopen = () =>
      resolve({
        send: (text) => ws.send(text),
        onMessage: (cb) => {
          ws.onmessage = (e: MessageEvent<string>) => cb(e.data);
        },
        onClose: (cb) => {
          ws.onclose = (e) => cb(String(e.code));
        },
        close: () => ws.close(),
      });
    ws.onerror = () => reject(new Error('connection failed'));
    ws.onclose = () => reject(new Error('connection closed'));
  });
}
