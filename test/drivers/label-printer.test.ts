import { describe, expect, it } from 'vitest';
import type { PriceTag } from '../../src-common/price-tag.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { LabelPrinterError } from '../../src-drivers/common/label-printer.js';
import { createLabelEmulator, type ZplEmulatorOptions } from '../../src-drivers/emulators/label/index.js';
import type { LabelEmulatorFault } from '../../src-drivers/emulators/label/model.js';
import { serveSerial, serveTcp, type EmulatorCore, type RunningEmulator } from '../../src-drivers/emulators/serve.js';
import { UsbBusEmulator, UsbPrinterEmulator } from '../../src-drivers/emulators/usb/bus.js';
import { LabelPrinterDriver, type LabelPrinterOptions } from '../../src-drivers/label/label-printer.js';
import { getLabelProfile, type LabelProfileId } from '../../src-drivers/label/profiles.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import { UsbPrinterTransport } from '../../src-drivers/transports/usb-printer.js';
import { PtyPair } from '../support/pty.js';
import { cleanupAfterEach, MILK } from './label-fixtures.js';

const cleanups = cleanupAfterEach();

const BREAD: PriceTag = { name: 'Хлеб «Бородинский» 400 г', price: '54,90 ₽', barcode: { symbology: 'code128', data: 'LAVKA-000777' }, copies: 1 };

const quiet = { waiting: () => undefined };
const DRIVER: LabelPrinterOptions = { pollMs: 30, statusTimeoutMs: 1_500, writeTimeoutMs: 2_000 };

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

/** The emulator behind a tap that keeps every byte the printer received. */
function tapped(profileId: LabelProfileId, opts: ZplEmulatorOptions = {}) {
  const profile = getLabelProfile(profileId);
  const emulator = createLabelEmulator(profile, opts);
  const received: number[] = [];
  const core: EmulatorCore = {
    feed: (bytes) => {
      received.push(...bytes);
      return emulator.feed(bytes);
    },
    drain: () => emulator.drain(),
  };
  const query = profile.language === 'zpl' ? [0x7e, 0x48, 0x53] : [0x1b, 0x21, 0x3f];
  /** Whether everything the printer received was status queries (no job bytes at all). */
  const onlyQueries = (): boolean => {
    for (let i = 0; i < received.length; i += query.length) if (query.some((b, k) => received[i + k] !== b)) return false;
    return received.length > 0;
  };
  return { profile, emulator, core, received, onlyQueries };
}

async function overPty(profileId: LabelProfileId, opts: ZplEmulatorOptions = {}, driver: LabelPrinterOptions = DRIVER) {
  const t = tapped(profileId, opts);
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  let served: RunningEmulator = await serveSerial(t.core, pty.device, 115_200);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 115_200 }), { minDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const printer = new LabelPrinterDriver('label-1', conn, t.profile, driver);
  return {
    ...t,
    conn,
    printer,
    unplug: () => pty.unplug(),
    replug: async () => {
      await pty.plug();
      served = await serveSerial(t.core, pty.device, 115_200);
    },
  };
}

async function overTcp(profileId: LabelProfileId, opts: ZplEmulatorOptions = {}, driver: LabelPrinterOptions = DRIVER) {
  const t = tapped(profileId, opts);
  let served = await serveTcp(t.core);
  const port = served.port;
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 500 }), { minDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const printer = new LabelPrinterDriver('label-1', conn, t.profile, driver);
  return {
    ...t,
    conn,
    printer,
    powerOff: async () => {
      served.reset();
      await served.stop();
    },
    powerOn: async () => {
      served = await serveTcp(t.core, port);
    },
  };
}

describe('label printer driver over a real serial line (socat pty)', () => {
  it('ZPL: prints 3 copies of a Cyrillic tag and one of another; the printer says it is ready and idle', async () => {
    const { emulator, printer } = await overPty('zebra-gk420');
    expect(await printer.status()).toMatchObject({ connection: 'connected', fault: null, busy: false, report: { paperOut: false, headOpen: false } });
    await printer.print([MILK, BREAD], quiet);
    expect(emulator.labels).toHaveLength(4);
    expect(emulator.formats.map((f) => f.quantity)).toEqual([3, 1]);
    expect(emulator.labels[0]!.texts.map((t) => t.text).slice(0, 3)).toEqual(['Молоко 3,2% «Домик в', 'деревне» 930 мл', '89,90 р.']);
    expect(emulator.labels[3]!.barcodes[0]).toMatchObject({ symbology: 'CODE128', data: 'LAVKA-000777', valid: true });
  });

  it('TSPL (CP1251): prints 3 copies', async () => {
    const { emulator, printer } = await overPty('tsc-te200');
    await printer.print([MILK], quiet);
    expect(emulator.labels).toHaveLength(3);
    expect(emulator.labels[0]!.texts[0]!.text).toBe('Молоко 3,2% «Домик в');
    expect(emulator.labels[0]!.barcodes[0]).toMatchObject({ symbology: 'EAN13', data: '4601234567893' });
  });

  it.each([
    ['headOpen', 'head_open', 'cover_open'],
    ['paperOut', 'paper_out', 'paper_out'],
    ['ribbonOut', 'ribbon_out', 'paper_out'],
    ['paused', 'paused', 'busy'],
  ] as const)('ZPL with %s: refused with reason %s, nothing but status queries sent; prints once cleared', async (fault, reason, code) => {
    const { emulator, printer, onlyQueries } = await overPty('zebra-gk420');
    emulator.setFault(fault, true);
    await expect(printer.print([MILK], quiet)).rejects.toMatchObject({ name: 'DeviceError', reason, code });
    expect(onlyQueries()).toBe(true);
    expect(emulator.formats).toHaveLength(0);
    expect(await printer.status()).toMatchObject({ fault: reason });
    emulator.setFault(fault, false);
    await printer.print([MILK], quiet);
    expect(emulator.labels).toHaveLength(3);
  });

  it('a Zebra that goes silent while its head is open: refused as not answering, nothing sent', async () => {
    const { emulator, printer, onlyQueries } = await overPty('zebra-zd220', { silentWhenFaulted: true }, { ...DRIVER, statusTimeoutMs: 300 });
    emulator.setFault('headOpen', true);
    const err = await printer.print([MILK], quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabelPrinterError);
    expect(err).toMatchObject({ reason: 'no_answer', code: 'timeout' });
    expect(onlyQueries()).toBe(true);
  });

  it('the line disappears and comes back: refused meanwhile (status says so), prints after the reconnect', async () => {
    const { emulator, printer, conn, unplug, replug } = await overPty('zebra-gk420', {}, { ...DRIVER, statusTimeoutMs: 500, writeTimeoutMs: 1_000 });
    await printer.print([BREAD], quiet);
    await unplug();
    // However the loss shows: already noticed (offline), a write failing (offline), or a write that
    // goes nowhere and gets no answer.
    await expect(printer.print([BREAD], quiet)).rejects.toMatchObject({ reason: expect.stringMatching(/^(offline|no_answer)$/) });
    await until(() => conn.status !== 'connected', 10_000);
    expect(await printer.status()).toMatchObject({ connection: expect.not.stringMatching(/^connected$/), fault: 'offline', report: null });
    let ready = 0;
    printer.onReady(() => ready++);
    await replug();
    await conn.waitConnected(5_000);
    expect(ready).toBeGreaterThanOrEqual(1);
    await printer.print([BREAD], quiet);
    expect(emulator.labels).toHaveLength(2);
  });
});

describe('label printer driver over TCP 9100', () => {
  it('TSPL: prints 3 copies; ZPL 300 dpi too', async () => {
    const tspl = await overTcp('xprinter-xp365b-utf8');
    await tspl.printer.print([MILK], quiet);
    expect(tspl.emulator.labels).toHaveLength(3);
    expect(tspl.emulator.labels[0]!.texts.map((t) => t.encoding)).toContain('utf8');
    expect(tspl.emulator.labels[0]!.texts[0]!.text).toBe('Молоко 3,2% «Домик в');
    const zpl = await overTcp('zebra-zd421-300');
    await zpl.printer.print([MILK], quiet);
    expect(zpl.emulator.labels).toHaveLength(3);
    expect(zpl.emulator.labels[0]!.widthDots).toBe(685);
  });

  it.each([
    ['headOpen', 'head_open'],
    ['paperOut', 'paper_out'],
    ['ribbonOut', 'ribbon_out'],
    ['paperJam', 'paper_jam'],
    ['coverOpen', 'cover_open'],
    ['paused', 'paused'],
  ] as const)('TSPL with %s: refused with reason %s and nothing sent', async (fault: LabelEmulatorFault, reason) => {
    const { emulator, printer, onlyQueries } = await overTcp('tsc-te200');
    emulator.setFault(fault, true);
    await expect(printer.print([MILK], quiet)).rejects.toMatchObject({ reason });
    expect(onlyQueries()).toBe(true);
    expect(emulator.formats).toHaveLength(0);
  });

  it('a printer that does not answer status: refused after the timeout, nothing sent', async () => {
    const { emulator, printer, onlyQueries } = await overTcp('tsc-te200', {}, { ...DRIVER, statusTimeoutMs: 300 });
    emulator.setFault('noAnswer', true);
    await expect(printer.print([MILK], quiet)).rejects.toMatchObject({ reason: 'no_answer', code: 'timeout', message: expect.stringMatching(/did not answer/) });
    expect(await printer.status()).toMatchObject({ connection: 'connected', fault: 'no_answer', report: null });
    expect(onlyQueries()).toBe(true);
  });

  it.each(['zebra-gk420', 'tsc-te200'] as const)('%s: out of labels in the middle of a batch: the job waits, says why, and finishes without resending', async (profileId) => {
    const { emulator, printer } = await overTcp(profileId);
    emulator.paperOutAfterLabels(2);
    const waits: string[] = [];
    const job = printer.print([MILK], { waiting: (r) => waits.push(r) });
    await until(() => waits.includes('out of labels'));
    expect(waits).toContain('out of labels');
    expect(emulator.labels).toHaveLength(2);
    // Asked meanwhile, the driver answers from the job's last reading instead of waiting for the job.
    expect(await printer.status()).toMatchObject({ connection: 'connected', fault: 'paper_out', busy: true });
    emulator.setFault('paperOut', false);
    await job;
    expect(emulator.labels).toHaveLength(3);
    expect(emulator.formats).toHaveLength(1);
  });

  it('the printer is switched off and on: refused while off (status says offline), prints once it is back', async () => {
    const { emulator, printer, conn, powerOff, powerOn } = await overTcp('zebra-gk420');
    await printer.print([BREAD], quiet);
    await powerOff();
    await until(() => conn.status !== 'connected');
    await expect(printer.print([MILK], quiet)).rejects.toMatchObject({ reason: 'offline', code: 'offline' });
    expect(await printer.status()).toMatchObject({ fault: 'offline', report: null });
    await powerOn();
    await conn.waitConnected(5_000);
    await printer.print([MILK], quiet);
    expect(emulator.labels).toHaveLength(4);
  });

  it('bad input fails before any byte goes out', async () => {
    const { printer, received } = await overTcp('zebra-gk420');
    await expect(printer.print([{ ...MILK, barcode: { symbology: 'ean13', data: '4601234567890' } }], quiet)).rejects.toThrow(RangeError);
    await expect(printer.print([{ ...MILK, copies: 0 }], quiet)).rejects.toThrow(RangeError);
    expect(received).toHaveLength(0);
  });
});

describe('label printer driver over the USB printer class (emulated bus)', () => {
  it('TSPL on a TSC over USB: prints 3 copies; unplugged it is refused, plugged back it prints', async () => {
    const t = tapped('tsc-te200');
    const bus = new UsbBusEmulator();
    const usb = new UsbPrinterEmulator(t.core, { vendorId: 0x1203, productId: 0x0230, manufacturer: 'TSC', product: 'TE200', serialNumber: 'TE200-0001' });
    bus.plug(usb);
    const conn = new DeviceConnection(() => new UsbPrinterTransport({ vendorId: 0x1203, productId: 0x0230, load: async () => bus.module }), { minDelayMs: 20, maxDelayMs: 80 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const printer = new LabelPrinterDriver('label-usb', conn, t.profile, DRIVER);
    await printer.print([MILK], quiet);
    expect(t.emulator.labels).toHaveLength(3);
    bus.unplug(usb);
    await until(() => conn.status !== 'connected');
    await expect(printer.print([BREAD], quiet)).rejects.toMatchObject({ reason: 'offline' });
    bus.plug(usb);
    await conn.waitConnected(3_000);
    await printer.print([BREAD], quiet);
    expect(t.emulator.labels).toHaveLength(4);
  });
});
