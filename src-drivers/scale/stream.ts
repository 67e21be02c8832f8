/** What a scale protocol's stream parser yields. */
export type ParseEvent<F> = { kind: 'frame'; frame: F } | { kind: 'corrupt'; reason: string };

export interface StreamParser<F> {
  /** Never throws; keeps at most one frame's worth of bytes between calls. */
  push(chunk: Uint8Array): ParseEvent<F>[];
  /** Forget a half-received frame (before a new request, after a reconnect). */
  reset(): void;
}

/**
 * The decision at one position of the buffer:
 * - `skip`: no frame starts here (garbage, or a header whose fixed bytes do not follow);
 * - `more`: a frame may start here, wait for more bytes;
 * - `{ take, event }`: consume `take` bytes, yielding `event` if any.
 * A probe must decide the same way whatever part of the frame has arrived: it only answers `skip`
 * on bytes it has, so the events do not depend on where the chunks were cut.
 */
export type Probe<F> = 'skip' | 'more' | { take: number; event?: ParseEvent<F> };

/**
 * A parser that scans for frames and resynchronises byte by byte: garbage before a frame is
 * dropped, a corrupt frame is reported and scanning resumes one byte after its start (so a good
 * frame hidden behind a false header is still found). The buffer never holds more than
 * `maxFrame` bytes: a probe that keeps asking for more beyond that is overruled.
 */
export class ResyncParser<F> implements StreamParser<F> {
  private pending: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly probe: (buf: Uint8Array, at: number) => Probe<F>,
    private readonly maxFrame: number,
    /** Applied to each byte on arrival (7-bit links read as 8-bit: mask the parity bit). */
    private readonly mapByte?: (b: number) => number,
  ) {}

  push(chunk: Uint8Array): ParseEvent<F>[] {
    const incoming = this.mapByte ? chunk.map(this.mapByte) : chunk;
    const buf = new Uint8Array(this.pending.length + incoming.length);
    buf.set(this.pending);
    buf.set(incoming, this.pending.length);
    const events: ParseEvent<F>[] = [];
    let i = 0;
    while (i < buf.length) {
      let r: Probe<F>;
      try {
        r = this.probe(buf, i);
      } catch {
        r = 'skip'; // a probe bug must cost one byte, never the stream
      }
      if (r === 'more' && buf.length - i >= this.maxFrame) r = 'skip';
      if (r === 'more') break;
      if (r === 'skip') {
        i++;
        continue;
      }
      if (r.event) events.push(r.event);
      i += Math.max(1, r.take);
    }
    this.pending = buf.slice(i);
    return events;
  }

  reset(): void {
    this.pending = new Uint8Array(0);
  }
}

/** XOR of `bytes[from..to)`. */
export function xor(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] ?? 0;
  return x;
}

export const isPrintable = (b: number | undefined): boolean => b !== undefined && b >= 0x20 && b <= 0x7e;

export function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
