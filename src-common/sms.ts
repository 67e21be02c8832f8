/**
 * How an SMS text will travel (3GPP TS 23.038): in the GSM 7-bit default alphabet when every
 * character is in it or its extension table (an extension character, such as `€` or `[`, takes two
 * septets), else in UCS-2 (UTF-16 code units: an emoji outside the BMP takes two). One message
 * holds 160 septets or 70 units; a longer text is split into parts of 153 septets or 67 units (the
 * rest is the concatenation header), and an extension character's two septets are never split
 * across parts.
 */

/** The GSM 7-bit default alphabet (one septet each). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table (escape + one septet: two each). */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2) the text takes. */
  units: number;
  /** Messages it is sent as (each is charged). */
  segments: number;
  /** Units one message of this kind holds: 160/70 alone, 153/67 as parts of a longer one. */
  perSegment: number;
  /** Units left in the last part before another part is needed. */
  remaining: number;
  /** Characters that forced UCS-2 (the first few, for the editor to point at). */
  nonGsm: string[];
}

/** How many septets a character takes in GSM-7, or null when it is not in the alphabet. */
function septets(ch: string): 1 | 2 | null {
  if (BASIC.has(ch)) return 1;
  if (EXTENSION.has(ch)) return 2;
  return null;
}

export function smsSegments(text: string): SmsSegments {
  const chars = [...text];
  const nonGsm = chars.filter((c) => septets(c) === null);
  if (nonGsm.length === 0) {
    const sizes = chars.map((c) => septets(c) as 1 | 2);
    const units = sizes.reduce<number>((n, s) => n + s, 0);
    if (units <= 160) return { encoding: 'gsm7', units, segments: units === 0 ? 0 : 1, perSegment: 160, remaining: 160 - units, nonGsm: [] };
    // Parts of 153 septets, an escape and its character kept together.
    let segments = 1;
    let used = 0;
    for (const s of sizes) {
      if (used + s > 153) {
        segments++;
        used = 0;
      }
      used += s;
    }
    return { encoding: 'gsm7', units, segments, perSegment: 153, remaining: 153 - used, nonGsm: [] };
  }
  // UCS-2: UTF-16 code units; a surrogate pair is never split across parts.
  const sizes = chars.map((c) => c.length);
  const units = sizes.reduce((n, s) => n + s, 0);
  const distinct = [...new Set(nonGsm)].slice(0, 10);
  if (units <= 70) return { encoding: 'ucs2', units, segments: 1, perSegment: 70, remaining: 70 - units, nonGsm: distinct };
  let segments = 1;
  let used = 0;
  for (const s of sizes) {
    if (used + s > 67) {
      segments++;
      used = 0;
    }
    used += s;
  }
  return { encoding: 'ucs2', units, segments, perSegment: 67, remaining: 67 - used, nonGsm: distinct };
}

/** A sender name as operators accept it: 1–11 Latin letters, digits, spaces and .-_ (not digits only). */
export function isValidSenderName(name: string): boolean {
  return /^[A-Za-z0-9 ._-]{1,11}$/.test(name) && !/^\d+$/.test(name) && name.trim() === name;
}
