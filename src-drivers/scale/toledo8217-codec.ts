import { decimalToInt } from './decimal.js';
import type { ScaleReading } from './scale.js';
import { ascii, ResyncParser, type Probe, type StreamParser } from './stream.js';

/**
 * Mettler Toledo 8217 ("protocol 3"), DEVICES.md §3. 9600 7E1; one-byte requests:
 *   `W` weight → `02` ASCII weight (kg) `0D`, e.g. `02 30 31 2E 32 33 34 0D` = 1.234 kg
 *             → `02 3F s 0D` when moving or in error, s a status byte
 *   `Z` zero, `T` tare, `C` clear tare: the notes give no answer to these (none is expected).
 * A pty does not enforce 7E1, so every byte is masked to 7 bits on arrival. The frames carry no
 * checksum: a flipped bit that keeps a digit a digit cannot be detected here.
 */
export const TOLEDO = { STX: 0x02, CR: 0x0d, QUERY: 0x3f, WEIGH: 0x57, ZERO: 0x5a, TARE: 0x54, CLEAR: 0x43 } as const;

/** Status byte bits; bit 6 may also be set (accepted either way). */
export const TOLEDO_STATUS = {
  motion: 0x01,
  overCapacity: 0x02,
  underZero: 0x04,
  outsideZeroRange: 0x08,
  centreOfZero: 0x10,
  net: 0x20,
} as const;

export type ToledoFrame = { kind: 'weight'; text: string } | { kind: 'status'; status: number };

/** Longest weight text accepted between STX and CR. */
const MAX_TEXT = 10;

export const isToledoWeightText = (text: string): boolean => /^ *[+-]? *\d*\.?\d* *$/.test(text) && /\d/.test(text);

function probe(buf: Uint8Array, i: number): Probe<ToledoFrame> {
  if (buf[i] !== TOLEDO.STX) return 'skip';
  if (i + 1 >= buf.length) return 'more';
  if (buf[i + 1] === TOLEDO.QUERY) {
    // Positional: the status byte can be anything, even STX or CR.
    if (i + 3 >= buf.length) return 'more';
    return buf[i + 3] === TOLEDO.CR ? { take: 4, event: { kind: 'frame', frame: { kind: 'status', status: buf[i + 2] ?? 0 } } } : 'skip';
  }
  for (let j = i + 1; j <= i + MAX_TEXT + 1; j++) {
    const b = buf[j];
    if (b === undefined) return 'more';
    if (b === TOLEDO.STX) return 'skip';
    if (b !== TOLEDO.CR) continue;
    const text = ascii(buf, i + 1, j);
    if (text.length === 0) return 'skip';
    if (!isToledoWeightText(text)) return { take: 1, event: { kind: 'corrupt', reason: `unreadable weight ${JSON.stringify(text)}` } };
    return { take: j - i + 1, event: { kind: 'frame', frame: { kind: 'weight', text } } };
  }
  return 'skip';
}

export function createToledoParser(): StreamParser<ToledoFrame> {
  return new ResyncParser(probe, MAX_TEXT + 2, (b) => b & 0x7f);
}

export function decodeToledo(frame: ToledoFrame): ScaleReading {
  if (frame.kind === 'weight') {
    const grams = decimalToInt(frame.text, 3);
    if (grams === null) return { kind: 'fault', detail: `unreadable weight ${JSON.stringify(frame.text)}` };
    return grams < 0 ? { kind: 'underload', grams } : { kind: 'stable', grams };
  }
  const s = frame.status & 0x3f;
  if (s & TOLEDO_STATUS.overCapacity) return { kind: 'overload' };
  if (s & TOLEDO_STATUS.underZero) return { kind: 'underload', grams: null };
  if (s & TOLEDO_STATUS.motion) return { kind: 'unstable', grams: null };
  if (s & TOLEDO_STATUS.outsideZeroRange) return { kind: 'fault', detail: 'outside zero range' };
  return { kind: 'fault', detail: `status 0x${frame.status.toString(16).padStart(2, '0')} with no weight` };
}

/** `02` + kilograms with three decimals, at least "00.000" wide (the notes' example) + `0D`. */
export function encodeToledoWeight(grams: number): Uint8Array {
  const abs = Math.abs(Math.round(grams));
  const text = `${grams < 0 ? '-' : ''}${String(Math.floor(abs / 1000)).padStart(2, '0')}.${String(abs % 1000).padStart(3, '0')}`;
  return Uint8Array.from([TOLEDO.STX, ...Array.from(text, (c) => c.charCodeAt(0)), TOLEDO.CR]);
}

export function encodeToledoStatus(status: number): Uint8Array {
  return Uint8Array.of(TOLEDO.STX, TOLEDO.QUERY, status & 0xff, TOLEDO.CR);
}

/** Even parity in bit 7: what a 7E1 byte looks like to a port opened 8N1. */
export function withEvenParity(b: number): number {
  let x = b & 0x7f;
  let ones = 0;
  for (; x; x >>= 1) ones += x & 1;
  return (b & 0x7f) | (ones % 2 ? 0x80 : 0);
}
