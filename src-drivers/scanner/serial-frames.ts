import type { AssemblerOutput, ScanAssembler, ScanError } from './scanner.js';
import { decodeScanBytes, withAim } from './symbology.js';

export type Suffix = 'CR' | 'LF' | 'CRLF' | 'TAB' | readonly number[];

export interface SerialFramingOptions {
  /** What ends every scan; scanners default to CR. */
  suffix?: Suffix;
  /** Sent before every scan (some scanners are set to STX); stripped when present. */
  prefix?: string | readonly number[];
  /** Longest scan accepted, in bytes between prefix and suffix. */
  maxLength?: number;
  /** A half-received scan older than this when more bytes come is dropped: its end was lost. */
  staleAfterMs?: number;
  /** Read and strip an AIM symbology identifier at the start of a scan (default on). */
  aim?: boolean;
}

const CR = 0x0d;
const LF = 0x0a;

export function suffixBytes(s: Suffix): number[] {
  switch (s) {
    case 'CR':
      return [CR];
    case 'LF':
      return [LF];
    case 'CRLF':
      return [CR, LF];
    case 'TAB':
      return [0x09];
    default:
      return s.length > 0 ? [...s] : [CR];
  }
}

function prefixBytes(p: string | readonly number[] | undefined): number[] {
  if (p === undefined) return [];
  return typeof p === 'string' ? [...new TextEncoder().encode(p)] : [...p];
}

/** Control bytes a scan may carry: HT, LF, CR, and the ISO 15434 / GS1 separators EOT, FS, GS, RS. */
function isGarbageByte(b: number): boolean {
  if (b === 0x7f) return true;
  if (b >= 0x20) return false;
  return !(b === 0x04 || b === 0x09 || b === LF || b === CR || (b >= 0x1c && b <= 0x1e));
}

function startsWith(a: readonly number[], p: readonly number[]): boolean {
  return p.length > 0 && a.length >= p.length && p.every((b, i) => a[i] === b);
}

/**
 * Cuts a serial scanner's byte stream into scans at the suffix, wherever the chunks break. A scan
 * that runs past `maxLength` is dropped up to the next suffix; one with line noise in it is dropped
 * whole. A CR-configured reader also takes CRLF, an LF-configured one CRLF too.
 */
export class SerialFrameAssembler implements ScanAssembler {
  private readonly suffix: number[];
  private readonly prefix: number[];
  private readonly maxLength: number;
  private readonly staleAfterMs: number;
  private readonly aim: boolean;
  private buf: number[] = [];
  private discarding = false;
  private discarded = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(opts: SerialFramingOptions = {}) {
    this.suffix = suffixBytes(opts.suffix ?? 'CR');
    this.prefix = prefixBytes(opts.prefix);
    this.maxLength = Math.max(1, opts.maxLength ?? 512);
    this.staleAfterMs = opts.staleAfterMs ?? 1_000;
    this.aim = opts.aim ?? true;
  }

  push(chunk: Uint8Array, now: number): AssemblerOutput[] {
    const out: AssemblerOutput[] = [];
    if ((this.buf.length > 0 || this.discarding) && now - this.lastAt > this.staleAfterMs) {
      const bytes = this.reset();
      out.push(err('stale', bytes, `a scan was left unfinished for ${Math.round(now - this.lastAt)} ms: its end was lost`));
    }
    this.lastAt = now;
    const n = this.suffix.length;
    for (const b of chunk) {
      this.buf.push(b);
      if (this.endsWithSuffix()) {
        const frame = this.buf.slice(0, this.buf.length - n);
        this.buf = [];
        if (this.discarding) {
          this.discarding = false;
          this.discarded = 0;
          continue;
        }
        const o = this.frame(frame);
        if (o) out.push(o);
      } else if (this.discarding) {
        this.discarded++;
        if (this.buf.length >= n) this.buf.shift(); // only a possible suffix is worth keeping
      } else if (this.buf.length - (n - 1) > this.maxLength) {
        out.push(err('overlong', this.buf.length, `no suffix within ${this.maxLength} bytes: dropped up to the next one`));
        this.discarding = true;
        const keep = n > 1 ? this.buf.slice(-(n - 1)) : []; // the start of a suffix, perhaps
        this.discarded = this.buf.length - keep.length;
        this.buf = keep;
      }
    }
    return out;
  }

  reset(): number {
    const lost = this.discarding ? this.discarded + this.buf.length : this.buf.length;
    this.buf = [];
    this.discarding = false;
    this.discarded = 0;
    return lost;
  }

  private endsWithSuffix(): boolean {
    const n = this.suffix.length;
    if (this.buf.length < n) return false;
    for (let i = 0; i < n; i++) if (this.buf[this.buf.length - n + i] !== this.suffix[i]) return false;
    return true;
  }

  private frame(bytes: number[]): AssemblerOutput | null {
    let f = bytes;
    // The scanner sends CRLF while we cut at CR (or LF): the other half is not part of the code.
    if (this.suffix.length === 1 && this.suffix[0] === CR && f[0] === LF) f = f.slice(1);
    if (this.suffix.length === 1 && this.suffix[0] === LF && f.at(-1) === CR) f = f.slice(0, -1);
    if (startsWith(f, this.prefix)) f = f.slice(this.prefix.length);
    if (f.length === 0) return null;
    if (f.some(isGarbageByte)) return err('garbage', bytes.length, 'control bytes in a scan: line noise or a wrong baud rate');
    const scan = withAim(decodeScanBytes(Uint8Array.from(f)), this.aim);
    if (scan.code.length === 0) return err('malformed', bytes.length, `a symbology identifier ${scan.aim ?? ''} with no data`);
    return { kind: 'scan', scan };
  }
}

function err(kind: ScanError['kind'], bytes: number, message: string): AssemblerOutput {
  return { kind: 'error', error: { kind, bytes, message } };
}
