import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';
import { ABANDONED_BASKET_MS, OPEN_BASKET_SQL } from './receipts.js';

export interface MarkupRuleRow {
  id: number;
  supplier_id: number | null;
  supplier_name: string | null;
  category_id: number | null;
  category_name: string | null;
  markup_bp: number;
  rounding: number;
  ending: number;
}

export interface ScheduledPriceRow {
  id: number;
  product_id: number;
  name: string;
  old_price: number;
  new_price: number;
  effective_at: number;
  source_id: string | null;
  user_id: number | null;
}

/** Markup rules and scheduled price changes. Writes run inside the caller's transaction. */
export class PricingRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      rules: db.prepare(
        `SELECT r.id, r.supplier_id, s.name AS supplier_name, r.category_id, c.name AS category_name, r.markup_bp, r.rounding, r.ending
           FROM markup_rules r LEFT JOIN suppliers s ON s.id = r.supplier_id LEFT JOIN categories c ON c.id = r.category_id
          ORDER BY s.name IS NULL, s.name, c.name`,
      ),
      putRule: db.prepare(
        `INSERT INTO markup_rules (supplier_id, category_id, markup_bp, rounding, ending) VALUES (@supplierId, @categoryId, @markupBp, @rounding, @ending)
         ON CONFLICT (COALESCE(supplier_id, 0), COALESCE(category_id, 0)) DO UPDATE SET markup_bp = excluded.markup_bp, rounding = excluded.rounding, ending = excluded.ending`,
      ),
      deleteRule: db.prepare('DELETE FROM markup_rules WHERE id = ?'),
      // The most specific rule: supplier and category, then the supplier's, then the category's.
      ruleFor: db.prepare(
        `SELECT id, supplier_id, NULL AS supplier_name, category_id, NULL AS category_name, markup_bp, rounding, ending FROM markup_rules
          WHERE (supplier_id = @supplierId OR supplier_id IS NULL) AND (category_id = @categoryId OR category_id IS NULL)
          ORDER BY (supplier_id IS NOT NULL) * 2 + (category_id IS NOT NULL) DESC LIMIT 1`,
      ),
      schedule: db.prepare(
        'INSERT INTO price_schedule (product_id, new_price, effective_at, source_id, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      due: db.prepare(
        `SELECT ps.id, ps.product_id, p.name, p.price AS old_price, ps.new_price, ps.effective_at, ps.source_id, ps.user_id
           FROM price_schedule ps JOIN products p ON p.id = ps.product_id
          WHERE ps.applied_at IS NULL AND ps.cancelled_at IS NULL AND ps.effective_at <= ? ORDER BY ps.effective_at, ps.id`,
      ),
      upcoming: db.prepare(
        `SELECT ps.id, ps.product_id, p.name, p.price AS old_price, ps.new_price, ps.effective_at, ps.source_id, ps.user_id
           FROM price_schedule ps JOIN products p ON p.id = ps.product_id
          WHERE ps.applied_at IS NULL AND ps.cancelled_at IS NULL ORDER BY ps.effective_at, ps.id LIMIT ?`,
      ),
      applied: db.prepare('UPDATE price_schedule SET applied_at = ? WHERE id = ? AND applied_at IS NULL AND cancelled_at IS NULL'),
      cancel: db.prepare('UPDATE price_schedule SET cancelled_at = ? WHERE id = ? AND applied_at IS NULL AND cancelled_at IS NULL'),
      // A newer schedule for the same product replaces one still waiting.
      basket: db.prepare(OPEN_BASKET_SQL).pluck(),
      supersede: db.prepare('UPDATE price_schedule SET cancelled_at = ? WHERE product_id = ? AND applied_at IS NULL AND cancelled_at IS NULL'),
    };
  }

  /** A basket is being rung up now: scheduled prices wait for it to end. */
  basketInProgress(now: EpochMs): boolean {
    return this.s.basket.get(now - ABANDONED_BASKET_MS) !== undefined;
  }

  rules(): MarkupRuleRow[] {
    return this.s.rules.all() as MarkupRuleRow[];
  }
  putRule(r: { supplierId: number | null; categoryId: number | null; markupBp: number; rounding: number; ending: number }): void {
    this.s.putRule.run(r);
  }
  deleteRule(id: number): boolean {
    return this.s.deleteRule.run(id).changes > 0;
  }
  ruleFor(supplierId: number | null, categoryId: number | null): MarkupRuleRow | null {
    return (this.s.ruleFor.get({ supplierId, categoryId }) as MarkupRuleRow | undefined) ?? null;
  }

  /** A new price from `effectiveAt`, replacing one still waiting for the product. */
  schedule(productId: number, newPrice: number, effectiveAt: EpochMs, sourceId: string | null, userId: number, at: EpochMs): void {
    this.s.supersede.run(at, productId);
    this.s.schedule.run(productId, newPrice, effectiveAt, sourceId, userId, at);
  }
  due(now: EpochMs): ScheduledPriceRow[] {
    return this.s.due.all(now) as ScheduledPriceRow[];
  }
  upcoming(limit: number): ScheduledPriceRow[] {
    return this.s.upcoming.all(limit) as ScheduledPriceRow[];
  }
  markApplied(id: number, at: EpochMs): boolean {
    return this.s.applied.run(at, id).changes > 0;
  }
  cancel(id: number, at: EpochMs): boolean {
    return this.s.cancel.run(at, id).changes > 0;
  }
}
