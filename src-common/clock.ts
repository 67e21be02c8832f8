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

/** The business day (YYYY-MM-DD) of an instant in the store's time zone. */
export function businessDay(at: EpochMs, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  return parts;
}
