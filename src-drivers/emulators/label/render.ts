import bwipjs from 'bwip-js';
import { createBitmap, setPixel, type MonoBitmap } from '../../escpos/bitmap.js';
import type { EmulatedBarcode, EmulatedLabel } from './model.js';

export { toPng } from '../escpos/render.js';

const BCID: Readonly<Record<string, string>> = { EAN13: 'ean13', EAN8: 'ean8', CODE128: 'code128' };
const MAX_SIDE = 4000;

/** The symbol's bars and spaces in modules, from bwip-js; null when it cannot draw the data. */
function modules(b: EmulatedBarcode): number[] | null {
  const bcid = BCID[b.symbology];
  if (!bcid) return null;
  try {
    const [sym] = bwipjs.raw({ bcid, text: b.data }) as unknown as { sbs: number[] }[];
    return sym?.sbs ?? null;
  } catch {
    return null;
  }
}

/**
 * The emulated label as the paper would look: each barcode drawn from what the emulator parsed
 * out of the job (symbology, data, module width, bar height) at its position; text fields are
 * left blank, as on the receipt image: the picture is for the symbols' sake.
 */
export function renderLabel(label: EmulatedLabel): MonoBitmap {
  const drawn = label.barcodes.map((b) => ({ b, sbs: modules(b) }));
  const extentX = Math.max(8, ...drawn.map(({ b, sbs }) => b.x + (sbs ?? []).reduce((a, w) => a + w, 0) * Math.max(1, b.moduleWidth)));
  const extentY = Math.max(8, ...drawn.map(({ b }) => b.y + b.height));
  const width = Math.min(MAX_SIDE, label.widthDots ?? extentX);
  const height = Math.min(MAX_SIDE, label.heightDots ?? extentY);
  const out = createBitmap(Math.max(8, width), Math.max(8, height));
  for (const { b, sbs } of drawn) {
    if (!sbs) continue;
    const m = Math.max(1, b.moduleWidth);
    let x = b.x;
    sbs.forEach((w, i) => {
      if (i % 2 === 0) {
        for (let dx = 0; dx < w * m; dx++) for (let y = b.y; y < Math.min(out.height, b.y + b.height); y++) setPixel(out, x + dx, y);
      }
      x += w * m;
    });
  }
  return out;
}
