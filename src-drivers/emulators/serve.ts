import { createServer, type Server, type Socket } from 'node:net';
import { SerialTransport } from '../transports/serial.js';

/** An emulated device's logic: bytes in, reply bytes out (status answers, weights, …). */
export interface EmulatorCore {
  feed(bytes: Uint8Array): Uint8Array;
  /** What the device sends on its own (after a fault clears, …) since the last call. */
  drain?(): Uint8Array;
}

export interface RunningEmulator {
  /** Where the till reaches it (a TCP port, or the serial path it listens on). */
  readonly address: string;
  /** Send whatever the device has to say unasked (call after flipping a fault). */
  flush(): void;
  /** Send these bytes to the till now (what a fault switch returned). */
  send(bytes: Uint8Array): void;
  stop(): Promise<void>;
}

/** Serve an emulator on the device end of a serial line (a socat pty in tests and demo). */
export async function serveSerial(core: EmulatorCore, path: string, baudRate = 9600): Promise<RunningEmulator> {
  const port = new SerialTransport({ path, baudRate });
  await port.open();
  port.onData((chunk) => {
    const reply = core.feed(chunk);
    if (reply.length > 0) void port.write(reply).catch(() => undefined);
  });
  return {
    address: path,
    flush: () => {
      const out = core.drain?.();
      if (out && out.length > 0) void port.write(out).catch(() => undefined);
    },
    send: (bytes) => {
      if (bytes.length > 0) void port.write(bytes).catch(() => undefined);
    },
    stop: () => port.close(),
  };
}

/**
 * Serve an emulator as a raw TCP device (printers listen on 9100). One client at a time, as a
 * real printer; `reset()` drops the client as a printer that loses power would.
 */
export async function serveTcp(core: EmulatorCore, port = 0, host = '127.0.0.1'): Promise<RunningEmulator & { port: number; reset(): void }> {
  const clients = new Set<Socket>();
  const server: Server = createServer((socket) => {
    clients.add(socket);
    socket.on('data', (chunk) => {
      const reply = core.feed(new Uint8Array(chunk));
      if (reply.length > 0 && !socket.destroyed) socket.write(reply);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => clients.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  return {
    address: `${host}:${actual}`,
    port: actual,
    flush: () => {
      const out = core.drain?.();
      if (!out || out.length === 0) return;
      for (const c of clients) if (!c.destroyed) c.write(out);
    },
    send: (bytes) => {
      if (bytes.length === 0) return;
      for (const c of clients) if (!c.destroyed) c.write(bytes);
    },
    reset: () => {
      for (const c of clients) c.resetAndDestroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.destroy();
        server.close(() => resolve());
      }),
  };
}
