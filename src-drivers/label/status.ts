import type { LabelFault, LabelStatus } from '../common/label-printer.js';
import { ascii } from './text.js';

export { LABEL_FAULT_TEXT, UNKNOWN_LABEL_STATUS, type LabelFault, type LabelStatus } from '../common/label-printer.js';

/**
 * What a label printer says about itself, in both languages (DEVICES.md §2):
 *
 * ZPL `~HS` → three lines, each `STX … ETX CR LF`:
 *   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l    b paper out, c pause, dddd label length, eee formats in
 *                                           the receive buffer, f buffer full, h partial format
 *   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www    o head up, p ribbon out, q thermal transfer, r print mode,
 *                                           uuuuuuuu labels remaining in the batch
 *   3: xxxx,y                               password, static RAM
 * The current ZPL guide adds that a printer with media out, ribbon out or head open may not answer
 * at all: silence is "cannot print", never "fine".
 *
 * TSPL `ESC ! ?` (1B 21 3F) → one byte: bit0 head open, bit1 paper jam, bit2 out of paper, bit3 out
 * of ribbon, bit4 pause, bit5 printing, bit6 cover open.
 */

/** The one thing to tell the cashier, most specific first; null when the report shows none. */
export function labelFault(s: LabelStatus): LabelFault | null {
  if (s.headOpen) return 'head_open';
  if (s.coverOpen) return 'cover_open';
  if (s.paperJam) return 'paper_jam';
  if (s.paperOut) return 'paper_out';
  if (s.ribbonOut) return 'ribbon_out';
  if (s.paused) return 'paused';
  return null;
}

/** Still working on something it was sent. */
export function labelBusy(s: LabelStatus): boolean {
  return s.printing === true || (s.labelsRemaining ?? 0) > 0 || (s.formatsInBuffer ?? 0) > 0;
}

// ---- ZPL ---------------------------------------------------------------------------------------

export const ZPL_STATUS_QUERY = ascii('~HS');

const STX = 0x02;
const ETX = 0x03;
/** Longer than any documented line (12 short fields); anything longer is garbage. */
const MAX_LINE = 96;

export interface ZplHostStatus {
  paperOut: boolean;
  paused: boolean;
  labelLengthDots: number;
  formatsInBuffer: number;
  bufferFull: boolean;
  partialFormat: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  thermalTransfer: boolean;
  labelsRemaining: number;
}

const flag = (f: string | undefined): boolean | null => (f === '0' ? false : f === '1' ? true : null);
const int = (f: string | undefined): number | null => (f !== undefined && /^\d{1,9}$/.test(f) ? Number(f) : null);

/** Line 1 fields (12 in the manual; more tolerated); null when they are not shaped like it. */
function parseLine1(fields: string[]): Pick<ZplHostStatus, 'paperOut' | 'paused' | 'labelLengthDots' | 'formatsInBuffer' | 'bufferFull' | 'partialFormat'> | null {
  if (fields.length < 12) return null;
  const [paperOut, paused, length, formats, full, partial] = [flag(fields[1]), flag(fields[2]), int(fields[3]), int(fields[4]), flag(fields[5]), flag(fields[7])];
  if (paperOut === null || paused === null || length === null || formats === null || full === null || partial === null) return null;
  return { paperOut, paused, labelLengthDots: length, formatsInBuffer: formats, bufferFull: full, partialFormat: partial };
}

/** Line 2 fields (11 in the manual; more tolerated). */
function parseLine2(fields: string[]): Pick<ZplHostStatus, 'headOpen' | 'ribbonOut' | 'thermalTransfer' | 'labelsRemaining'> | null {
  if (fields.length < 11) return null;
  const [headOpen, ribbonOut, tt, remaining] = [flag(fields[2]), flag(fields[3]), flag(fields[4]), int(fields[8])];
  if (headOpen === null || ribbonOut === null || tt === null || remaining === null) return null;
  return { headOpen, ribbonOut, thermalTransfer: tt, labelsRemaining: remaining };
}

export function zplToLabelStatus(h: ZplHostStatus): LabelStatus {
  return {
    headOpen: h.headOpen,
    paperOut: h.paperOut,
    ribbonOut: h.thermalTransfer ? h.ribbonOut : false,
    paperJam: null,
    coverOpen: null,
    paused: h.paused,
    printing: null,
    labelsRemaining: h.labelsRemaining,
    formatsInBuffer: h.formatsInBuffer,
  };
}

/** The emulator's side: the three lines for a state. */
export function encodeZplHostStatus(h: ZplHostStatus): Uint8Array {
  const b = (v: boolean): string => (v ? '1' : '0');
  const n = (v: number, width: number): string => String(Math.max(0, Math.min(v, 10 ** width - 1))).padStart(width, '0');
  const line1 = `030,${b(h.paperOut)},${b(h.paused)},${n(h.labelLengthDots, 4)},${n(h.formatsInBuffer, 3)},${b(h.bufferFull)},0,${b(h.partialFormat)},000,0,0,0`;
  const line2 = `001,0,${b(h.headOpen)},${b(h.ribbonOut)},${b(h.thermalTransfer)},2,6,0,${n(h.labelsRemaining, 8)},1,000`;
  const line3 = '1234,0';
  const frame = (s: string): number[] => [STX, ...ascii(s), ETX, 0x0d, 0x0a];
  return Uint8Array.from([...frame(line1), ...frame(line2), ...frame(line3)]);
}

/**
 * `~HS` answers out of a byte stream, whatever the chunking: frames are cut at STX/ETX, anything
 * outside a frame (CR LF, noise) is skipped, a frame that is too long or holds a control byte is
 * dropped, and a status comes out when a line 2 follows a line 1. Line 3 says nothing the till
 * needs and is skipped.
 */
export class ZplStatusParser {
  private frame: number[] | null = null;
  private line1: ReturnType<typeof parseLine1> = null;

  reset(): void {
    this.frame = null;
    this.line1 = null;
  }

  push(chunk: Uint8Array): ZplHostStatus[] {
    const out: ZplHostStatus[] = [];
    for (const b of chunk) {
      if (b === STX) {
        this.frame = [];
      } else if (this.frame === null) {
        continue;
      } else if (b === ETX) {
        const text = String.fromCharCode(...this.frame);
        this.frame = null;
        this.line(text.split(','), out);
      } else if (b < 0x20 || b > 0x7e || this.frame.length >= MAX_LINE) {
        this.frame = null;
      } else {
        this.frame.push(b);
      }
    }
    return out;
  }

  private line(fields: string[], out: ZplHostStatus[]): void {
    if (this.line1) {
      const l2 = parseLine2(fields);
      if (l2) {
        out.push({ ...this.line1, ...l2 });
        this.line1 = null;
        return;
      }
    }
    // Not a line 2 after a line 1: it may start the next answer (a line 1), or be line 3 / noise.
    this.line1 = parseLine1(fields);
  }
}

// ---- TSPL --------------------------------------------------------------------------------------

export const TSPL_STATUS_QUERY = Uint8Array.of(0x1b, 0x21, 0x3f);

export interface TsplStatusFlags {
  headOpen: boolean;
  paperJam: boolean;
  paperOut: boolean;
  ribbonOut: boolean;
  paused: boolean;
  printing: boolean;
  coverOpen: boolean;
}

export function parseTsplStatus(byte: number): TsplStatusFlags {
  const bit = (n: number): boolean => ((byte >> n) & 1) === 1;
  return { headOpen: bit(0), paperJam: bit(1), paperOut: bit(2), ribbonOut: bit(3), paused: bit(4), printing: bit(5), coverOpen: bit(6) };
}

export function encodeTsplStatus(f: TsplStatusFlags): number {
  const b = (on: boolean, n: number): number => (on ? 1 << n : 0);
  return b(f.headOpen, 0) | b(f.paperJam, 1) | b(f.paperOut, 2) | b(f.ribbonOut, 3) | b(f.paused, 4) | b(f.printing, 5) | b(f.coverOpen, 6);
}

export function tsplToLabelStatus(f: TsplStatusFlags): LabelStatus {
  return { ...f, labelsRemaining: null, formatsInBuffer: null };
}

/**
 * The one-byte TSPL answers carry no frame, so the parser is told when a query went out
 * (`expect()`): the next byte answers the oldest query. Bytes nobody asked for are dropped.
 */
export class TsplStatusParser {
  private pending = 0;

  expect(): void {
    this.pending++;
  }

  get waiting(): number {
    return this.pending;
  }

  reset(): void {
    this.pending = 0;
  }

  push(chunk: Uint8Array): TsplStatusFlags[] {
    const out: TsplStatusFlags[] = [];
    for (const b of chunk) {
      if (this.pending === 0) continue;
      this.pending--;
      out.push(parseTsplStatus(b));
    }
    return out;
  }
}

/** Either language's status reading, as the driver uses it. */
export interface LabelStatusReader {
  readonly query: Uint8Array;
  /** Called as the query is written. */
  expect(): void;
  push(chunk: Uint8Array): LabelStatus[];
  reset(): void;
}

export function statusReader(language: 'zpl' | 'tspl'): LabelStatusReader {
  if (language === 'zpl') {
    const p = new ZplStatusParser();
    return { query: ZPL_STATUS_QUERY, expect: () => undefined, push: (c) => p.push(c).map(zplToLabelStatus), reset: () => p.reset() };
  }
  const p = new TsplStatusParser();
  return { query: TSPL_STATUS_QUERY, expect: () => p.expect(), push: (c) => p.push(c).map(tsplToLabelStatus), reset: () => p.reset() };
}
