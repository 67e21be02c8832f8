import { AppError } from '../../src-common/errors.js';
import type { MarkupRule } from '../../src-common/rpc/schemas.js';
import type { EpochMs } from '../../src-common/units.js';
import type { Db } from '../db/open.js';
import type { MarkupRuleRow, PricingRepo, ScheduledPriceRow } from '../db/repos/pricing.js';
import type { StockDocsRepo } from '../db/repos/stock-docs.js';
import type { AuditRepo } from '../db/repos/ledger.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

const ruleView = (r: MarkupRuleRow): MarkupRule => ({
  id: r.id,
  supplier: r.supplier_id === null ? null : { id: r.supplier_id, name: r.supplier_name ?? '' },
  category: r.category_id === null ? null : { id: r.category_id, name: r.category_name ?? '' },
  markupBp: r.markup_bp,
  rounding: r.rounding,
  ending: r.ending,
});

const scheduledView = (r: ScheduledPriceRow) => ({
  id: r.id,
  productId: r.product_id,
  name: r.name,
  oldPrice: r.old_price,
  newPrice: r.new_price,
  effectiveAt: r.effective_at,
  sourceId: r.source_id,
});

const rules = (ctx: HandlerCtx) => ctx.repos.pricing.rules().map(ruleView);
const upcoming = (ctx: HandlerCtx) => ctx.repos.pricing.upcoming(500).map(scheduledView);

export const pricingHandlers: Handlers<'pricing.rules' | 'pricing.setRule' | 'pricing.deleteRule' | 'pricing.scheduled' | 'pricing.cancelScheduled'> = {
  'pricing.rules': (_p, ctx) => {
    requireUser(ctx, 'stock');
    return rules(ctx);
  },

  'pricing.setRule': (r, ctx) => {
    const user = requireUser(ctx, 'prices_manage');
    if (r.supplierId !== null && !ctx.repos.stockDocs.supplier(r.supplierId)) throw new AppError('not_found', 'no such supplier', { supplierId: r.supplierId });
    if (r.categoryId !== null && !ctx.repos.stockDocs.categoryExists(r.categoryId)) throw new AppError('not_found', 'no such category', { categoryId: r.categoryId });
    ctx.repos.pricing.putRule(r);
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'pricing.rule', null, { ...r });
    return rules(ctx);
  },

  'pricing.deleteRule': ({ id }, ctx) => {
    const user = requireUser(ctx, 'prices_manage');
    if (!ctx.repos.pricing.deleteRule(id)) throw new AppError('not_found', 'no such rule', { id });
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'pricing.rule_delete', String(id), {});
    return rules(ctx);
  },

  'pricing.scheduled': (_p, ctx) => {
    requireUser(ctx, 'stock');
    return upcoming(ctx);
  },

  'pricing.cancelScheduled': ({ id }, ctx) => {
    const user = requireUser(ctx, 'prices_manage');
    if (!ctx.repos.pricing.cancel(id, ctx.clock.now())) throw new AppError('not_found', 'no such scheduled price, or it already took effect', { id });
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'pricing.cancel_scheduled', String(id), {});
    return upcoming(ctx);
  },
};

/**
 * Scheduled prices whose moment has come take effect, between baskets, in one transaction: each is
 * recorded as a price change (its tags are then due). Returns how many took effect.
 */
export function applyDuePrices(db: Db, repos: { pricing: PricingRepo; stockDocs: StockDocsRepo; audit: AuditRepo }, now: EpochMs): number {
  if (repos.pricing.basketInProgress(now)) return 0;
  return db.transaction(() => {
    let n = 0;
    for (const r of repos.pricing.due(now)) {
      if (!repos.pricing.markApplied(r.id, now)) continue;
      if (r.new_price !== r.old_price) repos.stockDocs.changePrice(r.product_id, r.old_price, r.new_price, r.source_id, r.user_id, now);
      n++;
    }
    if (n > 0) repos.audit.append(now, null, 'pricing.scheduled_applied', null, { count: n });
    return n;
  })();
}
