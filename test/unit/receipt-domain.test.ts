import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Discount } from '../../src-common/rpc/schemas.js';
import type { BasisPoints, Minor, Qty } from '../../src-common/units.js';
import { checkDiscount, computeReceipt, type LineInput } from '../../src-main/domain/receipt.js';
import { settleTender } from '../../src-main/domain/tender.js';
import { AppError } from '../../src-common/errors.js';

function line(i: number, price: number, qty: number, taxBp = 2200, discount: Discount | null = null): LineInput {
  return {
    id: `l${i}`,
    productId: i,
    name: `p${i}`,
    unit: qty % 1000 === 0 ? 'pcs' : 'kg',
    barcode: null,
    qty: qty as Qty,
    basePrice: price as Minor,
    price: price as Minor,
    discount,
    taxCode: `vat${taxBp}`,
    taxBp: taxBp as BasisPoints,
  };
}

const discountArb = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 1, max: 10_000 }) }),
    fc.record({ kind: fc.constant('amount' as const), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
  ),
  { nil: null },
);

const linesArb = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, 1000, 2000, 2200), discountArb),
  { minLength: 1, maxLength: 40 },
);

describe('computeReceipt', () => {
  it('prices the e2e basket exactly', () => {
    const r = computeReceipt([line(1, 8990, 1000, 1000), line(2, 15990, 1234, 1000), line(3, 4500, 6000, 2200)], { kind: 'percent', bp: 1000 });
    expect(r.subtotal).toBe(55722);
    expect(r.discountTotal).toBe(5572);
    expect(r.total).toBe(50150);
    expect(r.lines.map((l) => l.amount)).toEqual([8091, 17759, 24300]);
    expect(r.vat).toEqual([
      { code: 'vat1000', bp: 1000, amount: 736 + 1614 },
      { code: 'vat2200', bp: 2200, amount: 4382 },
    ]);
  });

  it('applies the line discount before spreading the receipt discount', () => {
    const r = computeReceipt([line(1, 10000, 1000, 2200, { kind: 'amount', amount: 5000 }), line(2, 5000, 1000)], { kind: 'amount', amount: 1000 });
    expect(r.lines.map((l) => l.discountTotal)).toEqual([5500, 500]);
    expect(r.total).toBe(9000);
  });

  it('total = Σ lines, discounts = subtotal − total, VAT = Σ line VAT, nothing negative — for any basket', () => {
    fc.assert(
      fc.property(linesArb, discountArb, (spec, receiptDiscount) => {
        const lines = spec.map(([p, q, t, d], i) => line(i, p, q, t, d));
        let r;
        try {
          r = computeReceipt(lines, receiptDiscount);
        } catch (e) {
          // Only a total beyond the largest amount we accept may be refused.
          expect(e).toBeInstanceOf(AppError);
          return;
        }
        expect(r.total).toBe(r.lines.reduce((a, l) => a + l.amount, 0));
        expect(r.subtotal - r.discountTotal).toBe(r.total);
        expect(r.vat.reduce((a, v) => a + v.amount, 0)).toBe(r.lines.reduce((a, l) => a + l.vatAmount, 0));
        for (const l of r.lines) {
          expect(Number.isInteger(l.amount)).toBe(true);
          expect(l.amount).toBeGreaterThanOrEqual(0);
          expect(l.amount).toBeLessThanOrEqual(l.gross);
          expect(l.gross - l.discountTotal).toBe(l.amount);
          expect(l.vatAmount).toBeLessThanOrEqual(l.amount);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an amount discount larger than what it applies to', () => {
    expect(() => checkDiscount(100 as Minor, { kind: 'amount', amount: 101 })).toThrow(/exceeds/);
    expect(() => checkDiscount(100 as Minor, { kind: 'amount', amount: 100 })).not.toThrow();
  });
});

describe('settleTender', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as AppError).code;
    }
    return 'ok';
  };

  it('gives change from cash only, charges card exactly', () => {
    expect(settleTender(50150 as Minor, [{ method: 'card', amount: 10000 }, { method: 'cash', amount: 100000 }])).toEqual({
      payments: [
        { method: 'card', amount: 10000, tendered: 10000, change: 0 },
        { method: 'cash', amount: 40150, tendered: 100000, change: 59850 },
      ],
      change: 59850,
    });
    expect(settleTender(500 as Minor, [{ method: 'card', amount: 500 }]).change).toBe(0);
  });

  it('completes a zero total with no payment, and refuses no payment for anything more', () => {
    expect(settleTender(0 as Minor, [])).toEqual({ payments: [], change: 0 });
    expect(code(() => settleTender(1 as Minor, []))).toBe('tender_short');
  });

  it('refuses short, excessive card, and pointless cash tenders', () => {
    expect(code(() => settleTender(1000 as Minor, [{ method: 'cash', amount: 999 }]))).toBe('tender_short');
    expect(code(() => settleTender(1000 as Minor, [{ method: 'card', amount: 1001 }]))).toBe('tender_invalid');
    expect(code(() => settleTender(1000 as Minor, [{ method: 'card', amount: 1000 }, { method: 'cash', amount: 500 }]))).toBe('tender_invalid');
  });

  it('payments always cover the total exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), (total, card, cash) => {
        const inputs = [
          ...(card > 0 ? [{ method: 'card' as const, amount: card }] : []),
          ...(cash > 0 ? [{ method: 'cash' as const, amount: cash }] : []),
        ];
        if (inputs.length === 0) return;
        let s;
        try {
          s = settleTender(total as Minor, inputs);
        } catch {
          return;
        }
        expect(s.payments.reduce((a, p) => a + p.amount, 0)).toBe(total);
        expect(s.change).toBe(cash + card - total);
        expect(s.change).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
