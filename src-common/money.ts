import type { BasisPoints, Minor, Qty } from './units.js';

export type RoundingMode = 'halfUp' | 'halfEven' | 'down';

/**
 * Exact integer division with an explicit rounding mode, for non-negative or negative numerators.
 * BigInt keeps price × quantity exact far beyond 2^53.
 */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode = 'halfUp'): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const r = n % denominator;
  const twice = r * 2n;
  switch (mode) {
    case 'down':
      break;
    case 'halfUp':
      if (twice >= denominator) q += 1n;
      break;
    case 'halfEven':
      if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
      break;
    default:
      return assertNever(mode);
  }
  return negative ? -q : q;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${String(x)}`);
}

/** Amount for a quantity at a unit price: price × qty / 1000, rounded half up to the kopeck. */
export function extend(price: Minor, quantity: Qty, mode: RoundingMode = 'halfUp'): Minor {
  return Number(divRound(BigInt(price) * BigInt(quantity), 1000n, mode)) as Minor;
}

/** A percentage of an amount (basis points: 1000 = 10 %). */
export function percentOf(amount: Minor, rate: BasisPoints, mode: RoundingMode = 'halfUp'): Minor {
  return Number(divRound(BigInt(amount) * BigInt(rate), 10_000n, mode)) as Minor;
}

/**
 * VAT contained in a VAT-inclusive amount: amount × rate / (100 % + rate), rounded half up per line,
 * which is how the fiscal registrar computes the tax of a position (tag 1200).
 */
export function includedVat(amount: Minor, rate: BasisPoints): Minor {
  if (rate === 0) return 0 as Minor;
  return Number(divRound(BigInt(amount) * BigInt(rate), 10_000n + BigInt(rate), 'halfUp')) as Minor;
}

/**
 * Split `total` across `weights` in proportion, so the parts sum to `total` exactly
 * (largest-remainder method; ties go to the earlier index, so the result is deterministic).
 * With 0 ≤ total ≤ Σweights every part is ≤ its weight.
 */
export function allocate(total: Minor, weights: readonly Minor[]): Minor[] {
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero amount over nothing');
    return [];
  }
  if (weights.some((w) => w < 0)) throw new RangeError('weights must be non-negative');
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero amount over zero weights');
    return weights.map(() => 0 as Minor);
  }
  const t = BigInt(total);
  const sign = t < 0n ? -1n : 1n;
  const abs = t * sign;
  const parts = weights.map((w) => (abs * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % sum }));
  let left = abs - parts.reduce((a, p) => a + p, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign) as Minor);
}

export interface CurrencyFormat {
  /** ISO 4217 code, e.g. RUB. */
  currency: string;
  /** BCP 47 locale, e.g. ru-RU. */
  locale: string;
  /** Digits after the decimal point of the currency's minor unit (2 for RUB, EUR). */
  minorDigits: number;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** The one place money becomes text. Integer arithmetic up to the last step: no float rounding. */
export function formatMoney(amount: Minor, fmt: CurrencyFormat, withSymbol = true): string {
  const key = `${fmt.locale}|${fmt.currency}|${fmt.minorDigits}|${withSymbol}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(fmt.locale, {
      style: withSymbol ? 'currency' : 'decimal',
      currency: fmt.currency,
      minimumFractionDigits: fmt.minorDigits,
      maximumFractionDigits: fmt.minorDigits,
    });
    formatters.set(key, nf);
  }
  const scale = 10 ** fmt.minorDigits;
  const negative = amount < 0;
  const abs = Math.abs(amount);
  // Build the decimal string from integers and let Intl place separators and the symbol.
  const text = `${Math.trunc(abs / scale)}.${String(abs % scale).padStart(fmt.minorDigits, '0')}`;
  return nf.format((negative ? '-' + text : text) as unknown as number);
}

/** Parse what a cashier typed ("1 234,5", "1234.50") into minor units; null when it is not an amount. */
export function parseMoney(text: string, minorDigits = 2): Minor | null {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const m = /^(\d{1,8})(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const fraction = (m[2] ?? '').slice(0, minorDigits + 1);
  if ((m[2] ?? '').length > minorDigits) return null;
  const major = Number(m[1]);
  const minorPart = Number(fraction.padEnd(minorDigits, '0') || '0');
  return (major * 10 ** minorDigits + minorPart) as Minor;
}

/** Parse a quantity typed by the cashier ("1,5" kg → 1500) into thousandths; null when invalid. */
export function parseQty(text: string): Qty | null {
  const cleaned = text.replace(/\s/g, '').replace(',', '.');
  const m = /^(\d{1,5})(?:\.(\d{0,3}))?$/.exec(cleaned);
  if (!m) return null;
  return (Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0') || '0')) as Qty;
}
