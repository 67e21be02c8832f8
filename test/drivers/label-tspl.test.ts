import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPriceTag, presetStock, type LabelLayout } from '../../src-common/price-tag.js';
import { TsplPrinterEmulator } from '../../src-drivers/emulators/label/tspl.js';
import { LABEL_PROFILES, type TsplProfile } from '../../src-drivers/label/profiles.js';
import { encodeTsplStatus, labelFault, parseTsplStatus, TSPL_STATUS_QUERY, tsplToLabelStatus, TsplStatusParser } from '../../src-drivers/label/status.js';
import { labelText } from '../../src-drivers/label/text.js';
import { chooseBitmapFont, encodeTspl } from '../../src-drivers/label/tspl.js';
import { layoutTexts, milkTag } from './label-fixtures.js';

type TsplId = 'tsc-te200' | 'xprinter-xp365b' | 'xprinter-xp365b-utf8';
const tspl = (id: TsplId): TsplProfile => LABEL_PROFILES[id] as TsplProfile;

/** Firmware that has the profile's code page and reads `\["]` when the profile uses it. */
const emulatorFor = (p: TsplProfile): TsplPrinterEmulator => new TsplPrinterEmulator({ dpi: p.dpi, quoteEscape: p.quotes === 'escape' });

function roundtrip(layouts: LabelLayout[], profile: TsplProfile, emulator = emulatorFor(profile)) {
  const answer = emulator.feed(encodeTspl(layouts, profile));
  return { emulator, answer };
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('TSPL price tags through the emulator', () => {
  it.each(['tsc-te200', 'xprinter-xp365b', 'xprinter-xp365b-utf8'] as const)('%s: every field reads back exactly, in its place, with the copies asked', (id) => {
    const profile = tspl(id);
    for (const preset of ['58x40', '43x25'] as const) {
      const layout = layoutPriceTag(milkTag(), presetStock(preset, profile.dpi));
      const { emulator, answer } = roundtrip([layout], profile);
      expect(answer).toHaveLength(0);
      expect(emulator.ignored).toEqual([]);
      expect(emulator.currentCodePage).toBe(profile.charset === 'cp1251' ? '1251' : 'UTF-8');
      expect(emulator.labels).toHaveLength(3);
      const printed = emulator.labels[0]!;
      expect(printed).toMatchObject({ widthDots: layout.widthDots, heightDots: layout.heightDots, quantity: 3 });
      expect(printed.texts.map((t) => ({ x: t.x, y: t.y, text: t.text }))).toEqual(layoutTexts(layout).map((t) => ({ x: t.x, y: t.y, text: labelText(t.text, profile) })));
      expect(printed.texts[0]!.text).toBe('Молоко 3,2% «Домик в');
      expect(printed.barcodes).toEqual([expect.objectContaining({ symbology: 'EAN13', data: '4601234567893', valid: true })]);
      // The font chosen is never taller than a tenth over the layout's height.
      printed.texts.forEach((t, i) => expect(t.height).toBeLessThanOrEqual(Math.floor(layoutTexts(layout)[i]!.height * 1.1)));
    }
  });

  it('CP1251 profiles send one byte per letter under CODEPAGE 1251; every line ends CR LF', () => {
    const bytes = encodeTspl([layoutPriceTag(milkTag(), presetStock('58x40', 203))], tspl('tsc-te200'));
    const text = new TextDecoder('windows-1251').decode(bytes);
    expect(text.startsWith('SIZE 58 mm,40 mm\r\nGAP 2 mm,0 mm\r\nREFERENCE 0,0\r\nCODEPAGE 1251\r\nCLS\r\n')).toBe(true);
    expect(text).toMatch(/TEXT 16,16,"3",0,1,1,"Молоко 3,2% «Домик в"\r\n/);
    expect(text).toMatch(/BARCODE \d+,\d+,"EAN13",\d+,1,0,\d,\d,"460123456789"\r\n/);
    expect(text.endsWith('PRINT 3,1\r\n')).toBe(true);
    expect(bytes.indexOf(0xcc)).toBeGreaterThan(0); // "М" in CP1251
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) expect(bytes[i - 1]).toBe(0x0d);
  });

  it('a quote in a name: \\["] on TSC firmware, two apostrophes where the escape is not trusted; never the end of the string', () => {
    const name = 'Кофе "Жокей" \\["] 250 г';
    const layout = layoutPriceTag(milkTag({ name, copies: 1 }), presetStock('58x40', 203));
    const tsc = roundtrip([layout], tspl('tsc-te200')).emulator;
    expect(tsc.labels[0]!.texts[0]!.text).toBe('Кофе "Жокей" /["] 250 г');
    expect(new TextDecoder('windows-1251').decode(encodeTspl([layout], tspl('tsc-te200')))).toContain('"Кофе \\["]Жокей\\["] /[\\["]] 250 г"');
    const xp = roundtrip([layout], tspl('xprinter-xp365b')).emulator;
    expect(xp.labels[0]!.texts[0]!.text).toBe("Кофе ''Жокей'' \\[''] 250 г");
    expect(xp.ignored).toEqual([]);
  });

  it('any name: one TEXT per line of the layout, each reading back exactly, nothing else acted on', () => {
    const nameArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('"', '\\', '[', ']', ',', '\r', '\n', '\r\n', '\x1b!?', '\x1b!R', 'PRINT 9', 'CLS', 'Я', 'ё', '₽', ' ', '1'), { maxLength: 40 }).map((a) => a.join('')),
    );
    for (const id of ['tsc-te200', 'xprinter-xp365b', 'xprinter-xp365b-utf8'] as const) {
      const profile = tspl(id);
      fc.assert(
        fc.property(nameArb, nameArb, (name, extra) => {
          const layout = layoutPriceTag(milkTag({ name, extra, copies: 1 }), presetStock('58x40', 203));
          const { emulator, answer } = roundtrip([layout], profile);
          expect(answer).toHaveLength(0); // an ESC ! ? in a name never reached the printer
          expect(emulator.ignored).toEqual([]);
          expect(emulator.labels).toHaveLength(1);
          expect(emulator.labels[0]!.texts.map((t) => t.text)).toEqual(layoutTexts(layout).map((t) => labelText(t.text, profile)));
        }),
        { numRuns: 150 },
      );
    }
  });

  it('CODE128 and EAN-8 go as "128" and "EAN8"; barcode data TSPL cannot quote is refused before anything is sent', () => {
    const c128 = layoutPriceTag(milkTag({ barcode: { symbology: 'code128', data: 'LAVKA-000123' }, copies: 1 }), presetStock('43x25', 203));
    expect(roundtrip([c128], tspl('tsc-te200')).emulator.labels[0]!.barcodes[0]).toMatchObject({ symbology: 'CODE128', type: '128', data: 'LAVKA-000123', valid: true });
    const ean8 = layoutPriceTag(milkTag({ barcode: { symbology: 'ean8', data: '46012340' }, copies: 1 }), presetStock('43x25', 203));
    expect(roundtrip([ean8], tspl('tsc-te200')).emulator.labels[0]!.barcodes[0]).toMatchObject({ symbology: 'EAN8', data: '46012340', valid: true });
    const quoted = layoutPriceTag(milkTag({ barcode: { symbology: 'code128', data: 'A"B' }, copies: 1 }), presetStock('58x40', 203));
    expect(() => encodeTspl([quoted], tspl('tsc-te200'))).toThrow(RangeError);
  });

  it('picks resident bitmap fonts: the closest height, narrowed or smaller when the line would not fit', () => {
    expect(chooseBitmapFont(26, 431, 20, 203)).toEqual({ font: '3', xmul: 1, ymul: 1, height: 24 });
    expect(chooseBitmapFont(56, 431, 8, 203)).toEqual({ font: '5', xmul: 1, ymul: 1, height: 48 });
    expect(chooseBitmapFont(26, 300, 25, 203)).toEqual({ font: '2', xmul: 1, ymul: 1, height: 20 }); // 25 x 16 dots would not fit
  });
});

describe('a wrong code page shows as wrong text', () => {
  it('a CP1251 job on firmware without CODEPAGE 1251 (it keeps 437): box-drawing garbage, and the refusal is noted', () => {
    const emulator = new TsplPrinterEmulator({ codePages: ['437', 'UTF-8'] });
    roundtrip([layoutPriceTag(milkTag({ copies: 1 }), presetStock('58x40', 203))], tspl('tsc-te200'), emulator);
    const name = emulator.labels[0]!.texts[0]!.text;
    expect(name).not.toMatch(/[А-яЁё]/);
    expect(name).toContain(' 3,2% ');
    expect(name.startsWith('╠ε')).toBe(true); // CC EE ("Мо" in CP1251) in CP437
    expect(emulator.ignored).toContain('CODEPAGE 1251');
  });

  it('a UTF-8 job on firmware without UTF-8 that boots in 1251: two letters for one', () => {
    const emulator = new TsplPrinterEmulator({ codePages: ['437', '1251'], defaultCodePage: '1251' });
    roundtrip([layoutPriceTag(milkTag({ copies: 1 }), presetStock('58x40', 203))], tspl('xprinter-xp365b-utf8'), emulator);
    expect(emulator.labels[0]!.texts[0]!.text.startsWith('РњРѕР»РѕРєРѕ 3,2%')).toBe(true);
  });
});

describe('TSPL emulator', () => {
  it('skips unknown commands and malformed lines silently and still prints', () => {
    const e = new TsplPrinterEmulator();
    e.feed(ascii('SIZE 40 mm,30 mm\r\nFROB 1,2\r\nCLS\r\nTEXT 10,20,"2",0,1,1,"Hi"\r\nTEXT 1,2,"3"\r\nTEXT 5,5,"3",0,1,1,"unclosed\r\nPRINT 2\r\n'));
    expect(e.labels).toHaveLength(2);
    expect(e.labels[0]!.texts).toEqual([expect.objectContaining({ x: 10, y: 20, height: 20, text: 'Hi' })]);
    expect(e.labels[0]).toMatchObject({ widthDots: 320, heightDots: 240 });
    expect(e.ignored).toEqual(['FROB', 'TEXT (malformed)', 'TEXT (malformed)']);
  });

  it('BITMAP image bytes are skipped by count, even when they hold LF and command text', () => {
    const e = new TsplPrinterEmulator();
    const image = ascii('\nPRINT 5\r\nCLS\n'); // 15 bytes of "image"
    e.feed(Uint8Array.from([...ascii('CLS\r\nTEXT 0,0,"1",0,1,1,"A"\r\nBITMAP 0,0,3,5,0,'), ...image, ...ascii('\r\nPRINT 1\r\n')]));
    expect(e.labels).toHaveLength(1);
    expect(e.labels[0]!.texts.map((t) => t.text)).toEqual(['A']);
  });

  it('answers ESC ! ? at once, even in the middle of a line, without disturbing the line', () => {
    const e = new TsplPrinterEmulator();
    e.setFault('paperOut', true);
    const answer = e.feed(Uint8Array.from([...ascii('CLS\r\nTEXT 0,0,"1",0,1,1,"A'), 0x1b, 0x21, 0x3f, ...ascii('B"\r\nPRINT 1\r\n')]));
    expect([...answer]).toEqual([0x04]);
    expect(e.engine.labelsRemaining).toBe(1);
    e.setFault('paperOut', false);
    expect(e.labels[0]!.texts[0]!.text).toBe('AB');
  });

  it('ESC ! P pauses, ESC ! O resumes, ESC ! R drops what waits', () => {
    const e = new TsplPrinterEmulator();
    e.feed(Uint8Array.of(0x1b, 0x21, 0x50));
    e.feed(encodeTspl([layoutPriceTag(milkTag(), presetStock('58x40', 203))], tspl('tsc-te200')));
    expect([...e.feed(TSPL_STATUS_QUERY)]).toEqual([0x30]); // paused + printing
    e.feed(Uint8Array.of(0x1b, 0x21, 0x52, 0x1b, 0x21, 0x4f));
    expect(e.labels).toHaveLength(0);
    expect([...e.feed(TSPL_STATUS_QUERY)]).toEqual([0x00]);
  });
});

describe('ESC ! ? status byte', () => {
  it('each bit means what the manual says', () => {
    const names = ['headOpen', 'paperJam', 'paperOut', 'ribbonOut', 'paused', 'printing', 'coverOpen'] as const;
    names.forEach((n, bit) => {
      const f = parseTsplStatus(1 << bit);
      expect(Object.entries(f).filter(([, v]) => v).map(([k]) => k)).toEqual([n]);
      expect(encodeTsplStatus(f)).toBe(1 << bit);
    });
    expect(labelFault(tsplToLabelStatus(parseTsplStatus(0x20)))).toBeNull(); // printing is not a fault
    expect(labelFault(tsplToLabelStatus(parseTsplStatus(0x05)))).toBe('head_open');
  });

  it('the emulator reports each fault', () => {
    const faults = ['headOpen', 'paperJam', 'paperOut', 'ribbonOut', 'paused', 'coverOpen'] as const;
    const bits = [0x01, 0x02, 0x04, 0x08, 0x10, 0x40];
    faults.forEach((f, i) => {
      const e = new TsplPrinterEmulator();
      e.setFault(f, true);
      expect([...e.feed(TSPL_STATUS_QUERY)]).toEqual([bits[i]]);
    });
    const silent = new TsplPrinterEmulator();
    silent.setFault('noAnswer', true);
    expect(silent.feed(TSPL_STATUS_QUERY)).toHaveLength(0);
  });

  it('answers go to the queries in order; bytes nobody asked for are dropped', () => {
    const p = new TsplStatusParser();
    expect(p.push(Uint8Array.of(0x04))).toEqual([]);
    p.expect();
    p.expect();
    expect(p.push(Uint8Array.of(0x01)).map((s) => s.headOpen)).toEqual([true]);
    expect(p.push(Uint8Array.of(0x04, 0x08)).map((s) => s.paperOut)).toEqual([true]);
    expect(p.waiting).toBe(0);
  });
});
