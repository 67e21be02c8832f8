/**
 * Phone numbers as E.164 (`+79161234567`). Russian habits are understood: `8 916 123-45-67`,
 * `916 123 45 67` and `+7 (916) 123-45-67` are the same number; other countries need their `+` code.
 * Null when it is not a phone number.
 */
export function normalizePhone(text: string, defaultCountry: '7' | null = '7'): string | null {
  const trimmed = text.trim();
  if (!/^[+\d\s()\-.]{5,25}$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 && digits[0] !== '0' ? `+${digits}` : null;
  if (defaultCountry === '7') {
    if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) return `+7${digits.slice(1)}`;
    if (digits.length === 10 && /^[3-9]/.test(digits)) return `+7${digits}`;
  }
  return null;
}
