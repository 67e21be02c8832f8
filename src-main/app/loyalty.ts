import { createHash } from 'node:crypto';
import { businessDay } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import {
  birthdayCouponCode,
  birthdayYear,
  couponAmount,
  pointsEarned,
  pointsWorth,
  redeemable,
  tierFor,
  type CouponValue,
  type Programme,
} from '../../src-common/loyalty.js';
import { percentOf } from '../../src-common/money.js';
import type { Discount, ReceiptLoyalty } from '../../src-common/rpc/schemas.js';
import { LOYALTY_EVENTS, type CustomerBalanceResponse, type LedgerEntry } from '../../src-common/sync/loyalty.js';
import type { BasisPoints, EpochMs, Minor } from '../../src-common/units.js';
import type { ReceiptHeader } from '../db/repos/receipts.js';
import type { NewEntry } from '../db/repos/loyalty.js';
import { computeReceipt, takeOff, type ComputedReceipt, type LineInput } from '../domain/receipt.js';
import { queueUpstream } from '../sync/upstream.js';
import type { HandlerCtx, Repos } from './context.js';
import type { Db } from '../db/open.js';
import { smsRepo } from '../db/repos/sms.js';

type CouponProblem = NonNullable<ReceiptLoyalty['coupon']>['problem'];

export function programme(ctx: HandlerCtx): Programme {
  return ctx.repos.settings.get('loyalty.programme');
}

export function today(ctx: HandlerCtx): string {
  return businessDay(ctx.clock.now(), ctx.repos.settings.get('timeZone'));
}

/** The head office answered for this customer recently enough that spending is not capped. */
export function isOnline(p: Programme, confirmedAt: number | null, now: number): boolean {
  return confirmedAt !== null && now - confirmedAt <= p.confirmFreshSeconds * 1000;
}

/** A coupon's value for this receipt, or why it gives nothing. */
function couponFor(
  ctx: HandlerCtx,
  code: string,
  customerId: string | null,
  total: Minor,
  birthday: { code: string; value: CouponValue } | null,
  usedCoupons: readonly string[],
): { value: CouponValue | null; problem: CouponProblem } {
  if (birthday && code === birthday.code) {
    const used = usedCoupons.includes(code) || ctx.repos.loyalty.couponUses(code) > 0;
    return used ? { value: null, problem: 'used_by_customer' } : { value: birthday.value, problem: null };
  }
  if (code.startsWith('BDAY-')) return { value: null, problem: customerId ? 'expired' : 'needs_customer' };
  const c = ctx.repos.loyalty.coupon(code);
  if (!c) return { value: null, problem: 'unknown' };
  if (!c.active) return { value: null, problem: 'inactive' };
  const day = today(ctx);
  if (c.validFrom !== null && day < c.validFrom) return { value: null, problem: 'not_yet' };
  if (c.validTo !== null && day > c.validTo) return { value: null, problem: 'expired' };
  if (c.maxUses !== null && ctx.repos.loyalty.chainUses(code, c.usedElsewhere) >= c.maxUses) return { value: null, problem: 'used_up' };
  if (c.oncePerCustomer) {
    if (!customerId) return { value: null, problem: 'needs_customer' };
    if (usedCoupons.includes(code) || ctx.repos.loyalty.couponUses(code, customerId) > 0) return { value: null, problem: 'used_by_customer' };
  }
  if (total < c.minTotal) return { value: null, problem: 'below_minimum' };
  return { value: c.value, problem: null };
}

/** This customer's birthday coupon when today is in its window (the same code on every till). */
export function birthdayCoupon(ctx: HandlerCtx, p: Programme, customerId: string, birthday: string | null): { code: string; value: CouponValue } | null {
  if (!p.enabled || !p.birthday.coupon) return null;
  const year = birthdayYear(p, birthday, today(ctx));
  return year === null ? null : { code: birthdayCouponCode(customerId, year), value: p.birthday.coupon };
}

export interface PricedBasket {
  computed: ComputedReceipt;
  loyalty: ReceiptLoyalty | null;
}

/**
 * Price a basket: the cashier's lines and discounts, then, with a customer or a coupon on it, the
 * tier's discount, the coupon and the points spent, in that order, each on what is left to pay.
 * Points asked for beyond what can be spent now are cut to the limit (the view says which).
 */
export function priceBasket(ctx: HandlerCtx, header: ReceiptHeader, lines: readonly LineInput[], discount: Discount | null): PricedBasket {
  const base = computeReceipt(lines, discount);
  if (header.customerId === null && header.couponCode === null) return { computed: base, loyalty: null };
  const p = programme(ctx);
  const now = ctx.clock.now();
  const customer = header.customerId === null ? null : ctx.repos.customers.byId(header.customerId);
  const points = customer ? ctx.repos.loyalty.points(customer.id) : null;
  const tier = points && p.enabled ? tierFor(p, points.spend) : null;
  const tierDiscount = tier ? percentOf(base.total, tier.discountBp as BasisPoints) : (0 as Minor);
  let couponView: ReceiptLoyalty['coupon'] = null;
  let couponMinor = 0 as Minor;
  if (header.couponCode !== null) {
    const bday = customer ? birthdayCoupon(ctx, p, customer.id, customer.birthday) : null;
    const c = couponFor(ctx, header.couponCode, customer?.id ?? null, base.total, bday, points?.usedCoupons ?? []);
    couponMinor = c.value ? couponAmount(c.value, (base.total - tierDiscount) as Minor) : (0 as Minor);
    couponView = { code: header.couponCode, amount: couponMinor, problem: c.problem };
  }
  const payable = (base.total - tierDiscount - couponMinor) as Minor;
  const online = points !== null && isOnline(p, points.confirmedAt, now);
  const limit = points
    ? redeemable(p, { balance: points.points, payable, online, offlineSpentToday: online ? 0 : ctx.repos.loyalty.offlineSpent(customer!.id, today(ctx)) })
    : { max: 0, limit: null };
  const spent = Math.min(header.pointsAsked, limit.max);
  const computed = takeOff(base, [tierDiscount, couponMinor, pointsWorth(p, spent)]);
  if (!customer || !points) {
    return { computed, loyalty: null === customer ? couponOnly(couponView) : null };
  }
  const earned = pointsEarned(p, tier, categorised(ctx, computed));
  return {
    computed,
    loyalty: {
      customerId: customer.id,
      tier: tier?.name ?? null,
      tierDiscount,
      coupon: couponView,
      pointsAsked: header.pointsAsked,
      pointsSpent: spent,
      pointsValue: pointsWorth(p, spent),
      pointsEarned: earned,
      bonusPoints: 0,
      balance: points.points,
      redeemable: limit.max,
      limit: limit.limit,
      online,
    },
  };
}

/** A promo code on a basket with no customer: the view still says what it gave. */
function couponOnly(coupon: ReceiptLoyalty['coupon']): ReceiptLoyalty | null {
  if (!coupon) return null;
  return { customerId: '', tier: null, tierDiscount: 0 as Minor, coupon, pointsAsked: 0, pointsSpent: 0, pointsValue: 0 as Minor, pointsEarned: 0, bonusPoints: 0, balance: 0, redeemable: 0, limit: null, online: false };
}

/** The receipt's line amounts with their products' categories (only read when some category earns nothing). */
function categorised(ctx: HandlerCtx, r: ComputedReceipt): { amount: number; category: string | null }[] {
  const excluded = programme(ctx).excludedCategories.length > 0;
  return r.lines.map((l) => ({ amount: l.amount, category: excluded ? ctx.repos.catalog.categoryName(l.productId) : null }));
}

function entry(ctx: HandlerCtx, e: Omit<NewEntry, 'id' | 'at' | 'businessDay'>, at: EpochMs, id: string = newId()): LedgerEntry {
  const full: NewEntry = { ...e, id, at, businessDay: businessDay(at, ctx.repos.settings.get('timeZone')) };
  const n = ctx.repos.loyalty.append(full);
  const { businessDay: _day, ...wire } = full;
  return { ...wire, n };
}

/** A UUID (version 8) that names a once-only gift the same way on every till: sha256 of what it is. */
export function giftId(customerId: string, what: string): string {
  const h = createHash('sha256').update(`${customerId}:${what}`).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Ledger entries for the head office, in the command's transaction. */
export function sendEntries(ctx: HandlerCtx, entries: readonly LedgerEntry[], at: EpochMs): void {
  if (entries.length > 0) queueUpstream(ctx, 'loyalty', LOYALTY_EVENTS.entries, { entries }, at);
}

/** Points given by the programme (welcome, referral) or by a person (adjust). */
export function givePoints(ctx: HandlerCtx, customerId: string, points: number, reason: string, kind: 'earn' | 'adjust', at: EpochMs): LedgerEntry {
  return entry(ctx, { customerId, kind, points, spend: 0, reason, receiptId: null, couponCode: null, offline: false }, at);
}

/**
 * What completing a sale does to loyalty, in its transaction: the points spent (checked again
 * against the limits now), the points earned on what was paid in money, the birthday's points once
 * a year, the coupon used; the entries and the coupon's use go to the head office; the receipt
 * keeps what it did, for printing.
 */
export function completeLoyalty(ctx: HandlerCtx, header: ReceiptHeader, priced: PricedBasket, at: EpochMs): ReceiptLoyalty | null {
  const l = priced.loyalty;
  const coupon = l?.coupon && l.coupon.problem === null ? l.coupon.code : null;
  if (header.couponCode !== null && l?.coupon?.problem) {
    throw new AppError('coupon_invalid', 'the coupon cannot be used on this receipt', { reason: l.coupon.problem, code: header.couponCode });
  }
  if (coupon) queueUpstream(ctx, 'loyalty', LOYALTY_EVENTS.couponUsed, { code: coupon, customerId: header.customerId, receiptId: header.id, at }, at);
  if (coupon) ctx.repos.loyalty.couponUsed({ receiptId: header.id, code: coupon, customerId: header.customerId });
  if (!l || header.customerId === null) return l;
  if (header.pointsAsked > l.pointsSpent) {
    throw new AppError('points_unavailable', 'fewer points can be spent now', { max: l.redeemable, reason: l.limit ?? 'balance' });
  }
  const p = programme(ctx);
  const entries: LedgerEntry[] = [];
  const base = { customerId: header.customerId, receiptId: header.id, couponCode: coupon };
  if (l.pointsSpent > 0) entries.push(entry(ctx, { ...base, kind: 'burn', points: -l.pointsSpent, spend: 0, reason: 'purchase', offline: !l.online }, at));
  entries.push(entry(ctx, { ...base, kind: 'earn', points: l.pointsEarned, spend: priced.computed.total, reason: 'purchase', offline: false }, at));
  const year = p.birthday.points > 0 ? birthdayYear(p, ctx.repos.customers.byId(header.customerId)?.birthday ?? null, today(ctx)) : null;
  let extra = 0;
  if (year !== null && !ctx.repos.loyalty.given(header.customerId, `birthday-${year}`)) {
    // One id for this customer's birthday of this year on every till: the head office counts it once.
    const gift = { ...base, kind: 'earn' as const, points: p.birthday.points, spend: 0, reason: `birthday-${year}`, offline: false };
    entries.push(entry(ctx, gift, at, giftId(header.customerId, `birthday-${year}`)));
    extra = p.birthday.points;
  }
  sendEntries(ctx, entries, at);
  const done: ReceiptLoyalty = { ...l, pointsEarned: l.pointsEarned + extra, bonusPoints: extra, balance: l.balance - l.pointsSpent + l.pointsEarned + extra };
  ctx.repos.receipts.setLoyalty(header.id, done);
  return done;
}

/** The head office's answer with a customer's balance: kept with when it came (an erased customer is erased here too). */
export function confirmBalance(db: Db, repos: Repos, a: CustomerBalanceResponse, now: number): void {
  if (!repos.customers.byId(a.id)) return;
  if (a.erased) {
    repos.customers.erase(a.id, now);
    smsRepo(db).forgetCustomer(a.id);
    repos.outbox.scrubCustomer(a.id);
  }
  repos.loyalty.confirm(a.id, a.points, a.spend, repos.loyalty.seenByUs(a.seen), now, a.version ?? null);
}

/**
 * A return of a sale with a customer on it: the points its purchase earned are taken back in the
 * share of the earning money returned (lines of categories that earn nothing do not count), and the
 * points spent on it given back in the share of the money returned (of the goods' value, for a
 * receipt paid wholly in points); worked out cumulatively over the sale's returns, so partial
 * returns never take or give a point too many. The birthday gift stays. The spend goes down by the refund.
 */
export function reverseLoyalty(ctx: HandlerCtx, originalId: string, returnId: string, refund: Minor, at: EpochMs): void {
  const sale = ctx.repos.receipts.load(originalId);
  const l = sale?.header.loyalty;
  if (!sale || !sale.header.customerId || !l) return;
  const excluded = new Set(programme(ctx).excludedCategories.map((c) => c.toLocaleLowerCase('ru')));
  const earns = (productId: number) => {
    if (excluded.size === 0) return true;
    const category = ctx.repos.catalog.categoryName(productId);
    return category === null || !excluded.has(category.toLocaleLowerCase('ru'));
  };
  const back = ctx.repos.loyalty.returnedLines(originalId);
  const sum = (rows: readonly { amount: number }[]) => rows.reduce((n, r) => n + r.amount, 0);
  const share = (points: number, part: number, whole: number) => (whole <= 0 ? 0 : Math.floor((points * Math.min(part, whole)) / whole));
  const purchasePoints = l.pointsEarned - (l.bonusPoints ?? 0);
  const earnedShare = share(purchasePoints, sum(back.filter((r) => earns(r.productId))), sum(sale.lines.filter((r) => earns(r.productId))));
  const spentShare =
    sale.header.total > 0
      ? share(l.pointsSpent, sum(back), sale.header.total)
      : share(l.pointsSpent, back.reduce((n, r) => n + r.gross, 0), sale.header.subtotal);
  const before = ctx.repos.loyalty.reversed(sale.header.customerId, originalId);
  const earnedBack = earnedShare - before.earned;
  const spentBack = spentShare - before.spent;
  const base = { customerId: sale.header.customerId, receiptId: returnId, couponCode: null, offline: false };
  const entries: LedgerEntry[] = [entry(ctx, { ...base, kind: 'adjust', points: -earnedBack, spend: -refund, reason: 'return-earned' }, at)];
  if (spentBack > 0) entries.push(entry(ctx, { ...base, kind: 'adjust', points: spentBack, spend: 0, reason: 'return-spent' }, at));
  sendEntries(ctx, entries, at);
}
