/** The fewest notes and coins (largest first) that make `amount`: what a cashier finds in the drawer. */
export function countFor(amount: number, denominations: readonly number[]): { value: number; count: number }[] {
  const out: { value: number; count: number }[] = [];
  let left = amount;
  for (const value of [...denominations].sort((a, b) => b - a)) {
    const n = Math.floor(left / value);
    if (n > 0) out.push({ value, count: n });
    left -= n * value;
  }
  if (left !== 0) throw new Error(`${amount} cannot be counted in these denominations`);
  return out;
}
