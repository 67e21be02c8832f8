import { divRound, parseQty } from '../../../src-common/money.js';
import type { Unit } from '../../../src-common/rpc/schemas.js';

/** `part` of `whole`'s `value`, half up, in exact integers. */
function share(value: number, part: number, whole: number): number {
  return whole === 0 ? 0 : Number(divRound(BigInt(value) * BigInt(part), BigInt(whole)));
}

/**
 * What returning `qty` more of a sold line gives back: the difference of cumulative shares of the
 * line's amount, the way the backend computes it, so the summary shows the refund to the kopeck.
 */
export function lineRefund(line: { sold: number; returned: number; amount: number }, qty: number): number {
  if (qty <= 0) return 0;
  return share(line.amount, line.returned + qty, line.sold) - share(line.amount, line.returned, line.sold);
}

/**
 * A quantity typed for a return, in thousandths: blank is 0 (not returned); pieces whole, kilograms
 * and litres to three decimals; null when it is not a quantity of that unit.
 */
export function parseReturnQty(text: string, unit: Unit): number | null {
  const s = text.trim();
  if (s === '') return 0;
  const q = parseQty(s);
  if (q === null) return null;
  if (unit === 'pcs' && q % 1000 !== 0) return null;
  return q;
}

/**
 * What returns.find takes: a receipt number, a receipt code, or a day as YYYY-MM-DD. A day typed
 * the Russian way (31.12.2025, or 31.12.25) is turned into that form.
 */
export function normalizeReturnQuery(text: string): string {
  const s = text.trim();
  const m = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(s);
  if (!m) return s;
  const year = (m[3] as string).length === 2 ? `20${m[3]}` : (m[3] as string);
  return `${year}-${(m[2] as string).padStart(2, '0')}-${(m[1] as string).padStart(2, '0')}`;
}
