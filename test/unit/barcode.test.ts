import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHED_TEMPLATES, ean13, gtinCheckDigit, isValidGtin, isValidTemplate, makeWeighedBarcode, parseWeighedBarcode } from '../../src-common/barcode.js';

describe('GTIN check digits', () => {
  it('knows real codes', () => {
    expect(isValidGtin('4601234567893')).toBe(gtinCheckDigit('460123456789') === 3);
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true); // EAN-8
    expect(isValidGtin('12345')).toBe(false);
    expect(isValidGtin('40063813339x1')).toBe(false);
  });
  it('every generated EAN-13 validates and one changed digit breaks it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (body, pos, delta) => {
        const code = ean13(body);
        expect(isValidGtin(code)).toBe(true);
        const d = (Number(code[pos]) + delta) % 10;
        expect(isValidGtin(code.slice(0, pos) + d + code.slice(pos + 1))).toBe(false);
      }),
    );
  });
});

describe('weighed-goods barcodes', () => {
  it('parses the weight layout 2X IIIII WWWWW C', () => {
    expect(parseWeighedBarcode('2200123012340', DEFAULT_WEIGHED_TEMPLATES)).toEqual({ itemCode: '00123', kind: 'weight', grams: 1234 });
  });
  it('parses the price layout for its prefixes', () => {
    const code = makeWeighedBarcode(DEFAULT_WEIGHED_TEMPLATES[1]!, '27', '00042', 12345);
    expect(parseWeighedBarcode(code, DEFAULT_WEIGHED_TEMPLATES)).toEqual({ itemCode: '00042', kind: 'price', price: 12345 });
  });
  it('ignores other prefixes, bad check digits and wrong lengths', () => {
    expect(parseWeighedBarcode('4601234567893', DEFAULT_WEIGHED_TEMPLATES)).toBeNull();
    expect(parseWeighedBarcode('2200123012341', DEFAULT_WEIGHED_TEMPLATES)).toBeNull();
    expect(parseWeighedBarcode('220012301234', DEFAULT_WEIGHED_TEMPLATES)).toBeNull();
  });
  it('follows a store-specific template from settings', () => {
    const t = { prefixes: ['21'], layout: 'PPIIIIWWWWWWC' };
    expect(isValidTemplate(t)).toBe(true);
    const code = makeWeighedBarcode(t, '21', '0042', 1500);
    expect(parseWeighedBarcode(code, [t])).toEqual({ itemCode: '0042', kind: 'weight', grams: 1500 });
    expect(isValidTemplate({ prefixes: ['21'], layout: 'PPIIIIWWWWMMC' })).toBe(false);
  });
  it('round-trips any item and weight', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99999 }), fc.constantFrom('20', '22', '25'), (item, grams, prefix) => {
        const code = makeWeighedBarcode(DEFAULT_WEIGHED_TEMPLATES[0]!, prefix, String(item), grams);
        expect(parseWeighedBarcode(code, DEFAULT_WEIGHED_TEMPLATES)).toEqual({ itemCode: String(item).padStart(5, '0'), kind: 'weight', grams });
      }),
    );
  });
});
