import type { DenominationCount } from '../../../src-common/rpc/schemas.js';

/** What the cashier typed per denomination: blank is none; anything but whole digits is invalid. */
export type CountTexts = Record<number, string>;

export function parseCount(text: string): number | null {
  const s = text.trim();
  if (s === '') return 0;
  if (!/^\d{1,6}$/.test(s)) return null;
  const n = Number(s);
  return n <= 100_000 ? n : null;
}

export interface CountSummary {
  /** The rows to send: every denomination with a count above zero. */
  count: DenominationCount;
  /** Sum in minor units (exact integers). */
  total: number;
  /** Denominations whose text is not a count. */
  invalid: number[];
}

export function summarizeCount(denominations: readonly number[], texts: CountTexts): CountSummary {
  const count: DenominationCount = [];
  const invalid: number[] = [];
  let total = 0;
  for (const value of denominations) {
    const n = parseCount(texts[value] ?? '');
    if (n === null) {
      invalid.push(value);
      continue;
    }
    if (n > 0) {
      count.push({ value, count: n });
      total += value * n;
    }
  }
  return { count, total, invalid };
}
