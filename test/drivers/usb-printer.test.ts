import { afterEach, describe, expect, it } from 'vitest';
import { documentText, type PrintDocument } from '../../src-common/print-document.js';
import { DeviceConnection, type StatusChange } from '../../src-drivers/common/connection.js';
import { encodeText, printableText } from '../../src-drivers/escpos/codepage.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { UsbBusEmulator, UsbPrinterEmulator, type UsbPrinterEmulatorOptions } from '../../src-drivers/emulators/usb/bus.js';
import { EscPosDocumentPrinter, renderEscPos } from '../../src-drivers/printer/escpos-printer.js';
import { listUsbPrinters, loadUsb, UsbPrinterTransport, type UsbPrinterTransportOptions } from '../../src-drivers/transports/usb-printer.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const profile = getProfile('epson-tm-t20');
const EPSON = { vendorId: 0x04b8, productId: 0x0e15 };
const MISSING = 'lavka-no-such-usb-package';

const receipt: PrintDocument = {
  blocks: [
    { t: 'text', text: 'ООО "Лавка"', align: 'center', bold: true },
    { t: 'text', text: 'Кассовый чек № 42', align: 'center' },
    { t: 'rule' },
    { t: 'pair', left: 'Молоко 3,2% 1 л', right: '89,90' },
    { t: 'pair', left: 'Хлеб бородинский', right: '54,00' },
    { t: 'pair', left: 'ИТОГО', right: '143,90', bold: true },
    { t: 'qr', data: 't=20261202T1530&s=143.90&fn=7380440800123456&i=42&fp=1234567890&n=1' },
    { t: 'text', text: 'Спасибо за покупку!', align: 'center' },
    { t: 'cut' },
  ],
};
/** What the paper says: the document's text in CP866, centred lines without their indent. */
const expected = documentText(
  { blocks: receipt.blocks.map((b) => (b.t === 'text' ? { ...b, text: printableText(b.text, 'cp866') } : b)) },
  profile.charsPerLine,
).map((l) => l.trim());

function rig(printerOpts: UsbPrinterEmulatorOptions = {}, transportOpts: Partial<UsbPrinterTransportOptions> = {}) {
  const bus = new UsbBusEmulator();
  const core = new EscPosPrinterEmulator(profile);
  const usbPrinter = new UsbPrinterEmulator(core, { manufacturer: 'EPSON', product: 'TM-T20III', serialNumber: 'X5E0123456', ...printerOpts });
  bus.plug(usbPrinter);
  const conn = new DeviceConnection(() => new UsbPrinterTransport({ ...EPSON, load: async () => bus.module, ...transportOpts }), { minDelayMs: 20, maxDelayMs: 80 });
  cleanups.push(() => conn.stop());
  const statuses: StatusChange[] = [];
  conn.onStatus((s) => statuses.push(s));
  const printer = new EscPosDocumentPrinter('usb-printer', conn, profile, { codePage: 'cp866', pollMs: 20, statusTimeoutMs: 300 });
  return { bus, core, usbPrinter, conn, printer, statuses };
}

const noHooks = { waiting: () => undefined };

describe('USB printer-class transport against a fake node-usb with an ESC/POS printer behind it', () => {
  it('takes the printer from usblp, prints a Cyrillic receipt, reads DLE EOT status back, and hands the printer back on close', async () => {
    const { bus, core, usbPrinter, conn, printer } = rig({ kernelDriver: 'usblp' }, { serialNumber: 'X5E0123456' });
    conn.start();
    await conn.waitConnected(2_000);
    expect(usbPrinter.stats).toMatchObject({ kernelDetaches: 1, claims: 1 });
    expect(bus.detachListeners).toBe(1);

    expect(await printer.readStatus()).toMatchObject({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false });
    core.setFault('paperNearEnd', true);
    expect(await printer.readStatus()).toMatchObject({ online: true, paperNearEnd: true });
    core.setFault('paperNearEnd', false);
    // Automatic Status Back: the printer speaks unasked, and bulk IN is read all the time.
    await conn.write(Uint8Array.of(0x1d, 0x61, 0xff));
    usbPrinter.send(core.setFault('coverOpen', true));
    await until(() => printer.lastStatus.coverOpen === true);
    usbPrinter.send(core.setFault('coverOpen', false));
    await until(() => printer.lastStatus.coverOpen === false);

    await printer.print(receipt, noHooks);
    expect(core.receipts).toHaveLength(1);
    expect(core.receipts[0]!.lines.map((l) => l.trim())).toEqual(expected);
    expect(core.receipts[0]!.lines).toContain('ИТОГО' + ' '.repeat(profile.charsPerLine - 'ИТОГО'.length - '143,90'.length) + '143,90');
    expect(core.receipts[0]!.qrs).toHaveLength(1);

    const device = usbPrinter.device!;
    await conn.stop();
    expect(device.isOpen).toBe(false);
    expect(device.pending).toBe(0);
    expect(usbPrinter.kernelDriverActive).toBe(true);
    expect(bus.detachListeners).toBe(0);
  });

  it('a cable pulled mid-job fails the job and shows "disconnected"; plugged back, it reconnects and the job prints', async () => {
    const { bus, core, usbPrinter, conn, printer, statuses } = rig();
    conn.start();
    await conn.waitConnected(2_000);
    // Out in the middle of a text line (after the 9 bytes of the three status queries). Pulled inside a
    // command's data instead, a printer that keeps its power would read the reprint's first bytes as
    // the rest of that data: a hazard of any link, not of USB.
    const job = renderEscPos(receipt, profile, 'cp866').encode();
    const bread = encodeText('Хлеб', 'cp866');
    const at = job.findIndex((_, i) => bread.every((b, k) => job[i + k] === b));
    usbPrinter.unplugAfterBytes(9 + at + 2);
    await expect(printer.print(receipt, noHooks)).rejects.toMatchObject({ name: 'DeviceError', code: 'offline' });
    await until(() => conn.status !== 'connected');
    expect(statuses.find((s) => s.status === 'disconnected')?.message).toMatch(/disconnected: (unplugged|.*NO_DEVICE)/);
    expect(bus.detachListeners).toBe(0);
    expect(core.receipts).toHaveLength(0);
    await expect(conn.write(Uint8Array.of(0x10, 0x04, 0x01))).rejects.toMatchObject({ code: 'offline' });

    bus.plug(usbPrinter);
    await conn.waitConnected(3_000);
    await printer.print(receipt, noHooks);
    // The printer kept its power: the torn start of the first try is on the paper, then the whole receipt.
    expect(core.receipts).toHaveLength(1);
    const lines = core.receipts[0]!.lines.map((l) => l.trim());
    const torn = lines.slice(0, lines.length - expected.length);
    expect(lines.slice(-expected.length)).toEqual(expected);
    expect(torn.length).toBeGreaterThan(0);
    expect(expected.slice(0, torn.length)).toEqual(torn);
  });

  it('a send-only printer: an idle unplug is noticed by the hotplug event alone, and its silence is a timeout, not a hang', async () => {
    const { bus, usbPrinter, conn, printer } = rig({ bidirectional: false });
    conn.start();
    await conn.waitConnected(2_000);
    await expect(printer.readStatus()).rejects.toMatchObject({ code: 'timeout' });
    bus.unplug(usbPrinter);
    await until(() => conn.status === 'disconnected');
    expect(conn.lastMessage).toBe('disconnected: unplugged');
    bus.plug(usbPrinter);
    await conn.waitConnected(3_000);
  });

  it('picks the printer by serial number among two of one model', async () => {
    const { bus, core, conn, printer } = rig({ serialNumber: 'AAA111' }, { serialNumber: 'BBB222' });
    const other = new EscPosPrinterEmulator(profile);
    bus.plug(new UsbPrinterEmulator(other, { serialNumber: 'BBB222' }));
    conn.start();
    await conn.waitConnected(2_000);
    await printer.print(receipt, noHooks);
    expect(other.receipts).toHaveLength(1);
    expect(core.receipts).toHaveLength(0);
  });

  it('without node-usb installed: DeviceError("unsupported") saying so, and an empty list with the reason', async () => {
    const t = new UsbPrinterTransport({ ...EPSON, load: () => loadUsb(MISSING) });
    await expect(t.open()).rejects.toMatchObject({ name: 'DeviceError', code: 'unsupported', message: expect.stringMatching(/^USB printers are not supported here: the "lavka-no-such-usb-package" package did not load/) });
    const listed = await listUsbPrinters(() => loadUsb(MISSING));
    expect(listed.devices).toEqual([]);
    expect(listed.error).toMatch(/USB printers are not supported here/);
    // Through a connection it is a status with that message, retried, never a crash.
    const conn = new DeviceConnection(() => new UsbPrinterTransport({ ...EPSON, load: () => loadUsb(MISSING) }), { minDelayMs: 20, maxDelayMs: 40 });
    cleanups.push(() => conn.stop());
    conn.start();
    await until(() => conn.status === 'disconnected');
    expect(conn.lastMessage).toMatch(/not supported here/);
  });

  it('no matching device, a device this user may not open, a claim refused: DeviceError("offline") with the reason', async () => {
    const bus = new UsbBusEmulator();
    bus.plug(new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { serialNumber: 'AAA111' }));
    const load = async () => bus.module;
    await expect(new UsbPrinterTransport({ ...EPSON, serialNumber: 'ZZZ999', load }).open()).rejects.toMatchObject({
      code: 'offline',
      message: 'USB printer 04b8:0e15 serial ZZZ999 is not connected',
    });
    await expect(new UsbPrinterTransport({ vendorId: 0x0416, productId: 0x5011, load }).open()).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/not connected/) });

    const locked = new UsbBusEmulator();
    locked.plug(new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { accessDenied: true }));
    await expect(new UsbPrinterTransport({ ...EPSON, load: async () => locked.module }).open()).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringMatching(/LIBUSB_ERROR_ACCESS: this user may not use the device \(on Linux a udev rule must grant it\)/),
    });

    // Windows/macOS: the kernel-driver calls are not supported there, and that is no obstacle.
    const win = new UsbBusEmulator();
    const winPrinter = new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { kernelDriver: 'unsupported' });
    win.plug(winPrinter);
    const t = new UsbPrinterTransport({ ...EPSON, load: async () => win.module });
    await t.open();
    expect(winPrinter.stats.claims).toBe(1);
    // The same printer cannot be taken twice by this till.
    await expect(new UsbPrinterTransport({ ...EPSON, load: async () => win.module }).open()).rejects.toMatchObject({ code: 'offline' });
    await t.close();
  });

  it('lists printer-class devices only, with serial numbers where it may read them, and leaves an open printer open', async () => {
    const bus = new UsbBusEmulator();
    const inUse = new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { manufacturer: 'EPSON', product: 'TM-T20III', serialNumber: 'X5E0123456' });
    bus.plug(inUse);
    bus.plug(new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { vendorId: 0x0416, productId: 0x5011, accessDenied: true }));
    bus.plug(new UsbPrinterEmulator(new EscPosPrinterEmulator(profile), { vendorId: 0x0c2e, productId: 0x0b61, interfaceClass: 3, product: 'Scanner' }));
    const load = async () => bus.module;
    const t = new UsbPrinterTransport({ ...EPSON, load });
    await t.open();
    cleanups.push(() => t.close());

    const listed = await listUsbPrinters(load);
    expect(listed.error).toBeUndefined();
    expect(listed.devices).toEqual([
      { vendorId: 0x04b8, productId: 0x0e15, serialNumber: 'X5E0123456', label: 'EPSON TM-T20III (04b8:0e15, X5E0123456)' },
      { vendorId: 0x0416, productId: 0x5011, serialNumber: null, label: expect.stringMatching(/^USB printer \(0416:5011, cannot open: LIBUSB_ERROR_ACCESS/) },
    ]);
    expect(inUse.device?.isOpen).toBe(true);
    await t.write(Uint8Array.of(0x1b, 0x40));
    await until(() => inUse.stats.bytesOut === 2);
  });
});
