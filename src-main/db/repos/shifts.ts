import type { CashMovementView, DenominationCount, PaymentMethod } from '../../../src-common/rpc/schemas.js';
import type { EpochMs, Minor } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface ShiftRow {
  id: string;
  number: number;
  state: 'open' | 'closed';
  opened_at: number;
  opened_by: number;
  opened_by_name: string;
  opening_float: number;
  closed_at: number | null;
  closed_by: number | null;
  closed_by_name: string | null;
  counted_cash: number | null;
  expected_cash: number | null;
  difference: number | null;
  difference_reason: string | null;
  z_report: string | null;
}

/** What a shift report is computed from: sums the store answers with a handful of indexed queries. */
export interface ShiftTotals {
  receipts: { kind: 'sale' | 'return'; count: number; total: number; discounts: number }[];
  payments: { kind: 'sale' | 'return'; method: PaymentMethod; amount: number }[];
  vat: { kind: 'sale' | 'return'; code: string; bp: number; amount: number; vat: number; lines: number }[];
  cashiers: { name: string; kind: 'sale' | 'return'; count: number; total: number }[];
  voids: { count: number; amount: number };
  cancelled: { count: number; amount: number };
  movements: CashMovementView[];
}

const SHIFT_SELECT = `SELECT s.*, o.name AS opened_by_name, c.name AS closed_by_name FROM shifts s
  JOIN users o ON o.id = s.opened_by LEFT JOIN users c ON c.id = s.closed_by`;

export class ShiftsRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      open: db.prepare(`${SHIFT_SELECT} WHERE s.state = 'open'`),
      byId: db.prepare(`${SHIFT_SELECT} WHERE s.id = ?`),
      recent: db.prepare(`${SHIFT_SELECT} ORDER BY s.number DESC LIMIT ?`),
      insert: db.prepare(`INSERT INTO shifts (id, number, state, opened_at, opened_by, opening_float, opening_count)
        VALUES (?, ?, 'open', ?, ?, ?, ?)`),
      close: db.prepare(`UPDATE shifts SET state = 'closed', closed_at = ?, closed_by = ?, counted_cash = ?, closing_count = ?,
          expected_cash = ?, difference = ?, difference_reason = ?, z_report = ? WHERE id = ? AND state = 'open'`),
      movement: db.prepare(`INSERT INTO cash_movements (id, shift_id, kind, amount, reason, user_id, approved_by, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      movements: db.prepare(`SELECT m.id, m.kind, m.amount, m.reason, u.name AS user, a.name AS approvedBy, m.at
        FROM cash_movements m JOIN users u ON u.id = m.user_id LEFT JOIN users a ON a.id = m.approved_by
        WHERE m.shift_id = ? ORDER BY m.at, m.rowid`),
      receipts: db.prepare(`SELECT kind, COUNT(*) AS count, COALESCE(SUM(total), 0) AS total,
          COALESCE(SUM(discount_total), 0) AS discounts
        FROM receipts WHERE shift_id = ? AND state = 'completed' GROUP BY kind`),
      payments: db.prepare(`SELECT r.kind, p.method, SUM(p.amount) AS amount
        FROM receipts r JOIN payments p ON p.receipt_id = r.id
        WHERE r.shift_id = ? AND r.state = 'completed' GROUP BY r.kind, p.method`),
      vat: db.prepare(`SELECT r.kind, l.tax_code AS code, l.tax_bp AS bp, SUM(l.amount) AS amount, SUM(l.vat_amount) AS vat,
          COUNT(*) AS lines
        FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
        WHERE r.shift_id = ? AND r.state = 'completed' GROUP BY r.kind, l.tax_code, l.tax_bp ORDER BY l.tax_bp DESC, l.tax_code`),
      cashiers: db.prepare(`SELECT u.name, r.kind, COUNT(*) AS count, SUM(r.total) AS total
        FROM receipts r JOIN users u ON u.id = r.cashier_id
        WHERE r.shift_id = ? AND r.state = 'completed' GROUP BY r.cashier_id, r.kind ORDER BY u.name`),
      voids: db.prepare(`SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount FROM line_voids WHERE shift_id = ?`),
      cancelled: db.prepare(`SELECT COUNT(*) AS count, COALESCE(SUM(total), 0) AS amount
        FROM receipts WHERE shift_id = ? AND state = 'cancelled'`),
      void: db.prepare(`INSERT INTO line_voids (id, receipt_id, shift_id, product_id, name, qty, amount, user_id, approved_by, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  current(): ShiftRow | null {
    return (this.s.open.get() as ShiftRow | undefined) ?? null;
  }
  byId(id: string): ShiftRow | null {
    return (this.s.byId.get(id) as ShiftRow | undefined) ?? null;
  }
  recent(limit: number): ShiftRow[] {
    return this.s.recent.all(limit) as ShiftRow[];
  }

  open(id: string, number: number, at: EpochMs, userId: number, float: Minor, count: DenominationCount): void {
    this.s.insert.run(id, number, at, userId, float, JSON.stringify(count));
  }

  close(
    id: string,
    c: { at: EpochMs; userId: number; counted: Minor; count: DenominationCount; expected: Minor; difference: number; reason: string | null; z: unknown },
  ): void {
    const res = this.s.close.run(c.at, c.userId, c.counted, JSON.stringify(c.count), c.expected, c.difference, c.reason, JSON.stringify(c.z), id);
    if (res.changes !== 1) throw new Error(`shift ${id} was not open`);
  }

  addMovement(m: { id: string; shiftId: string; kind: 'in' | 'out'; amount: Minor; reason: string; userId: number; approvedBy: number | null; at: EpochMs }): void {
    this.s.movement.run(m.id, m.shiftId, m.kind, m.amount, m.reason, m.userId, m.approvedBy, m.at);
  }

  movements(shiftId: string): CashMovementView[] {
    return this.s.movements.all(shiftId) as CashMovementView[];
  }

  recordVoid(v: {
    id: string;
    receiptId: string;
    shiftId: string | null;
    productId: number;
    name: string;
    qty: number;
    amount: number;
    userId: number;
    approvedBy: number | null;
    at: EpochMs;
  }): void {
    this.s.void.run(v.id, v.receiptId, v.shiftId, v.productId, v.name, v.qty, v.amount, v.userId, v.approvedBy, v.at);
  }

  totals(shiftId: string): ShiftTotals {
    return {
      receipts: this.s.receipts.all(shiftId) as ShiftTotals['receipts'],
      payments: this.s.payments.all(shiftId) as ShiftTotals['payments'],
      vat: this.s.vat.all(shiftId) as ShiftTotals['vat'],
      cashiers: this.s.cashiers.all(shiftId) as ShiftTotals['cashiers'],
      voids: this.s.voids.get(shiftId) as ShiftTotals['voids'],
      cancelled: this.s.cancelled.get(shiftId) as ShiftTotals['cancelled'],
      movements: this.movements(shiftId),
    };
  }
}
