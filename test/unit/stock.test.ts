import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineStatus, receivingTotals, weightedAverageCost } from '../../src-common/stock.js';

describe('stock arithmetic', () => {
  it('a line against the invoice', () => {
    expect(lineStatus(10_000, 10_000)).toBe('ok');
    expect(lineStatus(10_000, 9_000)).toBe('short');
    expect(lineStatus(10_000, 11_000)).toBe('over');
    expect(lineStatus(10_000, 0)).toBe('missing');
    expect(lineStatus(null, 1_000)).toBe('unexpected');
    expect(lineStatus(null, 0)).toBe('ok');
    expect(lineStatus(0, 0)).toBe('ok');
  });

  it('weighted average: exact cases, stock below zero carries no value, nothing received changes nothing', () => {
    expect(weightedAverageCost(8_000, 5_000, 9_000, 5_600)).toBe(5_318);
    expect(weightedAverageCost(0, 5_000, 1_000, 7_000)).toBe(7_000);
    expect(weightedAverageCost(-3_000, 5_000, 1_000, 7_000)).toBe(7_000);
    expect(weightedAverageCost(5_000, null, 1_000, 7_000)).toBe(7_000);
    expect(weightedAverageCost(5_000, 4_000, 0, 7_000)).toBe(4_000);
    // Huge quantities and costs stay exact (BigInt inside).
    expect(weightedAverageCost(99_999_999, 9_999_999_999, 99_999_999, 9_999_999_999)).toBe(9_999_999_999);
  });

  it('property: the average lies between the two costs, and is the exact value rounded once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 1_000_000_00 }), fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 1_000_000_00 }), (onHand, avg, received, cost) => {
        const r = weightedAverageCost(onHand, avg, received, cost);
        expect(r).toBeGreaterThanOrEqual(Math.min(avg, cost));
        expect(r).toBeLessThanOrEqual(Math.max(avg, cost));
        const exact = (BigInt(onHand) * BigInt(avg) + BigInt(received) * BigInt(cost)) * 2n;
        const total = BigInt(onHand + received);
        // |2·total·r − 2·value| ≤ total: within half a kopeck of the exact average.
        const diff = BigInt(r) * 2n * total - exact;
        expect(diff <= total && diff >= -total).toBe(true);
      }),
    );
  });

  it('totals: each line valued once, at cost and at retail, with the differences counted', () => {
    const t = receivingTotals([
      { expectedQty: 10_000, qty: 9_000, cost: 5_600, retailPrice: 8_990 },
      { expectedQty: null, qty: 1_234, cost: 12_000, retailPrice: 19_990 },
      { expectedQty: 5_000, qty: 0, cost: 8_000, retailPrice: 12_000 },
      { expectedQty: null, qty: 1_000, cost: null, retailPrice: 45_000 },
    ]);
    expect(t).toEqual({ expectedCost: 96_000, receivedCost: 65_208, retailValue: 9 * 8_990 + 24_668 + 45_000, lines: 4, short: 1, over: 0, unexpected: 2, missing: 1 });
  });
});

describe('reorder suggestion', () => {
  it('back up to twice the minimum, in whole supplier packs; nothing above the minimum or without one', async () => {
    const { reorderSuggestion } = await import('../../src-common/stock.js');
    expect(reorderSuggestion(5_000, 10_000, null)).toBe(15_000);
    expect(reorderSuggestion(5_000, 10_000, 6_000)).toBe(18_000);
    expect(reorderSuggestion(10_000, 10_000, 12_000)).toBe(12_000);
    expect(reorderSuggestion(-2_000, 4_000, 6_000)).toBe(12_000);
    expect(reorderSuggestion(10_001, 10_000, 6_000)).toBe(0);
    expect(reorderSuggestion(0, null, 6_000)).toBe(0);
    expect(reorderSuggestion(0, 0, 6_000)).toBe(6_000);
  });
});

describe('proposed retail price', () => {
  it('cost plus markup, rounded up to the step, with the ending taken off, never below cost plus markup', async () => {
    const { proposedPrice } = await import('../../src-common/stock.js');
    expect(proposedPrice(4_100, 5_000, 100, 10)).toBe(6_190);
    expect(proposedPrice(4_100, 2_500, 1, 0)).toBe(5_125);
    expect(proposedPrice(4_000, 5_000, 100, 10)).toBe(6_090);
    expect(proposedPrice(4_000, 5_000, 100, 0)).toBe(6_000);
    expect(proposedPrice(5_740, 0, 100, 10)).toBe(5_790);
    expect(proposedPrice(0, 5_000, 100, 10)).toBe(90);
  });
});
