import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ean13 } from '../../src-common/barcode.js';
import { GS, gs1Date, gtinLookupKeys, gtinToEan13, looksLikeGs1, parseGs1, plainGtinKind, type Gs1Element, type Gs1Result } from '../../src-common/gs1.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';

const YEAR = { referenceYear: 2026 };
const milkGtin = `0${DEMO_BARCODES.milk}`;
/** A 44-character verification code as Честный знак prints it (base64 alphabet). */
const SIG44 = 'MEUCIQDx3g7ZrVY1Jb+Nf0sKq8hU2fXyTz4LcAo9pWm=';
const serial13 = '5ABCDEFGh=;*k';

function ok(r: Gs1Result) {
  if (!r.ok) throw new Error(`expected a parse, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
function err(r: Gs1Result) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value.ais)}`);
  return r.error;
}

describe('GS1 marking codes (Честный знак) resolve to the product GTIN', () => {
  const withGs = `01${milkGtin}21${serial13}${GS}91EE06${GS}92${SIG44}`;

  it('reads a DataMatrix code with GS separators, and its GTIN is the demo milk EAN-13', () => {
    expect(SIG44).toHaveLength(44);
    const v = ok(parseGs1(withGs, YEAR));
    expect(v.ais).toEqual([
      { ai: '01', value: milkGtin },
      { ai: '21', value: serial13 },
      { ai: '91', value: 'EE06' },
      { ai: '92', value: SIG44 },
    ]);
    expect(v).toMatchObject({ gtin: milkGtin, serial: serial13, verificationKey: 'EE06', verificationCode: SIG44, isMarkingCode: true, warnings: [] });
    expect(gtinToEan13(v.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    expect(v.elementString).toBe(withGs);
  });

  it('reads the same code behind the ]d2 symbology identifier', () => {
    const v = ok(parseGs1(`]d2${withGs}`, YEAR));
    expect(v.symbology).toBe('gs1-datamatrix');
    expect(gtinToEan13(v.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    expect(v.elementString).toBe(withGs);
    expect(v.raw).toBe(`]d2${withGs}`);
  });

  it('takes a leading GS (FNC1 sent as a character) and a configured FNC1 substitute', () => {
    expect(ok(parseGs1(GS + withGs, YEAR)).elementString).toBe(withGs);
    const tilde = withGs.split(GS).join('~');
    expect(ok(parseGs1(tilde, { ...YEAR, fnc1Substitutes: ['~'] })).elementString).toBe(withGs);
    const text = withGs.split(GS).join('<GS>');
    expect(ok(parseGs1(text, { ...YEAR, fnc1Substitutes: ['<GS>'] })).verificationCode).toBe(SIG44);
  });

  it('reads the dairy/water form (93 crypto tail), with a weight for weighed dairy', () => {
    const water = ok(parseGs1(`01${`0${DEMO_BARCODES.water}`}21${serial13}${GS}93dGVz`, YEAR));
    expect(water).toMatchObject({ serial: serial13, cryptoTail: 'dGVz', isMarkingCode: true });
    expect(gtinToEan13(water.gtin ?? '')).toBe(DEMO_BARCODES.water);
    const weighed = ok(parseGs1(`01${milkGtin}21AbC123${GS}93Zz9+${GS}3103000950`, YEAR));
    expect(weighed).toMatchObject({ serial: 'AbC123', cryptoTail: 'Zz9+', weightGrams: 950, isMarkingCode: true });
  });

  describe('with the GS separators lost (keyboard wedge)', () => {
    it('recovers 91/92 codes from the Честный знак lengths and says so', () => {
      const v = ok(parseGs1(withGs.split(GS).join(''), YEAR));
      expect(v.ais.map((e) => e.ai)).toEqual(['01', '21', '91', '92']);
      expect(v.serial).toBe(serial13);
      expect(v.verificationCode).toBe(SIG44);
      expect(v.elementString).toBe(withGs); // separators put back where they belong
      expect(v.warnings.map((w) => w.code)).toEqual(['separators_recovered']);
      expect(gtinToEan13(v.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    });

    it('recovers a 93 code, although serial + 93 + tail would fit in a 20-character serial', () => {
      const v = ok(parseGs1(`01${milkGtin}215ABCDEFGHIJKL93abcd`, YEAR));
      expect(v).toMatchObject({ serial: '5ABCDEFGHIJKL', cryptoTail: 'abcd', isMarkingCode: true });
      const dairy = ok(parseGs1(`01${milkGtin}21XyZ12393abcd3103000500`, YEAR));
      expect(dairy).toMatchObject({ serial: 'XyZ123', cryptoTail: 'abcd', weightGrams: 500 });
      const tobacco = ok(parseGs1(`01${milkGtin}21AbCdEfG800501234593abcd`, YEAR));
      expect(tobacco.ais).toEqual([
        { ai: '01', value: milkGtin },
        { ai: '21', value: 'AbCdEfG' },
        { ai: '8005', value: '012345' },
        { ai: '93', value: 'abcd' },
      ]);
    });

    it('reports a variable-length element followed by another as ambiguous, and still names the GTIN', () => {
      const e = err(parseGs1(`01${milkGtin}10ABC17261231`, YEAR));
      expect(e.code).toBe('ambiguous');
      expect(e.message).toMatch(/AI 10 \(BATCH\/LOT\).*GS was lost/);
      expect(e.gtin).toBe(milkGtin);
    });

    it('reads the same string exactly when the source is known to keep separators', () => {
      const v = ok(parseGs1(`01${milkGtin}215ABCDEFGHIJKL93abcd`, { ...YEAR, separatorsKept: true }));
      expect(v.serial).toBe('5ABCDEFGHIJKL93abcd');
      expect(v.isMarkingCode).toBe(false);
    });

    it('needs no separator after predefined-length elements', () => {
      const v = ok(parseGs1(`01${milkGtin}1726123110LOT-7`, YEAR));
      expect(v).toMatchObject({ expiry: '2026-12-31', batch: 'LOT-7', warnings: [] });
    });
  });
});

describe('GS1-128 logistics and weight', () => {
  it('reads weight, dates, batch and count behind ]C1', () => {
    const v = ok(parseGs1(`]C101${milkGtin}3103001234150601001726040010B-42${GS}3712`, YEAR));
    expect(v).toMatchObject({ symbology: 'gs1-128', gtin: milkGtin, weightGrams: 1234, bestBefore: '2006-01-31', expiry: '2026-04-30', batch: 'B-42', count: 12 });
  });

  it('converts decimals and pounds to grams', () => {
    expect(ok(parseGs1(`01${milkGtin}3102000150`)).weightGrams).toBe(1500);
    expect(ok(parseGs1(`01${milkGtin}3105001234`)).weightGrams).toBe(12);
    expect(ok(parseGs1(`01${milkGtin}3201000010`)).weightGrams).toBe(454);
  });

  it('reads an SSCC and counts a fixed-length element with no separator after it as a warning', () => {
    const sscc = `00${ean13('460000000001').padStart(18, '0').slice(0, 17)}`;
    const full = sscc + String(((): number => {
      const body = sscc.slice(2);
      let sum = 0;
      for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * (i % 2 === 0 ? 3 : 1);
      return (10 - (sum % 10)) % 10;
    })());
    expect(ok(parseGs1(full)).sscc).toBe(full.slice(2));
    const v = ok(parseGs1(`01${milkGtin}422643${GS}21X`));
    expect(v.warnings).toEqual([]);
    const w = ok(parseGs1(`01${milkGtin}42264321X${GS}10Y`));
    expect(w.warnings.map((x) => x.code)).toEqual(['separator_missing']);
  });

  it('keeps an assigned AI it does not interpret, by its structure', () => {
    const v = ok(parseGs1(`01${milkGtin}7001123456789012${GS}21X`));
    expect(v.ais.map((e) => e.ai)).toEqual(['01', '7001', '21']);
    expect(v.warnings.map((w) => w.code)).toEqual(['unknown_ai']);
  });

  it('reads the human-readable bracket form', () => {
    expect(ok(parseGs1(`(01)${milkGtin}(17)261231(10)AB1`, YEAR))).toMatchObject({ gtin: milkGtin, expiry: '2026-12-31', batch: 'AB1' });
  });
});

describe('what is not a (valid) GS1 code', () => {
  it('recognises plain EAN-13, EAN-8, UPC-A and GTIN-14 at once', () => {
    expect(err(parseGs1(DEMO_BARCODES.milk))).toMatchObject({ code: 'not_gs1', plain: 'ean13' });
    expect(err(parseGs1(DEMO_BARCODES.apples1234g))).toMatchObject({ code: 'not_gs1', plain: 'ean13' });
    expect(err(parseGs1('96385074'))).toMatchObject({ code: 'not_gs1', plain: 'ean8' });
    expect(err(parseGs1('036000291452'))).toMatchObject({ code: 'not_gs1', plain: 'upca' });
    expect(err(parseGs1(milkGtin))).toMatchObject({ code: 'not_gs1', plain: 'gtin14' });
    expect(err(parseGs1(`]E0${DEMO_BARCODES.milk}`))).toMatchObject({ code: 'not_gs1', plain: 'ean13' });
    expect(plainGtinKind(DEMO_BARCODES.bread)).toBe('ean13');
    expect(plainGtinKind('4600000000016')).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(err(parseGs1(''))).toMatchObject({ code: 'empty' });
    expect(err(parseGs1(GS + GS))).toMatchObject({ code: 'empty' });
    expect(err(parseGs1('x'.repeat(600)))).toMatchObject({ code: 'too_long' });
    expect(err(parseGs1('RC0123abcdef'))).toMatchObject({ code: 'not_gs1' });
    expect(err(parseGs1(']d1hello'))).toMatchObject({ code: 'not_gs1' });
    expect(err(parseGs1('0104600000000016'))).toMatchObject({ code: 'bad_check_digit', ai: '01' });
    expect(err(parseGs1(`01${milkGtin}17261340`))).toMatchObject({ code: 'bad_date', ai: '17' });
    expect(err(parseGs1(`01${milkGtin}1726`))).toMatchObject({ code: 'truncated', ai: '17' });
    expect(err(parseGs1(`01${milkGtin}05123`))).toMatchObject({ code: 'unknown_ai', ai: '05' });
    expect(err(parseGs1(`01${milkGtin}21${'A'.repeat(21)}${GS}93abcd`))).toMatchObject({ code: 'value_too_long', ai: '21' });
    expect(err(parseGs1(`01${milkGtin}${GS}01${`0${DEMO_BARCODES.bread}`}`))).toMatchObject({ code: 'duplicate_ai', ai: '01' });
    expect(err(parseGs1(`01${milkGtin}3106000100`))).toMatchObject({ code: 'bad_value', ai: '3106' });
  });

  it('names a Cyrillic letter as the Russian keyboard layout', () => {
    const e = err(parseGs1(`01${milkGtin}21ФИ12${GS}93abcd`));
    expect(e).toMatchObject({ code: 'bad_value', ai: '21' });
    expect(e.message).toMatch(/Russian layout/);
  });
});

describe('GTIN helpers and dates', () => {
  it('turns a consumer-unit GTIN-14 into the EAN-13 the catalog keeps, and nothing else', () => {
    expect(gtinToEan13(milkGtin)).toBe(DEMO_BARCODES.milk);
    expect(gtinToEan13(`1${DEMO_BARCODES.milk.slice(0, 12)}9`)).toBeNull();
    expect(gtinToEan13('04600000000016')).toBeNull();
    expect(gtinLookupKeys('00036000291452')).toEqual(['0036000291452', '036000291452', '00036000291452']);
    expect(gtinLookupKeys('00000096385074')).toEqual(['0000096385074', '000096385074', '96385074', '00000096385074']);
  });

  it('reads dates with the GS1 sliding century and day 00 as the month end', () => {
    expect(gs1Date('260200', 2026)).toBe('2026-02-28');
    expect(gs1Date('280200', 2026)).toBe('2028-02-29');
    expect(gs1Date('771231', 2026)).toBe('1977-12-31');
    expect(gs1Date('751231', 2026)).toBe('2075-12-31');
    expect(gs1Date('261301', 2026)).toBeNull();
  });

  it('looksLikeGs1 is a cheap pre-check', () => {
    expect(looksLikeGs1(`01${milkGtin}21X`)).toBe(true);
    expect(looksLikeGs1(`]d2whatever`)).toBe(true);
    expect(looksLikeGs1(DEMO_BARCODES.milk)).toBe(false);
    expect(looksLikeGs1('1')).toBe(false);
  });
});

describe('the GS1 parser under fuzzing', () => {
  const RUNS = 300;
  const cset82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
  const cset = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...cset82), minLength: min, maxLength: max });
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
  const gtinArb = digits(13).map((b) => ean13(b.slice(1)).padStart(14, '0'));

  it('never throws on junk, and what it accepts reads back the same from its canonical form', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 160 }),
      fc
        .array(fc.constantFrom('0', '1', '2', '3', '9', '7', GS, 'A', 'z', '+', '<GS>', ']d2', ']C1', 'Ф', '\r', '(', ')', '01', '21', '91', '92', '93', '10', '17'), { maxLength: 60 })
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(junk, fc.boolean(), (s, kept) => {
        const r = parseGs1(s, { referenceYear: 2026, fnc1Substitutes: ['<GS>'], separatorsKept: kept });
        if (!r.ok) {
          expect(typeof r.error.message).toBe('string');
          return;
        }
        const again = parseGs1(`]C1${r.value.elementString}`, { referenceYear: 2026, separatorsKept: true });
        expect(again.ok && again.value.ais).toEqual(r.value.ais);
      }),
      { numRuns: RUNS },
    );
  });

  const element: fc.Arbitrary<Gs1Element> = fc.oneof(
    gtinArb.map((value) => ({ ai: '02', value })),
    cset(1, 20).map((value) => ({ ai: '10', value })),
    fc.constantFrom('250101', '261231', '280229', '991100').map((value) => ({ ai: '17', value })),
    digits(6).map((value) => ({ ai: '3103', value })),
    fc.integer({ min: 1, max: 99_999_999 }).map((n) => ({ ai: '37', value: String(n) })),
    cset(1, 90).map((value) => ({ ai: '92', value })),
  );

  it('reads back any valid element string built with separators, with or without an identifier', () => {
    fc.assert(
      fc.property(gtinArb, fc.uniqueArray(element, { selector: (e) => e.ai, maxLength: 5 }), fc.boolean(), (gtin, rest, prefixed) => {
        const els = [{ ai: '01', value: gtin }, ...rest];
        const predefined = (ai: string) => ['01', '02', '17', '3103'].includes(ai);
        const s = els.map((e, i) => e.ai + e.value + (i < els.length - 1 && !predefined(e.ai) ? GS : '')).join('');
        const v = ok(parseGs1(prefixed ? `]d2${s}` : s, { referenceYear: 2026, separatorsKept: true }));
        expect(v.ais).toEqual(els);
        expect(v.elementString).toBe(s);
      }),
      { numRuns: RUNS },
    );
  });

  it('a marking code that lost its separators is read right or reported ambiguous, never read wrong', () => {
    const marking = fc.record({
      gtin: gtinArb,
      serial: fc.constantFrom(13, 7, 6).chain((n) => cset(n, n)),
      tail: fc.oneof(
        cset(4, 4).map((t) => [{ ai: '93', value: t }]),
        fc.tuple(cset(4, 4), fc.constantFrom(44, 88).chain((n) => cset(n, n))).map(([k, sig]) => [
          { ai: '91', value: k },
          { ai: '92', value: sig },
        ]),
      ),
    });
    fc.assert(
      fc.property(marking, ({ gtin, serial, tail }) => {
        const els = [{ ai: '01', value: gtin }, { ai: '21', value: serial }, ...tail];
        const r = parseGs1(els.map((e) => e.ai + e.value).join(''), YEAR);
        if (r.ok) {
          expect(r.value.ais).toEqual(els);
          expect(r.value.isMarkingCode).toBe(true);
        } else {
          expect(r.error).toMatchObject({ code: 'ambiguous', gtin });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
