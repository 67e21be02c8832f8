/** How long to wait before the next attempt after failures in a row. */
export interface BackoffPolicy {
  /** The ceiling after the first failure. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
  /** Never wait less than this (a random draw near zero must not turn into a busy loop). */
  minMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, minMs: 250 };

/**
 * Exponential back-off with full jitter: the ceiling doubles with each failure in a row (base,
 * 2·base, 4·base … up to max) and the wait is drawn uniformly below it. Many tills cut off by the
 * same outage then come back spread over the window instead of all at once.
 * `failures` counts the failures in a row (1 after the first); `random` returns [0, 1).
 */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  // 2 ** 40 is past any sane max already: cap the exponent so the product stays finite.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 40));
  const drawn = Math.floor(random() * ceiling);
  return Math.min(ceiling, Math.max(Math.min(policy.minMs, ceiling), drawn));
}
