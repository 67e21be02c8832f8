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
