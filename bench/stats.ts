/** Percentiles by nearest rank, and the small helpers every benchmark group shares. */

/** The p-th percentile (0 < p ≤ 100) by nearest rank: the smallest sample with at least p % of samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} outside (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = Float64Array.from(samples).sort();
  const sorted = Array.from(s);
  const mean = sorted.reduce((a, x) => a + x, 0) / sorted.length;
  return {
    n: sorted.length,
    min: sorted[0] as number,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    mean,
  };
}

export function median(samples: readonly number[]): number {
  return percentile(Array.from(Float64Array.from(samples).sort()), 50);
}

/** Round a figure for the JSON: 4 significant decimals below 1, 3 decimals below 100, 1 above. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const digits = Math.abs(x) < 1 ? 4 : Math.abs(x) < 100 ? 3 : 1;
  return Number(x.toFixed(digits));
}

/** Let timers, I/O and setImmediate work run (outside any timed region). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A deterministic PRNG (the catalog generator's mulberry32) so every run measures the same codes and queries. */
export { prng as rng } from '../src-main/demo/catalog-generator.js';
