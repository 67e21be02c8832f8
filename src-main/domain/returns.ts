import { AppError } from '../../src-common/errors.js';
import { allocate, divRound } from '../../src-common/money.js';
import type { PaymentMethod } from '../../src-common/rpc/schemas.js';
import type { Minor, Qty } from '../../src-common/units.js';

/** A sold line as far as returning it is concerned. */
export interface SoldLine {
  qty: number;
  gross: number;
  amount: number;
  vatAmount: number;
}

/** `part` of `whole`'s `value`, rounded half up: the share of a line that `part` units carry. */
function share(value: number, part: number, whole: number): number {
  return Number(divRound(BigInt(value) * BigInt(part), BigInt(whole)));
}

/**
 * What returning `qty` more units of a sold line gives back, when earlier returns already took
 * `returnedBefore`. Computed as the difference of cumulative shares, so any sequence of partial
 * returns adds up to exactly the line as sold: never a kopeck more, and the last one takes the rest.
 */
export function lineRefund(line: SoldLine, returnedBefore: number, qty: Qty): { gross: Minor; amount: Minor; vatAmount: Minor } {
  const left = line.qty - returnedBefore;
  if (qty <= 0 || qty > left) {
    throw new AppError('return_exceeds_sale', 'more than was sold', { sold: line.qty, returned: returnedBefore, requested: qty });
  }
  const cum = (v: number, q: number): number => share(v, q, line.qty);
  const upto = returnedBefore + qty;
  return {
    gross: (cum(line.gross, upto) - cum(line.gross, returnedBefore)) as Minor,
    amount: (cum(line.amount, upto) - cum(line.amount, returnedBefore)) as Minor,
    vatAmount: (cum(line.vatAmount, upto) - cum(line.vatAmount, returnedBefore)) as Minor,
  };
}

/**
 * Split a refund over the sale's tenders in proportion to what each can still give back (paid
 * minus refunded by earlier returns): a sale paid 30 % cash and 70 % card is refunded the same way,
 * and no method ever refunds more than it took.
 */
export function refundSplit(
  refund: Minor,
  remaining: readonly { method: PaymentMethod; amount: number }[],
): { method: PaymentMethod; amount: Minor }[] {
  const total = remaining.reduce((a, r) => a + r.amount, 0);
  if (refund > total) throw new AppError('return_exceeds_sale', 'more than was paid', { refundable: total, requested: refund });
  const parts = allocate(refund, remaining.map((r) => r.amount as Minor));
  return remaining.map((r, i) => ({ method: r.method, amount: parts[i] as Minor })).filter((p) => p.amount > 0);
}
