import { randomInt } from 'node:crypto';
import { ean13 } from '../../src-common/barcode.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { normalizePhone } from '../../src-common/phone.js';
import type { CustomerRecord } from '../../src-common/rpc/schemas.js';
import type { CustomerRow } from '../db/repos/customers.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

function view(ctx: HandlerCtx, c: CustomerRow): CustomerRecord {
  return { id: c.id, cardNo: c.card_no, phone: c.phone, name: c.name, birthday: c.birthday, consents: ctx.repos.customers.consents(c.id), createdAt: c.created_at };
}

/** A virtual card's number: an EAN-13 in the in-store range 29 (never a product's), unique here. */
function virtualCard(ctx: HandlerCtx): string {
  for (;;) {
    const body = `29${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;
    const code = ean13(body);
    if (!ctx.repos.customers.cardTaken(code)) return code;
  }
}

export const customerHandlers: Handlers<'customers.find' | 'customers.signUp'> = {
  'customers.find': ({ text, limit }, ctx) => {
    requireUser(ctx, 'sale');
    const repo = ctx.repos.customers;
    const t = text.trim();
    const byCard = /^\d{6,20}$/.test(t) ? repo.byCard(t) : null;
    if (byCard) return [view(ctx, byCard)];
    const phone = normalizePhone(t);
    const byPhone = phone ? repo.byPhone(phone) : null;
    if (byPhone) return [view(ctx, byPhone)];
    return /\p{L}/u.test(t) ? repo.byName(t, limit).map((c) => view(ctx, c)) : [];
  },

  'customers.signUp': (c, ctx) => {
    const user = requireUser(ctx, 'sale');
    const repo = ctx.repos.customers;
    const phone = c.phone === undefined ? null : normalizePhone(c.phone);
    if (c.phone !== undefined && phone === null) throw new AppError('customer_invalid', 'not a phone number', { field: 'phone', reason: 'phone' });
    if (phone !== null && repo.byPhone(phone)) throw new AppError('customer_invalid', 'a customer with this phone exists', { field: 'phone', reason: 'taken' });
    if (c.cardNo !== undefined && repo.cardTaken(c.cardNo)) throw new AppError('customer_invalid', 'this card is someone else\'s', { field: 'cardNo', reason: 'taken' });
    const now = ctx.clock.now();
    const id = newId();
    repo.add({ id, cardNo: c.cardNo ?? virtualCard(ctx), phone, name: c.name ?? null, birthday: c.birthday ?? null, at: now, userId: user.userId });
    const till = ctx.repos.settings.get('till.id');
    for (const purpose of ['loyalty', 'service', 'advertising'] as const) repo.recordConsent(id, purpose, c.consents[purpose], now, till, user.userId);
    ctx.repos.audit.append(now, user.userId, 'customer.signup', id, { consents: JSON.stringify(c.consents) });
    return view(ctx, repo.byId(id)!);
  },
};
