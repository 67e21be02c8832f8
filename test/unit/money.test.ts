import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, divRound, extend, formatMoney, includedVat, parseMoney, parseQty, percentOf } from '../../src-common/money.js';
import type { BasisPoints, Minor, Qty } from '../../src-common/units.js';
import { MAX_MINOR } from '../../src-common/units.js';

const m = (n: number): Minor => n as Minor;

describe('rounding', () => {
  it('rounds half up, half even and down exactly, for negatives too', () => {
    expect(divRound(5n, 2n, 'halfUp')).toBe(3n);
    expect(divRound(-5n, 2n, 'halfUp')).toBe(-3n);
    expect(divRound(5n, 2n, 'halfEven')).toBe(2n);
    expect(divRound(7n, 2n, 'halfEven')).toBe(4n);
    expect(divRound(9n, 10n, 'down')).toBe(0n);
    expect(divRound(149n, 100n, 'halfUp')).toBe(1n);
    expect(divRound(150n, 100n, 'halfUp')).toBe(2n);
  });

  it('extends price by quantity to the kopeck without float error', () => {
    expect(extend(m(15990), 1234 as Qty)).toBe(19732); // 197.3166 → 197.32
    expect(extend(m(3333), 500 as Qty)).toBe(1667); // 16.665 → 16.67 (half up)
    expect(extend(m(10), 1 as Qty)).toBe(0); // 0.01 kopeck
    expect(extend(m(MAX_MINOR), 99_999_999 as Qty)).toBe(Number((BigInt(MAX_MINOR) * 99_999_999n + 500n) / 1000n));
    // The float way gets this one wrong: 1.005 * 100 = 100.49999…
    expect(extend(m(1005), 500 as Qty)).toBe(503);
  });

  it('takes a percentage in basis points', () => {
    expect(percentOf(m(55722), 1000 as BasisPoints)).toBe(5572);
    expect(percentOf(m(5), 1000 as BasisPoints)).toBe(1); // 0.5 → 1
  });
});

describe('VAT included in a price', () => {
  it('matches the registrar formula amount × rate / (100 + rate)', () => {
    expect(includedVat(m(12000), 2000 as BasisPoints)).toBe(2000);
    expect(includedVat(m(12200), 2200 as BasisPoints)).toBe(2200);
    expect(includedVat(m(11000), 1000 as BasisPoints)).toBe(1000);
    expect(includedVat(m(8990), 1000 as BasisPoints)).toBe(817); // 817.27…
    expect(includedVat(m(8990), 0 as BasisPoints)).toBe(0);
  });

  it('is never more than the amount and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MINOR }), fc.integer({ min: 0, max: 10_000 }), (a, r) => {
        const v = includedVat(m(a), r as BasisPoints);
        return v >= 0 && v <= a;
      }),
    );
  });
});

describe('allocate', () => {
  it('splits with the largest remainder and ties to the earlier line', () => {
    expect(allocate(m(100), [m(1), m(1), m(1)])).toEqual([34, 33, 33]);
    expect(allocate(m(5572), [m(8990), m(19732), m(27000)])).toEqual([899, 1973, 2700]);
    expect(allocate(m(0), [m(5), m(7)])).toEqual([0, 0]);
    expect(allocate(m(10), [m(0), m(10)])).toEqual([0, 10]);
  });

  it('refuses to allocate money over nothing', () => {
    expect(() => allocate(m(1), [])).toThrow();
    expect(() => allocate(m(1), [m(0), m(0)])).toThrow();
  });

  it('always sums to the total and never gives a part more than its weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 60 }).filter((ws) => ws.some((w) => w > 0)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ws, share) => {
          const sum = ws.reduce((a, b) => a + b, 0);
          const total = Math.floor(sum * share);
          const parts = allocate(m(total), ws as Minor[]);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(ws[i]!);
          });
        },
      ),
    );
  });

  it('is proportional within one kopeck', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 1_000_000 }), (ws, t) => {
        const sum = ws.reduce((a, b) => a + b, 0);
        const total = Math.min(t, sum);
        allocate(m(total), ws as Minor[]).forEach((p, i) => {
          expect(Math.abs(p - (total * ws[i]!) / sum)).toBeLessThan(1);
        });
      }),
    );
  });
});

describe('formatting and parsing', () => {
  const rub = { currency: 'RUB', locale: 'ru-RU', minorDigits: 2 };
  it('formats kopecks by locale without going through floats', () => {
    expect(formatMoney(m(123456), rub).replace(/\s/g, ' ')).toBe('1 234,56 ₽');
    expect(formatMoney(m(5), rub, false)).toBe('0,05');
    expect(formatMoney(m(-5), rub, false)).toBe('-0,05');
    expect(formatMoney(m(123456), { currency: 'RUB', locale: 'en-US', minorDigits: 2 }).replace(/\s/g, ' ')).toBe('RUB 1,234.56');
    expect(formatMoney(m(MAX_MINOR), rub, false).replace(/\s/g, ' ')).toBe('99 999 999,99');
  });

  it('parses what a cashier types', () => {
    expect(parseMoney('1 234,5')).toBe(123450);
    expect(parseMoney('1000')).toBe(100000);
    expect(parseMoney('0.05')).toBe(5);
    expect(parseMoney('12,345')).toBeNull();
    expect(parseMoney('-1')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(parseQty('1,234')).toBe(1234);
    expect(parseQty('2')).toBe(2000);
    expect(parseQty('0,5')).toBe(500);
    expect(parseQty('1.2345')).toBeNull();
  });

  it('round-trips every amount through format and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MINOR }), (a) => {
        expect(parseMoney(formatMoney(m(a), rub, false))).toBe(a);
      }),
    );
  });
});
