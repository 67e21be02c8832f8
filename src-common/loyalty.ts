import { z } from 'zod';
import { divRound, percentOf } from './money.js';
import type { BasisPoints, Minor } from './units.js';
import { MAX_MINOR } from './units.js';

/**
 * The loyalty programme as the owner sets it: data, not code. It is one setting
 * (`loyalty.programme`), set at the till or handed down by the head office for the whole chain.
 * Points are whole; each is worth `pointValue` minor units when spent.
 */
const BpSchema = z.number().int().min(0).max(10_000);
const PointsSchema = z.number().int().min(0).max(10_000_000);

export const TierSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    /** Cumulative spend (minor units, what customers paid in money) from which the tier holds. */
    minSpend: z.number().int().min(0).max(MAX_MINOR),
    /** Its own earn rate (points' worth as a share of what is paid), over the programme's. */
    earnBp: BpSchema,
    /** A cumulative discount on every receipt (накопительная скидка), 0 for none. */
    discountBp: BpSchema.max(5_000),
  })
  .strict();
export type Tier = z.infer<typeof TierSchema>;

export const CouponValueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), bp: z.number().int().min(1).max(10_000) }).strict(),
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(1).max(MAX_MINOR) }).strict(),
]);
export type CouponValue = z.infer<typeof CouponValueSchema>;

export const ProgrammeSchema = z
  .object({
    enabled: z.boolean(),
    /** What one point is worth when spent, in minor units (100: a point is a rouble). */
    pointValue: z.number().int().min(1).max(100_000),
    /** Points' worth earned as a share of what is paid in money (300 = 3 %). */
    earnBp: BpSchema,
    /** Categories (by name) whose goods earn nothing (tobacco, alcohol, goods already on offer). */
    excludedCategories: z.array(z.string().trim().min(1).max(100)).max(200),
    /** At most this share of a receipt may be paid with points. */
    redeemMaxBp: BpSchema,
    welcomePoints: PointsSchema,
    referralPoints: PointsSchema,
    birthday: z
      .object({
        points: PointsSchema,
        /** A personal coupon for the birthday, valid from `daysBefore` to `daysAfter` around the day. */
        coupon: CouponValueSchema.nullable(),
        daysBefore: z.number().int().min(0).max(30),
        daysAfter: z.number().int().min(0).max(30),
      })
      .strict(),
    tiers: z.array(TierSchema).max(10),
    /** Points expire this many days after they were earned (null: never). */
    expiryDays: z.number().int().min(1).max(3_650).nullable(),
    /**
     * Without a fresh answer from the head office, one customer may spend at most this many points
     * a day at this till: the owner's bound on what an offline till can give away.
     */
    offlineBurnCapPerDay: PointsSchema,
    /** A balance confirmed by the head office this recently counts as online. */
    confirmFreshSeconds: z.number().int().min(5).max(3_600),
  })
  .strict()
  .refine((p) => p.tiers.every((t, i) => i === 0 || t.minSpend > (p.tiers[i - 1] as Tier).minSpend), {
    message: 'tiers go up in spend',
    path: ['tiers'],
  });
export type Programme = z.infer<typeof ProgrammeSchema>;

export const DEFAULT_PROGRAMME: Programme = {
  enabled: true,
  pointValue: 100,
  earnBp: 300,
  excludedCategories: [],
  redeemMaxBp: 5_000,
  welcomePoints: 100,
  referralPoints: 200,
  birthday: { points: 0, coupon: { kind: 'percent', bp: 1_000 }, daysBefore: 3, daysAfter: 7 },
  tiers: [],
  expiryDays: 365,
  offlineBurnCapPerDay: 500,
  confirmFreshSeconds: 120,
};

/** The tier a cumulative spend reaches (null: below the first, or none set). */
export function tierFor(p: Programme, spend: number): Tier | null {
  let found: Tier | null = null;
  for (const t of p.tiers) if (spend >= t.minSpend) found = t;
  return found;
}

/** What points are worth in money. */
export function pointsWorth(p: Programme, points: number): Minor {
  return (points * p.pointValue) as Minor;
}

/**
 * Points earned on what was paid: per line, what the customer paid for it (after every discount
 * and the points spent), except lines of excluded categories; at the tier's rate, else the
 * programme's; rounded down to whole points over the receipt (never a point not earned).
 */
export function pointsEarned(p: Programme, tier: Tier | null, lines: readonly { amount: number; category: string | null }[]): number {
  if (!p.enabled) return 0;
  const excluded = new Set(p.excludedCategories.map((c) => c.toLocaleLowerCase('ru')));
  const base = lines.reduce((n, l) => (l.category !== null && excluded.has(l.category.toLocaleLowerCase('ru')) ? n : n + l.amount), 0);
  const rate = tier?.earnBp ?? p.earnBp;
  if (base <= 0 || rate <= 0) return 0;
  return Number(divRound(BigInt(base) * BigInt(rate), 10_000n * BigInt(p.pointValue), 'down'));
}

/** Why fewer points than asked can be spent (the screen says which limit applied). */
export type RedeemLimit = 'balance' | 'share' | 'offline_cap' | null;

/**
 * The most points a receipt can take: no more than the balance, no more than the programme's share
 * of the receipt (what is left to pay after discounts), and, without a fresh head-office answer,
 * no more than is left of the customer's offline cap for the day at this till.
 */
export function redeemable(
  p: Programme,
  a: { balance: number; payable: Minor; online: boolean; offlineSpentToday: number },
): { max: number; limit: RedeemLimit } {
  if (!p.enabled || a.balance <= 0 || a.payable <= 0) return { max: 0, limit: a.balance <= 0 ? 'balance' : 'share' };
  const byShare = Math.floor(percentOf(a.payable, p.redeemMaxBp as BasisPoints, 'down') / p.pointValue);
  const byCap = a.online ? Number.POSITIVE_INFINITY : Math.max(0, p.offlineBurnCapPerDay - a.offlineSpentToday);
  const max = Math.min(a.balance, byShare, byCap);
  const limit: RedeemLimit = max === a.balance ? 'balance' : max === byCap ? 'offline_cap' : 'share';
  return { max: Math.max(0, max), limit };
}

/** MM-DD of a stored birthday (YYYY-MM-DD; the year 0004 stands for unknown). */
function monthDay(birthday: string): { m: number; d: number } | null {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(birthday);
  return m ? { m: Number(m[1]), d: Number(m[2]) } : null;
}

/**
 * The birthday this business day belongs to, when it lies in the window around one: its year
 * (the key of that year's birthday coupon), else null. A 29 February birthday is kept on
 * 28 February in other years.
 */
export function birthdayYear(p: Programme, birthday: string | null, today: string): number | null {
  if (!birthday) return null;
  const md = monthDay(birthday);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!md || !t) return null;
  const todayMs = Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]));
  for (const year of [Number(t[1]) - 1, Number(t[1]), Number(t[1]) + 1]) {
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    const day = md.m === 2 && md.d === 29 && !leap ? 28 : md.d;
    const at = Date.UTC(year, md.m - 1, day);
    const diffDays = Math.round((todayMs - at) / 86_400_000);
    if (diffDays >= -p.birthday.daysBefore && diffDays <= p.birthday.daysAfter) return year;
  }
  return null;
}

/** A coupon's discount on what is left to pay (an amount coupon never exceeds it). */
export function couponAmount(value: CouponValue, payable: Minor): Minor {
  if (payable <= 0) return 0 as Minor;
  return (value.kind === 'percent' ? percentOf(payable, value.bp as BasisPoints) : Math.min(value.amount, payable)) as Minor;
}

/** The deterministic code of a customer's birthday coupon for a year: the same on every till. */
export function birthdayCouponCode(customerId: string, year: number): string {
  return `BDAY-${year}-${customerId.replace(/-/g, '').slice(-10).toUpperCase()}`;
}
