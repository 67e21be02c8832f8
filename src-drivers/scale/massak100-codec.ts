import type { ScaleReading } from './scale.js';
import { ResyncParser, type Probe, type StreamParser } from './stream.js';

/**
 * Massa-K "Протокол 100", DEVICES.md §3. RS-232/USB-COM (57600 seen) or TCP:
 *   F8 55 CE, length (2 bytes LE, of cmd + data), cmd, data, CRC16 (LE) over cmd + data.
 * CMD_GET_MASSA `23` → `24`: weight int32 LE in divisions, division code (0 = 0.1 g, 1 = 1 g,
 * 2 = 10 g, 3 = 100 g, 4 = 1 kg), stable, net, zero; the notes' example carries 4 more bytes
 * whose meaning they do not give (ignored). Zero `72`, tare `A3` (sent without data: unverified),
 * error `28` + code, NACK `F0`. The notes name no answer to zero/tare, nor an overload flag.
 */
export const MASSAK_HEADER = [0xf8, 0x55, 0xce] as const;
export const MASSAK_CMD = { GET_MASSA: 0x23, ACK_MASSA: 0x24, ERROR: 0x28, SET_ZERO: 0x72, SET_TARE: 0xa3, NACK: 0xf0 } as const;

/**
 * "CCITT polynomial 0x1021, init 0, over cmd + data", two readings of it:
 * - 'massak': the shift register without the two trailing zero bytes; this is the one that gives
 *   the notes' example frames (`23 00` for the weight request, `11 54` for the 1.234 kg reply);
 * - 'xmodem': textbook CRC-16/XMODEM (`01 14` for the request). The notes say one field
 *   implementation uses "another CRC": that it is this one is a guess (unverified).
 */
export type MassaKCrc = 'massak' | 'xmodem';

export function massakCrc(bytes: Uint8Array, variant: MassaKCrc): number {
  let crc = 0;
  for (const b of bytes) crc = step(crc, b);
  if (variant === 'xmodem') crc = step(step(crc, 0), 0);
  return crc;
}

function step(crc: number, byte: number): number {
  let c = crc;
  for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  return c ^ (byte & 0xff);
}

export interface MassaKFrame {
  cmd: number;
  data: Uint8Array;
}

/** The largest cmd + data length accepted; anything longer is taken for garbage. */
const MAX_BODY = 250;

export function encodeMassaK(cmd: number, data: ArrayLike<number>, crc: MassaKCrc): Uint8Array {
  const body = Uint8Array.from([cmd, ...Array.from(data)]);
  const c = massakCrc(body, crc);
  return Uint8Array.from([...MASSAK_HEADER, body.length & 0xff, body.length >> 8, ...body, c & 0xff, c >> 8]);
}

function probeWith(crc: MassaKCrc) {
  return (buf: Uint8Array, i: number): Probe<MassaKFrame> => {
    for (let k = 0; k < MASSAK_HEADER.length; k++) {
      if (i + k >= buf.length) return 'more';
      if (buf[i + k] !== MASSAK_HEADER[k]) return 'skip';
    }
    if (i + 4 >= buf.length) return 'more';
    const len = (buf[i + 3] ?? 0) | ((buf[i + 4] ?? 0) << 8);
    if (len === 0 || len > MAX_BODY) return 'skip';
    const total = 5 + len + 2;
    if (i + total > buf.length) return 'more';
    const body = buf.subarray(i + 5, i + 5 + len);
    const got = (buf[i + 5 + len] ?? 0) | ((buf[i + 6 + len] ?? 0) << 8);
    if (massakCrc(body, crc) !== got) return { take: 1, event: { kind: 'corrupt', reason: 'CRC mismatch' } };
    return { take: total, event: { kind: 'frame', frame: { cmd: body[0] ?? 0, data: body.slice(1) } } };
  };
}

/** Parses frames either way (the driver reads answers, the emulator requests). */
export function createMassaKParser(crc: MassaKCrc): StreamParser<MassaKFrame> {
  return new ResyncParser(probeWith(crc), 5 + MAX_BODY + 2);
}

/** Division size in tenths of a gram, by division code. */
export const MASSAK_DIVISION_TENTHS = [1, 10, 100, 1_000, 10_000] as const;

export interface MassaKWeight {
  divisions: number;
  divisionCode: number;
  stable: boolean;
  net: boolean;
  zero: boolean;
}

/** The `24` answer's data; null when it is too short or names an unknown division. */
export function parseMassaKWeight(data: Uint8Array): MassaKWeight | null {
  if (data.length < 8) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const divisionCode = data[4] ?? 255;
  if (MASSAK_DIVISION_TENTHS[divisionCode] === undefined) return null;
  return { divisions: view.getInt32(0, true), divisionCode, stable: data[5] === 1, net: data[6] === 1, zero: data[7] === 1 };
}

/** Grams, rounded half away from zero for 0.1 g divisions. */
export function massakGrams(w: MassaKWeight): number {
  const tenths = w.divisions * (MASSAK_DIVISION_TENTHS[w.divisionCode] ?? 0);
  const grams = Math.sign(tenths) * Math.round(Math.abs(tenths) / 10);
  return grams === 0 ? 0 : grams; // never -0
}

export function decodeMassaKWeight(w: MassaKWeight): ScaleReading {
  const grams = massakGrams(w);
  if (grams < 0 || w.divisions < 0) return { kind: 'underload', grams };
  return w.stable ? { kind: 'stable', grams, net: w.net } : { kind: 'unstable', grams };
}

export function encodeMassaKWeight(w: MassaKWeight, crc: MassaKCrc): Uint8Array {
  const data = new Uint8Array(12);
  new DataView(data.buffer).setInt32(0, w.divisions, true);
  data.set([w.divisionCode, w.stable ? 1 : 0, w.net ? 1 : 0, w.zero ? 1 : 0], 4);
  return encodeMassaK(MASSAK_CMD.ACK_MASSA, data, crc);
}
