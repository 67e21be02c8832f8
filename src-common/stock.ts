import { divRound, extend } from './money.js';
import { minor, type Minor, type Qty } from './units.js';

/**
 * Stock arithmetic shared by the till (posting) and the screens (the live differences while a
 * delivery is counted). Quantities are thousandths, money minor units; nothing here rounds twice.
 */

/** How a counted line stands against the supplier's invoice. */
export type LineStatus = 'ok' | 'short' | 'over' | 'unexpected' | 'missing';

export function lineStatus(expectedQty: number | null, qty: number): LineStatus {
  if (expectedQty === null) return qty > 0 ? 'unexpected' : 'ok';
  if (qty === 0 && expectedQty > 0) return 'missing';
  if (qty < expectedQty) return 'short';
  if (qty > expectedQty) return 'over';
  return 'ok';
}

/**
 * The weighted-average unit cost after receiving `received` at `cost` onto `onHand` valued at
 * `avgCost`. Stock below zero (sold before it was received) carries no value of its own: the new
 * goods' cost is the cost. Rounded half up to the minor unit, once.
 */
export function weightedAverageCost(onHand: number, avgCost: number | null, received: number, cost: number): Minor {
  if (received <= 0) return minor(avgCost ?? cost);
  if (onHand <= 0 || avgCost === null) return minor(cost);
  const value = BigInt(onHand) * BigInt(avgCost) + BigInt(received) * BigInt(cost);
  return minor(Number(divRound(value, BigInt(onHand + received))));
}

export interface ReceivingLineFigures {
  expectedQty: number | null;
  qty: number;
  cost: number | null;
  /** The retail price the goods will sell at (the new one when set, else the current). */
  retailPrice: number;
}

export interface ReceivingTotals {
  /** At cost: what the invoice expects, and what arrived. */
  expectedCost: Minor;
  receivedCost: Minor;
  /** At retail price: what arrived. */
  retailValue: Minor;
  lines: number;
  short: number;
  over: number;
  unexpected: number;
  missing: number;
}

/** A delivery's totals and how many lines differ, each line's value rounded once. */
export function receivingTotals(lines: readonly ReceivingLineFigures[]): ReceivingTotals {
  let expectedCost = 0;
  let receivedCost = 0;
  let retailValue = 0;
  const counts = { short: 0, over: 0, unexpected: 0, missing: 0 };
  for (const l of lines) {
    if (l.cost !== null) {
      if (l.expectedQty !== null) expectedCost += extend(l.cost as Minor, l.expectedQty as Qty);
      receivedCost += extend(l.cost as Minor, l.qty as Qty);
    }
    retailValue += extend(l.retailPrice as Minor, l.qty as Qty);
    const s = lineStatus(l.expectedQty, l.qty);
    if (s !== 'ok') counts[s]++;
  }
  return { expectedCost: minor(expectedCost), receivedCost: minor(receivedCost), retailValue: minor(retailValue), lines: lines.length, ...counts };
}

/**
 * What to reorder for a product at or below its minimum: enough to bring it back up to twice the
 * minimum (the usual min/max rule with max = 2 × min), in whole supplier packs. Zero above the
 * minimum, or with no minimum set. Stock below zero (sold before it was received) is made up too.
 */
export function reorderSuggestion(onHand: number, minQty: number | null, pack: number | null): number {
  if (minQty === null || onHand > minQty) return 0;
  const unit = pack !== null && pack > 0 ? pack : 1000;
  const need = 2 * minQty - onHand;
  if (need <= 0) return unit;
  return Math.ceil(need / unit) * unit;
}

/**
 * A retail price from a cost and a markup: cost × (1 + markup), rounded up to `rounding` minor units
 * with `ending` taken off (100 and 10: prices ending in ,90), never below cost × (1 + markup).
 */
export function proposedPrice(cost: number, markupBp: number, rounding: number, ending: number): Minor {
  const raw = divRound(BigInt(cost) * BigInt(10_000 + markupBp), 10_000n, 'halfUp');
  const step = BigInt(rounding);
  const end = BigInt(ending);
  const up = ((raw + end + step - 1n) / step) * step - end;
  return minor(Number(up));
}
