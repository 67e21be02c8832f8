import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../src-drivers/common/device.js';
import { createBitmap, getPixel, setPixel } from '../../src-drivers/escpos/bitmap.js';
import { decodeByte, decodeText, encodeText, hasChar, printableText } from '../../src-drivers/escpos/codepage.js';
import { code128Payload, columns, EscPosEncoder } from '../../src-drivers/escpos/encoder.js';
import { codePageForNumber, getProfile, PROFILE_IDS, PROFILES } from '../../src-drivers/escpos/profiles.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');
const bytes = (s: string): Uint8Array => Uint8Array.from(s.split(' ').map((h) => parseInt(h, 16)));
const contains = (hay: Uint8Array, needle: Uint8Array): boolean => Buffer.from(hay).includes(Buffer.from(needle));

/** ASCII and controls, Cyrillic, the typographic set, and anything else in Unicode (lone surrogates too). */
const textArb = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x400, max: 0x4ff }),
      fc.constantFrom(...[...'«»—–№₽€×…•\u00a0\u202f'].map((c) => c.codePointAt(0) ?? 0)),
      fc.integer({ min: 0x80, max: 0x10ffff }),
    ),
    { maxLength: 60 },
  )
  .map((cps) => String.fromCodePoint(...cps));

describe('code pages', () => {
  it('"Итого" is the bytes of DEVICES.md in CP866 and CP1251', () => {
    expect(hex(encodeText('Итого', 'cp866'))).toBe('88 E2 AE A3 AE');
    expect(hex(encodeText('Итого', 'cp1251'))).toBe('C8 F2 EE E3 EE');
    expect(decodeText(bytes('88 E2 AE A3 AE'), 'cp866')).toBe('Итого');
    expect(decodeText(bytes('C8 F2 EE E3 EE'), 'cp1251')).toBe('Итого');
  });

  it('round-trips the whole Russian alphabet, Ё and ё included', () => {
    const abc = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя';
    for (const cp of ['cp866', 'cp1251'] as const) expect(decodeText(encodeText(abc, cp), cp)).toBe(abc);
  });

  it('has № where the code page has it: CP866 0xFC, CP1251 0xB9', () => {
    expect(hex(encodeText('№', 'cp866'))).toBe('FC');
    expect(hex(encodeText('№', 'cp1251'))).toBe('B9');
    expect(printableText('№', 'cp437')).toBe('No');
  });

  it('falls back for typographic characters the code page lacks', () => {
    expect(printableText('«Молоко» — 89,90 ₽ × 2 …', 'cp866')).toBe('"Молоко" - 89,90 р. x 2 ...');
    expect(printableText('«Молоко» — 89,90 ₽ × 2 …', 'cp1251')).toBe('«Молоко» — 89,90 р. x 2 …');
    // PC437 has no Cyrillic at all: letters become '?', the rouble an ASCII word.
    expect(printableText('Итого 5 ₽', 'cp437')).toBe('????? 5 RUB');
    expect(printableText('café', 'cp866')).toBe('cafe');
    expect(printableText('café', 'cp437')).toBe('café');
  });

  it('turns every no-break space into a plain one (ru-RU number formatting)', () => {
    const formatted = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' }).format(1234.5);
    expect(printableText(formatted, 'cp866')).toBe('1 234,50 р.');
    expect(encodeText('\u00a0', 'cp1251')).toEqual(Uint8Array.of(0x20));
  });

  it('never encodes to a control byte, whatever the text (no command injection)', () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom('cp866', 'cp1251', 'cp437' as const), (s, cp) => {
        const b = encodeText(s, cp);
        return b.every((x) => x >= 0x20 && x !== 0x7f) && decodeText(b, cp) === printableText(s, cp);
      }),
      { numRuns: 300 },
    );
    expect(encodeText('A\x1b@\x10\x04\x01\n', 'cp866')).toEqual(Uint8Array.of(0x41, 0x3f, 0x40, 0x3f, 0x3f, 0x3f, 0x3f));
  });

  it('PC437 shares its box-drawing block with CP866', () => {
    for (let b = 0xb0; b <= 0xdf; b++) expect(decodeByte(b, 'cp437')).toBe(decodeByte(b, 'cp866'));
    expect(hasChar('Ç', 'cp437')).toBe(true);
    expect(decodeByte(0x98, 'cp1251')).toBe('\ufffd'); // the one hole in Windows-1251
  });
});

describe('profiles', () => {
  it('carry the code-page numbers of DEVICES.md', () => {
    expect(PROFILES['epson-tm-t20'].codePages).toMatchObject({ cp866: 17, cp1251: 46 });
    expect(PROFILES['epson-tm-t88'].codePages).toMatchObject({ cp866: 17, cp1251: 46 });
    expect(PROFILES['clone-58'].codePages).toMatchObject({ cp866: 17, cp1251: 73 });
    expect(PROFILES['clone-80'].codePages).toMatchObject({ cp866: 17, cp1251: 73 });
    expect(PROFILES['rongta-rp326'].codePages).toMatchObject({ cp866: 7, cp1251: 6 });
    expect(PROFILES['star-tsp100']).toMatchObject({ codePageCommand: 'esc-gs-t', codePages: { cp866: 10, cp1251: 34 } });
    expect(PROFILES['clone-58']).toMatchObject({ widthDots: 384, charsPerLine: 32 });
    expect(PROFILES['clone-80']).toMatchObject({ widthDots: 576, charsPerLine: 48 });
  });

  it('are consistent: characters per line = width / 12-dot Font A, distinct table numbers', () => {
    for (const id of PROFILE_IDS) {
      const p = PROFILES[id];
      expect(Math.floor(p.widthDots / 12)).toBe(p.charsPerLine);
      expect(new Set(Object.values(p.codePages)).size).toBe(3);
      expect(codePageForNumber(p, p.codePages[p.defaultCodePage])).toBe(p.defaultCodePage);
    }
  });

  it('an unknown profile id is a DeviceError, not a crash', () => {
    expect(() => getProfile('epson-tm-x')).toThrow(DeviceError);
    expect(getProfile('rongta-rp326').name).toMatch(/Rongta/);
  });
});

describe('encoder', () => {
  const t20 = PROFILES['epson-tm-t20'];

  it('init cancels Chinese mode on clones, after ESC @, then selects the table', () => {
    expect(hex(new EscPosEncoder(t20).init().encode())).toBe('1B 40 1B 74 11');
    expect(hex(new EscPosEncoder(PROFILES['clone-58']).init().encode())).toBe('1B 40 1C 2E 1B 74 49');
    expect(hex(new EscPosEncoder(PROFILES['rongta-rp326'], { codePage: 'cp866' }).init().encode())).toBe('1B 40 1C 2E 1B 74 07');
    expect(hex(new EscPosEncoder(PROFILES['star-tsp100'], { codePage: 'cp1251' }).init().encode())).toBe('1B 40 1B 1D 74 22');
  });

  it('styles: bold, underline, GS ! size, alignment, font, reverse; only when they change', () => {
    const e = new EscPosEncoder(t20).init();
    const start = e.byteLength;
    e.setStyle({ bold: true, underline: 2, width: 2, height: 2, align: 'center', font: 'B', reverse: true });
    const all = e.encode().subarray(start);
    expect(hex(all)).toBe('1B 45 01 1B 2D 02 1D 21 11 1B 61 01 1B 4D 01 1D 42 01');
    const before = e.byteLength;
    e.bold(true).align('center').size(2, 2);
    expect(e.byteLength).toBe(before);
    e.size(3, 1);
    expect(hex(e.encode().subarray(before))).toBe('1D 21 20');
  });

  it('a styled line restores the previous style afterwards', () => {
    const e = new EscPosEncoder(t20).init();
    const start = e.byteLength;
    e.line('A', { bold: true, align: 'right' }).line('B');
    expect(hex(e.encode().subarray(start))).toBe('1B 45 01 1B 61 02 41 0A 1B 45 00 1B 61 00 42 0A');
  });

  it('QR is the exact DEVICES.md sequence', () => {
    const e = new EscPosEncoder(t20).qr('ABC', { size: 6, ecc: 'M' });
    expect(hex(e.encode())).toBe(
      [
        '1D 28 6B 04 00 31 41 32 00',
        '1D 28 6B 03 00 31 43 06',
        '1D 28 6B 03 00 31 45 31',
        '1D 28 6B 06 00 31 50 30 41 42 43',
        '1D 28 6B 03 00 31 51 30',
      ].join(' '),
    );
    const long = new EscPosEncoder(t20).qr('x'.repeat(300)).encode();
    expect(hex(long.subarray(25, 33))).toBe('1D 28 6B 2F 01 31 50 30'); // 303 = 0x012F
  });

  it('drawer kick: pin and times in 2 ms units', () => {
    expect(hex(new EscPosEncoder(t20).drawer().encode())).toBe('1B 70 00 19 FA');
    expect(hex(new EscPosEncoder(t20).drawer({ pin: 5, onMs: 100, offMs: 200 }).encode())).toBe('1B 70 01 32 64');
    expect(() => new EscPosEncoder(t20).drawer({ onMs: 600 })).toThrow(RangeError);
  });

  it('cut feeds then cuts; a pending line is printed first', () => {
    expect(hex(new EscPosEncoder(t20).cut().encode())).toBe('1D 56 42 00');
    expect(hex(new EscPosEncoder(t20).text('A').cut({ partial: false, feed: 3 }).encode())).toBe('41 0A 1D 56 41 03');
  });

  it('EAN-13 sends the 12-digit body and validates the check digit', () => {
    const e = new EscPosEncoder(t20).ean13('4600000000015');
    expect(hex(e.encode())).toBe('1D 68 50 1D 77 02 1D 48 02 1D 66 00 1D 6B 43 0C 34 36 30 30 30 30 30 30 30 30 30 31');
    expect(() => new EscPosEncoder(t20).ean13('4600000000016')).toThrow(RangeError);
    expect(() => new EscPosEncoder(t20).ean13('46000')).toThrow(RangeError);
  });

  it('CODE128 uses {C for long digit runs and escapes {', () => {
    const B = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
    const payload = (s: string): number[] => [...code128Payload(s)];
    expect(payload('12345678')).toEqual([...B('{C'), 12, 34, 56, 78]);
    expect(payload('RC123')).toEqual(B('{BRC123'));
    expect(payload('RC12345')).toEqual([...B('{BRC1{C'), 23, 45]);
    expect(payload('RC12a345678b')).toEqual([...B('{BRC12a{C'), 34, 56, 78, ...B('{Bb')]);
    expect(payload('a{b')).toEqual(B('{Ba{{b'));
    expect(payload('12')).toEqual([...B('{C'), 12]);
    expect(() => code128Payload('')).toThrow(RangeError);
    expect(() => code128Payload('Молоко')).toThrow(RangeError);
    expect(() => code128Payload('x'.repeat(300))).toThrow(RangeError);
  });

  it('printers without native symbols refuse them with DeviceError(unsupported)', () => {
    const star = new EscPosEncoder(PROFILES['star-tsp100']);
    expect(() => star.qr('x')).toThrow(expect.objectContaining({ code: 'unsupported' }));
    expect(() => star.ean13('4600000000015')).toThrow(DeviceError);
    expect(() => star.code128('RC1')).toThrow(DeviceError);
  });

  it('raster image: GS v 0 with bytes per row, rows, MSB leftmost, banded', () => {
    const bmp = createBitmap(10, 3);
    setPixel(bmp, 0, 0);
    setPixel(bmp, 9, 2);
    expect(getPixel(bmp, 9, 2)).toBe(true);
    expect(hex(new EscPosEncoder(t20).image(bmp).encode())).toBe('1D 76 30 00 02 00 03 00 80 00 00 00 00 40');
    const banded = new EscPosEncoder(t20).image(createBitmap(8, 5), { bandRows: 2 }).encode();
    expect(banded.length).toBe(3 * 8 + 5);
    expect(() => new EscPosEncoder(PROFILES['clone-58']).image(createBitmap(385, 1))).toThrow(RangeError);
    expect(() => new EscPosEncoder(t20).image({ width: 8, height: 2, data: new Uint8Array(1) })).toThrow(RangeError);
  });

  it('printed-up-to-here marker per profile', () => {
    expect(hex(new EscPosEncoder(t20).printedMarker(42).encode())).toBe('1D 28 48 06 00 30 30 30 30 34 32');
    expect(hex(new EscPosEncoder(PROFILES['clone-80']).printedMarker(42).encode())).toBe('1D 72 01');
  });

  it('text goes through the job code page; \\n is LF', () => {
    const e = new EscPosEncoder(t20, { codePage: 'cp1251' }).text('Итого\n№');
    expect(hex(e.encode())).toBe('C8 F2 EE E3 EE 0A B9');
    expect(hex(new EscPosEncoder(t20).text('a\r\nb\rc').encode())).toBe('61 0A 62 0A 63');
    expect(contains(new EscPosEncoder(t20).init().line('Итого').encode(), bytes('88 E2 AE A3 AE 0A'))).toBe(true);
  });

  it('columns measure text after fallbacks (₽ prints as two characters in CP866)', () => {
    expect(columns('Итого', '5 ₽', 12, 'cp866')).toEqual(['Итого   5 р.']);
    expect(columns('Очень длинное название товара', '10,00', 16, 'cp866')).toEqual(['Очень длинное', 'название товара', '           10,00']);
    expect(columns('Сдача', '', 16, 'cp866')).toEqual(['Сдача']);
  });
});
