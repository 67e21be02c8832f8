import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { lineRefund, refundSplit } from '../../src-main/domain/returns.js';
import type { Minor, Qty } from '../../src-common/units.js';
import { failure, openTill, type Till } from './support.js';

let till: Till;
afterEach(() => till?.close());

describe('returns with a receipt', () => {
  it('can never give back more than was sold, across several partial returns, to the kopeck and by the original tenders', async () => {
    till = openTill();
    const { c, t } = till;
    await till.as('cashier');
    for (let i = 0; i < 5; i++) await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await c.call('checkout.scan', { code: DEMO_BARCODES.apples1234g });
    await c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 700 } }); // 7 %: shares that do not divide evenly
    const sale = await c.call('checkout.complete', { payments: [{ method: 'card', amount: 20_000 }, { method: 'cash', amount: 100_000 }] });
    const [milk, apples] = sale.lines as [(typeof sale.lines)[0], (typeof sale.lines)[0]];
    expect(milk.qty).toBe(5000);

    // By scanning the receipt's code, the sale is found.
    expect(await c.call('returns.find', { query: sale.code })).toEqual([expect.objectContaining({ id: sale.id, number: sale.number })]);
    expect(await c.call('returns.find', { query: String(sale.number) })).toHaveLength(1);

    const stockBefore = t.backend.repos.stock.balance(milk.productId);
    const r1 = await c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.id, qty: 2000 }] });
    const r2 = await c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.id, qty: 2000 }, { lineId: apples.id, qty: 500 }] });
    expect(r1).toMatchObject({ kind: 'return', state: 'completed', originalId: sale.id });
    // Two more milks than are left: refused, and nothing is written.
    const receiptsBefore = till.rows('receipts');
    const over = await failure(c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.id, qty: 2000 }] }));
    expect(over).toMatchObject({ code: 'return_exceeds_sale', details: { sold: 5000, returned: 4000, requested: 2000 } });
    expect(till.rows('receipts')).toBe(receiptsBefore);
    // The same line twice in one return cannot sneak past either.
    expect((await failure(c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.id, qty: 1000 }, { lineId: milk.id, qty: 1000 }] }))).code).toBe('return_invalid');

    const r3 = await c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.id, qty: 1000 }, { lineId: apples.id, qty: 734 }] });
    const source = await c.call('returns.source', { receiptId: sale.id });
    expect(source.lines.map((l) => l.returnable)).toEqual([0, 0]);
    expect(source.refundable).toBe(0);
    expect((await failure(c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: apples.id, qty: 1 }] }))).code).toBe('return_exceeds_sale');

    // Everything came back: the refunds add up to the sale exactly, per line and per tender.
    const returns = [r1, r2, r3];
    expect(returns.reduce((a, r) => a + r.total, 0)).toBe(sale.total);
    const milkBack = returns.flatMap((r) => r.lines).filter((l) => l.productId === milk.productId);
    expect(milkBack.reduce((a, l) => a + l.amount, 0)).toBe(milk.amount);
    expect(milkBack.reduce((a, l) => a + l.vatAmount, 0)).toBe(milk.vatAmount);
    const paid = (m: string) => sale.payments.filter((p) => p.method === m).reduce((a, p) => a + p.amount, 0);
    const refunded = (m: string) => returns.flatMap((r) => r.payments).filter((p) => p.method === m).reduce((a, p) => a + p.amount, 0);
    expect([refunded('cash'), refunded('card')]).toEqual([paid('cash'), paid('card')]);
    expect(t.backend.repos.stock.balance(milk.productId)).toBe(stockBefore + 5000);
    const events = t.backend.repos.outbox.unacked(100).filter((e) => e.type === 'return.completed');
    expect(events).toHaveLength(3);
    await t.backend.effects.idle();
    const printed = (await c.call('receipts.printed', { id: r3.id }))!.text;
    expect(printed).toContain(`Возврат № ${r3.number}`);
    expect(printed).toMatch(/Возвращено: (Наличные|Карта)/);
  });

  it('refuses a return without a receipt to a cashier until a manager approves, and requires a reason', async () => {
    till = openTill();
    const { c } = till;
    await till.as('cashier');
    const milk = (await c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!;
    const params = { lines: [{ productId: milk.id, qty: 1000 }], method: 'cash' as const, reason: 'чек утерян' };
    const need = await failure(c.call('returns.completeWithoutReceipt', params));
    expect(need.code).toBe('approval_required');
    expect((await failure(c.call('returns.completeWithoutReceipt', { ...params, reason: '  ' }))).code).toBe('validation');
    const approvalId = await till.approve('return_no_receipt', need.details.binding as string);
    const r = await c.call('returns.completeWithoutReceipt', { ...params, approvalId });
    expect(r).toMatchObject({ kind: 'return', originalId: null, total: 8990, payments: [{ method: 'cash', amount: 8990 }] });
  });
});

describe('refund arithmetic', () => {
  const line = fc
    .record({ qty: fc.integer({ min: 1, max: 50 }), unitPrice: fc.integer({ min: 1, max: 100_000 }), discountBp: fc.integer({ min: 0, max: 10_000 }) })
    .map(({ qty, unitPrice, discountBp }) => {
      const gross = qty * unitPrice;
      const amount = gross - Math.floor((gross * discountBp) / 10_000);
      return { qty: qty * 1000, gross, amount, vatAmount: Math.round((amount * 20) / 120) };
    });

  it('any sequence of partial returns refunds at most the line, and exactly the line when all of it comes back', () => {
    fc.assert(
      fc.property(line, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 60 }), (l, steps) => {
        let returned = 0;
        let amount = 0;
        let vat = 0;
        for (const s of steps) {
          const qty = s * 1000;
          if (returned + qty > l.qty) {
            expect(() => lineRefund(l, returned, qty as Qty)).toThrow();
            continue;
          }
          const r = lineRefund(l, returned, qty as Qty);
          expect(r.amount).toBeGreaterThanOrEqual(0);
          returned += qty;
          amount += r.amount;
          vat += r.vatAmount;
          expect(amount).toBeLessThanOrEqual(l.amount);
        }
        if (returned < l.qty) {
          const rest = lineRefund(l, returned, (l.qty - returned) as Qty);
          amount += rest.amount;
          vat += rest.vatAmount;
        }
        expect([amount, vat]).toEqual([l.amount, l.vatAmount]);
      }),
    );
  });

  it('splits a refund over tenders without any tender giving back more than it has left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (cash, card, share) => {
        const total = cash + card;
        const refund = Math.floor(total * share) as Minor;
        const parts = refundSplit(refund, [{ method: 'cash', amount: cash }, { method: 'card', amount: card }]);
        expect(parts.reduce((a, p) => a + p.amount, 0)).toBe(refund);
        for (const p of parts) expect(p.amount).toBeLessThanOrEqual(p.method === 'cash' ? cash : card);
      }),
    );
  });
});
