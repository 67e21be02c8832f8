import { z } from 'zod';
import { CouponFeedRecordSchema, type CouponFeedRecord } from '../src-common/sync/loyalty.js';
import { takeVersions } from './catalog.js';
import type { ServerDb, Sql } from './db/db.js';
import { HttpError } from './errors.js';
import { COUPON_RECORD_SQL } from './loyalty-records.js';

/**
 * The chain's coupons and promo codes: the owner sets them, tills get them through the `coupons`
 * feed and report each use (loyalty.ts), the head office counts the uses.
 */

/** Personal birthday codes (src-common/loyalty.ts birthdayCouponCode) are made by tills, never set here. */
const PERSONAL_PREFIX = 'BDAY-';

/** A coupon as the owner sets it: the feed record without its code (in the path) and its use count (the head office's). */
export const CouponInputSchema = CouponFeedRecordSchema.omit({ code: true, used: true })
  .extend({
    maxUses: CouponFeedRecordSchema.shape.maxUses.default(null),
    oncePerCustomer: z.boolean().default(false),
    validFrom: CouponFeedRecordSchema.shape.validFrom.default(null),
    validTo: CouponFeedRecordSchema.shape.validTo.default(null),
    minTotal: CouponFeedRecordSchema.shape.minTotal.default(0),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((c) => c.validFrom === null || c.validTo === null || c.validFrom <= c.validTo, { message: 'validFrom comes after validTo', path: ['validTo'] });
export type CouponInput = z.infer<typeof CouponInputSchema>;

/** A code as tills compare it: trimmed and upper-cased. */
export const normalCode = (code: string) => code.trim().toUpperCase();

/** One feed row for a coupon as it is now, with its next version. */
export async function logCoupon(tx: Sql, code: string, now: number): Promise<void> {
  const version = await takeVersions(tx, 1);
  await tx.query(
    `INSERT INTO change_log (version, feed, store_id, key, data, at) SELECT $1, 'coupons', NULL, k.code, ${COUPON_RECORD_SQL}, $3 FROM coupons k WHERE k.code = $2`,
    [version, code, now],
  );
}

/** Create or change a coupon (its use count stays); `created` says which. */
export async function putCoupon(db: ServerDb, rawCode: string, c: CouponInput, now: number): Promise<{ created: boolean; coupon: CouponFeedRecord }> {
  const code = normalCode(rawCode);
  const checked = CouponFeedRecordSchema.shape.code.regex(/^[A-Z0-9А-ЯЁ_-]+$/, 'letters, digits, - and _ only').safeParse(code);
  if (!checked.success) throw new HttpError(400, 'bad_request', `code: ${checked.error.issues.map((i) => i.message).join('; ')}`);
  if (code.startsWith(PERSONAL_PREFIX)) throw new HttpError(400, 'bad_request', `codes starting ${PERSONAL_PREFIX} are customers' personal birthday coupons`);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ created: boolean }>(
      `INSERT INTO coupons (code, value, max_uses, once_per_customer, valid_from, valid_to, min_total, active, used, created_at, updated_at)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, 0, $9, $9)
       ON CONFLICT (code) DO UPDATE SET value = excluded.value, max_uses = excluded.max_uses, once_per_customer = excluded.once_per_customer,
         valid_from = excluded.valid_from, valid_to = excluded.valid_to, min_total = excluded.min_total, active = excluded.active, updated_at = excluded.updated_at
       RETURNING (xmax = 0) AS created`,
      [code, JSON.stringify(c.value), c.maxUses, c.oncePerCustomer, c.validFrom, c.validTo, c.minTotal, c.active, now],
    );
    await logCoupon(tx, code, now);
    const [k] = await tx.query<{ data: CouponFeedRecord }>(`SELECT ${COUPON_RECORD_SQL} AS data FROM coupons k WHERE k.code = $1`, [code]);
    return { created: row?.created ?? false, coupon: (k as { data: CouponFeedRecord }).data };
  });
}

/** Every coupon, with the uses recorded over its limit (they happened offline: counted, never refused). */
export async function listCoupons(db: Sql): Promise<(CouponFeedRecord & { overLimit: number; createdAt: number; updatedAt: number })[]> {
  const rows = await db.query<{ data: CouponFeedRecord; over_limit: number; created_at: number; updated_at: number }>(
    `SELECT ${COUPON_RECORD_SQL} AS data, k.created_at, k.updated_at,
            (SELECT count(*) FROM coupon_uses u WHERE u.code = k.code AND u.over_limit) AS over_limit
       FROM coupons k ORDER BY k.code`,
  );
  return rows.map((r) => ({ ...r.data, overLimit: Number(r.over_limit), createdAt: r.created_at, updatedAt: r.updated_at }));
}

/**
 * A use of a chain coupon a till reported (first time for this receipt): counted; over its limit
 * (more than `maxUses`, or a customer's second use of a once-per-customer coupon) it is marked so.
 * Null when the code is not one of the chain's coupons; else whether each customer may use it once.
 */
export async function countCouponUse(tx: Sql, code: string, receiptId: string, customerId: string | null, now: number): Promise<{ oncePerCustomer: boolean } | null> {
  const [k] = await tx.query<{ max_uses: number | null; once_per_customer: boolean; used: number }>(
    'SELECT max_uses, once_per_customer, used FROM coupons WHERE code = $1 FOR UPDATE',
    [code],
  );
  if (!k) return null;
  const again =
    k.once_per_customer && customerId !== null
      ? (await tx.query('SELECT 1 FROM coupon_uses WHERE code = $1 AND customer_id = $2 AND receipt_id <> $3 LIMIT 1', [code, customerId, receiptId])).length > 0
      : false;
  if ((k.max_uses !== null && k.used >= k.max_uses) || again) await tx.query('UPDATE coupon_uses SET over_limit = true WHERE code = $1 AND receipt_id = $2', [code, receiptId]);
  await tx.query('UPDATE coupons SET used = used + 1 WHERE code = $1', [code]);
  await logCoupon(tx, code, now);
  return { oncePerCustomer: k.once_per_customer };
}
