import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src-main/sync/backoff.js';

describe('back-off with full jitter', () => {
  it('stays between the floor and a ceiling that doubles per failure up to the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, r) => {
        const ceiling = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.baseMs * 2 ** Math.min(failures - 1, 40));
        const d = backoffDelay(failures, DEFAULT_BACKOFF, () => r);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.minMs);
        expect(d).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('1 s after the first failure at most, 5 min at most ever', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0.999_999)).toBe(999);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1_999);
    expect(backoffDelay(9, DEFAULT_BACKOFF, () => 0.999_999)).toBe(255_999);
    expect(backoffDelay(10, DEFAULT_BACKOFF, () => 0.999_999)).toBe(299_999);
    expect(backoffDelay(1_000_000, DEFAULT_BACKOFF, () => 0.999_999)).toBe(299_999);
    // A draw near zero is not a busy loop.
    expect(backoffDelay(30, DEFAULT_BACKOFF, () => 0)).toBe(DEFAULT_BACKOFF.minMs);
  });

  it('spreads tills over the whole window (full jitter, not a fixed delay)', () => {
    const draws = Array.from({ length: 2_000 }, () => backoffDelay(6));
    const ceiling = 32_000;
    expect(Math.max(...draws)).toBeLessThanOrEqual(ceiling);
    // Each quarter of the window gets a fair share.
    for (let q = 0; q < 4; q++) {
      const inQuarter = draws.filter((d) => d >= (q * ceiling) / 4 && d < ((q + 1) * ceiling) / 4).length;
      expect(inQuarter).toBeGreaterThan(350);
    }
  });

  it('never exceeds the ceiling when the floor is above it', () => {
    expect(backoffDelay(1, { baseMs: 10, maxMs: 10, minMs: 50 }, () => 0)).toBe(10);
  });
});
