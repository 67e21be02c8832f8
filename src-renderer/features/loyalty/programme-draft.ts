import type { TFunction } from 'i18next';
import { ProgrammeSchema, type Programme } from '../../../src-common/loyalty.js';
import { parseMoney } from '../../../src-common/money.js';
import { issueText, pathKey, type NumberKind } from './form-issues.js';
import { parsePercentBp, parseWhole } from './loyalty-format.js';

export interface TierDraft {
  name: string;
  minSpend: string;
  earn: string;
  discount: string;
}

/** The programme as the form holds it: numbers as typed, so a half-typed value is never lost. */
export interface ProgrammeDraft {
  enabled: boolean;
  pointValue: string;
  earn: string;
  redeemMax: string;
  excluded: string[];
  welcomePoints: string;
  referralPoints: string;
  birthdayPoints: string;
  birthdayCoupon: 'none' | 'percent' | 'amount';
  birthdayCouponValue: string;
  daysBefore: string;
  daysAfter: string;
  tiers: TierDraft[];
  expires: boolean;
  expiryDays: string;
  offlineCap: string;
  confirmFresh: string;
}

export interface Formats {
  money: (minor: number) => string;
  percent: (bp: number) => string;
  minorDigits: number;
}

export function toDraft(p: Programme, f: Formats): ProgrammeDraft {
  const c = p.birthday.coupon;
  return {
    enabled: p.enabled,
    pointValue: f.money(p.pointValue),
    earn: f.percent(p.earnBp),
    redeemMax: f.percent(p.redeemMaxBp),
    excluded: [...p.excludedCategories],
    welcomePoints: String(p.welcomePoints),
    referralPoints: String(p.referralPoints),
    birthdayPoints: String(p.birthday.points),
    birthdayCoupon: c ? c.kind : 'none',
    birthdayCouponValue: c ? (c.kind === 'percent' ? f.percent(c.bp) : f.money(c.amount)) : '',
    daysBefore: String(p.birthday.daysBefore),
    daysAfter: String(p.birthday.daysAfter),
    tiers: p.tiers.map((tier) => ({ name: tier.name, minSpend: f.money(tier.minSpend), earn: f.percent(tier.earnBp), discount: f.percent(tier.discountBp) })),
    expires: p.expiryDays !== null,
    expiryDays: p.expiryDays === null ? '365' : String(p.expiryDays),
    offlineCap: String(p.offlineBurnCapPerDay),
    confirmFresh: String(p.confirmFreshSeconds),
  };
}

/** How a programme field is typed, by its path. */
export function kindOf(path: string): NumberKind {
  const last = path.split('.').pop() ?? '';
  if (last === 'pointValue' || last === 'minSpend' || last === 'amount') return 'money';
  if (last.endsWith('Bp') || last === 'bp') return 'percent';
  return 'int';
}

/**
 * The draft as a programme, checked by ProgrammeSchema (the backend's own rules): either the
 * programme, or a translated message per field path.
 */
export function fromDraft(d: ProgrammeDraft, f: Formats, t: TFunction): { programme: Programme } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const num = (path: string, text: string): number => {
    const kind = kindOf(path);
    const n = kind === 'money' ? parseMoney(text, f.minorDigits) : kind === 'percent' ? parsePercentBp(text) : parseWhole(text);
    if (n === null) {
      errors[path] = t(`loyalty.form.${kind}`);
      return 0;
    }
    return n;
  };
  const couponValue = d.birthdayCouponValue;
  const candidate = {
    enabled: d.enabled,
    pointValue: num('pointValue', d.pointValue),
    earnBp: num('earnBp', d.earn),
    excludedCategories: d.excluded,
    redeemMaxBp: num('redeemMaxBp', d.redeemMax),
    welcomePoints: num('welcomePoints', d.welcomePoints),
    referralPoints: num('referralPoints', d.referralPoints),
    birthday: {
      points: num('birthday.points', d.birthdayPoints),
      coupon:
        d.birthdayCoupon === 'none'
          ? null
          : d.birthdayCoupon === 'percent'
            ? { kind: 'percent' as const, bp: num('birthday.coupon.bp', couponValue) }
            : { kind: 'amount' as const, amount: num('birthday.coupon.amount', couponValue) },
      daysBefore: num('birthday.daysBefore', d.daysBefore),
      daysAfter: num('birthday.daysAfter', d.daysAfter),
    },
    tiers: d.tiers.map((tier, i) => ({
      name: tier.name.trim(),
      minSpend: num(`tiers.${i}.minSpend`, tier.minSpend),
      earnBp: num(`tiers.${i}.earnBp`, tier.earn),
      discountBp: num(`tiers.${i}.discountBp`, tier.discount),
    })),
    expiryDays: d.expires ? num('expiryDays', d.expiryDays) : null,
    offlineBurnCapPerDay: num('offlineBurnCapPerDay', d.offlineCap),
    confirmFreshSeconds: num('confirmFreshSeconds', d.confirmFresh),
  };
  const parsed = ProgrammeSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = pathKey(issue.path);
      if (errors[key]) continue;
      errors[key] = key === 'tiers' && issue.code === 'custom' ? t('loyalty.programme.tiersOrder') : issueText(issue, kindOf(key), t, (k, n) => (k === 'money' ? f.money(n) : k === 'percent' ? `${f.percent(n)} %` : String(n)));
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { programme: parsed.data };
}
