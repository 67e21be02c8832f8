/**
 * A customer and a coupon as their feeds hand them down (CustomerFeedRecordSchema,
 * CouponFeedRecordSchema in src-common/sync/loyalty.ts), as SQL over the current-state tables. The
 * same expression fills the change log and the snapshot, so the two never differ in shape.
 *
 * No imports on purpose: catalog.ts (snapshot) and the loyalty modules (change log) both read these.
 */

/**
 * Over `customers c`. `purchaseDays`: the latest 12 (PURCHASE_DAYS_KEPT) days with a purchase entry,
 * each in the selling store's time zone as the till counts its business day; none once erased.
 * `gifts`: the birthday gifts given (their ledger reasons), the latest 10.
 */
export const CUSTOMER_RECORD_SQL = `jsonb_build_object(
  'id', c.id, 'cardNo', c.card_no, 'phone', c.phone, 'name', c.name, 'birthday', c.birthday,
  'consents', c.consents, 'createdAt', c.created_at, 'erased', c.erased_at IS NOT NULL,
  'points', c.points, 'spend', c.spend, 'seen', c.seen, 'usedCoupons', c.used_coupons,
  'purchaseDays', CASE WHEN c.erased_at IS NOT NULL THEN '[]'::jsonb ELSE COALESCE((
    SELECT jsonb_agg(d.day ORDER BY d.day) FROM (
      SELECT DISTINCT to_char(to_timestamp(l.at / 1000.0) AT TIME ZONE COALESCE(s.time_zone, 'UTC'), 'YYYY-MM-DD') AS day
        FROM loyalty_ledger l LEFT JOIN stores s ON s.id = l.store_id
       WHERE l.customer_id = c.id AND l.kind = 'earn' AND l.reason = 'purchase'
       ORDER BY day DESC LIMIT 12) d), '[]'::jsonb) END,
  'gifts', COALESCE((
    SELECT jsonb_agg(g.reason ORDER BY g.reason DESC) FROM (
      SELECT DISTINCT l.reason FROM loyalty_ledger l
       WHERE l.customer_id = c.id AND l.reason LIKE 'birthday-%' ORDER BY l.reason DESC LIMIT 10) g), '[]'::jsonb))`;

/** Over `coupons k`. */
export const COUPON_RECORD_SQL = `jsonb_build_object(
  'code', k.code, 'value', k.value, 'maxUses', k.max_uses, 'oncePerCustomer', k.once_per_customer,
  'validFrom', k.valid_from, 'validTo', k.valid_to, 'minTotal', k.min_total, 'active', k.active, 'used', k.used)`;
