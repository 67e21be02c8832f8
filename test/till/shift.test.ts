import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { countFor as countIn } from '../support/drawer.js';
import { failure, openTill, type Till } from './support.js';

let till: Till;
afterEach(() => till?.close());

const FLOAT = [
  { value: 100_000, count: 2 }, // 2 × 1000 ₽
  { value: 10_000, count: 5 }, //  5 × 100 ₽
  { value: 1_000, count: 10 }, // 10 × 10 ₽
  { value: 50, count: 4 }, //      4 × 50 коп
]; // 2602 ₽

describe('shifts and cash control', () => {
  it('sells only in an open shift opened with a valid count', async () => {
    till = openTill({ demo: { products: 50, openShift: false } });
    const { c } = till;
    await till.as('cashier');
    expect((await failure(c.call('checkout.scan', { code: DEMO_BARCODES.milk }))).code).toBe('shift_not_open');
    expect((await failure(c.call('shift.open', { count: [{ value: 30_000, count: 1 }] }))).details).toMatchObject({ value: 30_000 }); // no 300 ₽ note
    expect((await failure(c.call('shift.open', { count: [{ value: 1_000, count: 1 }, { value: 1_000, count: 2 }] }))).code).toBe('count_invalid');
    expect(till.rows('shifts')).toBe(0);
    const shift = await c.call('shift.open', { count: FLOAT });
    expect(shift).toMatchObject({ number: 1, state: 'open', openingFloat: 260_200, openedBy: 'Анна Смирнова' });
    expect((await failure(c.call('shift.open', { count: FLOAT }))).code).toBe('shift_already_open');
    await expect(c.call('checkout.scan', { code: DEMO_BARCODES.milk })).resolves.toMatchObject({ total: 8990 });
  });

  it('warns before the 24-hour limit and then refuses sales until the shift is closed', async () => {
    till = openTill({ demo: { products: 50, openShift: false } });
    const { c, t } = till;
    await till.as('cashier');
    t.backend.repos.settings.set('session.autoLockMinutes', 0); // a day passes in hour steps below
    const opened = t.clock.now();
    const shift = await c.call('shift.open', { count: FLOAT });
    expect(shift.expiresAt - opened).toBe(24 * 3_600_000);
    expect(shift.expiresAt - shift.warnAt).toBe(3_600_000);
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    for (let h = 0; h < 24; h++) {
      t.clock.advance(3_600_000);
    }
    expect(await failure(c.call('checkout.scan', { code: DEMO_BARCODES.bread }))).toMatchObject({ code: 'shift_expired', details: { hours: 24 } });
    expect((await failure(c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] }))).code).toBe('shift_expired');
    // Closing still works, and a new shift sells again (the basket waited).
    await c.call('shift.close', { count: FLOAT });
    await c.call('shift.open', { count: FLOAT });
    await expect(c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] })).resolves.toMatchObject({ state: 'completed' });
  });

  it('closes with a blind count: the Z report explains every kopeck in the drawer', async () => {
    till = openTill({ demo: { products: 50, openShift: false } });
    const { c, t } = till;
    await till.as('cashier');
    await c.call('shift.open', { count: FLOAT });

    // Sale 1: milk ×2 + bread, 10 % off, cash 500 ₽ → change.
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    await c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 1000 } });
    const s1 = await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 50_000 }] });
    // Sale 2: water six-pack by card.
    await c.call('checkout.scan', { code: DEMO_BARCODES.water6 });
    const s2 = await c.call('checkout.complete', { payments: [{ method: 'card', amount: 27_000 }] });
    // A voided line and a cancelled receipt, each approved by the manager.
    const open = await c.call('checkout.scan', { code: DEMO_BARCODES.chocolate });
    const withCoffee = await c.call('checkout.scan', { code: DEMO_BARCODES.coffee });
    const voidLine = withCoffee.lines[1]!;
    const v = await failure(c.call('checkout.removeLine', { lineId: voidLine.id }));
    await c.call('checkout.removeLine', { lineId: voidLine.id, approvalId: await till.approve('void_line', v.details.binding as string) });
    const cx = await failure(c.call('checkout.cancel'));
    await c.call('checkout.cancel', { approvalId: await till.approve('cancel_receipt', cx.details.binding as string) });
    // Return one milk from sale 1 (cash), cash in 100 ₽, cash out 500 ₽ (approved).
    const ret = await c.call('returns.complete', { originalId: s1.id, lines: [{ lineId: s1.lines[0]!.id, qty: 1000 }] });
    await c.call('shift.cashIn', { amount: 10_000, reason: 'размен' });
    const out = await failure(c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация' }));
    await c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация', approvalId: await till.approve('cash_out', out.details.binding as string) });

    const expected = 260_200 + s1.total - ret.total + 10_000 - 50_000;
    const x = await c.call('reports.x');
    expect(x).toMatchObject({
      kind: 'X',
      sales: { count: 2, amount: s1.total + s2.total },
      returns: { count: 1, amount: ret.total },
      net: s1.total + s2.total - ret.total,
      payments: [
        { method: 'cash', sales: s1.total, refunds: ret.total, net: s1.total - ret.total },
        { method: 'card', sales: s2.total, refunds: 0, net: s2.total },
      ],
      averageCheck: Math.round((s1.total + s2.total) / 2),
      linesPerReceiptX100: 150, // 2 lines + 1 line over 2 receipts
      discounts: s1.discountTotal,
      voidedLines: { count: 1, amount: voidLine.gross },
      cancelledReceipts: { count: 1, amount: open.lines[0]!.amount },
      cash: { openingFloat: 260_200, sales: s1.total, refunds: ret.total, cashIn: 10_000, cashOut: 50_000, expected, counted: null, difference: null },
    });
    expect(x.cashiers).toEqual([{ name: 'Анна Смирнова', receipts: 3, sales: s1.total + s2.total, returns: ret.total }]);
    const vatTotal = x.vat.reduce((a, v) => a + v.sales - v.returns, 0);
    expect(vatTotal).toBe(x.net);
    expect(x.vat.reduce((a, v) => a + v.salesVat, 0)).toBe(s1.vat.reduce((a, v) => a + v.amount, 0) + s2.vat.reduce((a, v) => a + v.amount, 0));
    expect(x.cashMovements.map((m) => [m.kind, m.amount, m.reason, m.approvedBy])).toEqual([
      ['in', 10_000, 'размен', null],
      ['out', 50_000, 'инкассация', 'Мария Иванова'],
    ]);

    // The count comes up 10 ₽ short: the cashier is told the difference and must give a reason.
    const short = countInRub(expected - 1_000);
    expect(await failure(c.call('shift.close', { count: short }))).toMatchObject({ code: 'reason_required', details: { difference: -1_000 } });
    t.clock.advance(60_000);
    const z = await c.call('shift.close', { count: short, reason: 'сдача дана неверно' });
    expect(z).toMatchObject({
      kind: 'Z',
      closedBy: 'Анна Смирнова',
      cash: { expected, counted: expected - 1_000, difference: -1_000, reason: 'сдача дана неверно' },
    });
    expect(z.text).toContain('Z-ОТЧЁТ');
    expect(z.text).toMatch(/Расхождение\s+-10,00/);
    expect(z.text).toContain('Причина: сдача дана неверно');
    // Stored as it was printed; the shift is closed; selling stops until a new one opens.
    expect(await c.call('reports.z', { shiftId: z.shiftId })).toEqual(z);
    expect(await c.call('shift.current')).toBeNull();
    expect((await failure(c.call('checkout.scan', { code: DEMO_BARCODES.milk }))).code).toBe('shift_not_open');
    expect((await c.call('reports.shifts', {}))[0]).toMatchObject({ id: z.shiftId, difference: -1_000, net: z.net });
    const types = t.backend.repos.outbox.unacked(100).map((e) => e.type);
    expect(types.filter((ty) => ['shift.opened', 'cash.moved', 'shift.closed', 'audit.head'].includes(ty))).toEqual([
      'shift.opened',
      'cash.moved',
      'cash.moved',
      'shift.closed',
      'audit.head',
    ]);
  });
});

const RUB = [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 1_000, 500, 200, 100, 50, 10, 5, 1];
const countInRub = (amount: number) => countIn(amount, RUB);
