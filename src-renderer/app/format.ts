import { formatMoney } from '../../src-common/money.js';
import type { SystemInfo, Unit } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { Language } from '../i18n/index.js';

/** Number formatting follows the UI language; the currency is the store's. */
export function localeOf(lang: Language): string {
  return lang === 'ru' ? 'ru-RU' : 'en-US';
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Dates and times in the store's time zone (system.info), not the browser's: what the screen shows
 * matches what the receipt printer prints, whatever zone the till's OS is set to.
 */
export function dateTimeFormat(lang: Language, opts: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' }): Intl.DateTimeFormat {
  const timeZone = timeZoneOf();
  const key = `${lang}|${timeZone ?? ''}|${JSON.stringify(opts)}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeOf(lang), timeZone ? { ...opts, timeZone } : opts);
    dateTimeFormats.set(key, f);
  }
  return f;
}

let timeZoneOf: () => string | undefined = () => undefined;
/** Wired by the store (format.ts stays free of it): where the store's time zone is read from. */
export function setTimeZoneSource(source: () => string | undefined): void {
  timeZoneOf = source;
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

/** An amount with its sign spelled out: "−10,00 ₽" short, "+5,00 ₽" over, "0,00 ₽" even. */
export function signedMoney(amount: number, info: SystemInfo | null, lang: Language, withSymbol = true): string {
  const text = money(Math.abs(amount), info, lang, withSymbol);
  return amount < 0 ? `−${text}` : amount > 0 ? `+${text}` : text;
}

/** A note or coin as printed on it: "5 000 ₽", "50 ₽", "0,50 ₽". */
export function denominationLabel(value: number, info: SystemInfo | null, lang: Language): string {
  const digits = info?.minorDigits ?? 2;
  const scale = 10 ** digits;
  if (value % scale !== 0) return money(value, info, lang, true);
  return new Intl.NumberFormat(localeOf(lang), { style: 'currency', currency: info?.currency ?? 'RUB', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(
    value / scale,
  );
}

/** A quantity whose unit is not known (an error's details): whole numbers bare, else three decimals. */
export function bareQuantity(qty: number, lang: Language): string {
  return quantity(qty, qty % 1000 === 0 ? 'pcs' : 'kg', lang);
}
