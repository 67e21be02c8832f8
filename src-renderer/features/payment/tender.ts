import { parseMoney } from '../../../src-common/money.js';

/** What the typed amounts mean for this receipt. All integers (kopecks). */
export interface Tender {
  card: number;
  cash: number;
  /** A field holds something that is not an amount. */
  invalid: boolean;
  /** The card part is more than the receipt: the backend would answer tender_invalid. */
  cardTooBig: boolean;
  cashEmpty: boolean;
  dueInCash: number;
  /** Still to pay in cash, as the cashier reads it out. */
  remaining: number;
  /** What blocks completing: an empty cash field is not short, it means exact. */
  short: number;
  change: number;
  /** The cash payment to send: an empty field means exact, the rest in cash with no change. */
  cashToSend: number;
}

export function tender(total: number, cardText: string, cashText: string): Tender {
  const cardValue = cardText.trim() === '' ? 0 : parseMoney(cardText);
  const cashEmpty = cashText.trim() === '';
  const cashValue = cashEmpty ? 0 : parseMoney(cashText);
  const card = cardValue ?? 0;
  const cash = cashValue ?? 0;
  const dueInCash = Math.max(0, total - card);
  return {
    card,
    cash,
    invalid: cardValue === null || cashValue === null,
    cardTooBig: card > total,
    cashEmpty,
    dueInCash,
    remaining: Math.max(0, dueInCash - cash),
    short: cashEmpty ? 0 : Math.max(0, dueInCash - cash),
    change: cashEmpty ? 0 : Math.max(0, cash - dueInCash),
    cashToSend: cashEmpty ? dueInCash : cash,
  };
}
