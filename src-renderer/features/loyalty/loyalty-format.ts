import type { CouponValue } from '../../../src-common/loyalty.js';
import type { SystemInfo } from '../../../src-common/rpc/schemas.js';
import { localeOf, money } from '../../app/format.js';
import type { Language } from '../../i18n/index.js';

/** A card number as the cashier may read it aloud: only its last four digits. */
export function maskCard(cardNo: string | null): string {
  if (!cardNo) return '';
  return `•••• ${cardNo.slice(-4)}`;
}

/** A phone with only its last four digits showing (+7 ••• •••-45-67). */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  const tail = digits.slice(-4);
  const shown = `${tail.slice(0, 2)}-${tail.slice(2)}`;
  return phone.startsWith('+7') && digits.length === 11 ? `+7 ••• •••-${shown}` : `•••-${shown}`;
}

/** A phone as stored (E.164) written the Russian way: +7 916 123-45-67. */
export function phoneText(phone: string | null): string {
  if (!phone) return '';
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : phone;
}

/** Whole points with the locale's grouping (1 250 / 1,250). */
export function pointsText(points: number, lang: Language): string {
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 0 }).format(points);
}

/** Basis points as a percentage for reading (300 → "3", 1250 → "12,5"). */
export function percentText(bp: number, lang: Language): string {
  return new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 2 }).format(bp / 100);
}

/** Basis points as a percentage for typing back (no grouping; "12,5" in Russian). */
export function percentInput(bp: number, lang: Language): string {
  const whole = Math.trunc(bp / 100);
  const frac = bp % 100;
  if (frac === 0) return String(whole);
  return `${whole}${lang === 'ru' ? ',' : '.'}${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** "3", "2,5", "0" → basis points; null when it is not a percentage (0–100, two decimals at most). */
export function parsePercentBp(text: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{0,2}))?$/.exec(text.trim().replace(/\s*%$/, ''));
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** A whole number typed (spaces allowed, a leading minus when `signed`); null otherwise. */
export function parseWhole(text: string, signed = false): number | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!(signed ? /^[-−+]?\d{1,9}$/ : /^\d{1,9}$/).test(cleaned)) return null;
  return Number(cleaned.replace('−', '-'));
}

/** What a coupon takes off: "−10 %" or "−300,00 ₽". */
export function couponValueText(value: CouponValue | { kind: 'percent'; bp: number } | { kind: 'amount'; amount: number }, info: SystemInfo | null, lang: Language): string {
  return value.kind === 'percent' ? `−${percentText(value.bp, lang)} %` : `−${money(value.amount, info, lang, true)}`;
}

/**
 * A birthday as typed at the till: DD.MM.YYYY, DD.MM (the year not given: stored as 0004, the
 * programme's "unknown year") or YYYY-MM-DD. '' → undefined (none given); null when it is not a date.
 */
export function parseBirthday(text: string): string | undefined | null {
  const s = text.trim();
  if (s === '') return undefined;
  let y: number;
  let mo: number;
  let d: number;
  const ru = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{4}))?$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (ru) {
    d = Number(ru[1]);
    mo = Number(ru[2]);
    y = ru[3] ? Number(ru[3]) : 4;
  } else if (iso) {
    y = Number(iso[1]);
    mo = Number(iso[2]);
    d = Number(iso[3]);
  } else return null;
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y > new Date().getFullYear()) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A stored birthday for reading: DD.MM.YYYY, or DD.MM when the year is unknown (0004). */
export function birthdayText(birthday: string | null): string {
  const m = birthday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday) : null;
  if (!m) return birthday ?? '';
  return m[1] === '0004' ? `${m[3]}.${m[2]}` : `${m[3]}.${m[2]}.${m[1]}`;
}
