/** Weights of the INN check digits (ФНС): a 10-digit INN of an organisation, a 12-digit one of a person. */
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const check = (digits: number[], weights: number[]): number => (weights.reduce((s, w, i) => s + w * digits[i]!, 0) % 11) % 10;

/** A Russian INN with valid check digits (10 digits: an organisation; 12: a person, such as a cashier). */
export function isValidInn(inn: string): boolean {
  if (!/^\d{10}$|^\d{12}$/.test(inn)) return false;
  const d = [...inn].map(Number);
  if (d.length === 10) return check(d, W10) === d[9];
  return check(d, W11) === d[10] && check(d, W12) === d[11];
}
