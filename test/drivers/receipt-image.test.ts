import { describe, expect, it } from 'vitest';
import type { PrintDocument } from '../../src-common/print-document.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { renderReceipt, toPng } from '../../src-drivers/emulators/escpos/render.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { haveZbar, zbarimg } from '../support/zbar.js';
import { renderEscPos } from '../../src-drivers/printer/escpos-printer.js';



describe('the emulated receipt as an image, read by zbar', () => {
  it('zbar is installed (.ci/run installs zbar-tools)', () => {
    expect(haveZbar).toBe(true);
  });

  it('its receipt code (CODE 128), an EAN-13 and the fiscal QR decode to exactly what was printed', () => {
    const profile = getProfile('epson-tm-t20');
    const qr = 't=20261202T1530&s=2970.10&fn=7380440800123456&i=1234&fp=987654321&n=1';
    const code = 'RC0192F3A5B7C94D2E8F1A2B3C4D5E6F70';
    const doc: PrintDocument = {
      blocks: [
        { t: 'text', text: 'ООО «Лавка»', align: 'center' },
        { t: 'pair', left: 'ИТОГО', right: '2 970,10 ₽' },
        { t: 'barcode', symbology: 'ean13', data: '4600000000015' },
        { t: 'qr', data: qr, size: 6 },
        { t: 'barcode', symbology: 'code128', data: code, hri: false },
        { t: 'cut' },
      ],
    };
    const emulator = new EscPosPrinterEmulator(profile);
    emulator.feed(renderEscPos(doc, profile, 'cp866').encode());
    expect(emulator.receipts).toHaveLength(1);
    const image = renderReceipt(emulator.receipts[0]!, profile.widthDots);
    const decoded = zbarimg(toPng(image));
    expect(decoded.sort()).toEqual(['4600000000015', code, qr].sort());
  });

  it('on a model without native symbols they go as raster images, and still decode', () => {
    const profile = getProfile('star-tsp100');
    expect(profile.nativeQr).toBe(false);
    const qr = 'https://lavka.example/r/RC0192F3A5B7C94D2E';
    const doc: PrintDocument = { blocks: [{ t: 'qr', data: qr, size: 5 }, { t: 'barcode', symbology: 'code128', data: 'RC0192F3', hri: false }, { t: 'cut' }] };
    const emulator = new EscPosPrinterEmulator(profile);
    emulator.feed(renderEscPos(doc, profile).encode());
    const nodes = emulator.receipts[0]!.nodes.map((n) => n.type);
    expect(nodes.filter((n) => n === 'image')).toHaveLength(2);
    expect(nodes).not.toContain('qr');
    expect(zbarimg(toPng(renderReceipt(emulator.receipts[0]!, profile.widthDots))).sort()).toEqual(['RC0192F3', qr].sort());
  });
});
