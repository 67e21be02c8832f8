/**
 * A decimal figure as scales send it in ASCII ("01.234", " -0.150", "1234") scaled to an integer:
 * `decimalToInt("01.234", 3)` is 1234 (kilograms to grams). Exact (no floating point); digits
 * beyond the scale round half away from zero. Spaces are allowed around the sign and before the
 * digits. Null when the text is not such a figure.
 */
export function decimalToInt(text: string, pow10: number): number | null {
  const m = /^ *([+-]?) *(\d*)(?:\.(\d*))? *$/.exec(text);
  if (!m) return null;
  const [, sign = '', whole = '', frac = ''] = m;
  if (whole.length + frac.length === 0 || whole.length + pow10 > 15) return null;
  const digits = (whole + frac.padEnd(pow10, '0').slice(0, pow10)).replace(/^0+(?=\d)/, '');
  let n = Number(digits === '' ? '0' : digits);
  if ((frac[pow10] ?? '0') >= '5') n += 1;
  return sign === '-' && n !== 0 ? -n : n;
}
