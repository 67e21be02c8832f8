import { randomInt } from 'node:crypto';
import { ean13, parseWeighedBarcode } from '../../src-common/barcode.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { pointsWorth, tierFor } from '../../src-common/loyalty.js';
import { normalizePhone } from '../../src-common/phone.js';
import type { CustomerCard, CustomerRecord } from '../../src-common/rpc/schemas.js';
import { LOYALTY_EVENTS, type CustomerSignedUp, type LedgerEntry } from '../../src-common/sync/loyalty.js';
import type { CustomerRow } from '../db/repos/customers.js';
import { queueUpstream } from '../sync/upstream.js';
import { smsRepo } from '../db/repos/sms.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';
import { birthdayCoupon, givePoints, isOnline, programme, sendEntries } from './loyalty.js';

function view(ctx: HandlerCtx, c: CustomerRow): CustomerRecord {
  return { id: c.id, cardNo: c.card_no, phone: c.phone, name: c.name, birthday: c.birthday, consents: ctx.repos.customers.consents(c.id), createdAt: c.created_at };
}

/**
 * A virtual card's number: an EAN-13 with prefix 04, GS1's range for numbers a company issues for
 * its own use (read as a UPC-A it starts with 4, the in-store system), which no weighed-goods
 * template uses (those are 20–29), so a price label can never be taken for a card. Unique here.
 */
export const VIRTUAL_CARD_PREFIX = '04';

function virtualCard(ctx: HandlerCtx): string {
  for (;;) {
    const body = `${VIRTUAL_CARD_PREFIX}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
    const code = ean13(body);
    if (!ctx.repos.customers.cardTaken(code)) return code;
  }
}

/** A customer by card number or phone as typed (null: none, or erased). */
export function findByCardOrPhone(ctx: HandlerCtx, text: string): CustomerRow | null {
  const repo = ctx.repos.customers;
  const t = text.trim();
  const byCard = /^\d{6,20}$/.test(t) ? repo.byCard(t) : null;
  if (byCard) return byCard;
  const phone = normalizePhone(t);
  return phone ? repo.byPhone(phone) : null;
}

export function requireCustomer(ctx: HandlerCtx, id: string): CustomerRow {
  const c = ctx.repos.customers.byId(id);
  if (!c) throw new AppError('not_found', 'no such customer', { customerId: id });
  if (c.erased_at !== null) throw new AppError('customer_erased', 'this customer was erased', { customerId: id });
  return c;
}

/** The customer's card: points and tier as this till knows them, today's coupons, the latest entries. */
export function customerCard(ctx: HandlerCtx, c: CustomerRow): CustomerCard {
  const p = programme(ctx);
  const points = ctx.repos.loyalty.points(c.id);
  const bday = c.erased_at === null ? birthdayCoupon(ctx, p, c.id, c.birthday) : null;
  const bdayFree = bday && !points.usedCoupons.includes(bday.code) && ctx.repos.loyalty.couponUses(bday.code) === 0;
  return {
    ...view(ctx, c),
    points: points.points,
    pointsValue: pointsWorth(p, Math.max(0, points.points)),
    spend: points.spend,
    tier: tierFor(p, points.spend)?.name ?? null,
    online: isOnline(p, points.confirmedAt, ctx.clock.now()),
    confirmedAt: points.confirmedAt,
    coupons: bday && bdayFree ? [{ code: bday.code, label: 'birthday', validTo: null }] : [],
    history: ctx.repos.loyalty.history(c.id, 20).map((h) => ({ id: h.id, kind: h.kind, points: h.points, reason: h.reason, receiptId: h.receiptId, at: h.at, offline: h.offline === 1 })),
    erased: c.erased_at !== null,
  };
}

export const customerHandlers: Handlers<
  'customers.find' | 'customers.signUp' | 'customers.get' | 'customers.confirm' | 'customers.setConsent' | 'customers.export' | 'customers.erase' | 'customers.adjustPoints'
> = {
  'customers.find': ({ text, limit }, ctx) => {
    requireUser(ctx, 'sale');
    const hit = findByCardOrPhone(ctx, text);
    if (hit) return [view(ctx, hit)];
    return /\p{L}/u.test(text) ? ctx.repos.customers.byName(text.trim(), limit).map((c) => view(ctx, c)) : [];
  },

  /**
   * Sign-up at the till: the customer, the consents asked (when, which till, which cashier), the
   * welcome points and the referrer's reward; all of it goes to the head office, in order.
   */
  'customers.signUp': (c, ctx) => {
    const user = requireUser(ctx, 'sale');
    const repo = ctx.repos.customers;
    const phone = c.phone === undefined ? null : normalizePhone(c.phone);
    if (c.phone !== undefined && phone === null) throw new AppError('customer_invalid', 'not a phone number', { field: 'phone', reason: 'phone' });
    if (phone !== null && repo.byPhone(phone)) throw new AppError('customer_invalid', 'a customer with this phone exists', { field: 'phone', reason: 'taken' });
    if (c.cardNo !== undefined && repo.cardTaken(c.cardNo)) throw new AppError('customer_invalid', 'this card is someone else\'s', { field: 'cardNo', reason: 'taken' });
    // A card must not read as something the checkout sells: a product's barcode or a weighed-goods label.
    if (c.cardNo !== undefined && (ctx.repos.catalog.lookupBarcode(c.cardNo) || parseWeighedBarcode(c.cardNo, ctx.repos.settings.get('barcode.weighedTemplates')))) {
      throw new AppError('customer_invalid', 'this number is a product barcode or a weighed-goods label', { field: 'cardNo', reason: 'product_code' });
    }
    const referrer = c.referrer === undefined ? null : findByCardOrPhone(ctx, c.referrer);
    if (c.referrer !== undefined && !referrer) throw new AppError('customer_invalid', 'no customer has this card or phone', { field: 'referrer', reason: 'unknown' });
    const now = ctx.clock.now();
    const id = newId();
    const cardNo = c.cardNo ?? virtualCard(ctx);
    repo.add({ id, cardNo, phone, name: c.name ?? null, birthday: c.birthday ?? null, at: now, userId: user.userId, referrerId: referrer?.id ?? null });
    const till = ctx.repos.settings.get('till.id');
    for (const purpose of ['loyalty', 'service', 'advertising'] as const) repo.recordConsent(id, purpose, c.consents[purpose], now, till, user.userId);
    const signedUp: CustomerSignedUp = {
      customer: { id, cardNo, phone, name: c.name ?? null, birthday: c.birthday ?? null, createdAt: now, referrerId: referrer?.id ?? null },
      consents: c.consents,
    };
    queueUpstream(ctx, 'loyalty', LOYALTY_EVENTS.signedUp, signedUp, now);
    const p = programme(ctx);
    const entries: LedgerEntry[] = [];
    if (p.enabled && p.welcomePoints > 0) entries.push(givePoints(ctx, id, p.welcomePoints, 'welcome', 'earn', now));
    if (p.enabled && referrer && p.referralPoints > 0) entries.push(givePoints(ctx, referrer.id, p.referralPoints, 'referral', 'earn', now));
    sendEntries(ctx, entries, now);
    ctx.repos.audit.append(now, user.userId, 'customer.signup', id, { consents: JSON.stringify(c.consents), referrer: referrer?.id ?? null });
    return view(ctx, repo.byId(id)!);
  },

  'customers.get': ({ id }, ctx) => {
    requireUser(ctx, 'sale');
    const c = ctx.repos.customers.byId(id);
    if (!c) throw new AppError('not_found', 'no such customer', { customerId: id });
    return customerCard(ctx, c);
  },

  'customers.confirm': ({ id }, ctx) => {
    requireUser(ctx, 'sale');
    requireCustomer(ctx, id);
    ctx.afterCommit(() => ctx.services.sync.confirmCustomer(id));
    return { ok: true };
  },

  'customers.setConsent': ({ id, purpose, granted }, ctx) => {
    const user = requireUser(ctx, 'sale');
    requireCustomer(ctx, id);
    if (purpose === 'loyalty' && !granted) {
      // Leaving the programme is erasure (the programme is what the data is kept for).
      throw new AppError('customer_invalid', 'leaving the programme is done by erasing the customer', { field: 'consents', reason: 'loyalty' });
    }
    const now = ctx.clock.now();
    ctx.repos.customers.recordConsent(id, purpose, granted, now, ctx.repos.settings.get('till.id'), user.userId);
    queueUpstream(ctx, 'loyalty', LOYALTY_EVENTS.consent, { customerId: id, purpose, granted, at: now }, now);
    ctx.repos.audit.append(now, user.userId, 'customer.consent', id, { purpose, granted });
    return customerCard(ctx, ctx.repos.customers.byId(id)!);
  },

  /** Everything this till holds about the customer: the record, consents with their history, points, receipts. */
  'customers.export': ({ id }, ctx) => {
    const user = requireUser(ctx, 'loyalty_manage');
    const c = ctx.repos.customers.byId(id);
    if (!c) throw new AppError('not_found', 'no such customer', { customerId: id });
    const data = {
      exportedAt: new Date(ctx.clock.now()).toISOString(),
      till: ctx.repos.settings.get('till.name'),
      customer: { ...view(ctx, c), erased: c.erased_at !== null, referrerId: c.referrer_id },
      consentHistory: ctx.repos.customers.consentHistory(id).map((h) => ({ ...h, granted: h.granted === 1, at: new Date(h.at).toISOString() })),
      points: ctx.repos.loyalty.points(id),
      ledger: ctx.repos.loyalty.history(id, 100_000).map((h) => ({ ...h, offline: h.offline === 1, at: new Date(h.at).toISOString() })),
      receipts: ctx.repos.receipts.ofCustomer(id),
    };
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'customer.export', id, {});
    return { json: JSON.stringify(data, null, 2) };
  },

  /**
   * Forget the customer: name, phone, card, birthday and consents go now, here; the head office
   * then erases them everywhere and every till follows. Receipts and the ledger keep only the id.
   */
  'customers.erase': ({ id }, ctx) => {
    const user = requireUser(ctx, 'loyalty_manage');
    const c = ctx.repos.customers.byId(id);
    if (!c) throw new AppError('not_found', 'no such customer', { customerId: id });
    const now = ctx.clock.now();
    eraseLocally(ctx, id, now);
    queueUpstream(ctx, 'loyalty', LOYALTY_EVENTS.erased, { customerId: id, at: now }, now);
    ctx.repos.audit.append(now, user.userId, 'customer.erase', id, {});
    ctx.emit('customer.changed', { customerId: id });
    return { ok: true };
  },

  'customers.adjustPoints': ({ id, points, reason }, ctx) => {
    const user = requireUser(ctx, 'loyalty_manage');
    requireCustomer(ctx, id);
    const now = ctx.clock.now();
    sendEntries(ctx, [givePoints(ctx, id, points, `adjust: ${reason}`.slice(0, 40), 'adjust', now)], now);
    ctx.repos.audit.append(now, user.userId, 'customer.adjust_points', id, { points, reason });
    return customerCard(ctx, ctx.repos.customers.byId(id)!);
  },
};

/**
 * Personal data out of this till: the record and consents, the phone on queued messages, and the
 * sign-up events already delivered to the head office (their copy is erased there).
 */
export function eraseLocally(ctx: HandlerCtx, id: string, at: number): void {
  ctx.repos.customers.erase(id, at);
  smsRepo(ctx.db).forgetCustomer(id);
  ctx.repos.outbox.scrubCustomer(id);
}
