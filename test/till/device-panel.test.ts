import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceInput, DeviceView } from '../../src-common/rpc/schemas.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { SerialDrawerEmulator } from '../../src-drivers/emulators/drawer/serial-drawer.js';
import { SerialScannerEmulator } from '../../src-drivers/emulators/scanner/serial.js';
import { serveSerial, serveTcp } from '../../src-drivers/emulators/serve.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { emulatedPrinters } from '../../src-main/devices/drivers.js';
import { PtyPair } from '../support/pty.js';
import type { BackendConfig } from '../../src-main/host/backend.js';
import { failure, openTill, openTillOn, type Till } from './support.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(probe: () => T | Promise<T>, what: string, ms = 8_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function till(demoDevices = false): Till {
  const t = openTill(demoDevices ? { demo: { products: 50, emulatedDevices: true } } : {});
  cleanups.push(() => t.close());
  return t;
}

async function tcpPrinter(): Promise<{ emulator: EscPosPrinterEmulator; port: number; stop(): Promise<void> }> {
  const emulator = new EscPosPrinterEmulator(getProfile('epson-tm-t20'));
  const served = await serveTcp(emulator);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    served.reset();
    await served.stop();
  };
  cleanups.push(stop);
  return { emulator, port: served.port, stop };
}

const printerInput = (port: number, extra: Partial<DeviceInput> = {}): DeviceInput => ({
  kind: 'printer',
  driver: 'escpos',
  name: 'Чековый принтер',
  transport: { kind: 'tcp', host: '127.0.0.1', port },
  options: { profile: 'epson-tm-t20', codePage: 'cp866', drawer: true, drawerPin: 2 },
  enabled: true,
  ...extra,
});

const view = async (x: Till, id: string): Promise<DeviceView | undefined> => (await x.c.call('devices.list', {})).find((d) => d.id === id);

describe('the device panel: devices added, edited and removed at a running till', () => {
  it('an owner adds a TCP printer: it connects at once, prints its test page, and its fault is kept after it clears', async () => {
    const x = till();
    await x.as('owner');
    const p = await tcpPrinter();
    const saved = await x.c.call('devices.save', { device: printerInput(p.port) });
    expect(saved).toMatchObject({ kind: 'printer', driver: 'escpos', enabled: true, connection: `127.0.0.1:${p.port}`, lastError: null });
    await until(async () => (await view(x, saved.id))?.status === 'connected', 'the printer to connect');

    const result = await x.c.call('devices.test', { deviceId: saved.id, action: 'print' });
    expect(result.ok).toBe(true);
    await until(() => p.emulator.receipts.length === 1, 'the test page');
    const lines = p.emulator.receipts[0]!.lines.map((l) => l.trim());
    expect(lines).toContain('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ');
    expect(p.emulator.receipts[0]!.qrs.map((q) => q.data)).toEqual(['https://lavka.example/test']);

    // The printer goes away: the panel shows it down, with the reason and when.
    await p.stop();
    const down = await until(async () => {
      const v = await view(x, saved.id);
      return v && v.status !== 'connected' && v.lastError ? v : null;
    }, 'the printer to drop');
    expect(down.lastError!.message).toMatch(/ECONNREFUSED|closed|reset|disconnected/i);
    expect(down.lastError!.at).toBe(x.t.clock.now());
    // Audited as a settings change.
    expect((await x.c.call('audit.list', { action: 'device.create' })).map((e) => e.subject)).toEqual([saved.id]);
  });

  it('bad input gets a field error and stores nothing; only those with the settings right may change devices', async () => {
    const x = till();
    await x.as('owner');
    const before = await x.c.call('devices.list', {});
    const bad: [DeviceInput, string, string][] = [
      [{ ...printerInput(9100), driver: 'toledo8217' }, 'driver', 'unknown_driver'],
      [{ ...printerInput(9100), transport: { kind: 'emulator' } }, 'transport', 'emulator_only_demo'],
      [{ ...printerInput(9100), transport: { kind: 'hid', path: '/dev/hidraw0' } }, 'transport', 'unsupported_transport'],
      [{ ...printerInput(9100), transport: { kind: 'serial', path: '/dev/ttyS0', baudRate: 12345 } }, 'baudRate', 'unsupported_baud'],
      [{ ...printerInput(9100), transport: { kind: 'tcp', host: 'bad host!', port: 9100 } }, 'host', 'bad_host'],
      [{ ...printerInput(9100), options: { profile: 'no-such-printer' } }, 'profile', 'not_allowed'],
      [{ ...printerInput(9100), options: { drawerPin: 3 } }, 'drawerPin', 'not_allowed'],
      [{ kind: 'scale', driver: 'cas', name: 'Весы', transport: { kind: 'tcp', host: 'scale.local', port: 4001 }, options: { capacityGrams: 10 }, enabled: true }, 'capacityGrams', 'out_of_range'],
      [{ kind: 'drawer', driver: 'serial-drawer', name: 'Ящик', transport: { kind: 'serial', path: '/dev/ttyS1', baudRate: 9600 }, options: { openCommand: 'zz' }, enabled: true }, 'openCommand', 'bad_hex'],
    ];
    for (const [input, field, reason] of bad) {
      const f = await failure(x.c.call('devices.save', { device: input }));
      expect(f, `${field}`).toEqual({ code: 'device_invalid', details: { field, reason } });
    }
    // Out of the schema's range: refused before any handler runs.
    expect((await failure(x.c.call('devices.save', { device: printerInput(0) }))).code).toBe('validation');
    expect((await failure(x.c.call('devices.save', { device: { ...printerInput(9100), id: 'no-such-device' } }))).code).toBe('not_found');
    expect(await x.c.call('devices.list', {})).toEqual(before);

    await x.as('cashier');
    expect((await failure(x.c.call('devices.save', { device: printerInput(9100) }))).code).toBe('forbidden');
    expect((await failure(x.c.call('devices.ports', {}))).code).toBe('forbidden');
    expect(x.rows('devices')).toBe(before.length);
  });

  it('moving a printer to another port reconnects it there; disabling stops it; removing it hands its waiting receipts to the other printer', async () => {
    const x = till();
    await x.as('owner');
    const a = await tcpPrinter();
    const b = await tcpPrinter();
    const first = await x.c.call('devices.save', { device: printerInput(a.port, { name: 'A' }) });
    await until(async () => (await view(x, first.id))?.status === 'connected', 'A to connect');

    await x.c.call('devices.save', { device: { ...printerInput(b.port, { name: 'A' }), id: first.id } });
    await until(async () => (await view(x, first.id))?.connection === `127.0.0.1:${b.port}` && (await view(x, first.id))?.status === 'connected', 'A to move');
    await x.c.call('devices.test', { deviceId: first.id, action: 'print' });
    await until(() => b.emulator.receipts.length === 1, 'the test page on the new port');
    expect(a.emulator.receipts).toHaveLength(0);

    await x.c.call('devices.save', { device: { ...printerInput(b.port, { name: 'A' }), id: first.id, enabled: false } });
    expect((await view(x, first.id))?.status).toBe('off');

    // Receipts wait for the enabled printer A; A is removed while its paper is out; they go to B2.
    await x.c.call('devices.save', { device: { ...printerInput(b.port, { name: 'A' }), id: first.id, enabled: true } });
    await until(async () => (await view(x, first.id))?.status === 'connected', 'A back');
    b.emulator.setFault('paperOut', true);
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await x.t.backend.effects.idle();
    await until(() => x.t.backend.repos.printJobs.forRef(sale.id).find((j) => j.state === 'waiting'), 'the receipt to wait for paper');

    await x.as('owner');
    const c2 = await tcpPrinter();
    const second = await x.c.call('devices.save', { device: printerInput(c2.port, { name: 'B2' }) });
    await x.c.call('devices.remove', { deviceId: first.id });
    expect(await view(x, first.id)).toBeUndefined();
    await until(() => c2.emulator.receipts.some((r) => r.lines.some((l) => l.includes(`№ ${sale.number}`))), 'the receipt on B2');
    const job = x.t.backend.repos.printJobs.forRef(sale.id)[0]!;
    expect(job).toMatchObject({ state: 'done', deviceId: second.id });
    expect((await failure(x.c.call('devices.remove', { deviceId: first.id }))).code).toBe('not_found');
  });

  it('a serial scanner on a real pseudo-terminal: its scans reach the screens as scanner.scan events', async () => {
    const x = till();
    await x.as('owner');
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const emulator = new SerialScannerEmulator({ suffix: 'CRLF' });
    const served = await serveSerial(emulator, pty.device);
    cleanups.push(() => served.stop());
    const scans: { deviceId: string; code: string; symbology: string | null }[] = [];
    x.c.on('scanner.scan', (s) => scans.push(s));
    const scanner = await x.c.call('devices.save', {
      device: { kind: 'scanner', driver: 'serial-scanner', name: 'Сканер', transport: { kind: 'serial', path: pty.till, baudRate: 9600 }, options: { suffix: 'crlf' }, enabled: true },
    });
    await until(async () => (await view(x, scanner.id))?.status === 'connected', 'the scanner to connect');
    emulator.scan(DEMO_BARCODES.milk, ']E0');
    served.flush();
    emulator.scan('0104607001771234215abcDEF\u001d93ABCD', ']d2');
    served.flush();
    await until(() => scans.length === 2, 'two scans');
    expect(scans).toEqual([
      { deviceId: scanner.id, code: DEMO_BARCODES.milk, symbology: 'ean13' },
      { deviceId: scanner.id, code: '0104607001771234215abcDEF\u001d93ABCD', symbology: 'gs1-datamatrix' },
    ]);
  });

  it('a cash drawer on its own serial line opens on a cash sale, not on a card sale; with none, the printer\'s port is used', async () => {
    const x = till(true);
    await x.as('owner');
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const drawer = new SerialDrawerEmulator({ openCommand: Uint8Array.of(0x1b, 0x70, 0x00), statusCommand: Uint8Array.of(0x05), openAnswer: 0x01, closedAnswer: 0x00 });
    const served = await serveSerial(drawer, pty.device);
    cleanups.push(() => served.stop());
    const saved = await x.c.call('devices.save', {
      device: {
        kind: 'drawer',
        driver: 'serial-drawer',
        name: 'Денежный ящик',
        transport: { kind: 'serial', path: pty.till, baudRate: 9600 },
        options: { openCommand: '1B 70 00', statusCommand: '05', statusOpen: 1 },
        enabled: true,
      },
    });
    expect(saved.options).toEqual({ openCommand: '1b7000', statusCommand: '05', statusOpen: 1 });
    await until(async () => (await view(x, saved.id))?.status === 'connected', 'the drawer line');
    const printer = emulatedPrinters.get('demo-printer')!;
    const printerKicks = printer.drawerPulses.length;

    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] });
    await x.t.backend.effects.idle();
    await until(() => drawer.opens === 1, 'the drawer to open');
    await x.t.backend.printQueue.idle();
    expect(drawer.triggers).toBe(1);
    // The drawer on its own line took the kick; the printer's port stayed quiet.
    expect(printer.drawerPulses.length).toBe(printerKicks);

    // Removed: the next kick goes to the printer's port again.
    await x.as('owner');
    await x.c.call('devices.remove', { deviceId: saved.id });
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] });
    await x.t.backend.effects.idle();
    await until(() => printer.drawerPulses.length === printerKicks + 1, 'the printer kick');
    expect(drawer.triggers).toBe(1);
  });

  it('the ports list answers at once and fills in from a background scan; a failing lister is a reason, not a failure', async () => {
    let attached!: (ports: Awaited<ReturnType<NonNullable<BackendConfig['findPorts']>>>) => void;
    let scans = 0;
    const x = openTill({
      findPorts: () => {
        scans++;
        if (scans > 1) return Promise.reject(new Error('udevadm not found'));
        return new Promise((resolve) => (attached = resolve));
      },
    });
    cleanups.push(() => x.close());
    await x.as('owner');
    // The handler does not wait for the scan: it answers with what is known (nothing yet) and starts one.
    expect(await x.c.call('devices.ports', {})).toMatchObject({ at: null, scanning: true, serial: [] });
    expect(await x.c.call('devices.ports', {})).toMatchObject({ at: null, scanning: true });
    expect(scans).toBe(1);
    attached({ serial: [{ path: '/dev/ttyUSB0', label: '/dev/ttyUSB0 · FTDI' }], usb: [], hid: [], errors: ['node-hid is not installed'] });
    const done = await until(async () => {
      const p = await x.c.call('devices.ports', {});
      return p.at !== null ? p : null;
    }, 'the port scan');
    expect(done).toMatchObject({ scanning: false, serial: [{ path: '/dev/ttyUSB0' }], errors: ['node-hid is not installed'] });

    // A rescan that throws keeps the till running and says why.
    x.t.clock.advance(10 * 60_000);
    await x.c.call('devices.ports', {});
    const failed = await until(async () => {
      const p = await x.c.call('devices.ports', {});
      return !p.scanning && p.errors.includes('udevadm not found') ? p : null;
    }, 'the failed rescan');
    expect(failed.at).toBeGreaterThan(done.at!);
  });
});

describe('the panel\'s test actions on the demo devices', () => {
  it('weighs, shows a line, prints and kicks, each answering with a result code; a cashier may not kick the drawer', async () => {
    const x = till(true);
    await x.as('owner');
    await x.c.call('devices.emulatorLoad', { deviceId: 'demo-scale', grams: 1_234 });
    const weighed = await until(async () => {
      const r = await x.c.call('devices.test', { deviceId: 'demo-scale', action: 'weigh' });
      return r.result === 'stable' && r.grams === 1_234 ? r : null;
    }, 'a stable weight');
    expect(weighed).toEqual({ ok: true, result: 'stable', detail: null, grams: 1_234 });
    await until(async () => (await view(x, 'demo-display'))?.status === 'connected', 'the display');
    expect(await x.c.call('devices.test', { deviceId: 'demo-display', action: 'display' })).toMatchObject({ ok: true, result: 'sent' });
    await until(async () => (await x.c.call('devices.display', { deviceId: 'demo-display' })).lines[0]?.startsWith('Lavka POS'), 'the test line');
    expect(await x.c.call('devices.test', { deviceId: 'demo-scale', action: 'print' })).toMatchObject({ ok: false, result: 'wrong_kind' });
    await until(async () => (await view(x, 'demo-printer'))?.status === 'connected', 'the printer');
    const e = emulatedPrinters.get('demo-printer')!;
    const kicks = e.drawerPulses.length;
    expect(await x.c.call('devices.test', { deviceId: 'demo-printer', action: 'drawer' })).toMatchObject({ ok: true, result: 'sent' });
    await until(() => e.drawerPulses.length === kicks + 1, 'the kick');
    // The printer's drawer switch, read while it is idle: open after the kick, closed when shut.
    await x.t.backend.printQueue.idle();
    await x.t.backend.devices.pollSensors();
    expect(await view(x, 'demo-printer')).toMatchObject({ drawerOpen: true, paperNearEnd: false });
    e.closeDrawer();
    await x.t.backend.devices.pollSensors();
    expect((await view(x, 'demo-printer'))?.drawerOpen).toBe(false);
    expect((await view(x, 'demo-scale'))?.drawerOpen).toBeNull();
    expect((await x.c.call('audit.list', { action: 'device.test_drawer' })).map((a) => a.subject)).toEqual(['demo-printer']);

    await x.as('cashier');
    expect((await failure(x.c.call('devices.test', { deviceId: 'demo-printer', action: 'drawer' }))).code).toBe('forbidden');
    expect(e.drawerPulses.length).toBe(kicks + 1);
  });
});

describe('the customer-facing view', () => {
  it('follows the basket and shows the change after a cash payment; the pole display shows the same', async () => {
    const x = till(true);
    const views: string[] = [];
    x.c.on('customer.view', (v) => views.push(v.state));
    expect(await x.c.call('customer.view', {})).toMatchObject({ state: 'idle', lines: [], note: 'Добро пожаловать!' });
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const basket = await x.c.call('customer.view', {});
    expect(basket.state).toBe('basket');
    expect(basket.lines).toHaveLength(1);
    expect(basket.lines[0]!.detail).toBe('2 × 89,90');
    expect(basket.total).toBe('179,80');
    await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 20_000 }] });
    await x.t.backend.effects.idle();
    const paid = await until(async () => {
      const v = await x.c.call('customer.view', {});
      return v.state === 'paid' ? v : null;
    }, 'the paid view');
    expect(paid.note).toBe('Сдача: 20,20');
    expect(views).toContain('paid');
    const display = await until(async () => {
      const lines = (await x.c.call('devices.display', { deviceId: 'demo-display' })).lines;
      return lines[1]?.includes('20,20') ? lines : null;
    }, 'the pole display');
    expect(display[0]).toContain('Спасибо');
  });

  it("a receipt's later print or a restart does not bring its change back over the next customer", async () => {
    const x = till(true);
    expect((await x.c.call('customer.view', {})).state).toBe('idle');
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] });
    await x.t.backend.effects.idle();
    await until(async () => ((await x.c.call('customer.view', {})).state === 'paid' ? true : null), 'the paid view');
    // The next customer's basket; then the first receipt's effects move again (a reprint, a late printer).
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    await until(async () => ((await x.c.call('customer.view', {})).state === 'basket' ? true : null), 'the next basket');
    x.t.backend.dispatcher.publish('effects.changed', { receiptId: sale.id });
    await new Promise((r) => setTimeout(r, 50));
    const next = await x.c.call('customer.view', {});
    expect(next.state).toBe('basket');
    expect(next.lines).toHaveLength(1);

    // After a restart the runner finishes what was pending and says so: the screen stays on its greeting.
    x.t.restart();
    const y = openTillOn(x);
    cleanups.push(() => y.c.close());
    expect((await y.c.call('customer.view', {})).state).toBe('idle');
    y.t.backend.dispatcher.publish('effects.changed', { receiptId: sale.id });
    await new Promise((r) => setTimeout(r, 50));
    expect((await y.c.call('customer.view', {})).state).toBe('idle');
  });
});

describe('the receipt template', () => {
  // A 16 × 2 logo: a checkerboard row and a solid row.
  const logo = { width: 16, height: 2, bits: Buffer.from([0xaa, 0x55, 0xff, 0xff]).toString('base64') };

  it('the owner changes the footer and adds a logo: the preview and the next printed receipt show them', async () => {
    const x = till(true);
    await x.as('owner');
    const before = await x.c.call('receipt.template', {});
    expect(before).toMatchObject({ logo: null, template: { footer: [], showLogo: false } });
    const template = { ...before.template, footer: ['Спасибо, что вы с нами!', 'lavka.example'], showLogo: true, code: 'qr' as const };
    const preview = await x.c.call('receipt.preview', { template });
    expect(preview.lines.map((l) => l.trim())).toContain('Спасибо, что вы с нами!');
    await x.c.call('receipt.templateSave', { template, logo });
    expect(await x.c.call('receipt.template', {})).toMatchObject({ template, logo });

    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await x.t.backend.effects.idle();
    const e = emulatedPrinters.get('demo-printer')!;
    const paper = await until(() => e.receipts.find((r) => r.lines.some((l) => l.includes(`№ ${sale.number}`))), 'the receipt');
    expect(paper.lines.map((l) => l.trim())).toContain('Спасибо, что вы с нами!');
    expect(paper.qrs.map((q) => q.data)).toEqual([sale.code]);
    expect(paper.images.map((i) => ({ width: i.width, height: i.height }))).toEqual([{ width: 16, height: 2 }]);
  });

  it('refuses a logo whose bits do not fit its size, a logo shown without one, and a cashier', async () => {
    const x = till();
    await x.as('owner');
    const { template } = await x.c.call('receipt.template', {});
    expect(await failure(x.c.call('receipt.templateSave', { template, logo: { ...logo, height: 3 } }))).toEqual({
      code: 'template_invalid',
      details: { field: 'logo', reason: 'bad_image' },
    });
    expect(await failure(x.c.call('receipt.templateSave', { template: { ...template, showLogo: true } }))).toEqual({
      code: 'template_invalid',
      details: { field: 'showLogo', reason: 'no_logo' },
    });
    expect((await failure(x.c.call('receipt.templateSave', { template: { ...template, footer: ['x'.repeat(65)] } }))).code).toBe('input_too_long');
    expect((await x.c.call('receipt.template', {})).template).toEqual(template);
    await x.as('cashier');
    expect((await failure(x.c.call('receipt.templateSave', { template }))).code).toBe('forbidden');
  });
});
