import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from '../till/support.js';

let till: Till;
afterEach(() => till?.close());

const GS = '\u001d';
/** A Честный знак code for the demo milk: 01 GTIN-14, 21 serial, GS, 91 key, GS, 92 signature. */
const marking = (serial: string) => `]d201${'0' + DEMO_BARCODES.milk}21${serial}${GS}91EE07${GS}92${'A'.repeat(44)}`;

describe('a GS1 code at the checkout', () => {
  it('finds the product by its GTIN; a marking code is one unit on its own line and cannot be sold twice in a receipt', async () => {
    till = openTill();
    const { c } = till;
    await till.as('cashier');
    const a = await c.call('checkout.scan', { code: marking('5ABCDEFGHIJKL') });
    expect(a.lines).toHaveLength(1);
    expect(a.lines[0]).toMatchObject({ name: expect.stringMatching(/^Молоко/), qty: 1000 });
    expect(a.lines[0]!.barcode).toContain(`21${'5ABCDEFGHIJKL'}${GS}91`);
    // The same pack again: refused. Another pack of the same milk: its own line, never merged.
    expect((await failure(c.call('checkout.scan', { code: marking('5ABCDEFGHIJKL') }))).code).toBe('marking_duplicate');
    const b = await c.call('checkout.scan', { code: marking('5ZYXWVUTSRQPO') });
    expect(b.lines.map((l) => l.qty)).toEqual([1000, 1000]);
    // A plain EAN of the same milk still merges as before.
    const d = await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(d.lines).toHaveLength(3);
    // A GTIN whose check digit is wrong names no product: said as such.
    expect((await failure(c.call('checkout.scan', { code: `]d20104600000009991215ABCDEFGHIJKL${GS}91EE07${GS}92${'A'.repeat(44)}` }))).code).toBe('marking_invalid');
  });
});
