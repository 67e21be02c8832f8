import bwipjs from 'bwip-js';
import { createBitmap, setPixel, type MonoBitmap } from './bitmap.js';

/**
 * Barcodes and QR codes drawn as 1-bit images (bwip-js computes the symbol): for a printer without
 * native symbols (sent with `image()`), and to render what the emulator printed.
 */
export function qrBitmap(data: string, moduleDots: number, ecc: 'L' | 'M' | 'Q' | 'H' = 'M'): MonoBitmap {
  const [sym] = bwipjs.raw({ bcid: 'qrcode', text: data, eclevel: ecc } as unknown as Parameters<typeof bwipjs.raw>[0]) as unknown as { pixs: number[]; pixx: number; pixy: number }[];
  if (!sym) throw new Error('no QR symbol');
  const quiet = 4 * moduleDots;
  const b = createBitmap(sym.pixx * moduleDots + 2 * quiet, sym.pixy * moduleDots + 2 * quiet);
  for (let y = 0; y < sym.pixy; y++) {
    for (let x = 0; x < sym.pixx; x++) {
      if (!sym.pixs[y * sym.pixx + x]) continue;
      for (let dy = 0; dy < moduleDots; dy++) for (let dx = 0; dx < moduleDots; dx++) setPixel(b, quiet + x * moduleDots + dx, quiet + y * moduleDots + dy);
    }
  }
  return b;
}

/** A linear barcode (CODE 128 or EAN-13) `heightDots` tall, each module `moduleDots` wide. */
export function linearBitmap(symbology: 'code128' | 'ean13', data: string, moduleDots: number, heightDots: number): MonoBitmap {
  const [sym] = bwipjs.raw({ bcid: symbology, text: data }) as unknown as { sbs: number[] }[];
  if (!sym) throw new Error('no barcode symbol');
  const modules = sym.sbs.reduce((a, w) => a + w, 0);
  const quiet = 10 * moduleDots;
  const b = createBitmap(modules * moduleDots + 2 * quiet, heightDots);
  let x = quiet;
  sym.sbs.forEach((w, i) => {
    if (i % 2 === 0) for (let dx = 0; dx < w * moduleDots; dx++) for (let y = 0; y < heightDots; y++) setPixel(b, x + dx, y);
    x += w * moduleDots;
  });
  return b;
}
