import { MAX_COPIES, normaliseTagText } from '../../src-common/price-tag.js';
import { encodeText, printableText } from '../escpos/codepage.js';
import type { LabelCharset, LabelProfile } from './profiles.js';

/**
 * The exact text a label printer prints for `text` on this profile. One repertoire for every
 * profile, CP1251's: whatever a resident font holds beyond it is unknown per model, so "₽" prints
 * as "р.", "é" as "e", and a character with no stand-in as "?" (the fallbacks live in
 * escpos/codepage.ts, shared with the receipt printer). Control characters are already gone
 * (`normaliseTagText`). On TSPL a `"` would end the string: TSC firmware takes `\["]` for it, so a
 * backslash, which would make that escape ambiguous, prints as "/"; where the escape is not trusted
 * the quote prints as two apostrophes.
 */
export function labelText(text: string, profile: LabelProfile): string {
  let t = printableText(normaliseTagText(text), 'cp1251');
  if (profile.language === 'tspl') {
    t = profile.quotes === 'escape' ? t.replaceAll('\\', '/') : t.replaceAll('"', "''");
  }
  return t;
}

/** Printable text as the bytes of the profile's character set. */
export function textBytes(printable: string, charset: LabelCharset): Uint8Array {
  return charset === 'cp1251' ? encodeText(printable, 'cp1251') : new TextEncoder().encode(printable);
}

/** A coordinate or size as the command languages take it: a whole number of dots, 0-32000. */
export function dots(n: number): number {
  return Number.isFinite(n) ? Math.min(32_000, Math.max(0, Math.round(n))) : 0;
}

/** A copy count as the command languages take it. */
export function copies(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_COPIES) throw new RangeError(`copies must be 1-${MAX_COPIES}, got ${n}`);
  return n;
}

export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
