import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPriceTag, presetStock, type LabelLayout } from '../../src-common/price-tag.js';
import { ZplPrinterEmulator } from '../../src-drivers/emulators/label/zpl.js';
import { LABEL_PROFILES, type ZplProfile } from '../../src-drivers/label/profiles.js';
import { encodeZplHostStatus, labelFault, zplToLabelStatus, ZplStatusParser, type ZplHostStatus } from '../../src-drivers/label/status.js';
import { labelText } from '../../src-drivers/label/text.js';
import { encodeZpl, zplCode128Data } from '../../src-drivers/label/zpl.js';
import { layoutTexts, milkTag } from './label-fixtures.js';

const zpl = (id: 'zebra-gk420' | 'zebra-zd220' | 'zebra-zd421-300' | 'zpl-cp1251'): ZplProfile => LABEL_PROFILES[id] as ZplProfile;

/** Encode, feed an emulator with firmware of this resolution, return it and what it answered. */
function roundtrip(layouts: LabelLayout[], profile: ZplProfile, emulator = new ZplPrinterEmulator({ dpi: profile.dpi })) {
  const answer = emulator.feed(encodeZpl(layouts, profile));
  return { emulator, answer };
}

describe('ZPL price tags through the emulator', () => {
  it.each(['zebra-gk420', 'zebra-zd220', 'zebra-zd421-300', 'zpl-cp1251'] as const)('%s: every field reads back exactly, in its place, with the copies asked', (id) => {
    const profile = zpl(id);
    for (const preset of ['58x40', '43x25'] as const) {
      const layout = layoutPriceTag(milkTag(), presetStock(preset, profile.dpi));
      const { emulator, answer } = roundtrip([layout], profile);
      expect(answer).toHaveLength(0);
      expect(emulator.ignored).toEqual([]);
      expect(emulator.labels).toHaveLength(3);
      const printed = emulator.labels[0]!;
      expect(printed).toMatchObject({ widthDots: layout.widthDots, heightDots: layout.heightDots, quantity: 3 });
      expect(printed.texts.map((t) => ({ x: t.x, y: t.y, text: t.text }))).toEqual(layoutTexts(layout).map((t) => ({ x: t.x, y: t.y, text: labelText(t.text, profile) })));
      expect(printed.texts.map((t) => t.text).join(' ')).toContain('Молоко 3,2% «Домик в');
      expect(printed.texts.find((t) => t.text.startsWith('89,90'))?.text).toBe('89,90 р.'); // no ₽ glyph is trusted: "р."
      expect(printed.barcodes).toEqual([expect.objectContaining({ symbology: 'EAN13', data: '4601234567893', valid: true })]);
      expect(printed.texts.every((t) => t.encoding === (profile.charset === 'utf8' ? 'utf8' : 'cp1251'))).toBe(true);
    }
  });

  it('the 7-bit profile sends pure ASCII: Cyrillic as ^FH escapes of code page 1251 under ^CI33', () => {
    const bytes = encodeZpl([layoutPriceTag(milkTag(), presetStock('58x40', 203))], zpl('zpl-cp1251'));
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const job = new TextDecoder().decode(bytes);
    expect(job).toContain('^CI33');
    expect(job).toContain('^FH^FD_CC_EE_EB_EE_EA_EE 3,2% _AB_C4_EE_EC_E8_EA'); // "Молоко 3,2% «Домик"
  });

  it('a format is ^XA … ^CI28 ^PW ^LL … ^PQ n ^XZ, text fields through ^FH, EAN-13 as ^BE with 12 digits', () => {
    const job = new TextDecoder().decode(encodeZpl([layoutPriceTag(milkTag(), presetStock('58x40', 203))], zpl('zebra-gk420')));
    expect(job.startsWith('^XA\n^CI28\n^PW464\n^LL320\n')).toBe(true);
    expect(job).toMatch(/\^FO\d+,\d+\^A0N,26,26\^FH\^FDМолоко 3,2% «Домик в\^FS/);
    expect(job).toMatch(/\^BY\d\^BEN,\d+,Y,N\^FD460123456789\^FS/);
    expect(job.endsWith('^PQ3\n^XZ\n')).toBe(true);
  });

  it('^ ~ _ " and \\ in a name print as themselves and cannot end the field, the format, or run a command', () => {
    const nasty = 'Сыр ^XZ^XA^FO0,0^FDfake^FS ~JA ~HS _5E "x" \\ end';
    const layout = layoutPriceTag(milkTag({ name: nasty, sku: '~PP^PQ99', copies: 2 }), presetStock('58x40', 203));
    const { emulator, answer } = roundtrip([layout], zpl('zebra-gk420'));
    expect(answer).toHaveLength(0); // ~HS in the name was not a status query
    expect(emulator.engine.fault('paused')).toBe(false); // ~PP in the SKU did not pause it
    expect(emulator.formats).toHaveLength(1);
    expect(emulator.labels).toHaveLength(2);
    expect(emulator.labels[0]!.texts.map((t) => t.text)).toEqual(layoutTexts(layout).map((t) => labelText(t.text, zpl('zebra-gk420'))));
    expect(emulator.labels[0]!.texts.map((t) => t.text).slice(0, 2)).toEqual(['Сыр', '^XZ^XA^FO0,0^FDfake^FS ~…']);
    expect(emulator.labels[0]!.texts.at(-1)?.text).toBe('~PP^PQ99');
    const job = new TextDecoder().decode(encodeZpl([layout], zpl('zebra-gk420')));
    expect(job).toContain('^FH^FD_5EXZ_5EXA_5EFO0,0_5EFDfake_5EFS _7E…^FS');
    const quoted = layoutPriceTag(milkTag({ name: '_5E "x" \\ ~HS', copies: 1 }), presetStock('58x40', 203));
    expect(new TextDecoder().decode(encodeZpl([quoted], zpl('zebra-gk420')))).toContain('^FD_5F5E "x" \\ _7EHS^FS');
    expect(roundtrip([quoted], zpl('zebra-gk420')).emulator.labels[0]!.texts[0]!.text).toBe('_5E "x" \\ ~HS');
  });

  it('any name: one field per line of the layout, each reading back exactly, nothing else acted on', () => {
    const profile = zpl('zebra-gk420');
    const nameArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(fc.constantFrom('^', '~', '_', '"', '\\', ',', '\r', '\n', '\x1b', 'Я', 'ё', '₽', 'X', 'A', 'S', 'F', 'D', ' ', '5', 'E'), { maxLength: 60 }).map((a) => a.join('')));
    fc.assert(
      fc.property(nameArb, nameArb, (name, sku) => {
        const layout = layoutPriceTag(milkTag({ name, sku, copies: 1 }), presetStock('43x25', 203));
        const { emulator, answer } = roundtrip([layout], profile);
        expect(answer).toHaveLength(0);
        expect(emulator.ignored).toEqual([]);
        expect(emulator.labels).toHaveLength(1);
        expect(emulator.labels[0]!.texts.map((t) => t.text)).toEqual(layoutTexts(layout).map((t) => labelText(t.text, profile)));
        expect(emulator.labels[0]!.barcodes).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it('CODE128 data with ^ > ~ goes through the ^BC invocation codes and reads back exactly; digit pairs use subset C', () => {
    expect(zplCode128Data('123456')).toBe('>;123456');
    expect(zplCode128Data('A^B>C~D')).toBe('>:A><B>0C>=D');
    for (const data of ['LAVKA-000123', 'A^B>C~D_E', '12345', '00123456', ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~']) {
      const layout = layoutPriceTag(milkTag({ barcode: { symbology: 'code128', data }, copies: 1 }), presetStock('58x40', 203));
      const { emulator } = roundtrip([layout], zpl('zebra-gk420'));
      expect(emulator.labels[0]!.barcodes).toEqual([expect.objectContaining({ symbology: 'CODE128', data, valid: true })]);
    }
  });

  it('EAN-8 goes as ^B8 with 7 digits and the printer adds the check digit', () => {
    const layout = layoutPriceTag(milkTag({ barcode: { symbology: 'ean8', data: '4601234' }, copies: 1 }), presetStock('43x25', 203));
    const job = new TextDecoder().decode(encodeZpl([layout], zpl('zebra-gk420')));
    expect(job).toMatch(/\^B8N,\d+,[YN],N\^FD4601234\^FS/);
    const { emulator } = roundtrip([layout], zpl('zebra-gk420'));
    expect(emulator.labels[0]!.barcodes[0]).toMatchObject({ symbology: 'EAN8', data: '46012340', valid: true });
  });

  it('several tags: one format each, each with its own quantity', () => {
    const stock = presetStock('58x40', 203);
    const { emulator } = roundtrip([layoutPriceTag(milkTag({ copies: 2 }), stock), layoutPriceTag(milkTag({ name: 'Хлеб «Бородинский»', price: '54,90 ₽', copies: 1 }), stock)], zpl('zebra-gk420'));
    expect(emulator.formats.map((f) => f.quantity)).toEqual([2, 1]);
    expect(emulator.labels.map((l) => l.texts[0]!.text)).toEqual(['Молоко 3,2% «Домик в', 'Молоко 3,2% «Домик в', 'Хлеб «Бородинский»']);
  });
});

describe('a wrong code page shows as wrong text', () => {
  it('UTF-8 to firmware older than ^CI28 (it stays on code page 850): mojibake, and the refused ^CI is noted', () => {
    const profile = zpl('zebra-gk420');
    const emulator = new ZplPrinterEmulator({ encodings: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] });
    roundtrip([layoutPriceTag(milkTag({ copies: 1 }), presetStock('58x40', 203))], profile, emulator);
    const name = emulator.labels[0]!.texts[0]!.text;
    expect(name).not.toBe('Молоко 3,2% «Домик в');
    expect(name).not.toMatch(/[А-яЁё]/);
    expect(name).toContain(' 3,2% '); // ASCII survives, Cyrillic does not
    expect(emulator.ignored).toContain('^CI28');
  });

  it('code page 1251 bytes read under ^CI28 (firmware without ^CI33, left in UTF-8 by an earlier job): replacement characters', () => {
    const emulator = new ZplPrinterEmulator({ encodings: [0, 27, 28] });
    const stock = presetStock('58x40', 203);
    roundtrip([layoutPriceTag(milkTag({ copies: 1 }), stock)], zpl('zebra-gk420'), emulator);
    roundtrip([layoutPriceTag(milkTag({ copies: 1 }), stock)], zpl('zpl-cp1251'), emulator);
    expect(emulator.labels[0]!.texts[0]!.text).toBe('Молоко 3,2% «Домик в');
    expect(emulator.labels[1]!.texts[0]!.text).toMatch(/^\ufffd+ 3,2% \ufffd/);
  });
});

describe('ZPL emulator', () => {
  it('skips unknown commands silently and still prints the format', () => {
    const e = new ZplPrinterEmulator();
    e.feed(new TextEncoder().encode('^XA^ZZ123^QQ^FO10,20^A0N,30,30^FDHello^FS^XZ'));
    expect(e.labels).toHaveLength(1);
    expect(e.labels[0]!.texts).toEqual([expect.objectContaining({ x: 10, y: 20, height: 30, text: 'Hello' })]);
    expect(e.ignored).toEqual(['^ZZ', '^QQ']);
  });

  it('an unescaped ^ inside field data cuts the field, as on a real printer', () => {
    const e = new ZplPrinterEmulator();
    e.feed(new TextEncoder().encode('^XA^FO0,0^A0N,20,20^FDa^b^FS^XZ'));
    expect(e.labels[0]!.texts.map((t) => t.text)).toEqual(['a']);
  });

  it('holds a batch while the head is open and prints the rest once it is closed', () => {
    const e = new ZplPrinterEmulator();
    e.setFault('headOpen', true);
    e.feed(encodeZpl([layoutPriceTag(milkTag(), presetStock('58x40', 203))], zpl('zebra-gk420')));
    expect(e.labels).toHaveLength(0);
    expect(e.engine.labelsRemaining).toBe(3);
    e.setFault('headOpen', false);
    expect(e.labels).toHaveLength(3);
  });

  it('~JA cancels what waits; ~PP pauses and ~PS resumes', () => {
    const e = new ZplPrinterEmulator();
    const enc = new TextEncoder();
    e.feed(enc.encode('~PP'));
    e.feed(encodeZpl([layoutPriceTag(milkTag({ copies: 5 }), presetStock('58x40', 203))], zpl('zebra-gk420')));
    expect(e.engine.labelsRemaining).toBe(5);
    e.feed(enc.encode('~JA~PS'));
    expect(e.labels).toHaveLength(0);
    e.feed(encodeZpl([layoutPriceTag(milkTag({ copies: 1 }), presetStock('58x40', 203))], zpl('zebra-gk420')));
    expect(e.labels).toHaveLength(1);
  });
});

describe('~HS host status', () => {
  const base: ZplHostStatus = {
    paperOut: false,
    paused: false,
    labelLengthDots: 320,
    formatsInBuffer: 0,
    bufferFull: false,
    partialFormat: false,
    headOpen: false,
    ribbonOut: false,
    thermalTransfer: true,
    labelsRemaining: 0,
  };

  it('parses the three documented lines into flags, whatever the chunking and garbage around them', () => {
    const states: ZplHostStatus[] = [
      base,
      { ...base, paperOut: true },
      { ...base, paused: true, formatsInBuffer: 2, labelsRemaining: 17 },
      { ...base, headOpen: true },
      { ...base, ribbonOut: true },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.uint8Array({ maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 10 }), (s, noise, sizes) => {
        const clean = noise.filter((b) => b !== 0x02); // garbage without a frame start
        const stream = Uint8Array.from([...clean, ...encodeZplHostStatus(s), ...clean]);
        const p = new ZplStatusParser();
        const out: ZplHostStatus[] = [];
        let k = 0;
        for (let i = 0; i < stream.length; k++) {
          const n = sizes[k % sizes.length]!;
          out.push(...p.push(stream.subarray(i, i + n)));
          i += n;
        }
        expect(out).toEqual([s]);
      }),
      { numRuns: 200 },
    );
  });

  it('the documented example answer', () => {
    const text = '\x02030,0,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n';
    const [s] = new ZplStatusParser().push(new TextEncoder().encode(text));
    expect(s).toMatchObject({ paperOut: false, paused: false, labelLengthDots: 1245, headOpen: false, ribbonOut: false, labelsRemaining: 0 });
  });

  it('ribbon out counts only on a thermal-transfer printer', () => {
    expect(labelFault(zplToLabelStatus({ ...base, ribbonOut: true }))).toBe('ribbon_out');
    expect(labelFault(zplToLabelStatus({ ...base, ribbonOut: true, thermalTransfer: false }))).toBeNull();
    expect(labelFault(zplToLabelStatus({ ...base, headOpen: true, paperOut: true }))).toBe('head_open');
  });

  it('the emulator answers ~HS with its faults, mid-format too, and stays silent where newer firmware does', () => {
    const e = new ZplPrinterEmulator();
    e.setFault('paperOut', true);
    const [s] = new ZplStatusParser().push(e.feed(new TextEncoder().encode('^XA^FO0,0~HS')));
    expect(s).toMatchObject({ paperOut: true, partialFormat: true });
    const silent = new ZplPrinterEmulator({ silentWhenFaulted: true });
    silent.setFault('headOpen', true);
    expect(silent.feed(new TextEncoder().encode('~HS'))).toHaveLength(0);
    silent.setFault('headOpen', false);
    expect(silent.feed(new TextEncoder().encode('~HS')).length).toBeGreaterThan(0);
  });
});
