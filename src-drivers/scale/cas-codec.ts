import { decimalToInt } from './decimal.js';
import type { ScaleReading } from './scale.js';
import { ascii, isPrintable, ResyncParser, xor, type Probe, type StreamParser } from './stream.js';

/**
 * CAS (PD-II, AP/ER) polled protocol, DEVICES.md §3. 9600 baud:
 *   `05` (ENQ) → `06` (ACK); then `11` (DC1) →
 *   SOH STX STA SIGN weight(6) unit(2) BCC ETX EOT   (15 bytes)
 * STA `S` stable, `U` unstable, `F` overload. The SIGN values (' ', '+', '-'), the weight in the
 * unit with a decimal point, and the units "kg" / "g" are read the obvious way: unverified.
 * Which bytes the BCC covers is unverified (the notes say: keep it configurable); it is taken to
 * be an XOR (also unverified) from the named byte through the last unit byte.
 */
export const CAS = { SOH: 0x01, STX: 0x02, ETX: 0x03, EOT: 0x04, ENQ: 0x05, ACK: 0x06, DC1: 0x11 } as const;

export type CasBcc = 'none' | 'xor-from-soh' | 'xor-from-stx' | 'xor-from-sta';

export type CasFrame = { kind: 'ack' } | { kind: 'weight'; sta: string; sign: string; weight: string; unit: string };

const FRAME_LEN = 15;
const AT = { sta: 2, sign: 3, weight: 4, unit: 10, bcc: 12, etx: 13, eot: 14 } as const;

export function casBcc(frame: Uint8Array, bcc: Exclude<CasBcc, 'none'>): number {
  const from = bcc === 'xor-from-soh' ? 0 : bcc === 'xor-from-stx' ? 1 : AT.sta;
  return xor(frame, from, AT.bcc);
}

/** A byte that may stand at position `k` of a frame (the fixed ones, and printable text). */
function fits(k: number, b: number | undefined): boolean {
  if (k === 1) return b === CAS.STX;
  if (k === AT.bcc) return true;
  if (k === AT.etx) return b === CAS.ETX;
  if (k === AT.eot) return b === CAS.EOT;
  return isPrintable(b);
}

export const casGrams = (weight: string, unit: string): number | null => {
  const u = unit.trim().toLowerCase();
  return u === 'kg' ? decimalToInt(weight, 3) : u === 'g' ? decimalToInt(weight, 0) : null;
};

function probeWith(bcc: CasBcc) {
  return (buf: Uint8Array, i: number): Probe<CasFrame> => {
    if (buf[i] === CAS.ACK) return { take: 1, event: { kind: 'frame', frame: { kind: 'ack' } } };
    if (buf[i] !== CAS.SOH) return 'skip';
    for (let k = 1; k < FRAME_LEN; k++) {
      if (i + k >= buf.length) return 'more';
      if (!fits(k, buf[i + k])) return 'skip';
    }
    const f = buf.subarray(i, i + FRAME_LEN);
    if (bcc !== 'none' && casBcc(f, bcc) !== f[AT.bcc]) return { take: 1, event: { kind: 'corrupt', reason: 'BCC mismatch (which bytes it covers is a setting)' } };
    const sta = ascii(f, AT.sta, AT.sta + 1);
    const sign = ascii(f, AT.sign, AT.sign + 1);
    const weight = ascii(f, AT.weight, AT.unit);
    const unit = ascii(f, AT.unit, AT.bcc);
    if (!' +-'.includes(sign)) return { take: 1, event: { kind: 'corrupt', reason: `unknown sign ${JSON.stringify(sign)}` } };
    if (sta !== 'F' && decimalToInt(weight, 0) === null) return { take: 1, event: { kind: 'corrupt', reason: `unreadable weight ${JSON.stringify(weight)}` } };
    return { take: FRAME_LEN, event: { kind: 'frame', frame: { kind: 'weight', sta, sign, weight, unit } } };
  };
}

export function createCasParser(bcc: CasBcc): StreamParser<CasFrame> {
  return new ResyncParser(probeWith(bcc), FRAME_LEN);
}

export function decodeCas(frame: Extract<CasFrame, { kind: 'weight' }>): ScaleReading {
  if (frame.sta === 'F') return { kind: 'overload' };
  const abs = casGrams(frame.weight, frame.unit);
  if (abs === null) return { kind: 'fault', detail: `unit ${JSON.stringify(frame.unit)} is not kg or g` };
  const grams = frame.sign === '-' ? -Math.abs(abs) : abs;
  if (grams < 0) return { kind: 'underload', grams };
  if (frame.sta === 'U') return { kind: 'unstable', grams };
  if (frame.sta === 'S') return { kind: 'stable', grams };
  return { kind: 'fault', detail: `status ${JSON.stringify(frame.sta)}` };
}

/** The 15-byte answer to DC1, weight in kg with three decimals (what the emulator sends). */
export function encodeCasFrame(sta: 'S' | 'U' | 'F', grams: number, bcc: CasBcc): Uint8Array {
  const abs = Math.min(Math.abs(Math.round(grams)), 99_999);
  const weight = `${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`.padStart(6, ' ');
  const text = `${sta}${grams < 0 ? '-' : ' '}${weight}kg`;
  const f = Uint8Array.from([CAS.SOH, CAS.STX, ...Array.from(text, (c) => c.charCodeAt(0)), 0, CAS.ETX, CAS.EOT]);
  f[AT.bcc] = bcc === 'none' ? 0 : casBcc(f, bcc);
  return f;
}
