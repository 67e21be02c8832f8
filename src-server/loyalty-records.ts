/**
 * A customer and a coupon as their feeds hand them down (CustomerFeedRecordSchema,
 * CouponFeedRecordSchema in src-common/sync/loyalty.ts), as SQL over the current-state tables. The
 * same expression fills the change log and the snapshot, so the two never differ in shape.
 *
 * No imports on purpose: catalog.ts (snapshot) and the loyalty modules (change log) both read these.
 */

/** Over `customers c`. */
export const CUSTOMER_RECORD_SQL = `jsonb_build_object(
  'id', c.id, 'cardNo', c.card_no, 'phone', c.phone, 'name', c.name, 'birthday', c.birthday,
  'consents', c.consents, 'createdAt', c.created_at, 'erased', c.erased_at IS NOT NULL,
  'points', c.points, 'spend', c.spend, 'seen', c.seen, 'usedCoupons', c.used_coupons)`;

/** Over `coupons k`. */
export const COUPON_RECORD_SQL = `jsonb_build_object(
  'code', k.code, 'value', k.value, 'maxUses', k.max_uses, 'oncePerCustomer', k.once_per_customer,
  'validFrom', k.valid_from, 'validTo', k.valid_to, 'minTotal', k.min_total, 'active', k.active, 'used', k.used)`;
