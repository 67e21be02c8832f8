import { encodeText, decodeText } from '../../escpos/codepage.js';

/** Little-endian unsigned integer of `size` bytes (money is 5 bytes, quantities 6). */
export function le(value: number, size: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  if (size < 6 && value >= 2 ** (8 * size)) throw new RangeError(`${value} does not fit in ${size} bytes`);
  const out: number[] = [];
  let v = value;
  for (let i = 0; i < size; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  if (v !== 0) throw new RangeError(`${value} does not fit in ${size} bytes`);
  return out;
}

/** Reads `size` bytes LE at `at`; null past the end (answers from older firmware are shorter). */
export function readLe(data: Uint8Array, at: number, size: number): number | null {
  if (at + size > data.length) return null;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (data[at + i] ?? 0);
  return v;
}

/** The 5-byte "not given" value (FF46 tax amount: the registrar computes it). */
export const NOT_GIVEN_5 = [0xff, 0xff, 0xff, 0xff, 0xff] as const;

/** Text fields are Windows-1251 (pyshtrih misc.encode, re-star-ru commands.go), cut at `max` bytes. */
export function text1251(s: string, max: number): number[] {
  return Array.from(encodeText(s, 'cp1251').subarray(0, max));
}

export function fromText1251(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decodeText(end < 0 ? bytes : bytes.subarray(0, end), 'cp1251');
}

/** Marking codes are ASCII with GS (0x1D) separators: bytes as they are, nothing mapped. */
export function asciiBytes(s: string): number[] {
  return Array.from(s, (ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x80 ? c : 0x3f;
  });
}

/**
 * Registrar clock ↔ epoch ms. The registrar keeps local wall time with no zone; `tzOffsetMin`
 * says which (Moscow, +180, by default in the driver and emulator).
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function toWall(ms: number, tzOffsetMin: number): WallTime {
  const d = new Date(ms + tzOffsetMin * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

export function fromWall(w: WallTime, tzOffsetMin: number): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - tzOffsetMin * 60_000;
}

/** ФН date-time, 5 bytes: YY MM DD hh mm (binary). */
export function fnDateTime(ms: number, tz: number): number[] {
  const w = toWall(ms, tz);
  return [w.year % 100, w.month, w.day, w.hour, w.minute];
}

export function readFnDateTime(data: Uint8Array, at: number, tz: number): number | null {
  if (at + 5 > data.length) return null;
  const [yy, mo, dd, hh, mi] = Array.from(data.subarray(at, at + 5)) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59) return null;
  return fromWall({ year: 2000 + yy, month: mo, day: dd, hour: hh, minute: mi, second: 0 }, tz);
}

/** ФН date, 3 bytes: YY MM DD. */
export function fnDate(ms: number, tz: number): number[] {
  const w = toWall(ms, tz);
  return [w.year % 100, w.month, w.day];
}

export function readFnDate(data: Uint8Array, at: number, tz: number): number | null {
  if (at + 3 > data.length) return null;
  const [yy, mo, dd] = Array.from(data.subarray(at, at + 3)) as [number, number, number];
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31) return null;
  return fromWall({ year: 2000 + yy, month: mo, day: dd, hour: 0, minute: 0, second: 0 }, tz);
}
