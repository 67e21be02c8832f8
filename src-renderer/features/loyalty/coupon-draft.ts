import type { TFunction } from 'i18next';
import { parseMoney } from '../../../src-common/money.js';
import { CouponInputSchema, type CouponInput, type CouponView } from '../../../src-common/rpc/schemas.js';
import { issueText, pathKey, type NumberKind } from './form-issues.js';
import { parsePercentBp, parseWhole } from './loyalty-format.js';
import type { Formats } from './programme-draft.js';

/** A coupon as the form holds it (numbers as typed; dates as the date inputs give them, '' for none). */
export interface CouponDraft {
  /** Editing an existing coupon: its code is its identity and stays. */
  existing: boolean;
  code: string;
  kind: 'percent' | 'amount';
  value: string;
  maxUses: string;
  oncePerCustomer: boolean;
  validFrom: string;
  validTo: string;
  minTotal: string;
  active: boolean;
}

export const NEW_COUPON: CouponDraft = { existing: false, code: '', kind: 'percent', value: '', maxUses: '', oncePerCustomer: false, validFrom: '', validTo: '', minTotal: '', active: true };

export function couponDraft(c: CouponView, f: Formats): CouponDraft {
  return {
    existing: true,
    code: c.code,
    kind: c.value.kind,
    value: c.value.kind === 'percent' ? f.percent(c.value.bp) : f.money(c.value.amount),
    maxUses: c.maxUses === null ? '' : String(c.maxUses),
    oncePerCustomer: c.oncePerCustomer,
    validFrom: c.validFrom ?? '',
    validTo: c.validTo ?? '',
    minTotal: c.minTotal === 0 ? '' : f.money(c.minTotal),
    active: c.active,
  };
}

function kindOf(path: string): NumberKind {
  return path === 'value.bp' ? 'percent' : path === 'value.amount' || path === 'minTotal' ? 'money' : 'int';
}

/** The draft checked by CouponInputSchema (the backend's rules): the coupon, or a message per field. */
export function couponFromDraft(d: CouponDraft, f: Formats, t: TFunction): { coupon: CouponInput } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const num = (path: string, text: string, parse: (s: string) => number | null): number => {
    const n = parse(text);
    if (n === null) {
      errors[path] = t(`loyalty.form.${kindOf(path)}`);
      return 0;
    }
    return n;
  };
  const money = (s: string) => parseMoney(s, f.minorDigits);
  const candidate = {
    code: d.code,
    value: d.kind === 'percent' ? { kind: 'percent' as const, bp: num('value.bp', d.value, parsePercentBp) } : { kind: 'amount' as const, amount: num('value.amount', d.value, money) },
    maxUses: d.maxUses.trim() === '' ? null : num('maxUses', d.maxUses, (s) => parseWhole(s)),
    oncePerCustomer: d.oncePerCustomer,
    validFrom: d.validFrom === '' ? null : d.validFrom,
    validTo: d.validTo === '' ? null : d.validTo,
    minTotal: d.minTotal.trim() === '' ? 0 : num('minTotal', d.minTotal, money),
    active: d.active,
  };
  const parsed = CouponInputSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = pathKey(issue.path);
      if (errors[key]) continue;
      if (key === 'code') errors[key] = t('loyalty.coupons.codeFormat');
      else if (key === 'validTo' && issue.code === 'custom') errors[key] = t('loyalty.coupons.endsBeforeStart');
      else errors[key] = issueText(issue, kindOf(key), t, (k, n) => (k === 'money' ? f.money(n) : k === 'percent' ? `${f.percent(n)} %` : String(n)));
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { coupon: parsed.data };
}
