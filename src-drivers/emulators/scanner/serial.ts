import { mulberry32 } from '../../../src-common/prng.js';
import { suffixBytes, type Suffix } from '../../scanner/serial-frames.js';
import type { EmulatorCore } from '../serve.js';

export interface SerialScannerEmulatorOptions {
  suffix?: Suffix;
  prefix?: string;
  /** How FNC1 separators inside the data go out: GS (default), dropped, or replaced by some text. */
  fnc1?: 'gs' | 'drop' | { substitute: string };
}

const GS = '\u001d';

/**
 * A serial (or USB-CDC) barcode scanner: `scan()` queues what the scanner would send, `serveSerial`
 * (`flush()`) or a test writes it to the device end of the line. It sends on its own and ignores
 * what the host writes (trigger and beep commands), as most scanners in their default mode do.
 */
export class SerialScannerEmulator implements EmulatorCore {
  private pending: number[] = [];
  /** Bytes the host wrote to the scanner. */
  received = 0;

  constructor(readonly options: SerialScannerEmulatorOptions = {}) {}

  /** The bytes of one scan: prefix, AIM identifier (if given), data, suffix. */
  frame(code: string, aim?: string): Uint8Array {
    const f = this.options.fnc1 ?? 'gs';
    const data = f === 'gs' ? code : code.split(GS).join(f === 'drop' ? '' : f.substitute);
    const text = (this.options.prefix ?? '') + (aim ?? '') + data;
    return Uint8Array.from([...new TextEncoder().encode(text), ...suffixBytes(this.options.suffix ?? 'CR')]);
  }

  /** Queue a scan; returns its bytes. */
  scan(code: string, aim?: string): Uint8Array {
    const bytes = this.frame(code, aim);
    this.pending.push(...bytes);
    return bytes;
  }

  feed(bytes: Uint8Array): Uint8Array {
    this.received += bytes.length;
    return new Uint8Array(0);
  }

  drain(): Uint8Array {
    const out = Uint8Array.from(this.pending);
    this.pending = [];
    return out;
  }
}

/** A seeded generator, so a failing split can be replayed. */
export const seededRandom = mulberry32;

/** Cut bytes into chunks of 1..maxChunk bytes at random places. */
export function splitRandomly(bytes: Uint8Array, random: () => number, maxChunk = 8): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(random() * Math.max(1, maxChunk));
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * Write chunks one at a time with a pause between them, so they arrive as separate reads at the
 * other end of a pty (written back to back, the kernel would hand them over as one).
 */
export async function sendChunks(target: { send(bytes: Uint8Array): void }, chunks: readonly Uint8Array[], gapMs = 15): Promise<void> {
  for (const [i, c] of chunks.entries()) {
    if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    target.send(c);
  }
}
