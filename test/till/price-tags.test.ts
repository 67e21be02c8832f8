import { afterEach, describe, expect, it } from 'vitest';
import type { LabelJobView } from '../../src-common/rpc/label-schemas.js';
import type { DeviceInput } from '../../src-common/rpc/schemas.js';
import { createLabelEmulator } from '../../src-drivers/emulators/label/index.js';
import type { EmulatedLabel } from '../../src-drivers/emulators/label/model.js';
import { serveTcp } from '../../src-drivers/emulators/serve.js';
import { getLabelProfile } from '../../src-drivers/label/profiles.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { emulatedLabelPrinters, emulatedPrinters } from '../../src-main/devices/drivers.js';
import { waitFor } from '../support/wait.js';
import { failure, openTill, openTillOn, type Till } from './support.js';

/**
 * Price tags printed at the till, through the RPC against a real SQLite store: a delivery changes
 * prices, the tags wait, a manager prints them on a label printer reached over TCP 9100 (an
 * emulated TSC that decodes what it was sent), the price changes are marked printed. A printer
 * with its head open holds the job, which prints once when it is closed; a restart resumes the queue.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Until `probe` gives something (the shared helper, with room for a loaded machine), and what it gave. */
const until = <T>(probe: () => T | Promise<T>, what: string): Promise<NonNullable<T>> => waitFor(probe, (v) => !!v, what, 30_000) as Promise<NonNullable<T>>;

function till(overrides: Parameters<typeof openTill>[0] = {}): Till {
  const t = openTill(overrides);
  cleanups.push(() => t.close());
  return t;
}

/** A TSC TE200 on the network: the emulator speaks TSPL, prints in CP1251, and can have its head opened. */
async function tcpLabelPrinter() {
  const profile = getLabelProfile('tsc-te200');
  const emulator = createLabelEmulator(profile);
  const served = await serveTcp(emulator);
  cleanups.push(async () => {
    served.reset();
    await served.stop();
  });
  return {
    emulator,
    port: served.port,
    setHeadOpen(open: boolean) {
      emulator.setFault('headOpen', open);
    },
  };
}

const labelInput = (port: number): DeviceInput => ({
  kind: 'label',
  driver: 'tspl',
  name: 'Принтер ценников',
  transport: { kind: 'tcp', host: '127.0.0.1', port },
  options: { profile: 'tsc-te200', stock: '58x40' },
  enabled: true,
});

async function addLabelPrinter(x: Till, port: number): Promise<string> {
  await x.as('owner');
  const saved = await x.c.call('devices.save', { device: labelInput(port) });
  await until(async () => (await x.c.call('devices.list', {})).find((d) => d.id === saved.id)?.status === 'connected', 'the label printer to connect');
  return saved.id;
}

const productId = async (x: Till, barcode: string): Promise<number> => (await x.c.call('catalog.lookup', { code: barcode }))!.id;

/** A manager posts a delivery that sets new retail prices. Returns the document. */
async function deliverWithPrices(x: Till, lines: { barcode: string; newPrice: number }[]) {
  await x.as('manager');
  const doc = await x.c.call('receiving.create', {});
  for (const l of lines) await x.c.call('stockDocs.setLine', { docId: doc.id, productId: await productId(x, l.barcode), qty: 5_000, cost: 4_000, newPrice: l.newPrice });
  return x.c.call('stockDocs.post', { docId: doc.id });
}

async function job(x: Till, id: string): Promise<LabelJobView | undefined> {
  return (await x.c.call('labels.jobs', {})).find((j) => j.id === id);
}

const texts = (l: EmulatedLabel): string[] => [...l.texts].sort((a, b) => a.y - b.y || a.x - b.x).map((t) => t.text);
const printedAt = (x: Till, id: number) => x.t.backend.db.prepare('SELECT tags_printed_at FROM price_changes WHERE id = ?').pluck().get(id) as number | null;

describe('price tags for new prices, printed on a label printer', () => {
  it('a delivery changes two prices → the tags wait → printed on the label printer with the Cyrillic name, the price in roubles and the barcode → marked printed', async () => {
    const x = till();
    const printer = await tcpLabelPrinter();
    const deviceId = await addLabelPrinter(x, printer.port);
    const doc = await deliverWithPrices(x, [
      { barcode: DEMO_BARCODES.milk, newPrice: 9_490 },
      { barcode: DEMO_BARCODES.bread, newPrice: 5_990 },
    ]);

    // A clerk may see and print tags (`stock`); a cashier may not.
    await x.as('cashier');
    expect(await failure(x.c.call('labels.pending', {}))).toMatchObject({ code: 'forbidden', details: { permission: 'stock' } });
    await x.as('stock_clerk');
    const pending = await x.c.call('labels.pending', {});
    const milk = pending.find((p) => p.name === 'Молоко «Лавка» 3,2% 1 л')!;
    const bread = pending.find((p) => p.name === 'Хлеб Бородинский 400 г')!;
    expect(pending).toHaveLength(2);
    expect(milk).toMatchObject({ oldPrice: 8_990, newPrice: 9_490, price: 9_490, barcode: DEMO_BARCODES.milk, by: 'Мария Иванова', source: { id: doc.id, kind: 'receiving', number: doc.number }, job: null });
    expect(bread).toMatchObject({ oldPrice: 5_490, newPrice: 5_990, source: { kind: 'receiving' } });

    const queued = await x.c.call('labels.print', { priceChanges: [{ id: milk.id, copies: 2 }, { id: bread.id, copies: 1 }] });
    expect(queued).toMatchObject({ kind: 'price_tags', via: 'label', deviceId, deviceName: 'Принтер ценников', tags: 2, labels: 3, createdBy: 'Пётр Кузнецов' });
    expect(queued.priceChangeIds.sort()).toEqual([milk.id, bread.id].sort());
    // A second tap does not queue the same tags again (they are queued, or printed by now).
    const again = await failure(x.c.call('labels.print', { priceChangeIds: [milk.id, bread.id] }));
    expect(again.code).toBe('label_nothing_to_print');
    expect(Number(again.details.queued) + Number(again.details.printed)).toBe(2);

    const done = await until(async () => {
      const j = await job(x, queued.id);
      return j?.state === 'done' ? j : null;
    }, 'the job to print');
    expect(done.printedAt).toBe(x.t.clock.now());
    await x.t.backend.labelQueue.idle();

    // What the printer printed: two milk tags and one bread tag, as the TSC decoded them (CP1251).
    expect(printer.emulator.labels).toHaveLength(3);
    const [m1, m2, b1] = printer.emulator.labels as [EmulatedLabel, EmulatedLabel, EmulatedLabel];
    expect(m1).toBe(m2);
    // The price in the store's format: "94,90 ₽" (the rouble sign is not trusted to a resident font: "р.").
    expect(texts(m1)).toEqual(['Молоко «Лавка» 3,2% 1 л', '94,90 р.', '94,90 р./л', '22.11.2026']);
    expect(m1.barcodes.map((b) => [b.symbology, b.data, b.valid])).toEqual([['EAN13', DEMO_BARCODES.milk, true]]);
    // 59,90 for 400 g: 149,75 per kilogram.
    expect(texts(b1)).toEqual(['Хлеб Бородинский 400 г', '59,90 р.', '149,75 р./кг', '22.11.2026']);
    expect(b1.barcodes.map((b) => b.data)).toEqual([DEMO_BARCODES.bread]);
    expect(m1.texts.every((t) => t.encoding === 'cp1251')).toBe(true);

    expect(printedAt(x, milk.id)).toBe(x.t.clock.now());
    expect(printedAt(x, bread.id)).toBe(x.t.clock.now());
    expect(await x.c.call('labels.pending', {})).toEqual([]);
    expect(await failure(x.c.call('labels.print', { priceChangeIds: [milk.id] }))).toMatchObject({ code: 'label_nothing_to_print', details: { printed: 1 } });
    await x.as('owner');
    expect((await x.c.call('audit.list', { action: 'labels.print' })).map((a) => a.subject)).toEqual([queued.id]);
  });

  it('the printer reports its head open: the job waits with the reason, and prints once when the head is closed', async () => {
    const x = till();
    const printer = await tcpLabelPrinter();
    const deviceId = await addLabelPrinter(x, printer.port);
    await deliverWithPrices(x, [{ barcode: DEMO_BARCODES.water, newPrice: 4_900 }]);
    const [water] = await x.c.call('labels.pending', {});

    printer.setHeadOpen(true);
    const queued = await x.c.call('labels.print', { priceChangeIds: [water!.id] });
    const waiting = await until(async () => {
      const j = await job(x, queued.id);
      return j?.state === 'waiting' ? j : null;
    }, 'the job to wait');
    expect(waiting.lastError).toBe('label printer: print head open');
    // The price change shows where its tags are (between retries: a retry is 'printing' for a moment).
    const shown = await until(async () => {
      const j = (await x.c.call('labels.pending', {}))[0]?.job;
      return j?.state === 'waiting' ? j : null;
    }, 'the pending change to show the wait');
    expect(shown).toEqual({ id: queued.id, state: 'waiting', lastError: 'label printer: print head open' });
    // The device panel shows why the printer stopped, and keeps it as its last error.
    const device = await until(async () => {
      const d = (await x.c.call('devices.list', {})).find((v) => v.id === deviceId);
      return d?.status === 'error' ? d : null;
    }, 'the fault to show');
    expect(device).toMatchObject({ message: 'print head open', lastError: { message: 'print head open' } });
    expect(printer.emulator.formats).toHaveLength(0); // nothing was sent to a printer that could not print
    expect(printedAt(x, water!.id)).toBeNull();

    printer.setHeadOpen(false);
    await until(async () => (await job(x, queued.id))?.state === 'done', 'the job to print after the head closed');
    await until(async () => (await x.c.call('devices.list', {})).find((v) => v.id === deviceId)?.status === 'connected', 'the printer to show ready');
    await x.t.backend.labelQueue.idle();
    x.t.backend.labelQueue.kick();
    await x.t.backend.labelQueue.idle();
    expect(printer.emulator.formats).toHaveLength(1);
    expect(printer.emulator.labels.map((l) => texts(l).slice(0, 3))).toEqual([['Вода «Святой источник»', '0,5 л', '49,00 р.']]);
    expect(printedAt(x, water!.id)).toBe(x.t.clock.now());
  });

  it('a restart with jobs waiting (one caught mid-print) resumes the queue: each prints once', async () => {
    const x = till();
    const printer = await tcpLabelPrinter();
    await addLabelPrinter(x, printer.port);
    await deliverWithPrices(x, [{ barcode: DEMO_BARCODES.chocolate, newPrice: 11_990 }]);
    const [chocolate] = await x.c.call('labels.pending', {});
    printer.setHeadOpen(true);
    const first = await x.c.call('labels.print', { priceChangeIds: [chocolate!.id] });
    const second = await x.c.call('labels.print', { items: [{ productId: await productId(x, DEMO_BARCODES.coffee), copies: 1 }] });
    await until(async () => (await job(x, first.id))?.state === 'waiting', 'the first job to wait');

    // The till goes down as if it had died in the middle of sending the second job, and comes back
    // with the printer's head closed meanwhile.
    x.t.backend.db.prepare(`UPDATE label_jobs SET state = 'printing' WHERE id = ?`).run(second.id);
    printer.setHeadOpen(false);
    x.t.restart();
    const y = openTillOn(x);
    cleanups.push(() => y.c.close());
    await y.as('manager');

    await until(async () => (await job(y, first.id))?.state === 'done' && (await job(y, second.id))?.state === 'done', 'both jobs to print after the restart');
    await y.t.backend.labelQueue.idle();
    expect(printer.emulator.labels.map((l) => texts(l)[0])).toEqual(['Шоколад «Алёнка» 90 г', 'Кофе молотый 250 г']);
    expect((await job(y, second.id))?.attempts).toBeGreaterThanOrEqual(1);
    expect(printedAt(y, chocolate!.id)).not.toBeNull();
    expect(await y.c.call('labels.pending', {})).toEqual([]);
  });
});

describe('price tags without a label printer, and the demo till', () => {
  it('with no label printer the tags go to the receipt printer as small tags, after receipts; with neither, a clear refusal', async () => {
    const x = till({ demo: { products: 50, emulatedDevices: true } });
    await x.as('owner');
    await x.c.call('devices.remove', { deviceId: 'demo-label' });
    await until(async () => (await x.c.call('devices.list', {})).find((d) => d.id === 'demo-printer')?.status === 'connected', 'the receipt printer');
    await deliverWithPrices(x, [{ barcode: DEMO_BARCODES.milk, newPrice: 9_990 }]);
    const [milk] = await x.c.call('labels.pending', {});
    const queued = await x.c.call('labels.print', { priceChangeIds: [milk!.id], copies: 2 });
    expect(queued).toMatchObject({ via: 'receipt', deviceId: 'demo-printer', labels: 2 });
    await until(async () => (await job(x, queued.id))?.state === 'done', 'the tags to print on the receipt printer');
    const paper = emulatedPrinters.get('demo-printer')!.receipts;
    // The demo printer's code page (CP866) has no «»: they print as straight quotes.
    const tags = paper.filter((r) => r.lines[0] === 'Молоко "Лавка" 3,2% 1 л');
    expect(tags).toHaveLength(2);
    expect(tags[0]!.lines.slice(1, 4)).toEqual(['99,90 р.', '99,90 р./л', '22.11.2026']);
    expect(tags[0]!.barcodes.map((b) => b.data)).toEqual([DEMO_BARCODES.milk]);
    expect(printedAt(x, milk!.id)).toBe(x.t.clock.now());

    await x.c.call('devices.remove', { deviceId: 'demo-printer' });
    await until(async () => !(await x.c.call('devices.list', {})).some((d) => d.id === 'demo-printer'), 'the printer to go');
    expect(await failure(x.c.call('labels.print', { items: [{ productId: milk!.productId, copies: 1 }] }))).toMatchObject({ code: 'label_no_printer' });
  });

  it('the demo till prints on its emulated label printer; the test label too; labels.emulated shows them', async () => {
    const x = till({ demo: { products: 50, emulatedDevices: true } });
    await x.as('manager');
    await until(async () => (await x.c.call('devices.list', {})).find((d) => d.id === 'demo-label')?.status === 'connected', 'the demo label printer');
    expect(await x.c.call('devices.test', { deviceId: 'demo-label', action: 'print' })).toMatchObject({ ok: true, result: 'sent' });
    const queued = await x.c.call('labels.print', { items: [{ productId: await productId(x, DEMO_BARCODES.coffee), copies: 3 }] });
    await until(async () => (await job(x, queued.id))?.state === 'done', 'the tags to print');
    const shown = await until(async () => {
      const e = await x.c.call('labels.emulated', { deviceId: 'demo-label', last: 5 });
      return e.printed === 4 ? e : null;
    }, 'the emulated labels');
    expect(shown).toMatchObject({ profile: 'tsc-te200', waiting: 0, faults: [] });
    expect(shown.labels.map((l) => l.count)).toEqual([1, 3]);
    expect(shown.labels[1]!.texts.slice(0, 2)).toEqual(['Кофе молотый 250 г', '479,00 р.']);
    expect(shown.labels[1]!.barcodes).toEqual([{ symbology: 'EAN13', data: DEMO_BARCODES.coffee }]);
    expect(Buffer.from(shown.labels[1]!.png, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(emulatedLabelPrinters.get('demo-label')?.labels).toHaveLength(4);
    await x.as('cashier');
    expect(await failure(x.c.call('labels.emulated', { deviceId: 'demo-label', last: 1 }))).toMatchObject({ code: 'forbidden' });
  });
});
