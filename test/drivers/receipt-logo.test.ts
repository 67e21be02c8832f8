import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PrintBlock, PrintDocument } from '../../src-common/print-document.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { createBitmap, getPixel, setPixel, shrinkToWidth, type MonoBitmap } from '../../src-drivers/escpos/bitmap.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { qrBitmap } from '../../src-drivers/escpos/symbols.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { renderReceipt, toPng } from '../../src-drivers/emulators/escpos/render.js';
import { EscPosDocumentPrinter, renderEscPos } from '../../src-drivers/printer/escpos-printer.js';
import { imageBlockBitmap } from '../../src-drivers/printer/image-block.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const dir = mkdtempSync(join(tmpdir(), 'lavka-logo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (m: MonoBitmap) => Buffer.from(m.data).toString('base64');
const imageBlock = (m: MonoBitmap, align?: 'left' | 'center' | 'right'): PrintBlock => ({ t: 'image', width: m.width, height: m.height, bits: b64(m), ...(align ? { align } : {}) });

/**
 * A 200×64 logo: a frame, a diagonal, a solid block, and rows that carry `10 04 01` (a real-time
 * status request) as image data, which Epson-class printers act on even inside raster data.
 */
function logo(): MonoBitmap {
  const m = createBitmap(200, 64);
  for (let x = 0; x < 200; x++) {
    setPixel(m, x, 0);
    setPixel(m, x, 63);
  }
  for (let y = 0; y < 64; y++) {
    setPixel(m, 0, y);
    setPixel(m, 199, y);
    setPixel(m, y * 3, y);
  }
  for (let y = 20; y < 44; y++) for (let x = 150; x < 190; x++) setPixel(m, x, y);
  for (let y = 48; y < 52; y++) m.data.set([0x10, 0x04, 0x01], y * 25 + 4);
  return m;
}

async function printerOn(profileId: string) {
  const profile = getProfile(profileId);
  const emulator = new EscPosPrinterEmulator(profile);
  const conn = new DeviceConnection(() => new LoopbackTransport(emulator), { minDelayMs: 20 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(1_000);
  return { emulator, profile, printer: new EscPosDocumentPrinter('printer-1', conn, profile, { pollMs: 20 }) };
}

describe('a logo image block on the receipt', () => {
  it('prints through the driver and comes back from the emulator as the same image: size, bits, centred', async () => {
    const { emulator, printer } = await printerOn('epson-tm-t20');
    const m = logo();
    const doc: PrintDocument = { blocks: [imageBlock(m), { t: 'text', text: 'ООО "Лавка"', align: 'center' }, { t: 'pair', left: 'ИТОГО', right: '100,00' }, { t: 'cut' }] };
    await printer.print(doc, { waiting: () => undefined });
    expect(emulator.receipts).toHaveLength(1);
    const r = emulator.receipts[0]!;
    expect(r.images).toEqual([{ width: m.width, height: m.height, data: m.data }]);
    expect(r.nodes.find((n) => n.type === 'image')).toMatchObject({ command: 'GS v 0', align: 'center' });
    expect(r.printedLines[0]).toMatchObject({ text: 'ООО "Лавка"', align: 'center' });
    expect(r.lines[1]).toMatch(/^ИТОГО +100,00$/);
  });

  it('is placed by its alignment on the rendered paper, and the PNG carries it (zbar reads a QR logo back)', () => {
    const profile = getProfile('epson-tm-t20');
    const qr = qrBitmap('https://lavka.example/shop/1', 4);
    const square = createBitmap(16, 16);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) setPixel(square, x, y);
    const emulator = new EscPosPrinterEmulator(profile);
    emulator.feed(renderEscPos({ blocks: [imageBlock(square, 'left'), imageBlock(qr, 'right'), { t: 'cut' }] }, profile).encode());
    const r = emulator.receipts[0]!;
    expect(r.nodes.filter((n) => n.type === 'image').map((n) => n.type === 'image' && n.align)).toEqual(['left', 'right']);
    const paper = renderReceipt(r, profile.widthDots);
    // The square is flush left; the QR's own quiet zone (16 dots) ends at the right edge.
    const top = 30;
    expect(getPixel(paper, 0, top)).toBe(true);
    expect(getPixel(paper, 15, top + 15)).toBe(true);
    expect(getPixel(paper, 16, top)).toBe(false);
    const qrTop = top + 16;
    const padded = Math.ceil(qr.width / 8) * 8;
    expect(getPixel(paper, profile.widthDots - padded + 16, qrTop + 16)).toBe(true); // the finder pattern's corner
    const file = join(dir, 'logo.png');
    writeFileSync(file, toPng(paper));
    const zbar = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
    expect(zbar.stdout.trim()).toBe('https://lavka.example/shop/1');
  });

  it('an 80 mm logo on a 58 mm printer is shrunk to the paper, whole, not cropped', () => {
    const profile = getProfile('clone-58');
    const wide = createBitmap(576, 90);
    for (let y = 0; y < 90; y++) for (let x = 0; x < 288; x++) setPixel(wide, x, y);
    const emulator = new EscPosPrinterEmulator(profile);
    emulator.feed(renderEscPos({ blocks: [imageBlock(wide), { t: 'cut' }] }, profile).encode());
    const [img] = emulator.receipts[0]!.images;
    expect(img).toMatchObject({ width: 384, height: 60 });
    for (let y = 0; y < 60; y++) {
      expect(getPixel(img!, 0, y) && getPixel(img!, 191, y)).toBe(true);
      expect(getPixel(img!, 192, y) || getPixel(img!, 383, y)).toBe(false);
    }
  });

  it('a broken logo is refused by imageBlockBitmap, and a receipt carrying one still prints without it', () => {
    expect(() => imageBlockBitmap({ t: 'image', width: 16, height: 2, bits: 'AAAA' })).toThrow(/3 bytes; 16x2 needs 4/);
    expect(() => imageBlockBitmap({ t: 'image', width: 0, height: 2, bits: '' })).toThrow(RangeError);
    expect(() => imageBlockBitmap({ t: 'image', width: 8, height: 1, bits: '!!' })).toThrow(/base64/);
    const profile = getProfile('epson-tm-t20');
    const emulator = new EscPosPrinterEmulator(profile);
    emulator.feed(renderEscPos({ blocks: [{ t: 'image', width: 16, height: 2, bits: 'AAAA' }, { t: 'text', text: 'Спасибо' }, { t: 'cut' }] }, profile).encode());
    expect(emulator.receipts[0]).toMatchObject({ images: [], lines: ['Спасибо'] });
  });

  it('shrinking keeps any image within the width, all-black black and all-white white', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 120 }), fc.boolean(), (w, h, max, black) => {
        const m = createBitmap(w, h);
        if (black) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) setPixel(m, x, y);
        const s = shrinkToWidth(m, max);
        expect(s.width).toBe(Math.min(w, max));
        expect(s.height).toBeGreaterThanOrEqual(1);
        expect(s.height).toBeLessThanOrEqual(h);
        for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) expect(getPixel(s, x, y)).toBe(black);
      }),
      { numRuns: 200 },
    );
  });
});
