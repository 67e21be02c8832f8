// Pure renderer logic behind the till-operation screens: what an approval binding says, the drawer
// count, return quantities and refunds, the returns search, the idle lock. No browser needed.
import { describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../src-common/rpc/schemas.js';
import { bindingFacts } from '../../src-renderer/app/approval.js';
import { IdleClock, KEEPALIVE_MS } from '../../src-renderer/app/autolock.js';
import { bareQuantity, denominationLabel, signedMoney } from '../../src-renderer/app/format.js';
import { parseCount, summarizeCount } from '../../src-renderer/features/shift/count.js';
import { lineRefund, normalizeReturnQuery, parseReturnQty } from '../../src-renderer/features/returns/refund.js';

const RUB = { currency: 'RUB', minorDigits: 2 } as SystemInfo;
const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

describe('approval bindings', () => {
  it('reads the amount of a cash out, a cancel and a return without receipt', () => {
    expect(bindingFacts('cash_out:shift=3:amount=50000')).toMatchObject({ amount: 50000, price: null, percentBp: null });
    expect(bindingFacts('cancel_receipt:receipt=0190-ab:total=5490').amount).toBe(5490);
    expect(bindingFacts('return_no_receipt:items=3x1000,7x2000:total=26480:method=cash')).toMatchObject({ amount: 26480, method: 'cash' });
  });

  it('reads a new price, a percent discount, a reduced quantity and the line', () => {
    expect(bindingFacts('price_override:receipt=r1:line=l1:price=5000')).toMatchObject({ price: 5000, amount: null, lineId: 'l1' });
    expect(bindingFacts('discount_over_limit:receipt=r1:percent=1500')).toMatchObject({ percentBp: 1500, amount: null });
    expect(bindingFacts('discount_over_limit:receipt=r1:line=l2:amount=700')).toMatchObject({ amount: 700, lineId: 'l2' });
    expect(bindingFacts('void_line:receipt=r1:line=l3:qty=3000->1000')).toMatchObject({ qty: { from: 3000, to: 1000 }, lineId: 'l3', amount: null });
  });

  it('has nothing to show for a binding without figures', () => {
    expect(bindingFacts('no_sale:shift=4')).toEqual({ amount: null, price: null, percentBp: null, qty: null, lineId: null, method: null });
    expect(bindingFacts('void_line:receipt=r1:line=l3').qty).toBeNull();
  });
});

describe('drawer count', () => {
  it('blank is none, whole numbers count, anything else is invalid', () => {
    expect(parseCount('')).toBe(0);
    expect(parseCount(' 12 ')).toBe(12);
    for (const bad of ['1,5', '-1', 'x', '1e3', '100001']) expect(parseCount(bad)).toBeNull();
  });

  it('sums exactly in kopecks and sends only the rows with a count', () => {
    const denominations = [100_000, 10_000, 1_000, 50, 10, 1];
    const s = summarizeCount(denominations, { 100000: '2', 10000: '', 1000: '3', 50: '1', 10: '4', 1: '0' });
    expect(s.total).toBe(200_000 + 3_000 + 50 + 40);
    expect(s.count).toEqual([
      { value: 100_000, count: 2 },
      { value: 1_000, count: 3 },
      { value: 50, count: 1 },
      { value: 10, count: 4 },
    ]);
    expect(s.invalid).toEqual([]);
    expect(summarizeCount(denominations, { 50: 'x' }).invalid).toEqual([50]);
  });

  it('labels notes without kopecks and coins below a rouble with them', () => {
    expect(squash(denominationLabel(500_000, RUB, 'ru'))).toBe('5 000 ₽');
    expect(squash(denominationLabel(50, RUB, 'ru'))).toBe('0,50 ₽');
  });
});

describe('amounts and quantities in messages', () => {
  it('a difference carries its sign', () => {
    expect(squash(signedMoney(-1000, RUB, 'ru'))).toBe('−10,00 ₽');
    expect(squash(signedMoney(250, RUB, 'ru'))).toBe('+2,50 ₽');
    expect(squash(signedMoney(0, RUB, 'ru'))).toBe('0,00 ₽');
  });

  it('a quantity with no unit: whole numbers bare, else three decimals', () => {
    expect(bareQuantity(2000, 'ru')).toBe('2');
    expect(bareQuantity(1234, 'ru')).toBe('1,234');
  });
});

describe('returns', () => {
  it('refunds shares of the line amount that add up to the line, never a kopeck more', () => {
    // 3 pieces sold for 100.00 after a discount: 33.33 + 33.34 + 33.33 in any order of returns.
    const line = { sold: 3000, returned: 0, amount: 10_000 };
    const first = lineRefund(line, 1000);
    const second = lineRefund({ ...line, returned: 1000 }, 1000);
    const third = lineRefund({ ...line, returned: 2000 }, 1000);
    expect([first, second, third]).toEqual([3333, 3334, 3333]);
    expect(first + second + third).toBe(10_000);
    expect(lineRefund(line, 3000)).toBe(10_000);
    expect(lineRefund(line, 0)).toBe(0);
  });

  it('quantities: pieces whole, kilograms to the gram, blank is none', () => {
    expect(parseReturnQty('', 'pcs')).toBe(0);
    expect(parseReturnQty('2', 'pcs')).toBe(2000);
    expect(parseReturnQty('1,5', 'pcs')).toBeNull();
    expect(parseReturnQty('0,250', 'kg')).toBe(250);
    expect(parseReturnQty('0.2505', 'kg')).toBeNull();
    expect(parseReturnQty('abc', 'kg')).toBeNull();
  });

  it('a day typed the Russian way becomes YYYY-MM-DD; numbers and codes pass through', () => {
    expect(normalizeReturnQuery('31.12.2025')).toBe('2025-12-31');
    expect(normalizeReturnQuery('1.2.25')).toBe('2025-02-01');
    expect(normalizeReturnQuery(' 2025-12-31 ')).toBe('2025-12-31');
    expect(normalizeReturnQuery('42')).toBe('42');
    expect(normalizeReturnQuery('RC0123')).toBe('RC0123');
  });
});

describe('idle lock', () => {
  it('locks after the idle time with no activity, and activity postpones it', () => {
    const c = new IdleClock(10 * 60_000, 0);
    expect(c.due(9 * 60_000)).toBeNull();
    c.touch(9 * 60_000);
    expect(c.due(18 * 60_000)).not.toBe('lock');
    expect(c.due(19 * 60_000)).toBe('lock');
  });

  it('keeps the backend session alive while the cashier is busy, at most once a minute', () => {
    const c = new IdleClock(10 * 60_000, 0);
    expect(c.due(KEEPALIVE_MS)).toBeNull();
    c.touch(1_000);
    expect(c.due(KEEPALIVE_MS - 1)).toBeNull();
    expect(c.due(KEEPALIVE_MS)).toBe('keepalive');
    c.touch(KEEPALIVE_MS + 1);
    expect(c.due(KEEPALIVE_MS + 2)).toBeNull();
    expect(c.due(2 * KEEPALIVE_MS)).toBe('keepalive');
  });

  it('never locks when the setting is 0', () => {
    expect(new IdleClock(0, 0).due(24 * 3_600_000)).toBeNull();
  });
});
