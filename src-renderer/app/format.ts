import { formatMoney } from '../../src-common/money.js';
import type { SystemInfo, Unit } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { Language } from '../i18n/index.js';

/** Number formatting follows the UI language; the currency is the store's. */
export function localeOf(lang: Language): string {
  return lang === 'ru' ? 'ru-RU' : 'en-US';
}

export function money(amount: number, info: SystemInfo | null, lang: Language, withSymbol = false): string {
  return formatMoney(amount as Minor, { currency: info?.currency ?? 'RUB', locale: localeOf(lang), minorDigits: info?.minorDigits ?? 2 }, withSymbol);
}

/** An amount as a cashier would type it back ("401,50" / "401.50"): no grouping, so parseMoney reads it. */
export function moneyInput(amount: number, info: SystemInfo | null, lang: Language): string {
  const digits = info?.minorDigits ?? 2;
  const scale = 10 ** digits;
  const whole = Math.trunc(amount / scale);
  if (digits === 0) return String(whole);
  return `${whole}${lang === 'ru' ? ',' : '.'}${String(amount % scale).padStart(digits, '0')}`;
}

/** Quantities are thousandths: pieces show whole numbers, weighed and litre goods three decimals. */
export function quantity(qty: number, unit: Unit, lang: Language): string {
  const whole = Math.trunc(qty / 1000);
  const frac = qty % 1000;
  if (unit === 'pcs' && frac === 0) return String(whole);
  return `${whole}${lang === 'ru' ? ',' : '.'}${String(frac).padStart(3, '0')}`;
}
