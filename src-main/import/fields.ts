/**
 * Cell values of supplier price lists and 1C exports, as people and programs write them, into the
 * till's units: kopecks, thousandths, VAT codes, pcs/kg/l, GTINs. Pure; shared by the tabular and
 * CommerceML paths so both accept the same spellings.
 */
import { isValidGtin } from '../../src-common/barcode.js';
import { parseMoney, parseQty } from '../../src-common/money.js';
import type { Minor, Qty } from '../../src-common/units.js';

export type Parsed<T, E extends string> = { ok: true; value: T } | { ok: false; error: E };

const SPACES = /[\s\u00a0\u2007\u2009\u202f']/g;
const CURRENCY = /(₽|руб(лей|ля|ль)?\.?|р\.|rub\.?|rur|\$|€|eur|usd)/gi;
const MINUS = /^[-\u2212\u2013]/;

/**
 * "1 234,50", "1234.5", "1.234,50", "1,234.50", "1 234,50 ₽", "99 руб." → a plain "1234.50".
 * With both separators the later one is the decimal point; a separator that occurs more than once
 * groups thousands. Returns null when what is left is not a number.
 */
function canonicalNumber(text: string): { negative: boolean; digits: string; fraction: string } | null {
  let t = text.trim().replace(CURRENCY, '').replace(/\s+р$/i, '').replace(SPACES, '');
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (MINUS.test(t)) {
    negative = true;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  if (!/^[\d.,]+$/.test(t)) return null;
  const lastComma = t.lastIndexOf(',');
  const lastDot = t.lastIndexOf('.');
  let decimal: ',' | '.' | null = null;
  if (lastComma >= 0 && lastDot >= 0) decimal = lastComma > lastDot ? ',' : '.';
  else if (lastComma >= 0) decimal = t.indexOf(',') === lastComma ? ',' : null;
  else if (lastDot >= 0) decimal = t.indexOf('.') === lastDot ? '.' : null;
  let digits = t;
  let fraction = '';
  if (decimal) {
    digits = t.slice(0, t.lastIndexOf(decimal));
    fraction = t.slice(t.lastIndexOf(decimal) + 1);
  }
  const group = decimal === ',' ? '.' : decimal === '.' ? ',' : (/[.,]/.exec(digits)?.[0] ?? null);
  if (group && digits.includes(group)) {
    // Grouping must look like grouping (1.234.567), or "1.23.4" would quietly become 1234.
    if (!(group === '.' ? /^\d{1,3}(\.\d{3})+$/ : /^\d{1,3}(,\d{3})+$/).test(digits)) return null;
    digits = digits.split(group).join('');
  }
  if (!/^\d*$/.test(digits) || !/^\d*$/.test(fraction) || (digits === '' && fraction === '')) return null;
  return { negative, digits: digits || '0', fraction };
}

export type AmountError = 'invalid' | 'negative';

/** A price in roubles as text → kopecks. More than two decimals is refused unless they are zeros. */
export function parseAmount(text: string): Parsed<Minor, AmountError> {
  const n = canonicalNumber(text);
  if (!n) return { ok: false, error: 'invalid' };
  const fraction = n.fraction.replace(/0+$/, '');
  if (fraction.length > 2) return { ok: false, error: 'invalid' };
  const value = parseMoney(`${n.digits.replace(/^0+(?=\d)/, '')}.${fraction}`);
  if (value === null) return { ok: false, error: 'invalid' };
  if (n.negative && value !== 0) return { ok: false, error: 'negative' };
  return { ok: true, value };
}

/** A quantity ("1 000", "2,5", "0.125") → thousandths; at most three decimals. */
export function parseQuantity(text: string): Parsed<Qty, AmountError> {
  const n = canonicalNumber(text);
  if (!n) return { ok: false, error: 'invalid' };
  const fraction = n.fraction.replace(/0+$/, '');
  if (fraction.length > 3) return { ok: false, error: 'invalid' };
  const value = parseQty(`${n.digits.replace(/^0+(?=\d)/, '')}.${fraction}`);
  if (value === null) return { ok: false, error: 'invalid' };
  if (n.negative && value !== 0) return { ok: false, error: 'negative' };
  return { ok: true, value };
}

/** The store's VAT codes (TaxRate) and which one means "not subject to VAT" (без НДС), if any. */
export interface VatTable {
  rates: readonly { code: string; bp: number }[];
  exemptCode?: string | null;
}

const EXEMPT = /^(без\s*(ндс|налога|nds)|не\s*облага|ндс\s*не\s*облага|(none|no vat|vat free|exempt|n\/a|-|—)$)/;

/**
 * "22%", "22", "НДС 22%", "22 %", "0,22" (a percent cell), "без НДС", or a code the store uses
 * ("vat22") → the store's VAT code; null when the store has no such rate.
 */
export function parseVat(text: string, table: VatTable): string | null {
  const t = text.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
  const byCode = table.rates.find((r) => r.code.toLowerCase() === t);
  if (byCode) return byCode.code;
  if (EXEMPT.test(t)) return table.exemptCode ?? null;
  const hadPercent = t.includes('%');
  const num = t.replace(/^(ставка\s*)?(ндс|vat|nds)?\s*/, '').replace(/\s*%$/, '').replace(/\s/g, '');
  const m = /^(\d{1,3})(?:[.,](\d{1,4}))?$/.exec(num);
  if (!m) return null;
  let bp = Number(m[1]) * 100 + Number((m[2] ?? '').slice(0, 2).padEnd(2, '0'));
  if ((m[2] ?? '').slice(2).replace(/0+$/, '') !== '') return null;
  // A spreadsheet percent cell read as a fraction: 0.22 is 22 %.
  if (!hadPercent && m[1] === '0' && bp > 0) {
    const frac = (m[2] ?? '').padEnd(4, '0');
    bp = Number(frac);
  }
  const rate = table.rates.find((r) => r.bp === bp && r.code !== table.exemptCode);
  return rate?.code ?? null;
}

export type Unit = 'pcs' | 'kg' | 'l';

const UNITS: Record<string, Unit> = {};
for (const [unit, names] of [
  // OKEI codes (796, 166, 112) and UN/CEFACT codes (PCE, KGM, LTR) are what 1C puts in БазоваяЕдиница.
  ['pcs', ['шт', 'штука', 'штук', 'штуки', 'pcs', 'pc', 'piece', 'pieces', 'ea', 'each', 'unit', '796', 'pce', 'h87', 'упак', 'уп', 'упаковка', 'пач', 'пачка', 'бут', 'бутылка', 'бан', 'банка', 'компл', 'комплект', 'набор', 'пара', 'рул', 'рулон']],
  ['kg', ['кг', 'килограмм', 'килограммы', 'килограмма', 'kg', 'kgs', 'kilogram', '166', 'kgm']],
  ['l', ['л', 'литр', 'литры', 'литра', 'l', 'lt', 'ltr', 'liter', 'litre', '112']],
] as const) {
  for (const n of names) UNITS[n] = unit;
}

/** "шт.", "Штука", "кг", "796" → the till's unit; null when unknown. */
export function parseUnit(text: string): Unit | null {
  const t = text.trim().toLowerCase().replace(/ё/g, 'е').replace(/\.$/, '');
  return UNITS[t] ?? null;
}

export type BarcodeError = 'barcode_invalid' | 'barcode_check_digit';

/** One barcode: 8, 12, 13 or 14 digits with a correct GTIN check digit. */
export function checkBarcode(code: string): BarcodeError | null {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return 'barcode_invalid';
  return isValidGtin(code) ? null : 'barcode_check_digit';
}

/** A cell holding one or several barcodes, separated by commas, semicolons, bars, slashes or spaces. */
export function splitBarcodes(text: string): string[] {
  return text.split(/[\s,;|/]+/).filter(Boolean);
}

/** Header text compared loosely: case, ё/е, punctuation and spacing do not matter. */
export function normalizeLabel(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}%]+/gu, ' ').trim();
}
