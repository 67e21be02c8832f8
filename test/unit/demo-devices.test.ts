import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { emulatedDisplays, emulatedPrinters, emulatedScales } from '../../src-main/devices/drivers.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs } from '../contract/suite.js';
import { makeBackend, type TestBackend } from '../support/backend.js';
import { waitUntil as until } from '../support/wait.js';

let t: TestBackend;
afterEach(() => t?.dispose());

describe('the demo till with its emulated printer and drawer', () => {
  it('a cash sale kicks the drawer, then prints the receipt with the right total on the emulated paper', async () => {
    t = makeBackend({ demo: { products: 50, emulatedDevices: true } });
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await c.call('checkout.scan', { code: DEMO_BARCODES.apples1234g });
    const sale = await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 50_000 }] });
    await t.backend.effects.idle();
    const emulated = emulatedPrinters.get('demo-printer');
    expect(emulated).toBeDefined();
    const e = emulated!;
    await until(() => e.receipts.length === 1);
    await t.backend.printQueue.idle();
    expect(e.drawerPulses.map((p) => p.pin)).toEqual([2]);
    // The kick came before the receipt's first line.
    expect(e.document.findIndex((n) => n.type === 'drawer')).toBeLessThan(e.document.findIndex((n) => n.type === 'line'));
    const lines = e.receipts[0]!.lines.map((l) => l.trim());
    expect(sale.total).toBe(8990 + 19732);
    expect(lines.find((l) => l.startsWith('ИТОГО'))).toBe(`ИТОГО${' '.repeat(48 - 'ИТОГО'.length - '287,22'.length)}287,22`);
    expect(lines.some((l) => l.startsWith('Чек № ' + sale.number))).toBe(true);
    expect(e.receipts[0]!.barcodes.map((b) => b.data)).toEqual([sale.code]);
    c.close();
  });
});

describe('the demo till with its emulated scale', () => {
  it('sells a weighed item at the weight on the scale: refused while it moves, over capacity or empty; then the drawer and the receipt', async () => {
    t = makeBackend({ demo: { products: 50, emulatedDevices: true } });
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'manager'); // the probe below voids its test lines
    const scale = emulatedScales.get('demo-scale')!;
    const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

    scale.pan.place(0);
    await waitForScale(c, 'empty');
    expect(await codeOf(c.call('checkout.addByPlu', { plu: 1, fromScale: true }))).toBe('scale_empty');
    scale.pan.place(20_000);
    expect(await waitForScale(c, 'scale_overload')).toBe('scale_overload');
    scale.pan.sequence([
      { grams: 1_100, stable: false },
      ...Array.from({ length: 1_000 }, () => ({ grams: 1_234, stable: false })),
    ]);
    expect(await waitForScale(c, 'scale_unstable')).toBe('scale_unstable');
    scale.pan.place(1_234);
    await waitForScale(c, 'ok');
    const r = await c.call('checkout.addByPlu', { plu: 1, fromScale: true });
    expect(r.lines[0]).toMatchObject({ name: 'Яблоки Гала', qty: 1_234, gross: 19_732 });
    // A piece product is never weighed.
    const milk = (await c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!;
    expect(await codeOf(c.call('checkout.addProduct', { productId: milk.id, fromScale: true }))).toBe('invalid_quantity');

    const sale = await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 20_000 }] });
    await t.backend.effects.idle();
    const printer = emulatedPrinters.get('demo-printer')!;
    await until(() => printer.receipts.length === 1);
    expect(printer.drawerPulses).toHaveLength(1);
    expect(printer.receipts[0]!.lines.map((l) => l.trim()).find((l) => l.startsWith('ИТОГО'))).toMatch(/ИТОГО\s+197,32$/);
    expect(sale.total).toBe(19_732);
    c.close();
  });
});

/** Poll until adding apples from the scale gives this answer (without keeping the line). */
async function waitForScale(c: ReturnType<typeof inProcessClient>, want: string): Promise<string> {
  const end = Date.now() + 5_000;
  for (;;) {
    // A dry run: scale errors are raised before anything is written.
    const got = await c.call('checkout.addByPlu', { plu: 1, fromScale: true }).then(
      async (r) => {
        await c.call('checkout.removeLine', { lineId: r.lines[r.lines.length - 1]!.id }).catch(() => undefined);
        return 'ok';
      },
      (e: { code: string }) => e.code,
    );
    if (got === want || (want === 'empty' && got === 'scale_empty') || Date.now() > end) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the drawer and reprints on the demo till', () => {
  it('opens the drawer for cash in, cash out and an approved no-sale; prints a copy marked as one', async () => {
    t = makeBackend({ demo: { products: 50, emulatedDevices: true } });
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'manager');
    const printer = emulatedPrinters.get('demo-printer')!;
    const kicks = () => printer.drawerPulses.length;
    await c.call('shift.cashIn', { amount: 10_000, reason: 'размен' });
    await until(() => kicks() === 1);
    await c.call('shift.cashOut', { amount: 5_000, reason: 'инкассация' });
    await until(() => kicks() === 2);
    await c.call('shift.noSale');
    await until(() => kicks() === 3);
    expect(t.backend.db.prepare(`SELECT details FROM audit_log WHERE action = 'drawer.open'`).pluck().get()).toContain('"kicked":true');

    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await t.backend.effects.idle();
    await until(() => printer.receipts.length === 1);
    expect(kicks()).toBe(3); // a card sale opens no drawer
    await c.call('receipts.reprint', { id: sale.id });
    await until(() => printer.receipts.length === 2);
    const copy = printer.receipts[1]!.lines.map((l) => l.trim());
    expect(copy[0]).toBe('*** КОПИЯ ***');
    expect(copy.some((l) => l.startsWith(`Чек № ${sale.number}`))).toBe(true);
    c.close();
  });

  it('a till with no printer says so when asked for a copy', async () => {
    t = makeBackend();
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await expect(c.call('receipts.reprint', { id: sale.id })).rejects.toMatchObject({ code: 'no_printer' });
    c.close();
  });
});

describe('the customer display on the demo till', () => {
  it('shows the last line and the total while the basket fills, then thanks and the change', async () => {
    t = makeBackend({ demo: { products: 50, emulatedDevices: true } });
    const display = emulatedDisplays.get('demo-display')!;
    await until(() => display.lines[1].trim() === 'Добро пожаловать!');
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await until(() => display.lines[1].startsWith('ИТОГО') && display.lines[1].endsWith('144,80'));
    expect(display.lines[0]).toBe(`${'Молоко "Лавка" 3,2% 1 л'.slice(0, 20 - 6)} 89,90`);
    await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 20_000 }] });
    await until(() => display.lines[0].trim() === 'Спасибо за покупку!');
    expect(display.lines[1]).toBe(`Сдача${' '.repeat(20 - 5 - 5)}55,20`);
    c.close();
  });
});
