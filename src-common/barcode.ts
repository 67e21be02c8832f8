import type { Minor, Qty } from './units.js';

/** GTIN check digit (EAN-8, UPC-A, EAN-13, GTIN-14) for the digits without it. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** Complete a 12-digit body into a valid EAN-13. */
export function ean13(body12: string): string {
  if (!/^\d{12}$/.test(body12)) throw new RangeError('EAN-13 body must be 12 digits');
  return body12 + String(gtinCheckDigit(body12));
}

/**
 * In-store weighed-goods barcode layouts (EAN-13 prefixes 20–29), as a per-store setting.
 * The layout is 13 characters: P prefix, I item code, W weight in grams, M price in kopecks,
 * C check digit, X ignored. "PPIIIIIWWWWWC" is the common `2X PPPPP WWWWW C`.
 */
export interface WeighedTemplate {
  prefixes: string[];
  layout: string;
}

export const DEFAULT_WEIGHED_TEMPLATES: WeighedTemplate[] = [
  { prefixes: ['20', '21', '22', '23', '24', '25'], layout: 'PPIIIIIWWWWWC' },
  { prefixes: ['26', '27', '28', '29'], layout: 'PPIIIIIMMMMMC' },
];

export type WeighedBarcode =
  | { itemCode: string; kind: 'weight'; grams: Qty }
  | { itemCode: string; kind: 'price'; price: Minor };

export function isValidTemplate(t: WeighedTemplate): boolean {
  const l = t.layout;
  if (l.length !== 13 || !/^[PIWMCX]+$/.test(l)) return false;
  const hasI = l.includes('I');
  const hasW = l.includes('W');
  const hasM = l.includes('M');
  return hasI && hasW !== hasM && t.prefixes.every((p) => /^\d{2}$/.test(p));
}

function field(code: string, layout: string, ch: string): string {
  let out = '';
  for (let i = 0; i < layout.length; i++) if (layout[i] === ch) out += code[i];
  return out;
}

/** Parse a scanned code as a weighed-goods barcode; null when no template matches. */
export function parseWeighedBarcode(code: string, templates: readonly WeighedTemplate[]): WeighedBarcode | null {
  if (!/^\d{13}$/.test(code) || !isValidGtin(code)) return null;
  const prefix = code.slice(0, 2);
  const t = templates.find((x) => x.prefixes.includes(prefix));
  if (!t) return null;
  const itemCode = field(code, t.layout, 'I');
  if (t.layout.includes('W')) {
    const grams = Number(field(code, t.layout, 'W'));
    return { itemCode, kind: 'weight', grams: grams as Qty };
  }
  return { itemCode, kind: 'price', price: Number(field(code, t.layout, 'M')) as Minor };
}

/** Build a weighed barcode for a template (used by the demo data and tests). */
export function makeWeighedBarcode(t: WeighedTemplate, prefix: string, itemCode: string, value: number): string {
  const valueCh = t.layout.includes('W') ? 'W' : 'M';
  const iLen = [...t.layout].filter((c) => c === 'I').length;
  const vLen = [...t.layout].filter((c) => c === valueCh).length;
  const item = itemCode.padStart(iLen, '0');
  const val = String(value).padStart(vLen, '0');
  if (item.length !== iLen || val.length !== vLen) throw new RangeError('value does not fit the template');
  let pi = 0;
  let ii = 0;
  let vi = 0;
  let body = '';
  for (const ch of t.layout.slice(0, 12)) {
    if (ch === 'P') body += prefix[pi++];
    else if (ch === 'I') body += item[ii++];
    else if (ch === valueCh) body += val[vi++];
    else body += '0';
  }
  return ean13(body);
}
