import { AppError } from '../../src-common/errors.js';
import type { DenominationCount } from '../../src-common/rpc/schemas.js';
import { MAX_MINOR, type Minor } from '../../src-common/units.js';

/**
 * The total of a drawer count by denomination. Every value must be one of the currency's notes or
 * coins and appear once; the result is exact (integers only).
 */
export function countTotal(count: DenominationCount, denominations: readonly number[]): Minor {
  const allowed = new Set(denominations);
  const seen = new Set<number>();
  let total = 0;
  for (const { value, count: n } of count) {
    if (!allowed.has(value)) throw new AppError('count_invalid', 'not a note or coin of this currency', { value });
    if (seen.has(value)) throw new AppError('count_invalid', 'a denomination is listed twice', { value });
    seen.add(value);
    total += value * n;
  }
  if (total > MAX_MINOR) throw new AppError('count_invalid', 'the count is too large', { max: MAX_MINOR });
  return total as Minor;
}

export interface CashFlows {
  openingFloat: number;
  /** Cash kept from sales: tendered minus change. */
  sales: number;
  refunds: number;
  cashIn: number;
  cashOut: number;
}

/** What the drawer should hold: float + cash sales − cash refunds + cash in − cash out. */
export function expectedCash(f: CashFlows): Minor {
  return (f.openingFloat + f.sales - f.refunds + f.cashIn - f.cashOut) as Minor;
}
