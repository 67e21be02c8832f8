import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src-common/phone.js';

describe('phone numbers', () => {
  it('the ways Russian numbers are written all become one E.164 number', () => {
    for (const t of ['8 916 123-45-67', '+7 (916) 123-45-67', '79161234567', '916 123 45 67', '8(916)1234567']) expect(normalizePhone(t), t).toBe('+79161234567');
  });
  it('other countries with their code; nonsense is not a number', () => {
    expect(normalizePhone('+375 29 123-45-67')).toBe('+375291234567');
    for (const t of ['', '12345', 'abc', '+0123456789', '8 916 123', '1234567890123456', '916 123 45 67 89']) expect(normalizePhone(t), t).toBeNull();
  });
});
