import type { CouponValue } from '../../../src-common/loyalty.js';
import type { LedgerEntry, LedgerKind } from '../../../src-common/sync/loyalty.js';
import type { Db } from '../open.js';

export interface CustomerPoints {
  /** The head office's balance plus this till's entries it does not count yet. */
  points: number;
  spend: number;
  /** When the head office last answered for this customer (null: never). */
  confirmedAt: number | null;
  usedCoupons: string[];
}

export interface CouponRow {
  code: string;
  value: CouponValue;
  maxUses: number | null;
  oncePerCustomer: boolean;
  validFrom: string | null;
  validTo: string | null;
  minTotal: number;
  active: boolean;
  usedElsewhere: number;
  origin: 'local' | 'head_office';
}

interface CouponDbRow {
  code: string;
  value: string;
  max_uses: number | null;
  once_per_customer: number;
  valid_from: string | null;
  valid_to: string | null;
  min_total: number;
  active: number;
  used_elsewhere: number;
  origin: 'local' | 'head_office';
}

export type NewEntry = Omit<LedgerEntry, 'n'> & { businessDay: string };

/**
 * The points ledger, the head office's balances and the coupons. Writes run inside the caller's
 * transaction; the ledger itself refuses changes and deletions (triggers).
 */
export class LoyaltyRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      base: db.prepare('SELECT points, spend, seen_through, used_coupons, confirmed_at FROM customer_balances WHERE customer_id = ?'),
      localAfter: db.prepare('SELECT COALESCE(SUM(points), 0) AS points, COALESCE(SUM(spend), 0) AS spend FROM loyalty_ledger WHERE customer_id = ? AND n > ?'),
      append: db.prepare(
        `INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, reason, receipt_id, coupon_code, at, business_day, offline)
         VALUES (@id, @customerId, @kind, @points, @spend, @reason, @receiptId, @couponCode, @at, @businessDay, @offline) RETURNING n`,
      ),
      offlineSpent: db
        .prepare(`SELECT COALESCE(-SUM(points), 0) FROM loyalty_ledger WHERE customer_id = ? AND kind = 'burn' AND offline = 1 AND business_day = ?`)
        .pluck(),
      putBalance: db.prepare(
        // A row no newer than the balance here (a fresher answer came first) leaves it alone.
        `INSERT INTO customer_balances (customer_id, points, spend, seen_through, used_coupons, purchase_days, gifts, balance_version)
         VALUES (@id, @points, @spend, @seen, @used, COALESCE(@days, '[]'), COALESCE(@gifts, '[]'), @version)
         ON CONFLICT (customer_id) DO UPDATE SET
           points = iif(@version > balance_version, excluded.points, points),
           spend = iif(@version > balance_version, excluded.spend, spend),
           seen_through = iif(@version > balance_version, excluded.seen_through, seen_through),
           balance_version = max(balance_version, @version),
           used_coupons = excluded.used_coupons,
           purchase_days = COALESCE(@days, purchase_days),
           gifts = COALESCE(@gifts, gifts)`,
      ),
      confirm: db.prepare(
        // An answer older than a feed row already here (it took its time) only says the balance is
        // fresh; an answer without a version (an older head office) is taken as it is.
        `INSERT INTO customer_balances (customer_id, points, spend, seen_through, confirmed_at, balance_version) VALUES (@id, @points, @spend, @seen, @at, COALESCE(@version, 0))
         ON CONFLICT (customer_id) DO UPDATE SET
           points = iif(@version IS NULL OR @version >= balance_version, excluded.points, points),
           spend = iif(@version IS NULL OR @version >= balance_version, excluded.spend, spend),
           seen_through = iif(@version IS NULL OR @version >= balance_version, excluded.seen_through, seen_through),
           balance_version = max(balance_version, COALESCE(@version, 0)),
           confirmed_at = excluded.confirmed_at`,
      ),
      returnedLines: db.prepare(
        `SELECT l.product_id AS productId, l.amount, l.gross FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id
          WHERE r.original_id = ? AND r.kind = 'return' AND r.state = 'completed'`,
      ),
      // Through the customer's entries (indexed), not by receipt: the ledger has no receipt index.
      reversed: db.prepare(
        `SELECT reason, COALESCE(SUM(points), 0) AS points FROM loyalty_ledger
          WHERE customer_id = ? AND reason IN ('return-earned', 'return-spent')
            AND receipt_id IN (SELECT id FROM receipts WHERE original_id = ? AND kind = 'return') GROUP BY reason`,
      ),
      // A till restored from an old backup numbers its entries again from where the backup stopped;
      // the head office may count further already. New entries go after what it counts.
      bumpSeq: db.prepare(`UPDATE sqlite_sequence SET seq = @seen WHERE name = 'loyalty_ledger' AND seq < @seen`),
      seedSeq: db.prepare(`INSERT INTO sqlite_sequence (name, seq) SELECT 'loyalty_ledger', @seen WHERE @seen > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'loyalty_ledger')`),
      identities: db.prepare('SELECT till_id FROM till_identities').pluck(),
      ledgerMax: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'loyalty_ledger'`).pluck(),
      history: db.prepare(
        'SELECT id, kind, points, spend, reason, receipt_id AS receiptId, coupon_code AS couponCode, at, offline FROM loyalty_ledger WHERE customer_id = ? ORDER BY n DESC LIMIT ?',
      ),
      // Here, or (by the customers feed) anywhere in the chain.
      reasonGiven: db
        .prepare(
          `SELECT 1 FROM loyalty_ledger WHERE customer_id = @id AND reason = @reason
           UNION ALL SELECT 1 FROM customer_balances b, json_each(b.gifts) j WHERE b.customer_id = @id AND j.value = @reason LIMIT 1`,
        )
        .pluck(),
      coupon: db.prepare('SELECT * FROM coupons WHERE code = ?'),
      coupons: db.prepare('SELECT * FROM coupons ORDER BY created_at DESC LIMIT 500'),
      putCoupon: db.prepare(
        `INSERT INTO coupons (code, value, max_uses, once_per_customer, valid_from, valid_to, min_total, active, used_elsewhere, origin, created_at)
         VALUES (@code, @value, @maxUses, @oncePerCustomer, @validFrom, @validTo, @minTotal, @active, @usedElsewhere, @origin, @at)
         ON CONFLICT (code) DO UPDATE SET value = excluded.value, max_uses = excluded.max_uses, once_per_customer = excluded.once_per_customer,
           valid_from = excluded.valid_from, valid_to = excluded.valid_to, min_total = excluded.min_total, active = excluded.active,
           used_elsewhere = excluded.used_elsewhere, origin = excluded.origin`,
      ),
      couponUses: db.prepare('SELECT COUNT(*) FROM coupon_uses WHERE code = ?').pluck(),
      couponUsesUnsent: db
        .prepare(`SELECT COUNT(*) FROM outbox WHERE type = 'coupon.used' AND acked_at IS NULL AND json_extract(payload, '$.code') = ?`)
        .pluck(),
      couponUse: db.prepare('INSERT INTO coupon_uses (receipt_id, code, customer_id) VALUES (@receiptId, @code, @customerId)'),
      couponUsesBy: db
        .prepare('SELECT COUNT(*) FROM coupon_uses WHERE code = ? AND customer_id = ?')
        .pluck(),
    };
  }

  /** The customer's points and spend as this till knows them now. */
  points(customerId: string): CustomerPoints {
    const b = this.s.base.get(customerId) as { points: number; spend: number; seen_through: number; used_coupons: string; confirmed_at: number | null } | undefined;
    const local = this.s.localAfter.get(customerId, b?.seen_through ?? 0) as { points: number; spend: number };
    return {
      points: (b?.points ?? 0) + local.points,
      spend: (b?.spend ?? 0) + local.spend,
      confirmedAt: b?.confirmed_at ?? null,
      usedCoupons: b ? (JSON.parse(b.used_coupons) as string[]) : [],
    };
  }

  /** Points this customer spent today at this till without a fresh head-office balance. */
  offlineSpent(customerId: string, businessDay: string): number {
    return this.s.offlineSpent.get(customerId, businessDay) as number;
  }

  append(e: NewEntry): number {
    const row = this.s.append.get({ ...e, offline: e.offline ? 1 : 0 }) as { n: number };
    return row.n;
  }

  /** Was an entry with this reason (a birthday's points for a year) written here, or given elsewhere in the chain? */
  given(customerId: string, reason: string): boolean {
    return this.s.reasonGiven.get({ id: customerId, reason }) !== undefined;
  }

  /** The head office's word on a customer (from its feed, or its answer before points are spent). */
  putBalance(b: {
    id: string;
    points: number;
    spend: number;
    seen: number;
    usedCoupons: readonly string[];
    /** The feed row's version: one no newer than the balance here (a fresher answer came first) leaves it alone. */
    version: number;
    /** The chain's latest purchase days; undefined keeps what is stored (an older head office sends none). */
    purchaseDays?: readonly string[] | undefined;
    /** Once-a-year gifts given anywhere in the chain; undefined keeps what is stored. */
    gifts?: readonly string[] | undefined;
  }): void {
    const { purchaseDays, gifts, ...rest } = b;
    const json = (v: readonly string[] | undefined) => (v === undefined ? null : JSON.stringify(v));
    this.s.putBalance.run({ ...rest, used: JSON.stringify(b.usedCoupons.slice(0, 50)), days: json(purchaseDays), gifts: json(gifts) });
    this.afterSeen(b.seen);
  }

  /**
   * Of the head office's `seen` (per till id), how far it counts this till's entries: the highest
   * over every identity this till has had (a till enrolled again keeps one numbering).
   */
  seenByUs(seen: Readonly<Record<string, number>>): number {
    let best = 0;
    for (const id of this.s.identities.all() as string[]) best = Math.max(best, seen[id] ?? 0);
    return best;
  }

  /** The head office has entries of this till up to `n` (a store restored from an old backup numbers after them). */
  numberAfter(n: number): void {
    this.afterSeen(n);
  }

  /** This till's next entry is numbered after every one the head office counts (see bumpSeq). */
  private afterSeen(seen: number): void {
    if (seen <= 0) return;
    this.s.bumpSeq.run({ seen });
    this.s.seedSeq.run({ seen });
  }

  /** The head office's answer for one customer just now: its balance, and which of this till's entries it counts. */
  confirm(customerId: string, points: number, spend: number, seen: number, at: number, version: number | null = null): void {
    this.s.confirm.run({ id: customerId, points, spend, seen, at, version });
    this.afterSeen(seen);
  }

  history(customerId: string, limit: number): { id: string; kind: LedgerKind; points: number; spend: number; reason: string; receiptId: string | null; couponCode: string | null; at: number; offline: number }[] {
    return this.s.history.all(customerId, limit) as never;
  }


  /** The lines the returns of a sale gave back so far (this one's included). */
  returnedLines(saleId: string): { productId: number; amount: number; gross: number }[] {
    return this.s.returnedLines.all(saleId) as { productId: number; amount: number; gross: number }[];
  }

  /** Points taken back (earned) and given back (spent) so far by the returns of a sale. */
  reversed(customerId: string, saleId: string): { earned: number; spent: number } {
    const out = { earned: 0, spent: 0 };
    for (const r of this.s.reversed.all(customerId, saleId) as { reason: string; points: number }[]) {
      if (r.reason === 'return-earned') out.earned = -r.points;
      else out.spent = r.points;
    }
    return out;
  }

  coupon(code: string): CouponRow | null {
    const r = this.s.coupon.get(code) as CouponDbRow | undefined;
    return r ? toCoupon(r) : null;
  }

  coupons(): CouponRow[] {
    return (this.s.coupons.all() as CouponDbRow[]).map(toCoupon);
  }

  putCoupon(c: CouponRow, at: number): void {
    this.s.putCoupon.run({
      ...c,
      value: JSON.stringify(c.value),
      oncePerCustomer: c.oncePerCustomer ? 1 : 0,
      active: c.active ? 1 : 0,
      at,
    });
  }

  /** A coupon given on a completed sale (in its transaction). */
  couponUsed(u: { receiptId: string; code: string; customerId: string | null }): void {
    this.s.couponUse.run(u);
  }

  /**
   * Uses of a chain coupon as far as this till can tell: the head office's count plus this till's
   * uses it has not been told of yet, and never fewer than this till's own.
   */
  chainUses(code: string, countedElsewhere: number): number {
    return Math.max(countedElsewhere + (this.s.couponUsesUnsent.get(code) as number), this.couponUses(code));
  }

  /** Completed sales that used this code here, by anyone or by one customer. */
  couponUses(code: string, customerId?: string): number {
    return (customerId === undefined ? this.s.couponUses.get(code) : this.s.couponUsesBy.get(code, customerId)) as number;
  }
}

function toCoupon(r: CouponDbRow): CouponRow {
  return {
    code: r.code,
    value: JSON.parse(r.value) as CouponValue,
    maxUses: r.max_uses,
    oncePerCustomer: r.once_per_customer === 1,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    minTotal: r.min_total,
    active: r.active === 1,
    usedElsewhere: r.used_elsewhere,
    origin: r.origin,
  };
}
