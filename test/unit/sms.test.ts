import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidSenderName, smsSegments } from '../../src-common/sms.js';

describe('SMS segments', () => {
  it('GSM-7: 160 septets in one message, 153 per part beyond', () => {
    expect(smsSegments('')).toMatchObject({ encoding: 'gsm7', units: 0, segments: 0 });
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1, remaining: 0 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', units: 161, segments: 2, perSegment: 153, remaining: 153 - 8 });
    expect(smsSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(smsSegments('Your code: 1234. Lavka @ 12:00!')).toMatchObject({ encoding: 'gsm7', segments: 1 });
  });

  it('the extension table (€ [ ] { } ^ ~ \\ |) takes two septets each, never split across parts', () => {
    expect(smsSegments('€')).toMatchObject({ encoding: 'gsm7', units: 2 });
    expect(smsSegments('[1]')).toMatchObject({ encoding: 'gsm7', units: 5 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    // 152 septets, then an extension character: it does not fit the first part's last septet.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(smsSegments(text)).toMatchObject({ units: 164, segments: 2, remaining: 153 - 12 });
  });

  it('Cyrillic is UCS-2: 70 characters in one message, 67 per part beyond', () => {
    expect(smsSegments('Ваши баллы: 120')).toMatchObject({ encoding: 'ucs2', segments: 1, nonGsm: expect.arrayContaining(['В', 'а']) });
    expect(smsSegments('б'.repeat(70))).toMatchObject({ encoding: 'ucs2', units: 70, segments: 1, remaining: 0 });
    expect(smsSegments('б'.repeat(71))).toMatchObject({ units: 71, segments: 2, perSegment: 67 });
    expect(smsSegments('б'.repeat(134))).toMatchObject({ segments: 2, remaining: 0 });
    expect(smsSegments('б'.repeat(135))).toMatchObject({ segments: 3 });
    // One Cyrillic letter makes the whole Latin text UCS-2.
    expect(smsSegments(`${'a'.repeat(100)}ж`)).toMatchObject({ encoding: 'ucs2', units: 101, segments: 2, nonGsm: ['ж'] });
  });

  it('an emoji outside the BMP takes two UTF-16 units, and its pair is never split', () => {
    expect(smsSegments('😀')).toMatchObject({ encoding: 'ucs2', units: 2 });
    expect(smsSegments('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36))).toMatchObject({ units: 72, segments: 2 });
    // 66 units, then an emoji: it goes whole into the next part.
    expect(smsSegments(`${'ю'.repeat(66)}😀${'ю'.repeat(3)}`)).toMatchObject({ units: 71, segments: 2, remaining: 67 - 5 });
  });

  it('property: segments always hold the text, no part over its limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'Я', '€', '😀', ' ', '['), maxLength: 400 }), (text) => {
        const s = smsSegments(text);
        const cap = s.encoding === 'gsm7' ? (s.segments <= 1 ? 160 : 153) : s.segments <= 1 ? 70 : 67;
        expect(s.units).toBeLessThanOrEqual(Math.max(1, s.segments) * cap);
        expect(s.remaining).toBeGreaterThanOrEqual(0);
        if (s.segments > 1) expect(s.units).toBeGreaterThan(s.encoding === 'gsm7' ? 160 : 70);
      }),
    );
  });

  it('sender names: up to 11 Latin characters, not only digits', () => {
    expect(isValidSenderName('Lavka')).toBe(true);
    expect(isValidSenderName('Lavka-Shop1')).toBe(true);
    expect(isValidSenderName('LavkaShop123')).toBe(false);
    expect(isValidSenderName('Лавка')).toBe(false);
    expect(isValidSenderName('12345')).toBe(false);
    expect(isValidSenderName('')).toBe(false);
  });
});
