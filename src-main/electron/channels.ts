/**
 * The IPC surface between the preload and the main process. Kept free of imports so the
 * sandboxed preload bundle stays a few hundred bytes.
 */
export const RPC_CHANNEL = 'lavka:rpc'; // renderer → main: one JSON request frame
export const MSG_CHANNEL = 'lavka:msg'; // main → renderer: one JSON reply or event frame

/**
 * The renderer's only door to the backend: the same JSON text frames as the WebSocket
 * transport, so the RPC client cannot tell the two apart.
 */
export interface LavkaIpc {
  send(text: string): void;
  /** Returns the unsubscribe function. */
  onMessage(cb: (text: string) => void): () => void;
}

/**
 * Same value as MAX_MESSAGE_BYTES in src-common/rpc/wire.ts (a unit test pins them together);
 * repeated here because importing wire.ts would bundle zod into the preload.
 */
export const PRELOAD_MAX_MESSAGE_BYTES = 64 * 1024;
