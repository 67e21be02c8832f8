import { formatMoney } from '../../src-common/money.js';
import type { SystemInfo, Unit } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { Language } from '../i18n/index.js';

export function localeOf(lang: Language): string {
  return lang === 'ru' ? 'ru-RU' : 'en-US';
}

export function money(amount: number, info: SystemInfo | null, lang: Language, withSymbol = false): string {
  return formatMoney(amount as Minor, { currency: info?.currency ?? 'RUB', locale: localeOf(lang), minorDigits: info?.minorDigits ?? 2 }, withSymbol);
}

/** Quantities are thousandths: pieces show whole numbers, weighed and litre goods three decimals. */
export function quantity(qty: number, unit: Unit, lang: Language): string {
  if (unit === 'pcs') return String(qty / 1000);
  const whole = Math.trunc(qty / 1000);
  const frac = String(qty % 1000).padStart(3, '0');
  return `${whole}${lang === 'ru' ? ',' : '.'}${frac}`;
}
