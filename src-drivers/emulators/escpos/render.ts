import { deflateSync } from 'node:zlib';
import { bytesPerRow, createBitmap, getPixel, setPixel, type MonoBitmap } from '../../escpos/bitmap.js';
import { linearBitmap, qrBitmap } from '../../escpos/symbols.js';
import type { Align } from './document.js';
import type { Receipt } from './printer.js';

/** Text lines are drawn as blank bands of a line's height: the image is for the symbols' sake. */
const LINE_DOTS = 30;

/**
 * The emulated receipt as the paper would look: its barcodes and QR codes drawn from what the
 * emulator parsed out of the byte stream (symbology, data, module width, height, module size),
 * centred on a strip of the printer's width, raster images (a logo) placed by the justification
 * they were printed with, and a band of white per text line.
 */
export function renderReceipt(r: Receipt, widthDots: number): MonoBitmap {
  const parts: { bitmap: MonoBitmap; align: Align }[] = [];
  const centred = (bitmap: MonoBitmap) => parts.push({ bitmap, align: 'center' });
  for (const node of r.nodes) {
    if (node.type === 'line') centred(createBitmap(widthDots, LINE_DOTS));
    else if (node.type === 'qr') centred(qrBitmap(node.data, Math.max(1, node.size), node.ecc));
    else if (node.type === 'image') parts.push({ bitmap: node.bitmap, align: node.align });
    else if (node.type === 'barcode' && (node.symbology === 'CODE128' || node.symbology === 'EAN13')) {
      const data = node.symbology === 'EAN13' ? node.data.slice(0, 12) : node.data;
      centred(linearBitmap(node.symbology === 'EAN13' ? 'ean13' : 'code128', data, Math.max(1, node.moduleWidth), Math.max(1, node.height)));
    }
  }
  const height = parts.reduce((a, p) => a + p.bitmap.height, 0) + 2 * LINE_DOTS;
  const width = Math.max(widthDots, ...parts.map((p) => p.bitmap.width));
  const out = createBitmap(width, height);
  let y = LINE_DOTS;
  for (const { bitmap: p, align } of parts) {
    const x0 = align === 'left' ? 0 : align === 'right' ? width - p.width : Math.floor((width - p.width) / 2);
    for (let py = 0; py < p.height; py++) for (let px = 0; px < p.width; px++) if (getPixel(p, px, py)) setPixel(out, x0 + px, y + py);
    y += p.height;
  }
  return out;
}

/** A 1-bit image as a PNG file (greyscale, 1 bit per pixel: black = 0). */
export function toPng(b: MonoBitmap): Buffer {
  const row = bytesPerRow(b.width);
  const raw = Buffer.alloc((row + 1) * b.height);
  for (let y = 0; y < b.height; y++) {
    raw[y * (row + 1)] = 0; // filter: none
    for (let i = 0; i < row; i++) raw[y * (row + 1) + 1 + i] = ~(b.data[y * row + i] ?? 0) & 0xff; // PNG grey: 1 = white
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(b.width, 0);
  ihdr.writeUInt32BE(b.height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
