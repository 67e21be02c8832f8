import { AppError } from '../../src-common/errors.js';
import type { CouponView, ReceiptView } from '../../src-common/rpc/schemas.js';
import type { CouponRow } from '../db/repos/loyalty.js';
import { commit, openOrCreate, requireOpen } from './checkout.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';
import { requireCustomer } from './customers.js';
import { programme } from './loyalty.js';

function couponView(ctx: HandlerCtx, c: CouponRow): CouponView {
  return { ...c, used: ctx.repos.loyalty.chainUses(c.code, c.usedElsewhere) };
}

function programmeView(ctx: HandlerCtx) {
  return { programme: programme(ctx), managed: ctx.repos.settings.managedKeys().includes('loyalty.programme') };
}

/**
 * The customer on the open basket (one is opened for them when there is none), or none. Their
 * balance is asked of the head office at once, so spending is "online" when it answers.
 */
export function attachCustomer(ctx: HandlerCtx, customerId: string | null): ReceiptView {
  const r = customerId === null ? requireOpen(ctx) : openOrCreate(ctx);
  if (customerId !== null) requireCustomer(ctx, customerId);
  // Another customer's points are not this one's: what was asked to spend starts again at none.
  const header = { ...r.header, customerId, pointsAsked: 0 };
  ctx.repos.receipts.setLoyaltyInput(r.header.id, customerId, r.header.couponCode, 0);
  if (customerId !== null) ctx.afterCommit(() => ctx.services.sync.confirmCustomer(customerId));
  return commit(ctx, { header, lines: r.lines }, r.lines, r.header.discount);
}

/** The loyalty side of the basket (customer, coupon, points) and the programme's settings. */
export const loyaltyHandlers: Handlers<
  'checkout.setCustomer' | 'checkout.redeemPoints' | 'checkout.applyCoupon' | 'loyalty.programme' | 'loyalty.saveProgramme' | 'loyalty.coupons' | 'loyalty.saveCoupon'
> = {
  'checkout.setCustomer': ({ customerId }, ctx) => {
    requireUser(ctx, 'sale');
    return attachCustomer(ctx, customerId);
  },

  'checkout.redeemPoints': ({ points }, ctx) => {
    requireUser(ctx, 'sale');
    const r = requireOpen(ctx);
    if (r.header.customerId === null) throw new AppError('customer_invalid', 'no customer on the receipt', { field: 'customer', reason: 'none' });
    if (r.lines.length === 0) throw new AppError('receipt_empty', 'the receipt is empty');
    const header = { ...r.header, pointsAsked: points };
    const v = commit(ctx, { header, lines: r.lines }, r.lines, r.header.discount);
    if (v.loyalty && points > v.loyalty.pointsSpent) {
      throw new AppError('points_unavailable', 'fewer points can be spent on this receipt', { max: v.loyalty.redeemable, reason: v.loyalty.limit ?? 'balance' });
    }
    ctx.repos.receipts.setLoyaltyInput(r.header.id, r.header.customerId, r.header.couponCode, points);
    return v;
  },

  'checkout.applyCoupon': ({ code }, ctx) => {
    requireUser(ctx, 'sale');
    const r = requireOpen(ctx);
    const normal = code === null ? null : code.toUpperCase();
    const header = { ...r.header, couponCode: normal };
    const v = commit(ctx, { header, lines: r.lines }, r.lines, r.header.discount);
    if (normal !== null && v.loyalty?.coupon?.problem) {
      throw new AppError('coupon_invalid', 'the coupon cannot be used on this receipt', { reason: v.loyalty.coupon.problem, code: normal });
    }
    ctx.repos.receipts.setLoyaltyInput(r.header.id, r.header.customerId, normal, r.header.pointsAsked);
    return v;
  },

  'loyalty.programme': (_p, ctx) => {
    requireUser(ctx, 'sale');
    return programmeView(ctx);
  },

  'loyalty.saveProgramme': ({ programme: p }, ctx) => {
    const user = requireUser(ctx, 'loyalty_manage');
    ctx.repos.settings.set('loyalty.programme', p);
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'loyalty.programme', null, { programme: JSON.stringify(p) });
    return programmeView(ctx);
  },

  'loyalty.coupons': (_p, ctx) => {
    requireUser(ctx, 'sale');
    return ctx.repos.loyalty.coupons().map((c) => couponView(ctx, c));
  },

  'loyalty.saveCoupon': (c, ctx) => {
    const user = requireUser(ctx, 'loyalty_manage');
    if (c.code.startsWith('BDAY-')) throw new AppError('coupon_invalid', 'birthday codes are made by the programme', { reason: 'reserved', code: c.code });
    const existing = ctx.repos.loyalty.coupon(c.code);
    if (existing?.origin === 'head_office') throw new AppError('setting_managed', 'the head office sets this coupon', { key: `coupon:${c.code}` });
    const now = ctx.clock.now();
    ctx.repos.loyalty.putCoupon({ ...c, usedElsewhere: 0, origin: 'local' }, now);
    ctx.repos.audit.append(now, user.userId, 'loyalty.coupon', c.code, { value: JSON.stringify(c.value), active: c.active });
    return ctx.repos.loyalty.coupons().map((x) => couponView(ctx, x));
  },
};
