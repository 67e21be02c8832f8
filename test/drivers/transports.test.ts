import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection, type StatusChange } from '../../src-drivers/common/connection.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import { PtyPair } from '../support/pty.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function collect(conn: DeviceConnection): StatusChange[] {
  const seen: StatusChange[] = [];
  conn.onStatus((s) => seen.push(s));
  return seen;
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('serial transport over a real pseudo-terminal', () => {
  it('carries bytes both ways, tolerates the control-line ioctl a pty refuses, and reports an unplug as a status', async () => {
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const device = new SerialTransport({ path: pty.device, baudRate: 9600 });
    await device.open();
    cleanups.push(() => device.close());
    const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 9600 }), { minDelayMs: 50, maxDelayMs: 200 });
    cleanups.push(() => conn.stop());
    const seen = collect(conn);
    conn.start();
    await conn.waitConnected(3_000);

    const atDevice: number[] = [];
    device.onData((c) => atDevice.push(...c));
    await conn.write(new Uint8Array([0x1b, 0x40, 0x88, 0xe2, 0xae, 0xa3, 0xae]));
    await until(() => atDevice.length === 7);
    expect(atDevice).toEqual([0x1b, 0x40, 0x88, 0xe2, 0xae, 0xa3, 0xae]);
    const atTill: number[] = [];
    conn.onData((c) => atTill.push(...c));
    await device.write(new Uint8Array([0x12]));
    await until(() => atTill.length === 1);

    // Pull the cable: a status change, a refused write, no exception anywhere.
    await pty.unplug();
    await until(() => conn.status === 'disconnected');
    await expect(conn.write(new Uint8Array([1]))).rejects.toMatchObject({ name: 'DeviceError', code: 'offline' });
    // Plug it back: the connection comes back by itself.
    await pty.plug();
    await conn.waitConnected(5_000);
    expect(seen.map((s) => s.status)).toEqual(expect.arrayContaining(['connecting', 'connected', 'disconnected']));
  });

  it('a port that does not exist is a clear status, retried with back-off, not a crash', async () => {
    const conn = new DeviceConnection(() => new SerialTransport({ path: '/dev/lavka-no-such-port', baudRate: 9600 }), { minDelayMs: 20, maxDelayMs: 40 });
    cleanups.push(() => conn.stop());
    const seen = collect(conn);
    conn.start();
    await until(() => seen.filter((s) => s.status === 'connecting').length >= 3);
    expect(conn.status === 'disconnected' || conn.status === 'connecting').toBe(true);
    expect(seen.find((s) => s.status === 'disconnected')?.message).toMatch(/cannot open \/dev\/lavka-no-such-port/);
  });
});

describe('raw TCP transport', () => {
  it('reconnects when the device resets the connection and comes back', async () => {
    const sockets: Socket[] = [];
    const received: number[] = [];
    let server: Server = createServer((s) => {
      sockets.push(s);
      s.on('data', (d) => received.push(...d));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 500 }), { minDelayMs: 20, maxDelayMs: 100 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(2_000);
    await conn.write(new Uint8Array([0x10, 0x04, 0x04]));
    await until(() => received.length === 3);

    // The printer resets the socket and goes away for a while.
    for (const s of sockets) s.resetAndDestroy();
    await new Promise<void>((r) => server.close(() => r()));
    await until(() => conn.status !== 'connected');
    await expect(conn.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'offline' });
    server = createServer((s) => s.on('data', (d) => received.push(...d)));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    await conn.waitConnected(3_000);
    await conn.write(new Uint8Array([0x0a]));
    await until(() => received.length === 4);
  });
});
