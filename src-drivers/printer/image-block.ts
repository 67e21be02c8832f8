import type { PrintBlock } from '../../src-common/print-document.js';
import { bytesPerRow, shrinkToWidth, type MonoBitmap } from '../escpos/bitmap.js';

export type ImageBlock = Extract<PrintBlock, { t: 'image' }>;

/**
 * The bitmap an image block carries: rows of ceil(width / 8) bytes, base64. Throws RangeError
 * when the size is not whole dots or the data does not hold exactly width × height dots, so the
 * till can refuse a broken logo when it is saved rather than when a receipt prints.
 */
export function imageBlockBitmap(b: ImageBlock): MonoBitmap {
  if (!Number.isInteger(b.width) || !Number.isInteger(b.height) || b.width < 1 || b.height < 1) {
    throw new RangeError(`image size must be positive whole dots, got ${b.width}x${b.height}`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b.bits)) throw new RangeError('image bits are not base64');
  const data = new Uint8Array(Buffer.from(b.bits, 'base64'));
  const expected = bytesPerRow(b.width) * b.height;
  if (data.length !== expected) throw new RangeError(`image bits are ${data.length} bytes; ${b.width}x${b.height} needs ${expected}`);
  return { width: b.width, height: b.height, data };
}

/**
 * The bitmap to send for an image block on paper `widthDots` wide. A wider image (an 80 mm logo
 * on a 58 mm printer) is shrunk to the paper, not cropped: a logo is designed as a whole, and its
 * edges are often the shop's name; a smaller logo still says who sold the goods, a cropped one may not.
 */
export function imageForPaper(b: ImageBlock, widthDots: number): MonoBitmap {
  return shrinkToWidth(imageBlockBitmap(b), widthDots);
}
