import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { receiptText } from '../../src-main/domain/receipt-text.js';
import { receiptLayout } from '../../src-main/app/receipt-view.js';
import { DEFAULT_PROGRAMME } from '../../src-common/loyalty.js';
import { giftId } from '../../src-main/app/loyalty.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

function till(): Till {
  const x = openTill();
  tills.push(x);
  return x;
}

function outbox(x: Till, channel = 'loyalty'): { type: string; payload: Record<string, unknown> }[] {
  return (x.t.backend.db.prepare('SELECT type, payload FROM outbox WHERE channel = ? ORDER BY channel_seq').all(channel) as { type: string; payload: string }[]).map((r) => ({
    type: r.type,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}

describe('loyalty at the till', () => {
  it('earns on what was paid, prints points on the receipt, then spends points and the birthday coupon on the next sale', async () => {
    const x = till();
    await x.as('cashier');
    // The clock stands at 22 November 2026: a 24 November birthday is inside the coupon's window.
    const anna = await x.c.call('customers.signUp', { phone: '+7 916 123-45-67', name: 'Ольга', birthday: '1990-11-24', consents: { loyalty: true, service: true } });
    expect((await x.c.call('customers.get', { id: anna.id })).points).toBe(DEFAULT_PROGRAMME.welcomePoints);

    // The card scanned at the till puts the customer on the basket (a virtual card in range 29 is not a price label).
    const attached = await x.c.call('checkout.scan', { code: anna.cardNo! });
    expect(attached.loyalty).toMatchObject({ customerId: anna.id, balance: 100, online: false, pointsSpent: 0 });
    for (let i = 0; i < 5; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const first = await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 50_000 }] });
    // 5 × 89,90 = 449,50 paid; 3 % of it is 13,48 ₽: 13 whole points.
    expect(first.total).toBe(44_950);
    expect(first.loyalty).toMatchObject({ customerId: anna.id, pointsEarned: 13, pointsSpent: 0, balance: 113 });
    const text = receiptText(first, receiptLayout(x.t.backend.repos.settings));
    expect(text).toMatch(/Начислено баллов\s+13/);
    expect(text).toMatch(/Баланс баллов\s+113/);
    // Only the pseudonymous id leaves the till with the sale: no name, phone or card.
    const sold = outbox(x, 'sales').at(-1)!;
    expect(JSON.stringify(sold.payload)).not.toMatch(/Ольга|79161234567|cardNo/);

    // Next sale: the birthday coupon (10 %) and every point the customer has.
    const card = await x.c.call('customers.get', { id: anna.id });
    expect(card.coupons).toHaveLength(1);
    await x.c.call('checkout.setCustomer', { customerId: anna.id });
    for (let i = 0; i < 10; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const withCoupon = await x.c.call('checkout.applyCoupon', { code: card.coupons[0]!.code.toLowerCase() });
    expect(withCoupon.loyalty?.coupon).toEqual({ code: card.coupons[0]!.code, amount: 8_990, problem: null });
    expect(await failure(x.c.call('checkout.redeemPoints', { points: 114 }))).toMatchObject({ code: 'points_unavailable', details: { max: 113, reason: 'balance' } });
    const redeemed = await x.c.call('checkout.redeemPoints', { points: 113 });
    // 899,00 − 89,90 (coupon) − 113,00 (points) = 696,10, spread over the lines: the total is still their sum.
    expect(redeemed.total).toBe(69_610);
    expect(redeemed.lines.reduce((n, l) => n + l.amount, 0)).toBe(69_610);
    const second = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 69_610 }] });
    expect(second.loyalty).toMatchObject({ pointsSpent: 113, pointsValue: 11_300, pointsEarned: 20, balance: 20, coupon: { problem: null } });
    expect(receiptText(second, receiptLayout(x.t.backend.repos.settings))).toMatch(/Списано баллов\s+113 \(-113,00/);

    // The coupon is spent; the ledger says what happened, entry by entry, and goes to the head office in order.
    expect((await x.c.call('customers.get', { id: anna.id })).coupons).toEqual([]);
    const events = outbox(x);
    expect(events.map((e) => e.type)).toEqual(['customer.signed_up', 'loyalty.entries', 'loyalty.entries', 'coupon.used', 'loyalty.entries']);
    const entries = events.filter((e) => e.type === 'loyalty.entries').flatMap((e) => e.payload.entries as { kind: string; points: number; n: number; offline: boolean }[]);
    expect(entries.map((e) => [e.kind, e.points, e.offline])).toEqual([
      ['earn', 100, false],
      ['earn', 13, false],
      ['burn', -113, true],
      ['earn', 20, false],
    ]);
    expect(entries.map((e) => e.n)).toEqual([1, 2, 3, 4]);
    expect(() => x.t.backend.db.prepare('UPDATE loyalty_ledger SET points = 0').run()).toThrow(/never changed/);
    expect(() => x.t.backend.db.prepare('DELETE FROM loyalty_ledger').run()).toThrow(/never deleted/);
  });

  it('without the head office, one customer spends at most the owner’s cap a day; a limit that changes before payment is said, not charged', async () => {
    const x = till();
    await x.as('manager');
    await x.c.call('loyalty.saveProgramme', { programme: { ...DEFAULT_PROGRAMME, welcomePoints: 1_000, offlineBurnCapPerDay: 300 } });
    const ivan = await x.c.call('customers.signUp', { cardNo: '7700123456', consents: { loyalty: true } });
    await x.as('cashier');
    await x.c.call('checkout.setCustomer', { customerId: ivan.id });
    for (let i = 0; i < 20; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('checkout.redeemPoints', { points: 301 }))).toMatchObject({ code: 'points_unavailable', details: { max: 300, reason: 'offline_cap' } });
    await x.c.call('checkout.redeemPoints', { points: 200 });
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 179_800 - 20_000 }] });
    await x.c.call('checkout.setCustomer', { customerId: ivan.id });
    for (let i = 0; i < 20; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('checkout.redeemPoints', { points: 101 }))).toMatchObject({ code: 'points_unavailable', details: { max: 100, reason: 'offline_cap' } });
    const v = await x.c.call('checkout.redeemPoints', { points: 100 });
    expect(v.loyalty).toMatchObject({ pointsSpent: 100, limit: 'offline_cap', online: false });
    // Meanwhile the points are spent elsewhere (an adjustment here stands in for it): completing says so, with the new total.
    await x.as('manager');
    await x.c.call('customers.adjustPoints', { id: ivan.id, points: -(1_000 + 47 - 200 - 60), reason: 'test' });
    await x.as('cashier');
    expect(await failure(x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 179_800 - 10_000 }] }))).toMatchObject({ code: 'points_unavailable', details: { max: 60 } });
    const now = await x.c.call('checkout.current');
    expect(now?.loyalty).toMatchObject({ pointsAsked: 100, pointsSpent: 60, balance: 60 });
    // Tomorrow the cap starts again.
    x.t.clock.advance(24 * 3_600_000);
    await x.as('cashier');
    const tomorrow = await x.c.call('checkout.current');
    expect(tomorrow?.loyalty).toMatchObject({ redeemable: 60, limit: 'balance' });
  });

  it('coupons and promo codes: limits, validity, once per customer; refused with the reason', async () => {
    const x = till();
    await x.as('manager');
    await x.c.call('loyalty.saveCoupon', { code: 'autumn10', value: { kind: 'percent', bp: 1_000 }, maxUses: 1, oncePerCustomer: false, validFrom: null, validTo: '2026-11-30', minTotal: 10_000, active: true });
    await x.c.call('loyalty.saveCoupon', { code: 'LATE', value: { kind: 'amount', amount: 5_000 }, maxUses: null, oncePerCustomer: false, validFrom: null, validTo: '2026-11-01', minTotal: 0, active: true });
    expect(await failure(x.c.call('loyalty.saveCoupon', { code: 'BAD', value: { kind: 'amount', amount: 1 }, maxUses: null, oncePerCustomer: false, validFrom: '2026-12-01', validTo: '2026-11-01', minTotal: 0, active: true }))).toMatchObject({ code: 'validation' });
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('checkout.applyCoupon', { code: 'AUTUMN10' }))).toMatchObject({ code: 'coupon_invalid', details: { reason: 'below_minimum' } });
    expect(await failure(x.c.call('checkout.applyCoupon', { code: 'LATE' }))).toMatchObject({ code: 'coupon_invalid', details: { reason: 'expired' } });
    expect(await failure(x.c.call('checkout.applyCoupon', { code: 'NOPE' }))).toMatchObject({ code: 'coupon_invalid', details: { reason: 'unknown' } });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const v = await x.c.call('checkout.applyCoupon', { code: 'AUTUMN10' });
    expect(v.total).toBe(17_980 - 1_798);
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: v.total }] });
    for (let i = 0; i < 2; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('checkout.applyCoupon', { code: 'AUTUMN10' }))).toMatchObject({ code: 'coupon_invalid', details: { reason: 'used_up' } });
    expect(outbox(x).map((e) => e.type)).toEqual(['coupon.used']);
  });

  it('a category the owner excludes earns nothing; tiers by spend give their rate and discount', async () => {
    const x = till();
    await x.as('manager');
    const milkCategory = x.t.backend.db.prepare('SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id JOIN barcodes b ON b.product_id = p.id WHERE b.code = ?').pluck().get(DEMO_BARCODES.milk) as string;
    await x.c.call('loyalty.saveProgramme', {
      programme: { ...DEFAULT_PROGRAMME, excludedCategories: [milkCategory.toUpperCase()], tiers: [{ name: 'Серебро', minSpend: 100_000, earnBp: 500, discountBp: 500 }] },
    });
    const c = await x.c.call('customers.signUp', { cardNo: '7700999999', consents: { loyalty: true } });
    await x.as('cashier');
    await x.c.call('checkout.setCustomer', { customerId: c.id });
    for (let i = 0; i < 12; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const milkOnly = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 107_880 }] });
    expect(milkOnly.loyalty).toMatchObject({ pointsEarned: 0, tier: null, tierDiscount: 0 });
    // Spend is now 1 078,80 ₽: silver — 5 % off, and 5 % earned on what is not excluded.
    await x.c.call('checkout.setCustomer', { customerId: c.id });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.coffee });
    const cur = (await x.c.call('checkout.current'))!;
    expect(cur.loyalty).toMatchObject({ tier: 'Серебро' });
    const gross = cur.subtotal;
    expect(cur.loyalty!.tierDiscount).toBe(Math.round(gross * 0.05));
    const done = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: cur.total }] });
    expect(done.loyalty!.pointsEarned).toBe(Math.floor((done.total * 0.05) / 100));
  });

  it('a referral rewards the one who brought the customer; birthday points come once a year, on the first purchase in the window', async () => {
    const x = till();
    await x.as('manager');
    await x.c.call('loyalty.saveProgramme', { programme: { ...DEFAULT_PROGRAMME, welcomePoints: 0, referralPoints: 200, birthday: { ...DEFAULT_PROGRAMME.birthday, points: 300, coupon: null } } });
    const friend = await x.c.call('customers.signUp', { phone: '+79167770000', consents: { loyalty: true } });
    expect(await failure(x.c.call('customers.signUp', { phone: '+79167770001', referrer: '+79990000000', consents: { loyalty: true } }))).toMatchObject({
      code: 'customer_invalid',
      details: { field: 'referrer', reason: 'unknown' },
    });
    const newcomer = await x.c.call('customers.signUp', { phone: '+79167770001', birthday: '2000-11-20', referrer: '8 916 777-00-00', consents: { loyalty: true } });
    expect((await x.c.call('customers.get', { id: friend.id })).points).toBe(200);
    expect((await x.c.call('customers.get', { id: newcomer.id })).points).toBe(0);
    // 20 November, two days ago: inside the window (7 days after). Two purchases, one birthday gift.
    const first = await (async () => {
      await x.c.call('checkout.setCustomer', { customerId: newcomer.id });
      await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      return x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    })();
    expect(first.loyalty).toMatchObject({ pointsEarned: 2 + 300, balance: 302 });
    await x.c.call('checkout.setCustomer', { customerId: newcomer.id });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const second = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    expect(second.loyalty).toMatchObject({ pointsEarned: 2, balance: 304 });
    // The coupon is off in this programme: nothing to apply.
    expect((await x.c.call('customers.get', { id: newcomer.id })).coupons).toEqual([]);
    // The gift has the same entry id on every till (the head office counts it once).
    const gift = x.t.backend.db.prepare(`SELECT id FROM loyalty_ledger WHERE reason = 'birthday-2026'`).pluck().get() as string;
    expect(gift).toBe(giftId(newcomer.id, 'birthday-2026'));
    expect(gift).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Returning the first purchase takes back what it earned, not the birthday gift.
    await x.c.call('returns.complete', { originalId: first.id, lines: [{ lineId: first.lines[0]!.id, qty: 1_000 }], reason: 'брак' });
    expect((await x.c.call('customers.get', { id: newcomer.id })).points).toBe(302);
  });

  it('a card number that reads as a product or a weighed-goods label is refused; a store restored from a backup numbers its entries after the head office’s', async () => {
    const x = till();
    await x.as('cashier');
    expect(await failure(x.c.call('customers.signUp', { cardNo: DEMO_BARCODES.milk, consents: { loyalty: true } }))).toMatchObject({ code: 'customer_invalid', details: { reason: 'product_code' } });
    expect(await failure(x.c.call('customers.signUp', { cardNo: '2900001123457', consents: { loyalty: true } }))).toMatchObject({ code: 'customer_invalid', details: { reason: 'product_code' } });
    x.t.backend.db.transaction(() => x.t.backend.repos.loyalty.numberAfter(50))();
    await x.c.call('customers.signUp', { phone: '+79160001111', consents: { loyalty: true } });
    expect(x.t.backend.db.prepare('SELECT MAX(n) FROM loyalty_ledger').pluck().get()).toBe(51);
  });

  it('a return takes back the points the sale earned and gives back those it spent, in the share returned, never a point too many', async () => {
    const x = till();
    await x.as('manager');
    await x.c.call('loyalty.saveProgramme', { programme: { ...DEFAULT_PROGRAMME, welcomePoints: 500 } });
    const c = await x.c.call('customers.signUp', { cardNo: '7700555555', consents: { loyalty: true } });
    await x.c.call('checkout.setCustomer', { customerId: c.id });
    for (let i = 0; i < 3; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.redeemPoints', { points: 100 });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 26_970 - 10_000 }] });
    // 169,70 paid: 5 points earned; balance 500 − 100 + 5.
    expect(sale.loyalty).toMatchObject({ pointsSpent: 100, pointsEarned: 5, balance: 405 });
    const line = sale.lines[0]!;
    for (let i = 0; i < 3; i++) await x.c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: line.id, qty: 1_000 }], reason: 'брак' });
    // All of it back in three returns: exactly the 5 earned taken back and the 100 spent given back.
    const card = await x.c.call('customers.get', { id: c.id });
    expect(card.points).toBe(500);
    expect(card.spend).toBe(0);
    const back = card.history.filter((h) => h.reason.startsWith('return-'));
    expect(back.filter((h) => h.reason === 'return-earned').reduce((n, h) => n + h.points, 0)).toBe(-5);
    expect(back.filter((h) => h.reason === 'return-spent').reduce((n, h) => n + h.points, 0)).toBe(100);
  });

  it('a return takes back only what the returned goods earned (excluded categories earn nothing); a receipt paid wholly in points gives them back', async () => {
    const x = till();
    await x.as('manager');
    const milkCategory = x.t.backend.db.prepare('SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id JOIN barcodes b ON b.product_id = p.id WHERE b.code = ?').pluck().get(DEMO_BARCODES.milk) as string;
    await x.c.call('loyalty.saveProgramme', { programme: { ...DEFAULT_PROGRAMME, welcomePoints: 5_000, redeemMaxBp: 10_000, excludedCategories: [milkCategory] } });
    const c = await x.c.call('customers.signUp', { cardNo: '7700666666', consents: { loyalty: true } });
    await x.c.call('checkout.setCustomer', { customerId: c.id });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.coffee });
    for (let i = 0; i < 20; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const v = (await x.c.call('checkout.current'))!;
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: v.total }] });
    const coffee = sale.lines.find((l) => l.barcode === DEMO_BARCODES.coffee)!;
    // Only the coffee earned: 3 % of 479,00 = 14 points.
    expect(sale.loyalty!.pointsEarned).toBe(14);
    await x.c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: coffee.id, qty: 1_000 }], reason: 'брак' });
    expect((await x.c.call('customers.get', { id: c.id })).points).toBe(5_000);

    // Paid wholly in points (water at 45,00 = 45 points, up to 100 % of the receipt): returned, they come back.
    await x.c.call('checkout.setCustomer', { customerId: c.id });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.water });
    expect((await x.c.call('checkout.redeemPoints', { points: 45 })).total).toBe(0);
    const paid = await x.c.call('checkout.complete', { payments: [] });
    expect(paid.loyalty).toMatchObject({ pointsSpent: 45, pointsEarned: 0, balance: 5_000 - 45 });
    await x.c.call('returns.complete', { originalId: paid.id, lines: [{ lineId: paid.lines[0]!.id, qty: 1_000 }], reason: 'брак' });
    expect((await x.c.call('customers.get', { id: c.id })).points).toBe(5_000);
  });

  it('erasing a customer removes their personal data here at once; receipts and totals stay, with only the id', async () => {
    const x = till();
    await x.as('cashier');
    const anna = await x.c.call('customers.signUp', { phone: '+79161234567', name: 'Анна', birthday: '1990-05-17', consents: { loyalty: true, service: true } });
    await x.c.call('checkout.setCustomer', { customerId: anna.id });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    expect(await failure(x.c.call('customers.erase', { id: anna.id }))).toMatchObject({ code: 'forbidden' });
    await x.as('manager');
    const exported = JSON.parse((await x.c.call('customers.export', { id: anna.id })).json) as { customer: { phone: string }; receipts: unknown[]; ledger: unknown[] };
    expect(exported.customer.phone).toBe('+79161234567');
    expect(exported.receipts).toHaveLength(1);
    expect(exported.ledger).toHaveLength(2);
    await x.c.call('customers.erase', { id: anna.id });
    const db = x.t.backend.db;
    expect(db.prepare('SELECT card_no, phone, name, name_key, birthday FROM customers WHERE id = ?').get(anna.id)).toEqual({ card_no: null, phone: null, name: null, name_key: null, birthday: null });
    expect(db.prepare('SELECT COUNT(*) FROM customer_consents WHERE customer_id = ?').pluck().get(anna.id)).toBe(0);
    expect(await x.c.call('customers.find', { text: '+79161234567' })).toEqual([]);
    expect(await failure(x.c.call('checkout.setCustomer', { customerId: anna.id }))).toMatchObject({ code: 'customer_erased' });
    const kept = await x.c.call('receipts.get', { id: sale.id });
    expect(kept).toMatchObject({ total: 8_990, loyalty: { customerId: anna.id } });
    expect(outbox(x).at(-1)).toMatchObject({ type: 'customer.erased', payload: { customerId: anna.id } });
  });
});
