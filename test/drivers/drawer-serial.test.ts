import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import type { Transport } from '../../src-drivers/common/device.js';
import { SerialCashDrawer, type SerialCashDrawerOptions } from '../../src-drivers/drawer/serial-drawer.js';
import { hexBytes } from '../../src-drivers/drawer/serial-drawer-codec.js';
import { SerialDrawerEmulator, type SerialDrawerEmulatorOptions } from '../../src-drivers/emulators/drawer/serial-drawer.js';
import { serveSerial, type RunningEmulator } from '../../src-drivers/emulators/serve.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { PtyPair } from '../support/pty.js';
import { waitUntil as until } from '../support/wait.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A drawer that answers `1B 75 00` with 0x01 open / 0x00 closed. */
const SENSING: SerialDrawerEmulatorOptions = { statusCommand: hexBytes('1B 75 00'), openAnswer: 0x01, closedAnswer: 0x00 };
const ASKING: SerialCashDrawerOptions = { status: { command: hexBytes('1B 75 00'), mask: 0x01, openState: 0x01, closedState: 0x00 }, statusTimeoutMs: 300 };

/** The drawer on the device end of a socat pty; the driver on the till end, through DeviceConnection. */
async function overPty(emulatorOpts: SerialDrawerEmulatorOptions, drawerOpts: SerialCashDrawerOptions) {
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  const emulator = new SerialDrawerEmulator(emulatorOpts);
  let served: RunningEmulator = await serveSerial(emulator, pty.device, 9600);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 9600 }), { minDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const drawer = new SerialCashDrawer(conn, drawerOpts);
  return {
    emulator,
    drawer,
    conn,
    unplug: () => pty.unplug(),
    replug: async () => {
      await pty.plug();
      served = await serveSerial(emulator, pty.device, 9600);
    },
  };
}

describe('serial cash drawer over a real pseudo-terminal', () => {
  it('opens on its trigger (one opening recorded), reads open, then closed once the cashier shuts it', async () => {
    const { emulator, drawer } = await overPty(SENSING, ASKING);
    expect(await drawer.status()).toEqual({ state: 'closed' });
    await drawer.open();
    expect(emulator.opens).toBe(1);
    expect(emulator.triggers).toBe(1);
    expect(await drawer.status()).toEqual({ state: 'open' });
    emulator.close();
    expect(await drawer.status()).toEqual({ state: 'closed' });
  });

  it('opens on a printer-style ESC p trigger too, and without a sensor only says it cannot tell', async () => {
    const espP = hexBytes('1B 70 00 19 FA');
    const { emulator, drawer } = await overPty({ openCommand: espP }, { openCommand: espP });
    await drawer.open();
    await until(() => emulator.opens === 1);
    expect(await drawer.status()).toEqual({ state: 'unknown', message: 'this drawer does not report its state' });
  });

  it('a drawer that does not answer: status "unknown" with a timeout message; open() sends the trigger but says it cannot confirm', async () => {
    const { emulator, drawer } = await overPty(SENSING, { ...ASKING, confirmOpenMs: 400 });
    emulator.setFault('noAnswer', true);
    expect(await drawer.status()).toEqual({ state: 'unknown', message: 'the drawer did not answer its status request within 300 ms' });
    await expect(drawer.open()).rejects.toMatchObject({ name: 'DeviceError', code: 'timeout', message: expect.stringMatching(/cannot confirm it opened \(the drawer did not answer/) });
    await until(() => emulator.opens === 1);
  });

  it('stuck closed: the trigger arrives, the drawer stays shut, and open() says so', async () => {
    const { emulator, drawer } = await overPty(SENSING, { ...ASKING, confirmOpenMs: 300 });
    emulator.setFault('stuckClosed', true);
    await expect(drawer.open()).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/still reports closed/) });
    expect(emulator.triggers).toBe(1);
    expect(emulator.opens).toBe(0);
    emulator.setFault('stuckClosed', false);
    await drawer.open();
    expect(emulator.opens).toBe(1);
  });

  it('the line disappears and comes back: open fails "offline" meanwhile, status is unknown, and after the reconnect it opens again', async () => {
    const { emulator, drawer, conn, unplug, replug } = await overPty(SENSING, ASKING);
    await drawer.open();
    emulator.close();
    await unplug();
    // Refused however the loss shows: already noticed (offline), noticed by this write failing
    // (offline: a pty's far end closing can read as end-of-file rather than an error, and the failed
    // write closes the port), or the write never finishing draining into the dead pty (timeout).
    await expect(drawer.open()).rejects.toMatchObject({ name: 'DeviceError', code: expect.stringMatching(/^(offline|timeout)$/) });
    await until(() => conn.status !== 'connected', 'the drawer link to drop', 10_000);
    expect(await drawer.status()).toMatchObject({ state: 'unknown', message: expect.stringMatching(/^not connected/) });
    await replug();
    await conn.waitConnected(5_000);
    await drawer.open();
    expect(emulator.opens).toBe(2);
    expect(await drawer.status()).toEqual({ state: 'open' });
  });

  it('a drawer whose cable is cut at its end (the port stays): no answer, no opening', async () => {
    const { emulator, drawer } = await overPty(SENSING, { ...ASKING, confirmOpenMs: 200 });
    emulator.setFault('disconnected', true);
    expect(await drawer.status()).toMatchObject({ state: 'unknown' });
    await expect(drawer.open()).rejects.toMatchObject({ code: 'timeout' });
    expect(emulator.triggers).toBe(0);
  });

  it('two openings in a row both reach a drawer that needs recharging between them', async () => {
    const { emulator, drawer } = await overPty(SENSING, { ...ASKING, rechargeMs: 150 });
    await Promise.all([drawer.open(), drawer.open()]);
    expect(emulator.opens).toBe(2);
  });

  it('a line that takes no data: open() gives up with "timeout" instead of hanging the checkout', async () => {
    const stalled: Transport = {
      open: async () => undefined,
      write: () => new Promise<void>(() => undefined),
      onData: () => () => undefined,
      onClose: () => () => undefined,
      close: async () => undefined,
    };
    const conn = new DeviceConnection(() => stalled);
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(1_000);
    const drawer = new SerialCashDrawer(conn, { ...ASKING, writeTimeoutMs: 100 });
    await expect(drawer.open()).rejects.toMatchObject({ code: 'timeout', message: "the drawer's line did not take the command within 100 ms" });
    expect(await drawer.status()).toEqual({ state: 'unknown', message: "the drawer's line did not take the command within 100 ms" });
  });

  it('refuses a status format no answer could satisfy', async () => {
    const conn = new DeviceConnection(() => new SerialTransport({ path: '/dev/lavka-none', baudRate: 9600 }));
    expect(() => new SerialCashDrawer(conn, { status: { command: Uint8Array.of(0x05), mask: 0x01, openState: 0x02 } })).toThrow(/outside the mask/);
    expect(() => new SerialCashDrawer(conn, { openCommand: new Uint8Array(0) })).toThrow(/empty/);
    expect(() => hexBytes('1B 7')).toThrow(RangeError);
  });
});
