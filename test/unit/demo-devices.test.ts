import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { emulatedPrinters } from '../../src-main/devices/drivers.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs } from '../contract/suite.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

let t: TestBackend;
afterEach(() => t?.dispose());

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

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
    const e = emulated!.emulator;
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
