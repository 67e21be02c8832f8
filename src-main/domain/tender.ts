import type { PaymentInput } from '../../src-common/rpc/contract.js';
import type { Minor } from '../../src-common/units.js';
import { AppError } from '../../src-common/errors.js';

export interface SettledPayment {
  method: 'cash' | 'card';
  /** What counts toward the receipt total. */
  amount: Minor;
  /** What the customer handed over (cash) or was charged (card). */
  tendered: Minor;
  change: Minor;
}

/**
 * Settle a receipt total against the tenders. Card is charged exactly and never gives change;
 * cash covers the rest and gives change only from cash. Short or pointless tenders are refused.
 */
export function settleTender(total: Minor, inputs: readonly PaymentInput[]): { payments: SettledPayment[]; change: Minor } {
  const card = inputs.filter((p) => p.method === 'card').reduce((a, p) => a + p.amount, 0);
  const cash = inputs.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
  if (card > total) throw new AppError('tender_invalid', 'card amount exceeds the total', { total });
  const dueInCash = total - card;
  if (cash < dueInCash) throw new AppError('tender_short', 'tender is short', { short: dueInCash - cash });
  if (dueInCash === 0 && cash > 0) throw new AppError('tender_invalid', 'cash is not needed', {});
  const change = (cash - dueInCash) as Minor;
  const payments: SettledPayment[] = [];
  // One row per method keeps the drawer arithmetic obvious: cash amount = cash kept.
  if (card > 0) payments.push({ method: 'card', amount: card as Minor, tendered: card as Minor, change: 0 as Minor });
  if (cash > 0) payments.push({ method: 'cash', amount: dueInCash as Minor, tendered: cash as Minor, change });
  return { payments, change };
}
