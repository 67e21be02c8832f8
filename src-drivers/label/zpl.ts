import { canonicalBarcode, type BarcodeElement, type LabelLayout, type TextElement } from '../../src-common/price-tag.js';
import type { ZplProfile } from './profiles.js';
import { ascii, concatBytes, copies, dots, labelText, textBytes } from './text.js';

/**
 * Price-tag layouts as ZPL II, one `^XA…^XZ` format per tag with `^PQ` copies. Pure: bytes out.
 *
 * Field data can never end a field or start a command: every text field goes through `^FH`, and
 * `^`, `~` and the `_` indicator itself go as `_5E`, `_7E`, `_5F` (both prefixes are commands even
 * inside `^FD`); non-ASCII goes raw in the profile's character set or, with `hexEscapeNonAscii`, as
 * `_XX` too. CODE128 data uses the `^BC` invocation codes for `^ > ~` (`><`, `>0`, `>=`), so
 * barcode fields need no `^FH`.
 */
const CI: Record<ZplProfile['charset'], number> = { utf8: 28, cp1251: 33 };

export const FH_INDICATOR = 0x5f; // '_'

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** The `^FD` payload of a text field (used with a plain `^FH`). */
export function zplTextData(text: string, profile: ZplProfile): Uint8Array {
  const out: number[] = [];
  for (const b of textBytes(labelText(text, profile), profile.charset)) {
    if (b === 0x5e || b === 0x7e || b === FH_INDICATOR || (b >= 0x80 && profile.hexEscapeNonAscii)) out.push(...ascii(`_${hex2(b)}`));
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** `^BC` field data: subset C for an even run of digits, else subset B with the three specials coded. */
export function zplCode128Data(data: string): string {
  if (/^(\d\d)+$/.test(data)) return `>;${data}`;
  let out = '>:';
  for (const ch of data) out += ch === '^' ? '><' : ch === '>' ? '>0' : ch === '~' ? '>=' : ch;
  return out;
}

function fontCommand(el: TextElement, profile: ZplProfile): string {
  const h = Math.max(10, dots(el.height));
  return profile.font.kind === 'resident' ? `^A${profile.font.name}N,${h},${h}` : `^A@N,${h},${h},${profile.font.path}`;
}

function barcodeField(el: BarcodeElement): string {
  // Checked again here: a layout built by hand must not carry a command into the job either.
  const { data } = canonicalBarcode(el);
  const hri = el.hri ? 'Y' : 'N';
  const h = Math.max(1, dots(el.height));
  const head = `^FO${dots(el.x)},${dots(el.y)}^BY${Math.min(10, Math.max(1, dots(el.moduleWidth)))}`;
  switch (el.symbology) {
    case 'ean13':
      return `${head}^BEN,${h},${hri},N^FD${data.slice(0, 12)}^FS\n`;
    case 'ean8':
      return `${head}^B8N,${h},${hri},N^FD${data.slice(0, 7)}^FS\n`;
    case 'code128':
      return `${head}^BCN,${h},${hri},N,N,N^FD${zplCode128Data(data)}^FS\n`;
  }
}

/** One label format. Line breaks between commands are ignored by the printer; they keep a job readable. */
export function encodeZplLabel(layout: LabelLayout, profile: ZplProfile): Uint8Array {
  const parts: Uint8Array[] = [ascii(`^XA\n^CI${CI[profile.charset]}\n^PW${dots(layout.widthDots)}\n^LL${dots(layout.heightDots)}\n^LH0,0\n`)];
  for (const el of layout.elements) {
    if (el.kind === 'text') {
      parts.push(ascii(`^FO${dots(el.x)},${dots(el.y)}${fontCommand(el, profile)}^FH^FD`), zplTextData(el.text, profile), ascii('^FS\n'));
    } else {
      parts.push(ascii(barcodeField(el)));
    }
  }
  parts.push(ascii(`^PQ${copies(layout.copies)}\n^XZ\n`));
  return concatBytes(parts);
}

export function encodeZpl(layouts: readonly LabelLayout[], profile: ZplProfile): Uint8Array {
  return concatBytes(layouts.map((l) => encodeZplLabel(l, profile)));
}
