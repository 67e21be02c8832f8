import { gtinCheckDigit, isValidGtin } from './barcode.js';
import { wrap } from './print-document.js';

/**
 * A price tag as the till means it, independent of the label printer: the text fields are strings
 * the caller has already formatted (money formatting stays in one module: "89,90 ₽" arrives here as
 * text), plus the barcode and how many copies. `layoutPriceTag()` places it on a label so the ZPL
 * and the TSPL encoders draw the same thing.
 */
export type LabelDpi = 203 | 300;

export type TagSymbology = 'ean13' | 'ean8' | 'code128';

export interface TagBarcode {
  symbology: TagSymbology;
  /** EAN-13: 12 digits or 13 with a valid check digit; EAN-8: 7 or 8; CODE128: printable ASCII. */
  data: string;
}

export interface PriceTag {
  /** Product name; wraps to two lines at most, the rest is cut with an ellipsis. */
  name: string;
  /** The price, formatted by the caller ("89,90 ₽"). */
  price: string;
  /** Price per kilogram or litre, formatted by the caller ("96,67 ₽/л"). */
  unitPrice?: string;
  barcode?: TagBarcode;
  /** The date to print, formatted by the caller ("02.12.2026"). */
  date?: string;
  sku?: string;
  /** One more short text (a country of origin, a promotion). */
  extra?: string;
  /** Copies of this tag, 1-9999. */
  copies: number;
}

/** The label stock loaded in the printer. */
export interface LabelStock {
  widthMm: number;
  heightMm: number;
  /** The gap between labels (die-cut stock); 0 for continuous or black-mark stock. */
  gapMm: number;
  dpi: LabelDpi;
}

export const LABEL_PRESETS = {
  '58x40': { widthMm: 58, heightMm: 40, gapMm: 2 },
  '43x25': { widthMm: 43, heightMm: 25, gapMm: 2 },
} as const satisfies Record<string, Omit<LabelStock, 'dpi'>>;

export type LabelPresetId = keyof typeof LABEL_PRESETS;

export function presetStock(id: LabelPresetId, dpi: LabelDpi): LabelStock {
  return { ...LABEL_PRESETS[id], dpi };
}

export const MAX_COPIES = 9999;

export type TagField = 'name' | 'price' | 'unitPrice' | 'date' | 'sku' | 'extra';

/** A line of text whose top-left corner is at (x, y); `height` is the font height in dots. */
export interface TextElement {
  kind: 'text';
  field: TagField;
  x: number;
  y: number;
  /** The room it has, in dots; the text was cut to fit it at `CHAR_WIDTH_RATIO`. */
  width: number;
  height: number;
  text: string;
}

/** A linear barcode: bars from (x, y), `height` dots tall, each module `moduleWidth` dots. */
export interface BarcodeElement {
  kind: 'barcode';
  symbology: TagSymbology;
  /** EAN data with its check digit (13 or 8 digits); CODE128 data as given. */
  data: string;
  x: number;
  y: number;
  height: number;
  moduleWidth: number;
  /** Width of the bars (quiet zones excluded), in dots. */
  width: number;
  /** The digits printed under the bars. */
  hri: boolean;
}

export type LabelElement = TextElement | BarcodeElement;

export interface LabelLayout {
  stock: LabelStock;
  widthDots: number;
  heightDots: number;
  copies: number;
  elements: LabelElement[];
}

/**
 * Average advance of a character as a share of its height. Conservative for both printers' fonts:
 * Zebra's scalable font 0 is a condensed face (~0.5), TSPL's bitmap fonts are 2:3 cells (0.67 for
 * font 3, 0.6 for font 2). A line cut at this ratio fits; the TSPL encoder narrows a font that would not.
 */
export const CHAR_WIDTH_RATIO = 0.65;

/** Quiet zone each side of a linear symbol, in modules (EAN asks 11/7, CODE128 10: the larger). */
export const QUIET_ZONE_MODULES = 11;

export function mmToDots(mm: number, dpi: LabelDpi): number {
  return Math.round((mm * dpi) / 25.4);
}

/** How many characters of a font `heightDots` tall fit in `widthDots`. */
export function charsThatFit(widthDots: number, heightDots: number): number {
  return Math.max(0, Math.floor(widthDots / (heightDots * CHAR_WIDTH_RATIO)));
}

export function textWidthDots(text: string, heightDots: number): number {
  return Math.ceil([...text].length * heightDots * CHAR_WIDTH_RATIO);
}

/**
 * Whitespace and control characters (a pasted tab, a newline from a spreadsheet) become one
 * space: a label line is one line, and a control character must never reach a printer language.
 */
export function normaliseTagText(text: string): string {
  let out = '';
  let pendingSpace = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || /\s/u.test(ch)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += ch;
  }
  return out;
}

/** Cut `text` to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return chars.slice(0, max - 1).join('').trimEnd() + '…';
}

/** Modules of a CODE128 symbol as the printers build it: code set C for an even run of digits, else B. */
export function code128Modules(data: string): number {
  const symbols = /^(\d\d)+$/.test(data) ? data.length / 2 : data.length;
  return 11 * (symbols + 2) + 13; // start + data + check, stop is 13 modules
}

function symbolModules(b: TagBarcode): number {
  switch (b.symbology) {
    case 'ean13':
      return 95;
    case 'ean8':
      return 67;
    case 'code128':
      return code128Modules(b.data);
  }
}

/** The barcode's data in canonical form (EAN with its check digit); throws RangeError when invalid. */
export function canonicalBarcode(b: TagBarcode): TagBarcode {
  const d = b.data;
  switch (b.symbology) {
    case 'ean13':
      if (/^\d{12}$/.test(d)) return { symbology: 'ean13', data: d + String(gtinCheckDigit(d)) };
      if (/^\d{13}$/.test(d) && isValidGtin(d)) return { symbology: 'ean13', data: d };
      throw new RangeError(`not an EAN-13: "${d}"`);
    case 'ean8':
      if (/^\d{7}$/.test(d)) return { symbology: 'ean8', data: d + String(gtinCheckDigit(d)) };
      if (/^\d{8}$/.test(d) && isValidGtin(d)) return { symbology: 'ean8', data: d };
      throw new RangeError(`not an EAN-8: "${d}"`);
    case 'code128':
      if (d.length === 0 || d.length > 48) throw new RangeError(`CODE128 data must be 1-48 characters, got ${d.length}`);
      if (!/^[\x20-\x7e]+$/.test(d)) throw new RangeError('CODE128 on a label carries printable ASCII only');
      return { symbology: 'code128', data: d };
  }
}

/** Sizes in millimetres; the compact set is for stock under 32 mm tall. */
interface Metrics {
  margin: number;
  nameH: number;
  lineGap: number;
  gap: number;
  priceH: number;
  unitH: number;
  barH: number;
  minBarH: number;
  hriH: number;
  smallH: number;
}

const STANDARD: Metrics = { margin: 2, nameH: 3.2, lineGap: 0.6, gap: 0.8, priceH: 7, unitH: 2.6, barH: 8, minBarH: 3, hriH: 2.8, smallH: 2.4 };
const COMPACT: Metrics = { margin: 1.2, nameH: 2.6, lineGap: 0.4, gap: 0.5, priceH: 5, unitH: 2.2, barH: 5.5, minBarH: 3, hriH: 2.4, smallH: 2.0 };

/**
 * Lay a price tag out on a label: name (two lines at most) at the top, the price large below it with
 * the price per kg/l beside it (or under it when there is no room), the barcode centred in what is
 * left, and date, SKU and extra text along the bottom. Every text is cut to its box; a barcode that
 * cannot fit, or bad barcode data, is a RangeError (nothing half-printed).
 */
export function layoutPriceTag(tag: PriceTag, stock: LabelStock): LabelLayout {
  if (!Number.isInteger(tag.copies) || tag.copies < 1 || tag.copies > MAX_COPIES) throw new RangeError(`copies must be 1-${MAX_COPIES}, got ${tag.copies}`);
  if (!(stock.widthMm >= 20 && stock.widthMm <= 120 && stock.heightMm >= 15 && stock.heightMm <= 200)) {
    throw new RangeError(`label stock ${stock.widthMm}x${stock.heightMm} mm is outside 20-120 x 15-200 mm`);
  }
  const m = stock.heightMm < 32 ? COMPACT : STANDARD;
  const d = (mm: number): number => mmToDots(mm, stock.dpi);
  const W = d(stock.widthMm);
  const H = d(stock.heightMm);
  const margin = d(m.margin);
  const contentW = W - 2 * margin;
  const elements: LabelElement[] = [];
  const text = (field: TagField, x: number, y: number, width: number, height: number, value: string): void => {
    if (value.length > 0) elements.push({ kind: 'text', field, x, y, width, height, text: value });
  };

  let y = margin;
  const nameH = d(m.nameH);
  const perLine = charsThatFit(contentW, nameH);
  for (const line of nameLines(normaliseTagText(tag.name), perLine)) {
    text('name', margin, y, contentW, nameH, line);
    y += nameH + d(m.lineGap);
  }
  y += d(m.gap);

  const priceH = d(m.priceH);
  const price = truncate(normaliseTagText(tag.price), charsThatFit(contentW, priceH));
  text('price', margin, y, contentW, priceH, price);
  let rowBottom = y + priceH;
  const unit = normaliseTagText(tag.unitPrice ?? '');
  if (unit) {
    const unitH = d(m.unitH);
    const besideX = margin + textWidthDots(price, priceH) + 2 * d(m.gap);
    const room = W - margin - besideX;
    if (textWidthDots(unit, unitH) <= room) {
      text('unitPrice', besideX, y + priceH - unitH, room, unitH, unit);
    } else {
      const uy = rowBottom + d(m.lineGap);
      text('unitPrice', margin, uy, contentW, unitH, truncate(unit, charsThatFit(contentW, unitH)));
      rowBottom = uy + unitH;
    }
  }
  y = rowBottom + d(m.gap);

  const smallH = d(m.smallH);
  const bottomY = H - margin - smallH;
  let x = margin;
  let bottomUsed = false;
  for (const field of ['date', 'sku', 'extra'] as const) {
    const value = normaliseTagText(tag[field] ?? '');
    if (!value) continue;
    const cut = truncate(value, charsThatFit(W - margin - x, smallH));
    if (!cut) break;
    text(field, x, bottomY, W - margin - x, smallH, cut);
    bottomUsed = true;
    x += textWidthDots(cut, smallH) + 2 * d(m.gap);
  }

  if (tag.barcode) {
    const b = canonicalBarcode(tag.barcode);
    const limit = bottomUsed ? bottomY - d(m.gap) : H - margin;
    const avail = limit - y;
    let hri = true;
    let barH = Math.min(d(m.barH), avail - d(m.hriH));
    if (barH < d(m.minBarH)) {
      hri = false;
      barH = Math.min(d(m.barH), avail);
    }
    if (barH < d(m.minBarH)) throw new RangeError(`no room for the barcode on a ${stock.widthMm}x${stock.heightMm} mm label`);
    const modules = symbolModules(b);
    const maxModule = stock.dpi === 300 ? 4 : 3;
    let module = maxModule;
    while (module > 1 && (modules + 2 * QUIET_ZONE_MODULES) * module > W) module--;
    const width = modules * module;
    if (width + 2 * QUIET_ZONE_MODULES * module > W) throw new RangeError(`the ${b.symbology} symbol for "${b.data}" is wider than the label`);
    elements.push({ kind: 'barcode', symbology: b.symbology, data: b.data, x: Math.floor((W - width) / 2), y, height: barH, moduleWidth: module, width, hri });
  }

  return { stock, widthDots: W, heightDots: H, copies: tag.copies, elements };
}

/** Two lines at most; the second ends with an ellipsis when the name goes on. */
function nameLines(name: string, perLine: number): string[] {
  if (!name || perLine <= 0) return [];
  const lines = wrap(name, perLine).filter((l) => l.length > 0);
  if (lines.length <= 2) return lines;
  return [lines[0] ?? '', truncate(lines.slice(1).join(' '), perLine)];
}
