import receiptline from 'receiptline';
import { documentText } from '../../src-common/print-document.js';
import { sampleReceipt, sampleReceiptLine } from '../../src-main/demo/sample-receipt.js';
import { createBitmap } from '../../src-drivers/escpos/bitmap.js';
import { EscPosEncoder } from '../../src-drivers/escpos/encoder.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { qrBitmap } from '../../src-drivers/escpos/symbols.js';
import { renderEscPos } from '../../src-drivers/printer/escpos-printer.js';
import type { Group } from '../context.js';
import { round, summarize } from '../stats.js';

const ENCODES = 2_000;
/** Dots a text line takes on the paper as an image: Font A is 24 dots high, plus the default spacing. */
const LINE_DOTS = 30;

/**
 * Bytes and encode time of a 30-line Cyrillic receipt with a fiscal QR (src-main/demo/sample-receipt.ts)
 * on an 80 mm Epson TM-T20 profile in CP866:
 *   receipt_bytes_native  our ESC/POS: text in the printer's code page, the QR as its native command
 *   receipt_bytes_raster  the same receipt sent as one raster image (GS v 0) of the paper width — what a
 *                         driver that renders receipts to pictures sends (text at 30 dots a line, the QR drawn)
 *   receipt_bytes_peer    what receiptline (npm, the maintained ESC/POS generator) produces for the same
 *                         receipt in its markup, same width and code page, in the same run
 *   receipt_encode_ms     median time to lay out and encode the document (2,000 runs)
 *   receipt_9600_s        the native bytes on a 9600-baud 8N1 serial line (10 bits a byte)
 */
export const receiptGroup: Group = {
  name: 'receipt',
  describe: 'ESC/POS bytes and encode time of a 30-line Cyrillic receipt with a QR, vs raster and receiptline',
  async run() {
    const profile = getProfile('epson-tm-t20');
    const doc = sampleReceipt();
    const native = renderEscPos(doc, profile, 'cp866').encode();

    const textLines = documentText(doc, profile.charsPerLine).length;
    const qr = qrBitmap((doc.blocks.find((b) => b.t === 'qr') as { data: string }).data, 6, 'M');
    const raster = new EscPosEncoder(profile, { codePage: 'cp866' })
      .init()
      .image(createBitmap(profile.widthDots, textLines * LINE_DOTS + qr.height))
      .cut({ partial: true, feed: 0 })
      .encode();

    const peer = Buffer.from(receiptline.transform(sampleReceiptLine(), { cpl: profile.charsPerLine, encoding: 'cp866', command: 'escpos', cutting: true }), 'binary');

    const times: number[] = [];
    for (let i = 0; i < ENCODES; i++) {
      const t0 = performance.now();
      renderEscPos(doc, profile, 'cp866').encode();
      times.push(performance.now() - t0);
    }
    return {
      receipt_bytes_native: native.length,
      receipt_bytes_raster: raster.length,
      receipt_bytes_peer: peer.length,
      receipt_encode_ms: round(summarize(times).p50),
      receipt_9600_s: round((native.length * 10) / 9600),
    };
  },
};
