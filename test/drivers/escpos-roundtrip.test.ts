import { describe, expect, it } from 'vitest';
import { printableText, type CodePageId } from '../../src-drivers/escpos/codepage.js';
import { PROFILES, type PrinterProfileId } from '../../src-drivers/escpos/profiles.js';
import { EscPosParser, type DocNode } from '../../src-drivers/emulators/escpos/parser.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { buildReceipt, DRAWER, EAN, QR_PAYLOAD, randomChunks } from './receipt-fixture.js';

const CASES: [PrinterProfileId, CodePageId, string][] = [
  ['epson-tm-t20', 'cp866', '88 E2 AE A3 AE'],
  ['epson-tm-t20', 'cp1251', 'C8 F2 EE E3 EE'],
  ['clone-58', 'cp1251', 'C8 F2 EE E3 EE'],
];

function parseAll(profileId: PrinterProfileId, chunks: Uint8Array[]): DocNode[] {
  const parser = new EscPosParser(PROFILES[profileId]);
  const nodes: DocNode[] = [];
  let total = 0;
  for (const c of chunks) {
    for (const e of parser.push(c)) if (e.kind === 'node') nodes.push(e.node);
    total += c.length;
  }
  expect(parser.offset).toBe(total);
  expect(parser.inCommand).toBe(false);
  return nodes;
}

describe.each(CASES)('a 30-line Cyrillic receipt on %s in %s', (profileId, cp, itogoHex) => {
  const profile = PROFILES[profileId];
  const { bytes, source } = buildReceipt(profile, cp);
  const expected = source.map((l) => printableText(l, cp));

  it('is laid out to the paper and carries "Итого" as DEVICES.md spells it', () => {
    expect(source.length).toBeGreaterThanOrEqual(30);
    for (const l of expected) expect(l.length).toBeLessThanOrEqual(profile.charsPerLine);
    const itogo = Buffer.from(itogoHex.split(' ').map((h) => parseInt(h, 16)));
    expect(Buffer.from(bytes).includes(itogo)).toBe(true);
  });

  it.each([1, 2, 3, 7, 42, 1234])('parses back identically in random chunks (seed %i)', (seed) => {
    const nodes = parseAll(profileId, randomChunks(bytes, seed, seed === 1 ? 1 : 97));
    const lines = nodes.filter((n) => n.type === 'line');
    expect(lines.map((l) => l.text)).toEqual(expected);
    expect(lines.some((l) => l.wrapped)).toBe(false);
    expect(nodes.filter((n) => n.type === 'qr')).toEqual([expect.objectContaining({ data: QR_PAYLOAD, size: 5, ecc: 'M', model: 2 })]);
    expect(nodes.filter((n) => n.type === 'barcode')).toEqual([expect.objectContaining({ symbology: 'EAN13', data: EAN, valid: true, height: 60 })]);
    expect(nodes.filter((n) => n.type === 'cut')).toEqual([{ type: 'cut', partial: true, feed: 16 }]);
    expect(nodes.filter((n) => n.type === 'drawer')).toEqual([{ type: 'drawer', pin: 2, onMs: DRAWER.onMs, offMs: DRAWER.offMs, realtime: false }]);
    expect(nodes.filter((n) => n.type === 'unknown')).toEqual([]);
    expect(nodes.filter((n) => n.type === 'codepage')).toEqual([{ type: 'codepage', n: profile.codePages[cp], codePage: cp }]);
  });

  it('keeps the styles: a double-size bold centred header, a bold total', () => {
    const lines = parseAll(profileId, [bytes]).filter((n) => n.type === 'line');
    const header = lines[0];
    expect(header?.align).toBe('center');
    expect(header?.runs[0]?.style).toMatchObject({ bold: true, width: 2, height: 2 });
    expect(lines[1]?.runs[0]?.style).toMatchObject({ bold: false, width: 1, height: 1 });
    const total = lines.find((l) => l.text.startsWith('Итого'));
    expect(total?.runs[0]?.style.bold).toBe(true);
    expect(total?.align).toBe('left');
  });

  it('prints as one receipt on the emulator, whatever the chunking', () => {
    const printer = new EscPosPrinterEmulator(profile);
    for (const c of randomChunks(bytes, 99, 13)) expect(printer.feed(c)).toEqual(new Uint8Array(0));
    expect(printer.receipts).toHaveLength(1);
    const r = printer.receipts[0];
    expect(r?.lines).toEqual(expected);
    expect(r?.qrs).toEqual([{ data: QR_PAYLOAD, size: 5, ecc: 'M' }]);
    expect(r?.barcodes).toEqual([{ symbology: 'EAN13', data: EAN, valid: true }]);
    expect(r?.drawerPulses).toEqual([{ pin: 2, onMs: 50, offMs: 500, realtime: false }]);
    expect(r?.cut).toEqual({ partial: true });
    expect(printer.current.lines).toEqual([]);
    expect(printer.isDrawerOpen).toBe(true);
  });
});

describe('the documented fallbacks show on paper', () => {
  it('CP866 prints «» as ", — as -, ₽ as р.; CP1251 keeps «» and —', () => {
    const text866 = parseAll('epson-tm-t20', [buildReceipt(PROFILES['epson-tm-t20'], 'cp866').bytes])
      .filter((n) => n.type === 'line')
      .map((l) => l.text);
    expect(text866).toContain('ООО "Лавка", ИНН 7701234567');
    expect(text866).toContain('- ждём вас снова -');
    expect(text866.find((l) => l.startsWith('ИТОГО К ОПЛАТЕ'))?.endsWith('1 234,50 р.')).toBe(true);
    expect(text866).toContain('Кассовый чек № 1234');
    const text1251 = parseAll('clone-58', [buildReceipt(PROFILES['clone-58'], 'cp1251').bytes])
      .filter((n) => n.type === 'line')
      .map((l) => l.text);
    expect(text1251).toContain('ООО «Лавка», ИНН 7701234567');
    expect(text1251).toContain('— ждём вас снова —');
  });

  it('the wrong table shows: CP1251 bytes read as CP866 are not the text', () => {
    const { bytes } = buildReceipt(PROFILES['epson-tm-t20'], 'cp1251');
    // Patch ESC t 46 to ESC t 17: the printer now reads Windows-1251 bytes as CP866.
    const i = Buffer.from(bytes).indexOf(Buffer.from([0x1b, 0x74, 46]));
    const wrong = bytes.slice();
    wrong[i + 2] = 17;
    const lines = parseAll('epson-tm-t20', [wrong]).filter((n) => n.type === 'line');
    expect(lines.map((l) => l.text)).not.toContain('Кассовый чек № 1234');
  });
});
