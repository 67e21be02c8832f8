import type { IpcMain, IpcMainEvent, WebContents, WebFrameMain } from 'electron';
import type { EventTopic, MethodName } from '../../src-common/rpc/contract.js';
import { MAX_MESSAGE_BYTES } from '../../src-common/rpc/wire.js';
import type { Connection } from '../app/context.js';
import type { Backend } from '../host/backend.js';
import type { Logger } from '../rpc/dispatcher.js';
import { MSG_CHANNEL, RPC_CHANNEL } from './channels.js';
import { APP_ORIGIN, isAppUrl } from './protocol.js';

/** A live frame showing our own page. Reading a disposed frame throws, which counts as "no". */
export function isAppFrame(frame: WebFrameMain | null | undefined): boolean {
  try {
    return !!frame && !frame.detached && frame.origin === APP_ORIGIN && isAppUrl(frame.url);
  } catch {
    return false;
  }
}

/**
 * Why a message must be dropped, or null when it comes from the main frame of a webContents we
 * attached, showing our page. Sub-frames and foreign origins never speak to the backend.
 */
export function senderProblem(event: Pick<IpcMainEvent, 'sender' | 'senderFrame'>, isClient: (contents: WebContents) => boolean): string | null {
  if (!isClient(event.sender)) return 'unknown webContents';
  try {
    const frame = event.senderFrame;
    if (!frame) return 'sender frame gone';
    const main = event.sender.mainFrame;
    if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return 'not the main frame';
    if (!isAppFrame(frame)) return 'foreign origin';
    return null;
  } catch {
    return 'sender frame gone';
  }
}

/** The payload is exactly one string of at most MAX_MESSAGE_BYTES UTF-8 bytes, or the reason it is not. */
export function payloadProblem(args: readonly unknown[]): string | null {
  if (args.length !== 1) return 'expected exactly one argument';
  const text = args[0];
  if (typeof text !== 'string') return 'payload is not a string';
  if (Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) return 'payload too large';
  return null;
}

export interface IpcBridgeDeps {
  ipcMain: Pick<IpcMain, 'on' | 'removeListener'>;
  backend: Pick<Backend, 'dispatcher' | 'connect'>;
  log: Logger;
}

/**
 * What a window that is not the till may do: the methods it may call and the events it receives.
 * A window without a scope gets the whole contract, like the till's own window.
 */
export interface ClientScope {
  methods: ReadonlySet<MethodName>;
  events: ReadonlySet<EventTopic>;
}

/** The customer-facing screen reads one public query and follows one event; nothing else reaches it. */
export const CUSTOMER_SCOPE: ClientScope = {
  methods: new Set<MethodName>(['customer.view']),
  events: new Set<EventTopic>(['customer.view']),
};

export interface IpcBridge {
  /** Make this webContents a client: its own connection (session), replies and events, limited to `scope` when given. */
  attach(contents: WebContents, scope?: ClientScope): void;
  clients(): number;
  dispose(): void;
}

function idOf(contents: WebContents): number | null {
  try {
    return contents.id;
  } catch {
    return null;
  }
}

/**
 * The Electron transport: JSON text frames in and out, exactly as over the WebSocket, one
 * connection per webContents, replaced when the page reloads (as a reconnecting socket would be).
 */
export function createIpcBridge({ ipcMain, backend, log }: IpcBridgeDeps): IpcBridge {
  const connections = new Map<WebContents, Connection>();
  const scopes = new Map<WebContents, ClientScope>();

  /** The reply frame: the dispatcher's, or a refusal for a method outside the sender's scope. */
  const answer = (text: string, conn: Connection, scope: ClientScope | undefined, contents: WebContents): string => {
    if (!scope) return backend.dispatcher.handleText(text, conn);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return backend.dispatcher.handleText(text, conn); // its own "not JSON" answer
    }
    const { id, method } = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; method?: unknown };
    // Not a string: the dispatcher refuses it as malformed, as for any window.
    if (typeof method === 'string' && !(scope.methods as ReadonlySet<string>).has(method)) {
      log.error('ipc method refused', { method: method.slice(0, 64), webContentsId: idOf(contents) });
      return JSON.stringify({ id: typeof id === 'number' ? id : -1, ok: false, error: { code: 'forbidden', message: 'not available in this window' } });
    }
    return JSON.stringify(backend.dispatcher.handle(raw, conn));
  };

  const onRequest = (event: IpcMainEvent, ...args: unknown[]): void => {
    const reason = senderProblem(event, (contents) => connections.has(contents)) ?? payloadProblem(args);
    const conn = connections.get(event.sender);
    if (reason !== null || !conn) {
      log.error('ipc message dropped', { reason: reason ?? 'unknown webContents', webContentsId: idOf(event.sender) });
      return;
    }
    const reply = answer(args[0] as string, conn, scopes.get(event.sender), event.sender);
    if (!event.sender.isDestroyed()) event.sender.send(MSG_CHANNEL, reply);
  };
  ipcMain.on(RPC_CHANNEL, onRequest);

  const unsubscribe = backend.dispatcher.subscribe((ev) => {
    const text = JSON.stringify(ev);
    for (const contents of connections.keys()) {
      if (scopes.get(contents)?.events.has(ev.event) === false) continue;
      // Events carry till data: only a page of ours receives them, never whatever a frame turned into.
      try {
        if (!contents.isDestroyed() && isAppFrame(contents.mainFrame)) contents.send(MSG_CHANNEL, text);
      } catch (e) {
        log.error('event not delivered', { webContentsId: idOf(contents), error: String(e) });
      }
    }
  });

  return {
    attach(contents, scope) {
      if (connections.has(contents)) return;
      connections.set(contents, backend.connect());
      if (scope) scopes.set(contents, scope);
      contents.on('did-navigate', () => {
        if (connections.has(contents)) connections.set(contents, backend.connect());
      });
      contents.once('destroyed', () => {
        connections.delete(contents);
        scopes.delete(contents);
      });
    },
    clients: () => connections.size,
    dispose() {
      ipcMain.removeListener(RPC_CHANNEL, onRequest);
      unsubscribe();
      connections.clear();
      scopes.clear();
    },
  };
}
