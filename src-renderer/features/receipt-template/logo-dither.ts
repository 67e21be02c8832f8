// A picture → the receipt printer's 1-bit logo. Pure (no DOM), so it is unit-tested in Node; the
// editor decodes and scales the file on a canvas and hands the RGBA pixels here.

/** 58 mm paper prints 384 dots per line; 80 mm prints 576, so a logo this wide fits on both. */
export const LOGO_MAX_WIDTH = 384;
export const LOGO_MAX_HEIGHT = 400;

/** 1 = black, rows top to bottom, each row `width / 8` bytes, most significant bit leftmost. */
export interface PackedLogo {
  /** A multiple of 8: the picture's width padded with white on the right. */
  width: number;
  height: number;
  bits: Uint8Array;
}

/**
 * The size to draw a `w` × `h` picture at: never larger than it is, at most 384 dots wide and 400
 * high, the aspect kept.
 */
export function fitLogo(w: number, h: number, maxWidth = LOGO_MAX_WIDTH, maxHeight = LOGO_MAX_HEIGHT): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / w, maxHeight / h);
  return { width: Math.max(1, Math.min(maxWidth, Math.round(w * scale))), height: Math.max(1, Math.min(maxHeight, Math.round(h * scale))) };
}

/**
 * RGBA pixels (as canvas ImageData holds them) → packed 1-bit rows, by Floyd–Steinberg error
 * diffusion on luminance. Transparent pixels are paper (white); the right edge is padded with white
 * up to a multiple of 8 dots.
 */
export function ditherLogo(rgba: ArrayLike<number>, width: number, height: number): PackedLogo {
  if (rgba.length < width * height * 4) throw new RangeError(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const lum = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const y = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
    // Composite over white paper.
    lum[i] = y * a + 255 * (1 - a);
  }
  const stride = Math.ceil(width / 8);
  const bits = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const old = lum[i]!;
      const black = old < 128;
      if (black) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
      const err = old - (black ? 0 : 255);
      if (x + 1 < width) lum[i + 1]! += (err * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) lum[i + width - 1]! += (err * 3) / 16;
        lum[i + width]! += (err * 5) / 16;
        if (x + 1 < width) lum[i + width + 1]! += err / 16;
      }
    }
  }
  return { width: stride * 8, height, bits };
}

/** Packed rows → RGBA for showing the logo on a canvas (black dots on white). */
export function logoToRgba(logo: PackedLogo): Uint8ClampedArray {
  const stride = logo.width / 8;
  const out = new Uint8ClampedArray(logo.width * logo.height * 4);
  for (let y = 0; y < logo.height; y++) {
    for (let x = 0; x < logo.width; x++) {
      const black = (logo.bits[y * stride + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
      const o = (y * logo.width + x) * 4;
      const v = black ? 0 : 255;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
    }
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
