import type { MessageLink } from '../../src-common/rpc/client.js';
import { RpcClient } from '../../src-common/rpc/client.js';
import type { Dispatcher } from './dispatcher.js';
import { newConnection } from './dispatcher.js';

/**
 * A client wired straight to the dispatcher. Messages still go through JSON text, so what works
 * here works over the WebSocket and Electron IPC: no object identity or Date sneaks through.
 */
export function inProcessLink(dispatcher: Dispatcher): MessageLink {
  const conn = newConnection();
  let onMessage: (text: string) => void = () => {};
  let onClose: (reason: string) => void = () => {};
  const unsubscribe = dispatcher.subscribe((e) => queueMicrotask(() => onMessage(JSON.stringify(e))));
  return {
    send: (text) => {
      const reply = dispatcher.handleText(text, conn);
      queueMicrotask(() => onMessage(reply));
    },
    onMessage: (cb) => {
      onMessage = cb;
    },
    onClose: (cb) => {
      onClose = cb;
    },
    close: () => {
      unsubscribe();
      onClose('closed');
    },
  };
}

export function inProcessClient(dispatcher: Dispatcher): RpcClient {
  return new RpcClient(inProcessLink(dispatcher));
}
