/**
 * A 1-bit image as the printer takes it: rows of ceil(width / 8) bytes, most significant bit
 * leftmost, 1 = black. The encoder's `image()` and the emulator's image nodes share it, and so
 * will the raster fallback for QR codes and barcodes on printers without native symbols.
 */
export interface MonoBitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function bytesPerRow(width: number): number {
  return Math.ceil(width / 8);
}

export function createBitmap(width: number, height: number): MonoBitmap {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bitmap size must be positive integers, got ${width}x${height}`);
  }
  return { width, height, data: new Uint8Array(bytesPerRow(width) * height) };
}

export function getPixel(b: MonoBitmap, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= b.width || y >= b.height) return false;
  return (((b.data[y * bytesPerRow(b.width) + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) === 1;
}

export function setPixel(b: MonoBitmap, x: number, y: number, black = true): void {
  if (x < 0 || y < 0 || x >= b.width || y >= b.height) return;
  const i = y * bytesPerRow(b.width) + (x >> 3);
  const mask = 0x80 >> (x & 7);
  b.data[i] = black ? (b.data[i] ?? 0) | mask : (b.data[i] ?? 0) & ~mask;
}

/**
 * Shrink `b` to at most `maxWidth` dots wide, keeping its aspect ratio; an image that fits comes
 * back as it is. Each new dot covers a box of source dots (every source dot in exactly one box,
 * by its centre) and is black when at least half of that box is black: an area average, so
 * a shrunken logo keeps its shapes and grey dithering keeps its density, where dropping columns
 * (nearest neighbour) would erase whole lines of a logo's lettering.
 */
export function shrinkToWidth(b: MonoBitmap, maxWidth: number): MonoBitmap {
  if (!Number.isInteger(maxWidth) || maxWidth < 1) throw new RangeError(`width limit must be a positive integer, got ${maxWidth}`);
  if (b.width <= maxWidth) return b;
  const width = maxWidth;
  const height = Math.max(1, Math.round((b.height * width) / b.width));
  const xs = boxStarts(b.width, width);
  const ys = boxStarts(b.height, height);
  const out = createBitmap(width, height);
  for (let y = 0; y < height; y++) {
    const y0 = ys[y] ?? 0;
    const y1 = ys[y + 1] ?? b.height;
    for (let x = 0; x < width; x++) {
      const x0 = xs[x] ?? 0;
      const x1 = xs[x + 1] ?? b.width;
      let black = 0;
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) if (getPixel(b, sx, sy)) black++;
      const area = (x1 - x0) * (y1 - y0);
      if (area > 0 && black * 2 >= area) setPixel(out, x, y);
    }
  }
  return out;
}

/**
 * Where each of `to` boxes starts along an axis of `from` source dots, plus the end: box i holds
 * the source dots whose centres fall in [i·from/to, (i+1)·from/to). Integer arithmetic, so the
 * boxes tile the axis exactly.
 */
function boxStarts(from: number, to: number): number[] {
  const starts: number[] = [];
  // centre s + 1/2 >= i·from/to  <=>  s >= (2·i·from − to) / (2·to)
  for (let i = 0; i <= to; i++) starts.push(Math.max(0, Math.ceil((2 * i * from - to) / (2 * to))));
  starts[to] = from;
  return starts;
}
