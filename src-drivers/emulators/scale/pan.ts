/**
 * What lies on an emulated scale and what it shows. The load is set as a sequence of readings
 * (`place(1234, { unstableReadings: 3 })`: three moving readings closing in on 1234 g, then stable);
 * each weight request the emulator answers consumes one. Zero and tare behave as on a real
 * scale: refused while the load moves, the tare is cleared by a zero.
 */
export interface PanOptions {
  /** Max, in grams: a gross weight above it is an overload. */
  capacityGrams?: number;
}

export interface PanReading {
  /** Net when a tare is in effect, else gross. */
  grams: number;
  stable: boolean;
  overload: boolean;
  net: boolean;
}

interface Step {
  load: number;
  stable: boolean;
}

export class Pan {
  readonly capacityGrams: number;
  private current: Step = { load: 0, stable: true };
  private steps: Step[] = [];
  private zeroOffset = 0;
  private tareGrams = 0;
  /** Readings answered so far. */
  readings = 0;

  constructor(opts: PanOptions = {}) {
    this.capacityGrams = opts.capacityGrams ?? 15_000;
  }

  /** Put a load on the pan (negative: less than when it was zeroed, e.g. its tray taken off). */
  place(grams: number, opts: { unstableReadings?: number } = {}): void {
    const from = this.current.load;
    const n = opts.unstableReadings ?? 0;
    const swing = [0.62, 1.18, 0.94, 1.03, 0.99];
    this.steps = [];
    for (let k = 0; k < n; k++) this.steps.push({ load: Math.round(from + (grams - from) * (swing[k] ?? 1.002)), stable: false });
    this.steps.push({ load: grams, stable: true });
    if (n === 0) this.current = { load: grams, stable: true };
  }

  /** Readings exactly as listed (raw loads); the last one stays. */
  sequence(steps: { grams: number; stable: boolean }[]): void {
    this.steps = steps.map((s) => ({ load: s.grams, stable: s.stable }));
  }

  get moving(): boolean {
    return !this.current.stable || this.steps.some((s) => !s.stable);
  }

  /** The reading a weight request gets now (it moves the sequence on). */
  next(): PanReading {
    const s = this.steps.shift();
    if (s) this.current = s;
    this.readings++;
    return this.peek();
  }

  peek(): PanReading {
    const gross = this.current.load - this.zeroOffset;
    return { grams: gross - this.tareGrams, stable: this.current.stable, overload: gross > this.capacityGrams, net: this.tareGrams !== 0 };
  }

  zero(): boolean {
    if (this.moving) return false;
    this.settleNow();
    this.zeroOffset = this.current.load;
    this.tareGrams = 0;
    return true;
  }

  tare(): boolean {
    if (this.moving) return false;
    this.settleNow();
    const gross = this.current.load - this.zeroOffset;
    if (gross <= 0 || gross > this.capacityGrams) return false;
    this.tareGrams = gross;
    return true;
  }

  clearTare(): void {
    this.tareGrams = 0;
  }

  private settleNow(): void {
    const last = this.steps.at(-1);
    if (last) this.current = last;
    this.steps = [];
  }
}

/**
 * Fault switches every scale emulator shares. `shape` applies them to one answer: silent drops
 * it, a pending corruption flips a bit in it (where is the protocol's choice), garbage goes before it.
 */
export class ScaleFaults {
  /** Answer nothing at all (a scale switched off, a cable cut on its transmit line). */
  silent = false;
  /** Bytes sent before every answer (line noise, a scale's start-up banner). */
  garbage: Uint8Array | null = null;
  private corruptLeft = 0;

  /** Corrupt the next `answers` answers (all of them by default). */
  corrupt(answers = Infinity): void {
    this.corruptLeft = answers;
  }

  clear(): void {
    this.silent = false;
    this.garbage = null;
    this.corruptLeft = 0;
  }

  shape(answer: Uint8Array, flip: (a: Uint8Array) => void): Uint8Array {
    if (this.silent || answer.length === 0) return new Uint8Array(0);
    const out = answer.slice();
    if (this.corruptLeft > 0) {
      this.corruptLeft--;
      flip(out);
    }
    if (!this.garbage) return out;
    const withNoise = new Uint8Array(this.garbage.length + out.length);
    withNoise.set(this.garbage);
    withNoise.set(out, this.garbage.length);
    return withNoise;
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
