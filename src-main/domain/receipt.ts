import { allocate, extend, includedVat, percentOf } from '../../src-common/money.js';
import type { Discount, Unit } from '../../src-common/rpc/schemas.js';
import type { BasisPoints, Minor, Qty } from '../../src-common/units.js';
import { MAX_MINOR } from '../../src-common/units.js';
import { AppError } from '../../src-common/errors.js';

/** What the cashier decided for a line; everything else is computed from it. */
export interface LineInput {
  id: string;
  productId: number;
  name: string;
  unit: Unit;
  barcode: string | null;
  qty: Qty;
  basePrice: Minor;
  price: Minor;
  discount: Discount | null;
  taxCode: string;
  taxBp: BasisPoints;
}

export interface ComputedLine extends LineInput {
  gross: Minor;
  discountTotal: Minor;
  amount: Minor;
  vatAmount: Minor;
}

export interface ComputedReceipt {
  lines: ComputedLine[];
  subtotal: Minor;
  discountTotal: Minor;
  total: Minor;
  vat: { code: string; bp: number; amount: Minor }[];
}

function discountAmount(base: Minor, d: Discount | null): Minor {
  if (!d) return 0 as Minor;
  const raw = d.kind === 'percent' ? percentOf(base, d.bp as BasisPoints) : (d.amount as Minor);
  return Math.min(raw, base) as Minor;
}

/**
 * Price a receipt: line gross (price × qty, rounded per line), the line's own discount, then the
 * receipt discount spread over lines in proportion to what is left of each, then VAT per line.
 * Every line is exact to the kopeck and the total is the sum of the lines, always.
 */
export function computeReceipt(lines: readonly LineInput[], receiptDiscount: Discount | null): ComputedReceipt {
  const gross = lines.map((l) => extend(l.price, l.qty));
  const lineDiscounts = lines.map((l, i) => discountAmount(gross[i] as Minor, l.discount));
  const afterLine = gross.map((g, i) => (g - (lineDiscounts[i] as number)) as Minor);
  const base = afterLine.reduce((a, b) => a + b, 0) as Minor;
  const receiptDisc = discountAmount(base, receiptDiscount);
  const shares = allocate(receiptDisc, afterLine);
  const computed: ComputedLine[] = lines.map((l, i) => {
    const discountTotal = ((lineDiscounts[i] as number) + (shares[i] as number)) as Minor;
    const amount = ((gross[i] as number) - discountTotal) as Minor;
    return { ...l, gross: gross[i] as Minor, discountTotal, amount, vatAmount: includedVat(amount, l.taxBp) };
  });
  const vatMap = new Map<string, { code: string; bp: number; amount: Minor }>();
  for (const l of computed) {
    const v = vatMap.get(l.taxCode) ?? { code: l.taxCode, bp: l.taxBp, amount: 0 as Minor };
    v.amount = (v.amount + l.vatAmount) as Minor;
    vatMap.set(l.taxCode, v);
  }
  const subtotal = gross.reduce((a, b) => a + b, 0) as Minor;
  const total = computed.reduce((a, l) => a + l.amount, 0) as Minor;
  if (total > MAX_MINOR) throw new AppError('invalid_quantity', 'receipt total too large', { max: MAX_MINOR });
  return { lines: computed, subtotal, discountTotal: (subtotal - total) as Minor, total, vat: [...vatMap.values()] };
}

/** Reject a discount the cashier could not mean: more than the amount it applies to. */
export function checkDiscount(base: Minor, d: Discount | null): void {
  if (d && d.kind === 'amount' && d.amount > base) {
    throw new AppError('invalid_discount', 'discount exceeds the amount', { max: base });
  }
}

/**
 * Take receipt-level amounts off a priced receipt one after another (the tier's discount, a coupon,
 * points spent), each spread over the lines in proportion to what is left of them; VAT is worked
 * out again per line. Each amount is capped at what is left, so no line goes below zero and the
 * total is still the sum of the lines.
 */
export function takeOff(r: ComputedReceipt, amounts: readonly Minor[]): ComputedReceipt {
  let lines = r.lines;
  for (const raw of amounts) {
    const left = lines.reduce((a, l) => a + l.amount, 0);
    const amount = Math.min(Math.max(0, raw), left) as Minor;
    if (amount === 0) continue;
    const shares = allocate(amount, lines.map((l) => l.amount));
    lines = lines.map((l, i) => {
      const a = (l.amount - (shares[i] as number)) as Minor;
      return { ...l, discountTotal: (l.discountTotal + (shares[i] as number)) as Minor, amount: a, vatAmount: includedVat(a, l.taxBp) };
    });
  }
  if (lines === r.lines) return r;
  const vatMap = new Map<string, { code: string; bp: number; amount: Minor }>();
  for (const l of lines) {
    const v = vatMap.get(l.taxCode) ?? { code: l.taxCode, bp: l.taxBp, amount: 0 as Minor };
    v.amount = (v.amount + l.vatAmount) as Minor;
    vatMap.set(l.taxCode, v);
  }
  const total = lines.reduce((a, l) => a + l.amount, 0) as Minor;
  return { lines, subtotal: r.subtotal, discountTotal: (r.subtotal - total) as Minor, total, vat: [...vatMap.values()] };
}
