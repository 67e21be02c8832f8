import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import { MSG_CHANNEL, PRELOAD_MAX_MESSAGE_BYTES, RPC_CHANNEL, type LavkaIpc } from './channels.js';

type RendererIpc = Pick<IpcRenderer, 'send' | 'on' | 'removeListener'>;

/**
 * The bridge object handed to the page. It never passes Electron objects through (the
 * IpcRendererEvent would hand the page `ipcRenderer` itself), only strings.
 */
export function createLavkaIpc(ipc: RendererIpc): LavkaIpc {
  const encoder = new TextEncoder();
  return Object.freeze({
    send(text: string): void {
      if (typeof text !== 'string') throw new TypeError('lavkaIpc.send takes one JSON string');
      // The main process drops oversized frames silently; failing here rejects the caller's promise instead of leaving it hanging.
      if (text.length > PRELOAD_MAX_MESSAGE_BYTES / 3 && encoder.encode(text).length > PRELOAD_MAX_MESSAGE_BYTES) {
        throw new RangeError(`message exceeds ${PRELOAD_MAX_MESSAGE_BYTES} bytes`);
      }
      ipc.send(RPC_CHANNEL, text);
    },
    onMessage(cb: (text: string) => void): () => void {
      if (typeof cb !== 'function') throw new TypeError('lavkaIpc.onMessage takes a function');
      const listener = (_event: IpcRendererEvent, text: unknown): void => {
        if (typeof text === 'string') cb(text);
      };
      ipc.on(MSG_CHANNEL, listener);
      return () => {
        ipc.removeListener(MSG_CHANNEL, listener);
      };
    },
  });
}

contextBridge.exposeInMainWorld('lavkaIpc', createLavkaIpc(ipcRenderer));
