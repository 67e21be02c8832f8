import type { EpochMs } from './units.js';

export interface Clock {
  now(): EpochMs;
}

export const systemClock: Clock = { now: () => Date.now() as EpochMs };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): EpochMs {
    return this.t as EpochMs;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The business day (YYYY-MM-DD) of an instant in the store's time zone. */
export function businessDay(at: EpochMs, timeZone: string): string {
  // Building a DateTimeFormat costs ~0.1 ms: keep one per zone, it is on the sale path.
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}
