import { businessDay } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { parseReceiptCode } from '../../src-common/receipt-code.js';
import type { PaymentMethod, ReceiptView, ReturnSource } from '../../src-common/rpc/schemas.js';
import type { BasisPoints, Minor, Qty } from '../../src-common/units.js';
import type { ReceiptHeader, StoredReceipt } from '../db/repos/receipts.js';
import { computeReceipt, type ComputedLine, type LineInput } from '../domain/receipt.js';
import { lineRefund, refundSplit } from '../domain/returns.js';
import { authorize, requireUser, type HandlerCtx, type Handlers, type Session } from './context.js';
import { reverseLoyalty } from './loyalty.js';
import { toReceiptView } from './receipt-view.js';
import { requireSellingShift } from './shift.js';
import { parseMarkingCode } from '../../src-common/marking.js';
import { fiscalizeReceipt, requireFiscalReady } from '../fiscal/journal-ops.js';
import { queueUpstream } from '../sync/upstream.js';

type ReturnLine = ComputedLine & { originalLineId: string | null };

function loadSale(ctx: HandlerCtx, id: string): StoredReceipt {
  const r = ctx.repos.receipts.load(id);
  if (!r || r.header.kind !== 'sale' || r.header.state !== 'completed') {
    throw new AppError('not_found', 'no completed sale with that id', { id });
  }
  return r;
}

function found(ctx: HandlerCtx, h: ReceiptHeader) {
  return {
    id: h.id,
    number: h.number ?? 0,
    completedAt: h.completedAt ?? h.openedAt,
    cashier: h.cashierName,
    total: h.total,
    lines: ctx.repos.receipts.lineCount(h.id),
  };
}

/** What is left to return of each line of a sale, and of the sale's payments per method. */
function returnable(ctx: HandlerCtx, sale: StoredReceipt) {
  const returned = ctx.repos.receipts.returned(sale.header.id);
  const refunded = ctx.repos.receipts.refunded(sale.header.id);
  const paid = new Map<PaymentMethod, number>();
  for (const p of ctx.repos.receipts.payments(sale.header.id)) paid.set(p.method, (paid.get(p.method) ?? 0) + p.amount);
  const remainingByMethod = [...paid].map(([method, amount]) => ({ method, amount: amount - (refunded.get(method) ?? 0) }));
  return { returned, remainingByMethod };
}

/** Write a completed return with its stock movements, outbox event, audit entry and effects. */
function writeReturn(
  ctx: HandlerCtx,
  s: Session,
  lines: ReturnLine[],
  refunds: { method: PaymentMethod; amount: Minor }[],
  extra: { originalId: string | null; reason: string | null; approvedBy: number | null },
): ReceiptView {
  const shift = requireSellingShift(ctx);
  requireFiscalReady(ctx);
  const now = ctx.clock.now();
  const { receipts, counters, stock, audit, effects, settings } = ctx.repos;
  const id = newId();
  const number = counters.next('receipt_number');
  receipts.insertReturn({
    id,
    number,
    cashierId: s.userId,
    at: now,
    businessDay: businessDay(now, settings.get('timeZone')),
    shiftId: shift.id,
    ...extra,
    lines,
    refunds,
  });
  for (const l of lines) stock.move(l.productId, l.qty, 'return', id, now);
  if (extra.originalId) reverseLoyalty(ctx, extra.originalId, id, lines.reduce((a, l) => a + l.amount, 0) as Minor, now);
  const stored = receipts.load(id) as StoredReceipt;
  fiscalizeReceipt(ctx, stored);
  const view = toReceiptView(stored, receipts.payments(id));
  queueUpstream(ctx, 'sales', 'return.completed', { tillId: settings.get('till.id'), receipt: view, reason: extra.reason }, now);
  audit.append(now, s.userId, extra.originalId ? 'return.complete' : 'return.no_receipt', id, {
    number,
    total: view.total,
    originalId: extra.originalId,
    reason: extra.reason,
    approvedBy: extra.approvedBy,
  });
  if (refunds.some((p) => p.method === 'cash')) effects.enqueue(id, 'open_drawer', now);
  effects.enqueue(id, 'print_receipt', now);
  ctx.emit('effects.changed', { receiptId: id });
  ctx.afterCommit(() => ctx.services.kickEffects());
  return view;
}

/** The marking code a sold line carries (a marked unit), or null. */
function soldMarkingCode(barcode: string | null): string | null {
  if (!barcode) return null;
  const m = parseMarkingCode(barcode);
  return m.ok ? m.code : null;
}

/**
 * A marked unit is taken back only with its code scanned again, and it must be the unit sold on that
 * line (the fiscal return carries the same code). An unmarked line takes no code.
 */
function requireSameUnit(sold: string | null, scanned: string | undefined, name: string): void {
  if (!sold) return;
  if (!scanned) throw new AppError('marking_required', 'scan the marking code of the unit brought back', { name });
  const m = parseMarkingCode(scanned);
  if (!m.ok) throw new AppError('marking_invalid', 'this marking code is not whole', { reason: m.problem });
  if (m.code !== sold) throw new AppError('marking_invalid', 'this is not the unit sold on this line', { reason: 'not_this_unit' });
}

/** A marked product returned without a receipt: one unit per line, with its code. */
function markedUnitCode(scanned: string | undefined, name: string, unit: string, qty: number): string {
  if (!scanned) throw new AppError('marking_required', 'scan the marking code of the unit brought back', { name });
  if (unit !== 'pcs' || qty !== 1000) throw new AppError('invalid_quantity', 'one marked unit per line', { unit });
  const m = parseMarkingCode(scanned);
  if (!m.ok) throw new AppError('marking_invalid', 'this marking code is not whole', { reason: m.problem });
  return m.code;
}

export const returnHandlers: Handlers<'returns.find' | 'returns.source' | 'returns.complete' | 'returns.completeWithoutReceipt'> = {
  'returns.find': ({ query }, ctx) => {
    requireUser(ctx, 'return');
    const { receipts } = ctx.repos;
    const byCode = parseReceiptCode(query);
    if (byCode) {
      const h = receipts.header(byCode);
      return h && h.kind === 'sale' && h.state === 'completed' ? [found(ctx, h)] : [];
    }
    if (/^\d{1,9}$/.test(query)) {
      const h = receipts.byNumber(Number(query));
      return h ? [found(ctx, h)] : [];
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(query)) return receipts.byDay(query).map((h) => found(ctx, h));
    throw new AppError('validation', 'a receipt number, a scanned receipt code or a date', { field: 'query' });
  },

  'returns.source': ({ receiptId }, ctx): ReturnSource => {
    requireUser(ctx, 'return');
    const sale = loadSale(ctx, receiptId);
    const { returned } = returnable(ctx, sale);
    const lines = sale.lines.map((l) => {
      const back = returned.get(l.id) ?? { qty: 0, amount: 0 };
      return {
        lineId: l.id,
        name: l.name,
        unit: l.unit,
        sold: l.qty,
        returned: back.qty,
        returnable: l.qty - back.qty,
        amount: l.amount,
        refundable: l.amount - back.amount,
        marked: soldMarkingCode(l.barcode) !== null,
      };
    });
    return {
      receipt: toReceiptView(sale, ctx.repos.receipts.payments(sale.header.id)),
      lines,
      refundable: lines.reduce((a, l) => a + l.refundable, 0),
    };
  },

  'returns.complete': ({ originalId, lines: wanted, reason }, ctx) => {
    const s = requireUser(ctx, 'return');
    const sale = loadSale(ctx, originalId);
    const { returned, remainingByMethod } = returnable(ctx, sale);
    const seen = new Set<string>();
    const lines: ReturnLine[] = wanted.map(({ lineId, qty, markingCode }) => {
      if (seen.has(lineId)) throw new AppError('return_invalid', 'a line is listed twice', { lineId });
      seen.add(lineId);
      const sold = sale.lines.find((l) => l.id === lineId);
      if (!sold) throw new AppError('not_found', 'the sale has no such line', { lineId });
      requireSameUnit(soldMarkingCode(sold.barcode), markingCode, sold.name);
      if (sold.unit === 'pcs' && qty % 1000 !== 0) throw new AppError('invalid_quantity', 'whole pieces only', { unit: sold.unit });
      const r = lineRefund(sold, returned.get(lineId)?.qty ?? 0, qty as Qty);
      return { ...sold, id: newId(), qty: qty as Qty, discount: null, gross: r.gross, discountTotal: (r.gross - r.amount) as Minor, amount: r.amount, vatAmount: r.vatAmount, originalLineId: sold.id };
    });
    const total = lines.reduce((a, l) => a + l.amount, 0) as Minor;
    const refunds = refundSplit(total, remainingByMethod);
    return writeReturn(ctx, s, lines, refunds, { originalId, reason: reason ?? null, approvedBy: null });
  },

  'returns.completeWithoutReceipt': ({ lines: wanted, method, reason, approvalId }, ctx) => {
    requireUser(ctx, 'sale');
    const inputs: LineInput[] = wanted.map(({ productId, qty, markingCode }) => {
      const p = ctx.repos.catalog.byId(productId);
      if (!p) throw new AppError('not_found', 'product not found', { productId });
      const code = p.marked === 1 ? markedUnitCode(markingCode, p.name, p.unit, qty) : null;
      if (p.unit === 'pcs' && qty % 1000 !== 0) throw new AppError('invalid_quantity', 'whole pieces only', { unit: p.unit });
      return {
        id: newId(),
        productId: p.id,
        name: p.name,
        unit: p.unit,
        barcode: code ?? p.barcode,
        qty: qty as Qty,
        basePrice: p.price as Minor,
        price: p.price as Minor,
        discount: null,
        taxCode: p.tax_code,
        taxBp: p.tax_bp as BasisPoints,
      };
    });
    const computed = computeReceipt(inputs, null);
    const items = inputs.map((l) => `${l.productId}x${l.qty}`).join(',');
    const binding = `return_no_receipt:items=${items}:total=${computed.total}:method=${method}`;
    const { session, approvedBy } = authorize(ctx, 'return_no_receipt', binding, approvalId);
    const lines = computed.lines.map((l) => ({ ...l, originalLineId: null }));
    return writeReturn(ctx, session, lines, [{ method, amount: computed.total }], { originalId: null, reason, approvedBy });
  },
};
