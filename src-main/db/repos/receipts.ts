import type { ComputedLine, ComputedReceipt } from '../../domain/receipt.js';
import type { SettledPayment } from '../../domain/tender.js';
import type { Discount, ReceiptLoyalty, ReceiptState, Unit } from '../../../src-common/rpc/schemas.js';
import type { BasisPoints, EpochMs, Minor, Qty } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface ReceiptHeader {
  id: string;
  kind: 'sale' | 'return';
  state: ReceiptState;
  originalId: string | null;
  shiftId: string | null;
  reason: string | null;
  number: number | null;
  cashierId: number;
  cashierName: string;
  openedAt: number;
  parkedAt: number | null;
  completedAt: number | null;
  discount: Discount | null;
  subtotal: number;
  discountTotal: number;
  total: number;
  change: number;
  /** The loyalty customer on the receipt, the coupon given, the points asked to spend. */
  customerId: string | null;
  couponCode: string | null;
  pointsAsked: number;
  /** What the completed receipt did to the customer's points, as printed (null: no customer). */
  loyalty: ReceiptLoyalty | null;
}

interface HeaderRow {
  id: string;
  kind: 'sale' | 'return';
  state: ReceiptState;
  original_id: string | null;
  shift_id: string | null;
  reason: string | null;
  number: number | null;
  cashier_id: number;
  cashier_name: string;
  opened_at: number;
  parked_at: number | null;
  completed_at: number | null;
  discount_kind: 'percent' | 'amount' | null;
  discount_value: number | null;
  subtotal: number;
  discount_total: number;
  total: number;
  change: number;
  customer_id: string | null;
  coupon_code: string | null;
  points_asked: number;
  loyalty: string | null;
}

interface LineRow {
  id: string;
  receipt_id: string;
  position: number;
  product_id: number;
  name: string;
  unit: Unit;
  barcode: string | null;
  qty: number;
  base_price: number;
  price: number;
  discount_kind: 'percent' | 'amount' | null;
  discount_value: number | null;
  tax_code: string;
  tax_bp: number;
  gross: number;
  discount_total: number;
  amount: number;
  vat_amount: number;
}

function toDiscount(kind: 'percent' | 'amount' | null, value: number | null): Discount | null {
  if (kind === null || value === null) return null;
  return kind === 'percent' ? { kind, bp: value } : { kind, amount: value };
}
function fromDiscount(d: Discount | null): [string | null, number | null] {
  if (!d) return [null, null];
  return d.kind === 'percent' ? ['percent', d.bp] : ['amount', d.amount];
}

function toHeader(r: HeaderRow): ReceiptHeader {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    originalId: r.original_id,
    shiftId: r.shift_id,
    reason: r.reason,
    number: r.number,
    cashierId: r.cashier_id,
    cashierName: r.cashier_name,
    openedAt: r.opened_at,
    parkedAt: r.parked_at,
    completedAt: r.completed_at,
    discount: toDiscount(r.discount_kind, r.discount_value),
    subtotal: r.subtotal,
    discountTotal: r.discount_total,
    total: r.total,
    change: r.change,
    customerId: r.customer_id,
    couponCode: r.coupon_code,
    pointsAsked: r.points_asked,
    loyalty: r.loyalty === null ? null : (JSON.parse(r.loyalty) as ReceiptLoyalty),
  };
}

function toLine(r: LineRow): ComputedLine {
  return {
    id: r.id,
    productId: r.product_id,
    name: r.name,
    unit: r.unit,
    barcode: r.barcode,
    qty: r.qty as Qty,
    basePrice: r.base_price as Minor,
    price: r.price as Minor,
    discount: toDiscount(r.discount_kind, r.discount_value),
    taxCode: r.tax_code,
    taxBp: r.tax_bp as BasisPoints,
    gross: r.gross as Minor,
    discountTotal: r.discount_total as Minor,
    amount: r.amount as Minor,
    vatAmount: r.vat_amount as Minor,
  };
}

function sameLine(a: ComputedLine, b: ComputedLine): boolean {
  return (
    a.qty === b.qty &&
    a.price === b.price &&
    a.gross === b.gross &&
    a.discountTotal === b.discountTotal &&
    a.amount === b.amount &&
    a.vatAmount === b.vatAmount &&
    JSON.stringify(a.discount) === JSON.stringify(b.discount)
  );
}

/** A computed line as the named parameters of a receipt_lines insert. */
function lineParams(receiptId: string, position: number, l: ComputedLine) {
  const [dk, dv] = fromDiscount(l.discount);
  return {
    id: l.id,
    receipt_id: receiptId,
    position,
    product_id: l.productId,
    name: l.name,
    unit: l.unit,
    barcode: l.barcode,
    qty: l.qty,
    base_price: l.basePrice,
    price: l.price,
    discount_kind: dk,
    discount_value: dv,
    tax_code: l.taxCode,
    tax_bp: l.taxBp,
    gross: l.gross,
    discount_total: l.discountTotal,
    amount: l.amount,
    vat_amount: l.vatAmount,
  };
}

/**
 * A basket being rung up: an open receipt with lines, opened after the parameter (one opened long
 * ago and left does not count). New prices and catalogs wait for it to end.
 */
export const OPEN_BASKET_SQL = `SELECT 1 FROM receipts r WHERE r.state = 'open' AND r.opened_at > ? AND EXISTS (SELECT 1 FROM receipt_lines l WHERE l.receipt_id = r.id) LIMIT 1`;

/** An open basket older than this no longer holds new prices back. */
export const ABANDONED_BASKET_MS = 30 * 60_000;

const HEADER_SELECT = `SELECT r.*, u.name AS cashier_name FROM receipts r JOIN users u ON u.id = r.cashier_id`;

export interface StoredReceipt {
  header: ReceiptHeader;
  lines: ComputedLine[];
}

export class ReceiptsRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      header: db.prepare(`${HEADER_SELECT} WHERE r.id = ?`),
      openFor: db.prepare(`${HEADER_SELECT} WHERE r.cashier_id = ? AND r.state = 'open'`),
      lines: db.prepare('SELECT * FROM receipt_lines WHERE receipt_id = ? ORDER BY position'),
      insert: db.prepare(`INSERT INTO receipts (id, state, cashier_id, opened_at) VALUES (?, 'open', ?, ?)`),
      upsertLine: db.prepare(`INSERT INTO receipt_lines (id, receipt_id, position, product_id, name, unit, barcode, qty,
          base_price, price, discount_kind, discount_value, tax_code, tax_bp, gross, discount_total, amount, vat_amount)
        VALUES (@id, @receipt_id, @position, @product_id, @name, @unit, @barcode, @qty, @base_price, @price,
          @discount_kind, @discount_value, @tax_code, @tax_bp, @gross, @discount_total, @amount, @vat_amount)
        ON CONFLICT (id) DO UPDATE SET qty = excluded.qty, price = excluded.price,
          discount_kind = excluded.discount_kind, discount_value = excluded.discount_value, gross = excluded.gross,
          discount_total = excluded.discount_total, amount = excluded.amount, vat_amount = excluded.vat_amount`),
      deleteLine: db.prepare('DELETE FROM receipt_lines WHERE id = ?'),
      maxPosition: db.prepare('SELECT COALESCE(MAX(position), 0) FROM receipt_lines WHERE receipt_id = ?'),
      totals: db.prepare(`UPDATE receipts SET subtotal = ?, discount_total = ?, total = ?, discount_kind = ?,
          discount_value = ? WHERE id = ?`),
      park: db.prepare(`UPDATE receipts SET state = 'parked', parked_at = ? WHERE id = ? AND state = 'open'`),
      resume: db.prepare(`UPDATE receipts SET state = 'open', parked_at = NULL, cashier_id = ? WHERE id = ? AND state = 'parked'`),
      cancel: db.prepare(`UPDATE receipts SET state = 'cancelled', completed_at = NULL, shift_id = ?
        WHERE id = ? AND state IN ('open', 'parked')`),
      parked: db.prepare(`${HEADER_SELECT} WHERE r.state = 'parked' ORDER BY r.parked_at`),
      lineStats: db.prepare(`SELECT COUNT(*) AS n, (SELECT name FROM receipt_lines WHERE receipt_id = ? ORDER BY position LIMIT 1) AS first
        FROM receipt_lines WHERE receipt_id = ?`),
      complete: db.prepare(`UPDATE receipts SET state = 'completed', number = ?, completed_at = ?, business_day = ?, change = ?,
          shift_id = ? WHERE id = ? AND state = 'open'`),
      insertReturn: db.prepare(`INSERT INTO receipts (id, kind, state, number, cashier_id, opened_at, completed_at, business_day,
          subtotal, discount_total, total, change, shift_id, original_id, reason, approved_by)
        VALUES (@id, 'return', 'completed', @number, @cashier_id, @at, @at, @business_day, @subtotal, @discount_total, @total, 0,
          @shift_id, @original_id, @reason, @approved_by)`),
      insertReturnLine: db.prepare(`INSERT INTO receipt_lines (id, receipt_id, position, product_id, name, unit, barcode, qty,
          base_price, price, discount_kind, discount_value, tax_code, tax_bp, gross, discount_total, amount, vat_amount, original_line_id)
        VALUES (@id, @receipt_id, @position, @product_id, @name, @unit, @barcode, @qty, @base_price, @price,
          @discount_kind, @discount_value, @tax_code, @tax_bp, @gross, @discount_total, @amount, @vat_amount, @original_line_id)`),
      returned: db.prepare(`SELECT l.original_line_id AS lineId, SUM(l.qty) AS qty, SUM(l.amount) AS amount
        FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
        WHERE r.original_id = ? AND r.kind = 'return' AND r.state = 'completed' GROUP BY l.original_line_id`),
      refunded: db.prepare(`SELECT p.method, SUM(p.amount) AS amount FROM receipts r JOIN payments p ON p.receipt_id = r.id
        WHERE r.original_id = ? AND r.kind = 'return' AND r.state = 'completed' GROUP BY p.method`),
      byNumber: db.prepare(`${HEADER_SELECT} WHERE r.number = ? AND r.kind = 'sale' AND r.state = 'completed'`),
      byDay: db.prepare(`${HEADER_SELECT} WHERE r.business_day = ? AND r.kind = 'sale' AND r.state = 'completed'
        ORDER BY r.number DESC LIMIT 200`),
      lineCount: db.prepare('SELECT COUNT(*) FROM receipt_lines WHERE receipt_id = ?').pluck(),
      payment: db.prepare(`INSERT INTO payments (receipt_id, position, method, amount, tendered, change) VALUES (?, ?, ?, ?, ?, ?)`),
      payments: db.prepare('SELECT method, amount, tendered, change FROM payments WHERE receipt_id = ? ORDER BY position'),
      recent: db.prepare(`${HEADER_SELECT} WHERE r.state = 'completed' ORDER BY r.number DESC LIMIT ?`),
      setLoyaltyInput: db.prepare(`UPDATE receipts SET customer_id = ?, coupon_code = ?, points_asked = ? WHERE id = ? AND state = 'open'`),
      setLoyalty: db.prepare('UPDATE receipts SET loyalty = ? WHERE id = ?'),
      ofCustomer: db.prepare(
        `SELECT r.id, r.kind, r.number, r.completed_at AS completedAt, r.total, r.loyalty FROM loyalty_ledger l JOIN receipts r ON r.id = l.receipt_id
          WHERE l.customer_id = ? AND l.kind = 'earn' AND l.reason = 'purchase' ORDER BY l.n`,
      ),
    };
  }

  header(id: string): ReceiptHeader | null {
    const r = this.s.header.get(id) as HeaderRow | undefined;
    return r ? toHeader(r) : null;
  }

  openFor(cashierId: number): ReceiptHeader | null {
    const r = this.s.openFor.get(cashierId) as HeaderRow | undefined;
    return r ? toHeader(r) : null;
  }

  lines(receiptId: string): ComputedLine[] {
    return (this.s.lines.all(receiptId) as LineRow[]).map(toLine);
  }

  load(id: string): StoredReceipt | null {
    const header = this.header(id);
    return header ? { header, lines: this.lines(id) } : null;
  }

  create(id: string, cashierId: number, at: EpochMs): void {
    this.s.insert.run(id, cashierId, at);
  }

  /**
   * Persist a recomputed receipt, writing only the lines that changed. Lines keep the position
   * they were added at (gaps after a removal are fine: position is only the order).
   */
  save(receiptId: string, before: readonly ComputedLine[], after: ComputedReceipt, discount: Discount | null): void {
    const old = new Map(before.map((l) => [l.id, l]));
    const keep = new Set(after.lines.map((l) => l.id));
    for (const l of before) if (!keep.has(l.id)) this.s.deleteLine.run(l.id);
    let nextPosition = 0;
    for (const l of after.lines) {
      const prev = old.get(l.id);
      if (prev && sameLine(prev, l)) continue;
      if (!prev && nextPosition === 0) nextPosition = (this.s.maxPosition.pluck().get(receiptId) as number) + 1;
      this.s.upsertLine.run(lineParams(receiptId, prev ? 0 : nextPosition++, l));
    }
    const [dk, dv] = fromDiscount(discount);
    this.s.totals.run(after.subtotal, after.discountTotal, after.total, dk, dv, receiptId);
  }

  /** The customer, coupon and points asked for on an open receipt. */
  setLoyaltyInput(id: string, customerId: string | null, couponCode: string | null, pointsAsked: number): void {
    if (this.s.setLoyaltyInput.run(customerId, couponCode, pointsAsked, id).changes !== 1) throw new Error(`receipt ${id} is not open`);
  }

  /** A customer's completed receipts (for their data export). */
  ofCustomer(customerId: string): { id: string; kind: string; number: number; completedAt: number; total: number; loyalty: unknown }[] {
    return (this.s.ofCustomer.all(customerId) as { id: string; kind: string; number: number; completedAt: number; total: number; loyalty: string | null }[]).map((r) => ({
      ...r,
      loyalty: r.loyalty === null ? null : (JSON.parse(r.loyalty) as unknown),
    }));
  }

  /** What the completed receipt did to the customer's points (written with the completion). */
  setLoyalty(id: string, loyalty: ReceiptLoyalty): void {
    this.s.setLoyalty.run(JSON.stringify(loyalty), id);
  }

  park(id: string, at: EpochMs): boolean {
    return this.s.park.run(at, id).changes === 1;
  }

  resume(id: string, cashierId: number): boolean {
    return this.s.resume.run(cashierId, id).changes === 1;
  }

  /** Cancel an open or parked receipt; `shiftId` files it under a shift's cancelled receipts (null for an empty one). */
  cancel(id: string, shiftId: string | null = null): boolean {
    return this.s.cancel.run(shiftId, id).changes === 1;
  }

  parked(): { header: ReceiptHeader; lines: number; firstItem: string | null }[] {
    return (this.s.parked.all() as HeaderRow[]).map((r) => {
      const st = this.s.lineStats.get(r.id, r.id) as { n: number; first: string | null };
      return { header: toHeader(r), lines: st.n, firstItem: st.first };
    });
  }

  complete(
    id: string,
    number: number,
    at: EpochMs,
    businessDay: string,
    payments: readonly SettledPayment[],
    change: Minor,
    shiftId: string | null,
  ): void {
    const res = this.s.complete.run(number, at, businessDay, change, shiftId, id);
    if (res.changes !== 1) throw new Error(`receipt ${id} was not open`);
    payments.forEach((p, i) => this.s.payment.run(id, i + 1, p.method, p.amount, p.tendered, p.change));
  }

  payments(id: string): SettledPayment[] {
    return this.s.payments.all(id) as SettledPayment[];
  }

  /** Write a completed return: its header, lines pointing at the sold lines, and the refunds. */
  insertReturn(r: {
    id: string;
    number: number;
    cashierId: number;
    at: EpochMs;
    businessDay: string;
    shiftId: string;
    originalId: string | null;
    reason: string | null;
    approvedBy: number | null;
    lines: (ComputedLine & { originalLineId: string | null })[];
    refunds: readonly { method: string; amount: number }[];
  }): void {
    const subtotal = r.lines.reduce((a, l) => a + l.gross, 0);
    const total = r.lines.reduce((a, l) => a + l.amount, 0);
    this.s.insertReturn.run({
      id: r.id,
      number: r.number,
      cashier_id: r.cashierId,
      at: r.at,
      business_day: r.businessDay,
      subtotal,
      discount_total: subtotal - total,
      total,
      shift_id: r.shiftId,
      original_id: r.originalId,
      reason: r.reason,
      approved_by: r.approvedBy,
    });
    r.lines.forEach((l, i) =>
      this.s.insertReturnLine.run({ ...lineParams(r.id, i + 1, l), original_line_id: l.originalLineId }),
    );
    r.refunds.forEach((p, i) => this.s.payment.run(r.id, i + 1, p.method, p.amount, p.amount, 0));
  }

  /** Per sold line: the quantity and amount already returned. */
  returned(originalId: string): Map<string, { qty: number; amount: number }> {
    const rows = this.s.returned.all(originalId) as { lineId: string; qty: number; amount: number }[];
    return new Map(rows.map((r) => [r.lineId, { qty: r.qty, amount: r.amount }]));
  }

  /** Per payment method: what earlier returns of this sale refunded. */
  refunded(originalId: string): Map<string, number> {
    return new Map((this.s.refunded.all(originalId) as { method: string; amount: number }[]).map((r) => [r.method, r.amount]));
  }

  byNumber(number: number): ReceiptHeader | null {
    const r = this.s.byNumber.get(number) as HeaderRow | undefined;
    return r ? toHeader(r) : null;
  }

  byDay(day: string): ReceiptHeader[] {
    return (this.s.byDay.all(day) as HeaderRow[]).map(toHeader);
  }

  lineCount(id: string): number {
    return this.s.lineCount.get(id) as number;
  }

  recent(limit: number): ReceiptHeader[] {
    return (this.s.recent.all(limit) as HeaderRow[]).map(toHeader);
  }
}

