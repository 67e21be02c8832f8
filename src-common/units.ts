/**
 * Branded numeric units. Money is integer minor units (kopecks), quantities are integer
 * thousandths (grams for kg goods, millilitres for litres, 1000 per piece), instants are UTC
 * epoch milliseconds. The brands make mixing them a compile error.
 */
export type Minor = number & { readonly __unit: 'Minor' };
export type Qty = number & { readonly __unit: 'Qty' };
export type EpochMs = number & { readonly __unit: 'EpochMs' };
export type DurationMs = number & { readonly __unit: 'DurationMs' };
/** Hundredths of a percent: 2000 = 20 %. Used for VAT rates and percent discounts. */
export type BasisPoints = number & { readonly __unit: 'BasisPoints' };

/** Largest amount we accept anywhere: 99 999 999.99 in major units. Keeps every product of money × qty exact. */
export const MAX_MINOR = 9_999_999_999;
/** Largest quantity on one line: 99 999.999 units. */
export const MAX_QTY = 99_999_999;
export const QTY_ONE = 1000 as Qty;

function assertSafeInt(n: number, what: string, max: number, min = 0): void {
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new RangeError(`${what} out of range: ${n}`);
  }
}

export function minor(n: number): Minor {
  assertSafeInt(n, 'money', MAX_MINOR, -MAX_MINOR);
  return n as Minor;
}
export function qty(n: number): Qty {
  assertSafeInt(n, 'quantity', MAX_QTY, -MAX_QTY);
  return n as Qty;
}
export function bp(n: number): BasisPoints {
  assertSafeInt(n, 'basis points', 1_000_000);
  return n as BasisPoints;
}
export function epochMs(n: number): EpochMs {
  assertSafeInt(n, 'instant', Number.MAX_SAFE_INTEGER);
  return n as EpochMs;
}
