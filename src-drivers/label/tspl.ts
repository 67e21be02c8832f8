import { canonicalBarcode, type BarcodeElement, type LabelDpi, type LabelLayout, type LabelStock, type TextElement } from '../../src-common/price-tag.js';
import type { TsplProfile } from './profiles.js';
import { ascii, concatBytes, copies, dots, labelText, textBytes } from './text.js';

/**
 * Price-tag layouts as TSPL: one header (SIZE, GAP, REFERENCE, CODEPAGE), then per tag CLS, the
 * TEXT and BARCODE lines and `PRINT n,1`. Lines end CR LF. Pure: bytes out.
 *
 * A string argument ends at the next `"` and a command at the line end, so text never carries
 * either: control characters are gone before this point, and a quote becomes `\["]` or two
 * apostrophes as the profile says (text.ts). Text goes in CP1251 or UTF-8 per profile.
 */
export const CRLF = '\r\n';

/** Resident bitmap font cells (width x height in dots) per head resolution. From the TSPL manual; 300 dpi sizes unverified. */
export const TSPL_BITMAP_FONTS: Readonly<Record<LabelDpi, Readonly<Record<string, { w: number; h: number }>>>> = {
  203: { '1': { w: 8, h: 12 }, '2': { w: 12, h: 20 }, '3': { w: 16, h: 24 }, '4': { w: 24, h: 32 }, '5': { w: 32, h: 48 } },
  300: { '1': { w: 12, h: 20 }, '2': { w: 16, h: 28 }, '3': { w: 24, h: 32 }, '4': { w: 32, h: 48 }, '5': { w: 48, h: 64 } },
};

export interface TsplFontChoice {
  font: string;
  xmul: number;
  ymul: number;
  /** Resulting character height in dots. */
  height: number;
}

/**
 * The bitmap font and multipliers whose height comes closest to `height` (up to a tenth over: the
 * layout's line spacing absorbs that) and whose `chars` characters fit in `width`, narrowing the x
 * multiplier before trying smaller fonts; the smallest font if none fits.
 */
export function chooseBitmapFont(height: number, width: number, chars: number, dpi: LabelDpi): TsplFontChoice {
  const fonts = TSPL_BITMAP_FONTS[dpi];
  const limit = Math.floor(height * 1.1);
  let best: (TsplFontChoice & { score: number }) | null = null;
  for (const [font, cell] of Object.entries(fonts)) {
    for (let ymul = 1; ymul <= 10; ymul++) {
      const h = cell.h * ymul;
      if (h > limit) break;
      let xmul = ymul;
      while (xmul > 1 && chars * cell.w * xmul > width) xmul--;
      if (chars * cell.w * xmul > width) continue;
      // A resident size beats a scaled-up or squeezed smaller font a few dots closer: those look blocky.
      const score = Math.abs(h - height) + 3 * (ymul - 1) + 3 * (ymul - xmul);
      if (!best || score < best.score || (score === best.score && h < best.height)) best = { font, xmul, ymul, height: h, score };
    }
  }
  if (!best) return { font: '1', xmul: 1, ymul: 1, height: fonts['1']?.h ?? 12 };
  return { font: best.font, xmul: best.xmul, ymul: best.ymul, height: best.height };
}

/** Scalable fonts take their size in points (TSPL manual; unverified per model). */
export function pointsForDots(heightDots: number, dpi: LabelDpi): number {
  return Math.max(1, Math.round((heightDots * 72) / dpi));
}

/** The bytes between the quotes of a TEXT command. */
export function tsplTextData(text: string, profile: TsplProfile): Uint8Array {
  let t = labelText(text, profile);
  if (profile.quotes === 'escape') t = t.replaceAll('"', '\\["]');
  return textBytes(t, profile.charset);
}

function mm(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function header(stock: LabelStock, profile: TsplProfile): string {
  return [
    `SIZE ${mm(stock.widthMm)} mm,${mm(stock.heightMm)} mm`,
    `GAP ${mm(stock.gapMm)} mm,0 mm`,
    'REFERENCE 0,0',
    `CODEPAGE ${profile.charset === 'cp1251' ? '1251' : 'UTF-8'}`,
    '',
  ].join(CRLF);
}

function textLine(el: TextElement, profile: TsplProfile, dpi: LabelDpi): Uint8Array {
  const data = tsplTextData(el.text, profile);
  let font: string;
  let xmul: number;
  let ymul: number;
  if (profile.font.kind === 'bitmap') {
    const chars = [...labelText(el.text, profile)].length;
    ({ font, xmul, ymul } = chooseBitmapFont(dots(el.height), dots(el.width), chars, dpi));
  } else {
    font = profile.font.name;
    xmul = ymul = pointsForDots(dots(el.height), dpi);
  }
  return concatBytes([ascii(`TEXT ${dots(el.x)},${dots(el.y)},"${font}",0,${xmul},${ymul},"`), data, ascii(`"${CRLF}`)]);
}

const TSPL_SYMBOLOGY = { ean13: 'EAN13', ean8: 'EAN8', code128: '128' } as const;

function barcodeLine(el: BarcodeElement): string {
  const { data } = canonicalBarcode(el);
  // No escape inside barcode content is documented: data that would need one is refused.
  if (/["\\]/.test(data)) throw new RangeError('a TSPL barcode cannot carry " or \\');
  const content = el.symbology === 'ean13' ? data.slice(0, 12) : el.symbology === 'ean8' ? data.slice(0, 7) : data;
  const m = Math.min(10, Math.max(1, dots(el.moduleWidth)));
  return `BARCODE ${dots(el.x)},${dots(el.y)},"${TSPL_SYMBOLOGY[el.symbology]}",${Math.max(1, dots(el.height))},${el.hri ? 1 : 0},0,${m},${m},"${content}"${CRLF}`;
}

function sameStock(a: LabelStock, b: LabelStock): boolean {
  return a.widthMm === b.widthMm && a.heightMm === b.heightMm && a.gapMm === b.gapMm;
}

export function encodeTspl(layouts: readonly LabelLayout[], profile: TsplProfile): Uint8Array {
  const parts: Uint8Array[] = [];
  let stock: LabelStock | null = null;
  for (const layout of layouts) {
    if (!stock || !sameStock(stock, layout.stock)) parts.push(ascii(header(layout.stock, profile)));
    stock = layout.stock;
    parts.push(ascii(`CLS${CRLF}`));
    for (const el of layout.elements) parts.push(el.kind === 'text' ? textLine(el, profile, layout.stock.dpi) : ascii(barcodeLine(el)));
    parts.push(ascii(`PRINT ${copies(layout.copies)},1${CRLF}`));
  }
  return concatBytes(parts);
}
