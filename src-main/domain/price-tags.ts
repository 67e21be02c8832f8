import { isValidGtin } from '../../src-common/barcode.js';
import { divRound, formatMoney, type CurrencyFormat } from '../../src-common/money.js';
import { canonicalBarcode, layoutPriceTag, type LabelStock, type PriceTag, type TagBarcode } from '../../src-common/price-tag.js';
import type { PrintBlock, PrintDocument } from '../../src-common/print-document.js';
import type { Unit } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { SettingsRepo } from '../db/repos/settings.js';

/**
 * Price tags as the store prints them, from the catalog and the store's settings: the price in the
 * store's currency, the price per kilogram or litre (the law asks for it beside the price), the
 * product's own barcode, the date in the store's time zone. Pure: the handler reads, this decides.
 */
export interface TagProduct {
  id: number;
  name: string;
  unit: Unit;
  price: Minor;
  sku: string | null;
  /** Its barcodes, unit barcodes (pack 1000) first. */
  barcodes: readonly { code: string; packQty: number }[];
}

export interface TagSettings {
  currency: CurrencyFormat;
  timeZone: string;
  language: 'ru' | 'en';
}

/** The settings a tag reads: currency (`currency`, `locale`, `currency.minorDigits`), `timeZone`, `language`. */
export function tagSettingsOf(settings: Pick<SettingsRepo, 'get'>): TagSettings {
  return {
    currency: { currency: settings.get('currency'), locale: settings.get('locale'), minorDigits: settings.get('currency.minorDigits') },
    timeZone: settings.get('timeZone'),
    language: settings.get('language'),
  };
}

const WORDS = {
  ru: { kg: 'кг', l: 'л', per: 'за 1' },
  en: { kg: 'kg', l: 'l', per: 'per 1' },
} as const;

/**
 * The net content a piece product's name states ("930 мл", "1,5 л", "400 г", "1 kg"), as grams or
 * millilitres and what its unit price is per; null when the name says none. The last one wins
 * ("Вода 6 x 0,5 л" is not parsed as a pack: a multiplier in front makes the content unknown).
 */
export function netContent(name: string): { amount: number; per: 'kg' | 'l' } | null {
  const re = /(?:^|[^\p{L}\p{N}x×*.,])(\d{1,5}(?:[.,]\d{1,3})?)\s?(кг|г|гр|л|мл|kg|g|l|ml)(?![\p{L}\p{N}])/giu;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(name); m; m = re.exec(name)) last = m;
  if (!last) return null;
  const before = name.slice(0, last.index + 1).trimEnd();
  if (/\d\s*[x×*]$/i.test(before)) return null;
  const [, number = '', unit = ''] = last;
  const [whole = '0', fraction = ''] = number.replace(',', '.').split('.');
  // Thousandths of the stated unit, exactly: "1,5 л" → 1500, "930 мл" → 930 (of the next unit up).
  const thousandths = Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
  switch (unit.toLowerCase()) {
    case 'кг':
    case 'kg':
      return thousandths > 0 ? { amount: thousandths, per: 'kg' } : null;
    case 'л':
    case 'l':
      return thousandths > 0 ? { amount: thousandths, per: 'l' } : null;
    case 'г':
    case 'гр':
    case 'g':
      return fraction === '' && Number(whole) > 0 ? { amount: Number(whole), per: 'kg' } : null;
    case 'мл':
    case 'ml':
      return fraction === '' && Number(whole) > 0 ? { amount: Number(whole), per: 'l' } : null;
    default:
      return null;
  }
}

/**
 * The price per kilogram or litre: weighed and litre goods are priced per unit already (the tag
 * says so: "за 1 кг"); a piece whose name states its content gets the price per kg or l worked out
 * ("96,67 ₽/л"). Undefined when neither applies.
 */
export function unitPriceText(p: Pick<TagProduct, 'unit' | 'price' | 'name'>, s: TagSettings): string | undefined {
  const w = WORDS[s.language];
  if (p.unit === 'kg' || p.unit === 'l') return `${w.per} ${w[p.unit]}`;
  const content = netContent(p.name);
  if (!content) return undefined;
  const perUnit = Number(divRound(BigInt(p.price) * 1000n, BigInt(content.amount), 'halfUp')) as Minor;
  return `${formatMoney(perUnit, s.currency)}/${w[content.per]}`;
}

/** The date on a tag: the day in the store's time zone ("22.11.2026"). */
export function tagDate(at: number, s: Pick<TagSettings, 'currency' | 'timeZone'>): string {
  const opts: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
  try {
    return new Intl.DateTimeFormat(s.currency.locale, { ...opts, timeZone: s.timeZone }).format(at);
  } catch {
    // A time zone this runtime does not know: the date in UTC beats no tag at all.
    return new Intl.DateTimeFormat(s.currency.locale, { ...opts, timeZone: 'UTC' }).format(at);
  }
}

/**
 * The barcodes a tag may carry, best first: the product's unit EAN-13 or EAN-8 (a pack barcode
 * would sell a whole pack), then CODE128 of its SKU, then of its id.
 */
export function tagBarcodes(p: Pick<TagProduct, 'id' | 'sku' | 'barcodes'>): TagBarcode[] {
  const out: TagBarcode[] = [];
  const units = [...p.barcodes].sort((a, b) => Number(a.packQty !== 1000) - Number(b.packQty !== 1000));
  for (const b of units) {
    if (b.packQty !== 1000 || !isValidGtin(b.code)) continue;
    if (b.code.length === 13) out.push({ symbology: 'ean13', data: b.code });
    else if (b.code.length === 8) out.push({ symbology: 'ean8', data: b.code });
  }
  const ean8 = out.filter((b) => b.symbology === 'ean8');
  const ordered = [...out.filter((b) => b.symbology === 'ean13'), ...ean8];
  const sku = p.sku?.trim() ?? '';
  if (sku) ordered.push({ symbology: 'code128', data: sku });
  ordered.push({ symbology: 'code128', data: String(p.id) });
  return ordered.filter((b) => {
    try {
      canonicalBarcode(b);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The price tag of a product: name, price, price per kg/l, date, SKU and the first barcode that
 * lays out on `stock` (a long SKU may not fit a 43 mm label: the id then does; none fits, none is
 * printed rather than no tag). `stock` null: the tag goes to a receipt printer, any valid barcode does.
 */
export function priceTagFor(p: TagProduct, s: TagSettings, at: number, copies: number, stock: LabelStock | null): PriceTag {
  const unitPrice = unitPriceText(p, s);
  const sku = p.sku?.trim();
  const base: PriceTag = {
    name: p.name,
    price: formatMoney(p.price, s.currency),
    ...(unitPrice ? { unitPrice } : {}),
    date: tagDate(at, s),
    ...(sku ? { sku } : {}),
    copies,
  };
  for (const barcode of tagBarcodes(p)) {
    const tag = { ...base, barcode };
    if (!stock) return tag;
    try {
      layoutPriceTag(tag, stock);
      return tag;
    } catch {
      // Too wide for this label: try the next one.
    }
  }
  return base;
}

/** Copies of a tag in one receipt-printer job at most: receipts go between jobs, never wait for a long run. */
export const RECEIPT_TAG_COPIES_PER_JOB = 10;

/**
 * A price tag on a receipt printer (the fallback when no label printer is configured): name, the
 * price large, the price per kg/l, the barcode, date and SKU, cut off after each of `copies`.
 */
export function tagDocument(tag: PriceTag, copies: number): PrintDocument {
  const one: PrintBlock[] = [{ t: 'text', text: tag.name, bold: true }, { t: 'text', text: tag.price, size: 2, bold: true }];
  if (tag.unitPrice) one.push({ t: 'text', text: tag.unitPrice });
  if (tag.barcode) {
    const b = canonicalBarcode(tag.barcode);
    // The receipt printer's barcode block knows EAN-13 and CODE128: an EAN-8 goes as CODE128 of its digits.
    one.push(b.symbology === 'ean13' ? { t: 'barcode', symbology: 'ean13', data: b.data, hri: true } : { t: 'barcode', symbology: 'code128', data: b.data, hri: true });
  }
  const small = [tag.date, tag.sku, tag.extra].filter((x): x is string => !!x);
  if (small.length > 0) one.push({ t: 'text', text: small.join('  ') });
  one.push({ t: 'feed', lines: 1 }, { t: 'cut' });
  const blocks: PrintBlock[] = [];
  for (let i = 0; i < copies; i++) blocks.push(...one);
  return { blocks };
}

/** The receipt-printer jobs for some tags: each tag's copies in runs of RECEIPT_TAG_COPIES_PER_JOB. */
export function tagDocuments(tags: readonly PriceTag[]): PrintDocument[] {
  const out: PrintDocument[] = [];
  for (const tag of tags) {
    for (let left = tag.copies; left > 0; left -= RECEIPT_TAG_COPIES_PER_JOB) out.push(tagDocument(tag, Math.min(left, RECEIPT_TAG_COPIES_PER_JOB)));
  }
  return out;
}
