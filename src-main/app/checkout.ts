import { businessDay } from '../../src-common/clock.js';
import { parseWeighedBarcode } from '../../src-common/barcode.js';
import { gtinLookupKeys, looksLikeGs1, parseGs1 } from '../../src-common/gs1.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { extend } from '../../src-common/money.js';
import type { Discount, ReceiptView } from '../../src-common/rpc/schemas.js';
import { MAX_QTY, QTY_ONE, type BasisPoints, type Minor, type Qty } from '../../src-common/units.js';
import type { ProductRow } from '../db/repos/catalog.js';
import type { StoredReceipt } from '../db/repos/receipts.js';
import { fiscalMode, fiscalizeReceipt, requireFiscalReady } from '../fiscal/journal-ops.js';
import { parseMarkingCode } from '../../src-common/marking.js';
import { checkDiscount, computeReceipt, type ComputedLine, type LineInput } from '../domain/receipt.js';
import { settleTender } from '../domain/tender.js';
import { queueUpstream } from '../sync/upstream.js';
import { authorize, CommittedAppError, requireUser, type HandlerCtx, type Handlers, type Session } from './context.js';
import { completeLoyalty, priceBasket } from './loyalty.js';
import { attachCustomer } from './loyalty-handlers.js';
import { smsAfterSale } from './sms.js';
import { smsDeps } from './sms-wiring.js';
import { toReceiptView } from './receipt-view.js';
import { requireSellingShift } from './shift.js';

export interface Resolved {
  product: ProductRow;
  qty: Qty;
  barcode: string | null;
  /** A price-embedded weighed barcode fixes the amount; the quantity is derived from it. */
  fixedAmount?: Minor;
  /** A Честный знак code (canonical, GS-separated): one unit on a line of its own, kept for the fiscal document. */
  markingCode?: string;
}

/** A GS1 DataMatrix / GS1-128 code: the product is the one its GTIN names (as EAN-13, UPC-A, EAN-8 or GTIN-14). */
function resolveGs1(code: string, ctx: HandlerCtx): Resolved | null {
  const r = parseGs1(code);
  const gtin = r.ok ? r.value.gtin : r.error.gtin;
  if (!gtin) {
    // A GTIN whose check digit is wrong names no product: say so rather than "unknown barcode".
    if (!r.ok && r.error.code === 'bad_check_digit' && r.error.ai === '01') {
      throw new AppError('marking_invalid', r.error.message, { reason: 'gtin_check_digit', code: code.slice(0, 64) });
    }
    return null;
  }
  const details = { code: code.slice(0, 64), gtin };
  const key = gtinLookupKeys(gtin).find((k) => ctx.repos.catalog.lookupBarcode(k) !== null);
  const hit = key === undefined ? null : ctx.repos.catalog.lookupBarcode(key);
  if (key === undefined || !hit) throw new AppError('unknown_barcode', 'no product has this GTIN', details);
  if (hit.product.marked === 1) {
    // A marked unit: its code must be whole (a GTIN, a serial, the crypto tail) to be sold at all.
    const m = parseMarkingCode(code);
    if (!m.ok) throw new AppError('marking_invalid', 'this marking code is not whole', { ...details, reason: m.problem });
    return { product: hit.product, qty: QTY_ONE, barcode: m.code, markingCode: m.code };
  }
  // The product is known, but a code read wrong (separators lost) must not be sold or kept.
  if (!r.ok) throw new AppError('unknown_barcode', r.error.message, { ...details, reason: r.error.code });
  const v = r.value;
  if (v.isMarkingCode) return { product: hit.product, qty: QTY_ONE, barcode: v.elementString, markingCode: v.elementString };
  if (v.weightGrams !== undefined && hit.product.unit !== 'pcs' && v.weightGrams > 0) return { product: hit.product, qty: v.weightGrams as Qty, barcode: key };
  return { product: hit.product, qty: hit.packQty, barcode: key };
}

/** Barcode → weighed-goods template → PLU. Anything else is an unknown code. */
export function resolveCode(code: string, ctx: HandlerCtx): Resolved {
  const trimmed = code.trim();
  const hit = ctx.repos.catalog.lookupBarcode(trimmed);
  if (hit) return { product: hit.product, qty: hit.packQty, barcode: trimmed };
  return resolveNotABarcode(trimmed, ctx);
}

/** A trimmed code the barcode table does not have: GS1 → weighed-goods template → PLU, else unknown. */
function resolveNotABarcode(trimmed: string, ctx: HandlerCtx): Resolved {
  const { catalog, settings } = ctx.repos;
  const gs1 = looksLikeGs1(trimmed) ? resolveGs1(trimmed, ctx) : null;
  if (gs1) return gs1;
  const weighed = parseWeighedBarcode(trimmed, settings.get('barcode.weighedTemplates'));
  if (weighed) {
    const product = catalog.byItemCode(weighed.itemCode);
    if (product) {
      if (weighed.kind === 'weight') {
        if (weighed.grams <= 0) throw new AppError('invalid_quantity', 'zero weight in barcode', { code: trimmed });
        return { product, qty: weighed.grams, barcode: trimmed };
      }
      if (product.price <= 0) throw new AppError('invalid_price', 'product has no price', { code: trimmed });
      // Quantity that gives the printed price at the shelf price, to the gram.
      const grams = Math.max(1, Math.round((weighed.price * 1000) / product.price)) as Qty;
      return { product, qty: grams, barcode: trimmed, fixedAmount: weighed.price };
    }
  }
  if (/^\d{1,5}$/.test(trimmed)) {
    const product = catalog.byPlu(Number(trimmed));
    if (product) return { product, qty: QTY_ONE, barcode: null };
  }
  throw new AppError('unknown_barcode', 'unknown barcode', { code: trimmed.slice(0, 64) });
}

/**
 * What a scan at the till is: a product's barcode, else a loyalty card (before the weighed-goods
 * templates: a physical card printed in the in-store range must be read as the card; sign-up
 * refuses a card number a template would read as a label), else whatever `resolveCode` understands
 * (the barcode table is asked once).
 */
export function resolveScan(code: string, ctx: HandlerCtx): Resolved | { customerId: string } {
  const trimmed = code.trim();
  const hit = ctx.repos.catalog.lookupBarcode(trimmed);
  if (hit) return { product: hit.product, qty: hit.packQty, barcode: trimmed };
  const holder = /^\d{6,20}$/.test(trimmed) ? ctx.repos.customers.byCard(trimmed) : null;
  if (holder) return { customerId: holder.id };
  return resolveNotABarcode(trimmed, ctx);
}

function loadOpen(ctx: HandlerCtx): StoredReceipt | null {
  const s = requireUser(ctx, 'sale');
  const header = ctx.repos.receipts.openFor(s.userId);
  return header ? { header, lines: ctx.repos.receipts.lines(header.id) } : null;
}

export function requireOpen(ctx: HandlerCtx): StoredReceipt {
  const r = loadOpen(ctx);
  if (!r) throw new AppError('receipt_not_open', 'no open receipt');
  return r;
}

export function openOrCreate(ctx: HandlerCtx): StoredReceipt {
  const existing = loadOpen(ctx);
  if (existing) return existing;
  const s = requireUser(ctx);
  const id = newId();
  ctx.repos.receipts.create(id, s.userId, ctx.clock.now());
  return ctx.repos.receipts.load(id) as StoredReceipt;
}

/** Recompute, persist and describe the receipt after a change to its lines, discount, customer, coupon or points. */
export function commit(ctx: HandlerCtx, r: StoredReceipt, lines: LineInput[], discount: Discount | null): ReceiptView {
  const { computed, loyalty } = priceBasket(ctx, r.header, lines, discount);
  ctx.repos.receipts.save(r.header.id, r.lines, computed, discount);
  ctx.emit('cart.changed', { receiptId: r.header.id });
  // The view comes from what was just written, not a second read: this is the scan-to-line path.
  const header = { ...r.header, discount, subtotal: computed.subtotal, discountTotal: computed.discountTotal, total: computed.total };
  return toReceiptView({ header, lines: computed.lines }, [], loyalty);
}

/** The open receipt as it is priced now (the customer's balance may have changed since it was saved). */
export function currentView(ctx: HandlerCtx, r: StoredReceipt): ReceiptView {
  if (r.header.customerId === null && r.header.couponCode === null) return toReceiptView(r, []);
  const { computed, loyalty } = priceBasket(ctx, r.header, r.lines, r.header.discount);
  const header = { ...r.header, subtotal: computed.subtotal, discountTotal: computed.discountTotal, total: computed.total };
  return toReceiptView({ header, lines: computed.lines }, [], loyalty);
}

function view(ctx: HandlerCtx, id: string): ReceiptView {
  const stored = ctx.repos.receipts.load(id);
  if (!stored) throw new AppError('not_found', 'receipt not found');
  return toReceiptView(stored, ctx.repos.receipts.payments(id));
}

function checkQty(q: number): Qty {
  if (!Number.isInteger(q) || q <= 0 || q > MAX_QTY) throw new AppError('invalid_quantity', 'invalid quantity', { max: MAX_QTY });
  return q as Qty;
}

function findLine(r: StoredReceipt, lineId: string): ComputedLine {
  const line = r.lines.find((l) => l.id === lineId);
  if (!line) throw new AppError('not_found', 'line not found', { lineId });
  return line;
}

/**
 * A marking code is checked before its unit is added: by the registrar in fiscal mode, and by the
 * permit check (разрешительный режим) whenever one is configured, in fiscal mode or not (selling a
 * unit that is sold already, blocked or expired is forbidden whoever registers the receipt). The
 * first scan starts the checks (`marking_pending`; the screen sends the scan again when
 * `marking.checked` arrives), a refused code is never sold, and a check that cannot be made follows
 * the owner's offline policy. The permit answer is kept with the line for its fiscal line (tag 1260).
 */
function checkMarking(ctx: HandlerCtx, receiptId: string, code: string, unit: 'pcs' | 'kg' | 'l'): void {
  const registrar = fiscalMode(ctx);
  if (!registrar && ctx.repos.settings.get('marking.permit.provider') === 'none') return;
  const r = ctx.services.fiscal.marking(code, { qty: QTY_ONE, unit }, { registrar });
  // The canonical code goes back whole: the screen waits for the `marking.checked` event that names it.
  if (r.state === 'pending') throw new AppError('marking_pending', 'the marking code is being checked', { code: code.slice(0, 200) });
  if (r.state === 'rejected') throw new AppError('marking_rejected', r.reason ?? 'the code was refused', { reason: r.why ?? 'refused' });
  if (r.state === 'unavailable' && ctx.repos.settings.get('marking.offlinePolicy') === 'refuse') {
    throw new AppError('marking_rejected', r.reason ?? 'the code cannot be checked now', { reason: r.why ?? 'unavailable' });
  }
  if (r.permit) ctx.repos.markingPermits.save(receiptId, code, ctx.repos.settings.get('marking.permit.provider'), r.permit, ctx.clock.now());
  else ctx.repos.markingPermits.forget(receiptId, code);
}

/** Pieces must be whole: a weighed or litre product takes thousandths, a piece product multiples of 1000. */
function checkUnitQty(unit: string, q: Qty): void {
  if (unit === 'pcs' && q % 1000 !== 0) throw new AppError('invalid_quantity', 'whole pieces only', { unit });
}

function addLine(ctx: HandlerCtx, resolved: Resolved): ReceiptView {
  requireSellingShift(ctx);
  const r = openOrCreate(ctx);
  const { product } = resolved;
  if (!product.active) throw new AppError('not_found', 'product is not on sale', { productId: product.id });
  // A product made on a delivery waits for a manager to price it: never sold for nothing by accident.
  if (product.price <= 0 && resolved.fixedAmount === undefined) {
    throw new AppError('invalid_price', 'the product has no price yet', { productId: product.id, reason: 'no_price', name: product.name });
  }
  checkUnitQty(product.unit, resolved.qty);
  const lines: LineInput[] = [...r.lines];
  if (product.marked === 1 && !resolved.markingCode) {
    throw new AppError('marking_required', 'a marked product is sold by scanning the code on the unit', { productId: product.id, name: product.name });
  }
  if (resolved.markingCode && lines.some((l) => l.barcode === resolved.markingCode)) {
    throw new AppError('marking_duplicate', 'this marking code is already on the receipt', { code: resolved.markingCode.slice(0, 64) });
  }
  if (resolved.markingCode) checkMarking(ctx, r.header.id, resolved.markingCode, product.unit);
  // Repeated scans of the same piece item add to its line; weighed goods (and marked units) always get their own line.
  const last = lines[lines.length - 1];
  const merge =
    !resolved.markingCode &&
    product.unit === 'pcs' &&
    !resolved.fixedAmount &&
    last &&
    last.productId === product.id &&
    last.barcode === resolved.barcode &&
    last.price === product.price &&
    last.basePrice === product.price &&
    !last.discount;
  if (merge && last) {
    lines[lines.length - 1] = { ...last, qty: checkQty(last.qty + resolved.qty) };
  } else {
    const price = product.price as Minor;
    lines.push({
      id: newId(),
      productId: product.id,
      name: product.name,
      unit: product.unit,
      barcode: resolved.barcode,
      qty: checkQty(resolved.qty),
      basePrice: price,
      price,
      discount:
        resolved.fixedAmount !== undefined && extend(price, resolved.qty) !== resolved.fixedAmount
          ? priceEmbeddedAdjustment(price, resolved.qty, resolved.fixedAmount)
          : null,
      taxCode: product.tax_code,
      taxBp: product.tax_bp as BasisPoints,
    });
  }
  return commit(ctx, r, lines, r.header.discount);
}

/**
 * A price-embedded label states the amount; grams derived from it can be off by a kopeck after
 * rounding. The label wins: the difference is carried as an amount discount (never a surcharge).
 */
function priceEmbeddedAdjustment(price: Minor, q: Qty, fixed: Minor): Discount | null {
  const diff = extend(price, q) - fixed;
  return diff > 0 ? { kind: 'amount', amount: diff } : null;
}

export const checkoutHandlers: Handlers<
  | 'checkout.current'
  | 'checkout.scan'
  | 'checkout.addProduct'
  | 'checkout.addByPlu'
  | 'checkout.setQty'
  | 'checkout.removeLine'
  | 'checkout.setLineDiscount'
  | 'checkout.setReceiptDiscount'
  | 'checkout.overridePrice'
  | 'checkout.park'
  | 'checkout.parked'
  | 'checkout.resume'
  | 'checkout.cancel'
  | 'checkout.complete'
> = {
  'checkout.current': (_p, ctx) => {
    const r = loadOpen(ctx);
    return r ? currentView(ctx, r) : null;
  },

  'checkout.scan': ({ code }, ctx) => {
    requireUser(ctx, 'sale');
    const r = resolveScan(code, ctx);
    return 'customerId' in r ? attachCustomer(ctx, r.customerId) : addLine(ctx, r);
  },

  'checkout.addProduct': ({ productId, qty, fromScale }, ctx) => {
    requireUser(ctx, 'sale');
    const product = ctx.repos.catalog.byId(productId);
    if (!product) throw new AppError('not_found', 'product not found', { productId });
    return addLine(ctx, { product, qty: fromScale ? weighOnScale(ctx, product) : ((qty ?? QTY_ONE) as Qty), barcode: product.barcode });
  },

  'checkout.addByPlu': ({ plu, qty, fromScale }, ctx) => {
    requireUser(ctx, 'sale');
    const product = ctx.repos.catalog.byPlu(plu);
    if (!product) throw new AppError('unknown_barcode', 'unknown PLU', { code: String(plu) });
    return addLine(ctx, { product, qty: fromScale ? weighOnScale(ctx, product) : ((qty ?? QTY_ONE) as Qty), barcode: null });
  },

  'checkout.setQty': ({ lineId, qty: q, approvalId }, ctx) => {
    const r = requireOpen(ctx);
    const line = findLine(r, lineId);
    const next = checkQty(q);
    // One code, one unit: a second bottle is a second scan.
    if (next > QTY_ONE && line.barcode && parseMarkingCode(line.barcode).ok) {
      throw new AppError('marking_duplicate', 'each marked unit is scanned on its own', { lineId });
    }
    checkUnitQty(line.unit, next);
    if (next < line.qty) {
      // Taking units off a line already rung up is a (partial) void.
      const binding = `void_line:receipt=${r.header.id}:line=${lineId}:qty=${line.qty}->${next}`;
      const { session, approvedBy } = authorize(ctx, 'void_line', binding, approvalId);
      recordVoid(ctx, r, line, (line.qty - next) as Qty, (line.gross - extend(line.price, next)) as Minor, session, approvedBy);
    }
    return commit(ctx, r, r.lines.map((l) => (l.id === lineId ? { ...l, qty: next } : l)), r.header.discount);
  },

  'checkout.removeLine': ({ lineId, approvalId }, ctx) => {
    const r = requireOpen(ctx);
    const line = findLine(r, lineId);
    const { session, approvedBy } = authorize(ctx, 'void_line', `void_line:receipt=${r.header.id}:line=${lineId}`, approvalId);
    recordVoid(ctx, r, line, line.qty, line.gross, session, approvedBy);
    return commit(ctx, r, r.lines.filter((l) => l.id !== lineId), r.header.discount);
  },

  'checkout.setLineDiscount': ({ lineId, discount, approvalId }, ctx) => {
    const r = requireOpen(ctx);
    const line = findLine(r, lineId);
    checkDiscount(line.gross, discount);
    authorizeDiscount(ctx, line.gross, discount, `discount:receipt=${r.header.id}:line=${lineId}`, approvalId);
    return commit(ctx, r, r.lines.map((l) => (l.id === lineId ? { ...l, discount } : l)), r.header.discount);
  },

  'checkout.setReceiptDiscount': ({ discount, approvalId }, ctx) => {
    const r = requireOpen(ctx);
    if (r.lines.length === 0) throw new AppError('receipt_empty', 'the receipt is empty');
    const base = computeReceipt(r.lines, null).total;
    checkDiscount(base, discount);
    authorizeDiscount(ctx, base, discount, `discount:receipt=${r.header.id}`, approvalId);
    return commit(ctx, r, r.lines, discount);
  },

  'checkout.overridePrice': ({ lineId, price, approvalId }, ctx) => {
    const r = requireOpen(ctx);
    const line = findLine(r, lineId);
    const binding = `price_override:receipt=${r.header.id}:line=${lineId}:price=${price}`;
    const { session: s, approvedBy } = authorize(ctx, 'price_override', binding, approvalId);
    ctx.repos.audit.append(ctx.clock.now(), s.userId, 'price.override', r.header.id, {
      lineId,
      from: line.price,
      to: price,
      approvedBy,
    });
    return commit(ctx, r, r.lines.map((l) => (l.id === lineId ? { ...l, price: price as Minor } : l)), r.header.discount);
  },

  'checkout.park': (_p, ctx) => {
    const r = requireOpen(ctx);
    if (r.lines.length === 0) throw new AppError('receipt_empty', 'the receipt is empty');
    ctx.repos.receipts.park(r.header.id, ctx.clock.now());
    ctx.emit('cart.changed', { receiptId: null });
    return { ok: true };
  },

  'checkout.parked': (_p, ctx) => {
    requireUser(ctx, 'sale');
    return ctx.repos.receipts.parked().map((p) => ({
      id: p.header.id,
      parkedAt: p.header.parkedAt ?? p.header.openedAt,
      cashier: p.header.cashierName,
      lines: p.lines,
      total: p.header.total,
      firstItem: p.firstItem,
    }));
  },

  'checkout.resume': ({ receiptId }, ctx) => {
    const s = requireUser(ctx, 'sale');
    const current = loadOpen(ctx);
    if (current && current.lines.length > 0) {
      ctx.repos.receipts.park(current.header.id, ctx.clock.now());
    } else if (current) {
      ctx.repos.receipts.cancel(current.header.id, null);
    }
    if (!ctx.repos.receipts.resume(receiptId, s.userId)) throw new AppError('not_found', 'no such parked receipt', { receiptId });
    ctx.emit('cart.changed', { receiptId });
    return view(ctx, receiptId);
  },

  'checkout.cancel': ({ approvalId }, ctx) => {
    const r = requireOpen(ctx);
    if (r.lines.length === 0) {
      // Nothing was rung up: clearing an empty basket is not a cancellation.
      ctx.repos.receipts.cancel(r.header.id, null);
      ctx.emit('cart.changed', { receiptId: null });
      return { ok: true };
    }
    const binding = `cancel_receipt:receipt=${r.header.id}:total=${r.header.total}`;
    const { session: s, approvedBy } = authorize(ctx, 'cancel_receipt', binding, approvalId);
    ctx.repos.receipts.cancel(r.header.id, ctx.repos.shifts.current()?.id ?? null);
    ctx.repos.audit.append(ctx.clock.now(), s.userId, 'receipt.cancel', r.header.id, {
      lines: r.lines.length,
      total: r.header.total,
      approvedBy,
    });
    ctx.emit('cart.changed', { receiptId: null });
    return { ok: true };
  },

  'checkout.complete': ({ payments }, ctx) => completeSale(ctx, payments),
};

/** The weight of a weighed product from the scale: stable and fresh, else refused with the reason. */
export function weighOnScale(ctx: HandlerCtx, product: ProductRow): Qty {
  if (product.unit === 'pcs') throw new AppError('invalid_quantity', 'a piece product is not weighed', { unit: product.unit });
  if (!ctx.services.scaleGrams) throw new AppError('scale_unavailable', 'no scale is configured', { reason: 'none' });
  return ctx.services.scaleGrams() as Qty;
}

/** A line (or some of its units) taken off the basket: counted in the shift's voided lines and audited. */
function recordVoid(ctx: HandlerCtx, r: StoredReceipt, line: ComputedLine, qty: Qty, amount: Minor, s: Session, approvedBy: number | null): void {
  const now = ctx.clock.now();
  ctx.repos.shifts.recordVoid({
    id: newId(),
    receiptId: r.header.id,
    shiftId: ctx.repos.shifts.current()?.id ?? null,
    productId: line.productId,
    name: line.name,
    qty,
    amount,
    userId: s.userId,
    approvedBy,
    at: now,
  });
  ctx.repos.audit.append(now, s.userId, 'line.void', r.header.id, { lineId: line.id, name: line.name, qty, amount, approvedBy });
}

/**
 * A discount within the owner's limit (a share of `base`) needs the discount permission; a bigger
 * one needs discount_over_limit, or a manager's approval of exactly that discount.
 */
function authorizeDiscount(ctx: HandlerCtx, base: number, d: Discount | null, subject: string, approvalId: string | undefined): void {
  requireUser(ctx, 'discount');
  if (!d || base <= 0) return;
  const bp = d.kind === 'percent' ? d.bp : Math.ceil((d.amount * 10_000) / base);
  if (bp <= ctx.repos.settings.get('discount.maxBpWithoutApproval')) return;
  const value = d.kind === 'percent' ? `percent=${d.bp}` : `amount=${d.amount}`;
  authorize(ctx, 'discount_over_limit', `discount_over_limit:${subject.slice('discount:'.length)}:${value}`, approvalId);
}

/**
 * Complete = one transaction: receipt state and number, payments, stock movements, the outbox
 * event for the head office, an audit entry, and the post-commit effects to work off.
 */
function completeSale(ctx: HandlerCtx, inputs: Parameters<typeof settleTender>[1]): ReceiptView {
  const s = requireUser(ctx, 'sale');
  const r = requireOpen(ctx);
  if (r.lines.length === 0) throw new AppError('receipt_empty', 'the receipt is empty');
  const shift = requireSellingShift(ctx);
  requireFiscalReady(ctx);
  // Priced again now: the customer's points may have been spent elsewhere since the basket was saved.
  const priced = priceBasket(ctx, r.header, r.lines, r.header.discount);
  if (priced.computed.total !== r.header.total) {
    // Saved as it is now (the error stands with it): the cashier sees the new total and asks again.
    ctx.repos.receipts.save(r.header.id, r.lines, priced.computed, r.header.discount);
    ctx.emit('cart.changed', { receiptId: r.header.id });
    const coupon = priced.loyalty?.coupon;
    if (coupon?.problem) throw new CommittedAppError('coupon_invalid', 'the coupon no longer applies', { reason: coupon.problem, code: coupon.code });
    throw new CommittedAppError('points_unavailable', 'the receipt total changed', { max: priced.loyalty?.redeemable ?? 0, reason: priced.loyalty?.limit ?? 'balance' });
  }
  const { payments, change } = settleTender(r.header.total as Minor, inputs);
  const now = ctx.clock.now();
  const { receipts, counters, stock, audit, effects, settings } = ctx.repos;
  const number = counters.next('receipt_number');
  receipts.complete(r.header.id, number, now, businessDay(now, settings.get('timeZone')), payments, change, shift.id);
  for (const l of r.lines) stock.move(l.productId, -l.qty, 'sale', r.header.id, now);
  completeLoyalty(ctx, r.header, priced, now);
  if (r.header.customerId !== null) smsAfterSale(ctx, smsDeps, r.header.id);
  const sale = view(ctx, r.header.id);
  fiscalizeReceipt(ctx, receipts.load(r.header.id) as StoredReceipt);
  queueUpstream(ctx, 'sales', 'sale.completed', { tillId: settings.get('till.id'), receipt: sale }, now);
  audit.append(now, s.userId, 'sale.complete', r.header.id, { number, total: sale.total });
  // The drawer first: the cashier gives change while the receipt prints.
  if (payments.some((p) => p.method === 'cash')) effects.enqueue(r.header.id, 'open_drawer', now);
  effects.enqueue(r.header.id, 'print_receipt', now);
  ctx.emit('cart.changed', { receiptId: null });
  ctx.emit('effects.changed', { receiptId: r.header.id });
  ctx.afterCommit(() => ctx.services.kickEffects());
  return sale;
}
