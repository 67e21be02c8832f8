import { z } from 'zod';
import { CouponValueSchema } from '../loyalty.js';

/**
 * Loyalty over the head-office link. Upstream (the `loyalty` channel, in order per till): customers
 * signed up, consents changed, erasure asked for, and points ledger entries. Downstream: the
 * `customers` feed (every customer of the chain with the head office's balance) and the `coupons`
 * feed (coupons and promo codes). The ledger is append-only at both ends; a balance is its sum.
 */

export const ConsentsSchema = z.object({ loyalty: z.boolean(), service: z.boolean(), advertising: z.boolean() }).strict();
export type Consents = z.infer<typeof ConsentsSchema>;

const PhoneSchema = z.string().regex(/^\+[1-9]\d{6,14}$/);
const CardSchema = z.string().regex(/^\d{6,20}$/);
const BirthdaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** How many of a customer's latest purchase days the customers feed carries (their rhythm, for win-back). */
export const PURCHASE_DAYS_KEPT = 12;
const IdSchema = z.string().min(1).max(64);

export const LEDGER_KINDS = ['earn', 'burn', 'expire', 'adjust'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * One ledger entry as a till records it. `n` is the till's own running number of its entries: the
 * head office tells each till, per customer, up to which of its entries the balance it hands down
 * already counts (`seen`), so a till adds only its own entries after that.
 */
export const LedgerEntrySchema = z
  .object({
    id: z.uuid(),
    n: z.number().int().min(1),
    customerId: IdSchema,
    kind: z.enum(LEDGER_KINDS),
    /** Signed: earned and adjusted up are positive, spent and expired negative. */
    points: z.number().int().min(-1e9).max(1e9),
    /** What this entry adds to the customer's cumulative spend (tiers), minor units. */
    spend: z.number().int().min(-1e12).max(1e12),
    /** Why: purchase, welcome, birthday, referral, return, a person's correction. */
    reason: z.string().max(40),
    receiptId: z.string().max(64).nullable(),
    couponCode: z.string().max(40).nullable(),
    at: z.number().int(),
    /** Spent without a fresh balance from the head office (counted against the offline cap). */
    offline: z.boolean(),
  })
  .strict();
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** A customer's own fields, as a sign-up sends them up and the customers feed hands them down. */
const CustomerFields = {
  id: IdSchema,
  cardNo: CardSchema.nullable(),
  phone: PhoneSchema.nullable(),
  name: z.string().max(100).nullable(),
  birthday: BirthdaySchema.nullable(),
  createdAt: z.number().int(),
};

export const CustomerSignedUpSchema = z
  .object({
    customer: z.object({ ...CustomerFields, referrerId: IdSchema.nullable().default(null) }).strict(),
    consents: ConsentsSchema,
  })
  .strict();
export type CustomerSignedUp = z.infer<typeof CustomerSignedUpSchema>;

export const ConsentChangedSchema = z
  .object({ customerId: IdSchema, purpose: z.enum(['loyalty', 'service', 'advertising']), granted: z.boolean(), at: z.number().int() })
  .strict();

export const LedgerEntriesSchema = z.object({ entries: z.array(LedgerEntrySchema).min(1).max(100) }).strict();

/** The customer asked at a till to be forgotten: the head office erases them everywhere. */
export const CustomerErasedSchema = z.object({ customerId: IdSchema, at: z.number().int() }).strict();

/** Upstream event types of the `loyalty` channel. */
export const LOYALTY_EVENTS = {
  signedUp: 'customer.signed_up',
  consent: 'customer.consent',
  entries: 'loyalty.entries',
  erased: 'customer.erased',
  couponUsed: 'coupon.used',
} as const;

/**
 * A customer as the `customers` feed hands it down. An erased customer comes with every personal
 * field null and `erased` set: the till drops what it holds of them and keeps only the id its
 * receipts refer to.
 */
export const CustomerFeedRecordSchema = z
  .object({
    ...CustomerFields,
    consents: ConsentsSchema,
    erased: z.boolean(),
    /** The balance by the head office's ledger (negative while an offline overdraft is recovered). */
    points: z.number().int(),
    spend: z.number().int(),
    /** Per till (its head-office id): the highest entry number of that till the balance counts. */
    seen: z.record(z.string(), z.number().int().min(0)),
    /** Personal coupons (birthday) this customer has used anywhere in the chain, newest first. */
    usedCoupons: z.array(z.string().max(40)).max(50),
    /**
     * The latest business days (in the selling store's time zone) the customer bought anything
     * anywhere in the chain, oldest first: their rhythm for win-back. Absent from an older head office.
     */
    purchaseDays: z.array(BirthdaySchema).max(PURCHASE_DAYS_KEPT).optional(),
    /** Once-a-year gifts given anywhere in the chain (their ledger reason, `birthday-2026`), newest first. Absent from an older head office. */
    gifts: z.array(z.string().max(40)).max(10).optional(),
  })
  .strict();
export type CustomerFeedRecord = z.infer<typeof CustomerFeedRecordSchema>;

/** A coupon or promo code as the `coupons` feed hands it down. */
export const CouponFeedRecordSchema = z
  .object({
    code: z.string().trim().min(3).max(40),
    value: CouponValueSchema,
    /** Uses across the chain (null: unlimited); each customer may use a coupon once when `oncePerCustomer`. */
    maxUses: z.number().int().min(1).nullable(),
    oncePerCustomer: z.boolean(),
    /** Business days (YYYY-MM-DD), inclusive; null: open. */
    validFrom: BirthdaySchema.nullable(),
    validTo: BirthdaySchema.nullable(),
    /** The receipt must come to at least this much before the coupon (minor units). */
    minTotal: z.number().int().min(0),
    active: z.boolean(),
    /** Uses the head office has recorded so far. */
    used: z.number().int().min(0),
  })
  .strict();
export type CouponFeedRecord = z.infer<typeof CouponFeedRecordSchema>;

/** GET /v1/customers/:id: the head office's balance now (the till's "online" answer before points are spent). */
export const CustomerBalanceResponseSchema = z.object({
  id: z.string(),
  points: z.number().int(),
  spend: z.number().int(),
  seen: z.record(z.string(), z.number().int()),
  erased: z.boolean(),
  serverTime: z.number().int(),
  /**
   * The last feed version the head office had committed when it answered: a customers-feed row at or
   * below it is older than this answer. Absent from an older head office.
   */
  version: z.number().int().min(0).optional(),
});
export type CustomerBalanceResponse = z.infer<typeof CustomerBalanceResponseSchema>;

/**
 * POST /v1/sms/daily-turn: which till of the chain sends a business day's scheduled messages
 * (birthdays, win-back). Every till holds every customer, so each would send them all. One till
 * sends them day after day (its outbox keeps a birthday from going out twice in the window); the
 * others leave them. A till asks again after a restart and is told the same.
 */
export const SmsDailyTurnRequestSchema = z.object({ day: BirthdaySchema }).strict();
export const SmsDailyTurnResponseSchema = z.object({ day: z.string(), tillId: z.string(), mine: z.boolean() });
export type SmsDailyTurnResponse = z.infer<typeof SmsDailyTurnResponseSchema>;

/** A coupon or promo code given on a receipt (with the customer, when one was on it). */
export const CouponUsedSchema = z
  .object({ code: z.string().min(3).max(40), customerId: IdSchema.nullable(), receiptId: z.string().min(1).max(64), at: z.number().int() })
  .strict();
export type CouponUsed = z.infer<typeof CouponUsedSchema>;
