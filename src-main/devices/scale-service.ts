import type { Clock } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import type { Scale, ScaleReading } from '../../src-drivers/scale/index.js';

export interface WeightSnapshot {
  reading: ScaleReading | null;
  /** When it was read (the till's clock). */
  at: number;
  /** Why there is no reading (the scale does not answer, a bad frame). */
  error: string | null;
}

/** A reading is good for a sale this long after it was taken. */
const FRESH_MS = 1_500;

/**
 * Keeps the latest weight from the configured scale, read every `pollMs`. Commands are synchronous
 * (one SQLite transaction each), so a sale never waits on the scale: it takes the latest stable
 * weight, or is refused with the reason (moving, over capacity, below zero, no answer).
 */
export class ScaleService {
  private last: WeightSnapshot = { reading: null, at: 0, error: 'not read yet' };
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly scale: Scale,
    private readonly clock: Clock,
    private readonly onChange: (w: WeightSnapshot) => void,
    private readonly pollMs = 250,
  ) {}

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.scale.dispose();
  }

  get snapshot(): WeightSnapshot {
    return this.last;
  }

  /** The weight to sell now, in grams, or an AppError saying why not. */
  stableGrams(): number {
    const { reading, at, error } = this.last;
    if (!reading || this.clock.now() - at > FRESH_MS) throw new AppError('scale_unavailable', 'the scale does not answer', { reason: error ?? 'stale' });
    switch (reading.kind) {
      case 'stable':
        if (reading.grams <= 0) throw new AppError('scale_empty', 'nothing on the scale');
        return reading.grams;
      case 'unstable':
        throw new AppError('scale_unstable', 'the weight is still moving');
      case 'overload':
        throw new AppError('scale_overload', 'over the scale capacity');
      case 'underload':
        throw new AppError('scale_underload', 'the scale shows below zero: zero it');
      case 'fault':
        throw new AppError('scale_unavailable', 'the scale reports a fault', { reason: reading.detail });
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    let next: WeightSnapshot;
    try {
      next = { reading: await this.scale.read(), at: this.clock.now(), error: null };
    } catch (e) {
      next = { reading: null, at: this.clock.now(), error: e instanceof Error ? e.message : String(e) };
    }
    const changed = JSON.stringify(next.reading) !== JSON.stringify(this.last.reading) || next.error !== this.last.error;
    this.last = next;
    if (changed) this.onChange(next);
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.pollMs);
  }
}
