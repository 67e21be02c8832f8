// The receipt logo conversion in the renderer: RGBA pixels → the printer's packed 1-bit rows.
import { describe, expect, it } from 'vitest';
import { LogoSchema } from '../../src-common/rpc/schemas.js';
import { base64ToBytes, bytesToBase64, ditherLogo, fitLogo, logoToRgba } from '../../src-renderer/features/receipt-template/logo-dither.js';

type Rgba = [number, number, number, number];
const BLACK: Rgba = [0, 0, 0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR_BLACK: Rgba = [0, 0, 0, 0];

/** An image from rows of pixels. */
function image(rows: Rgba[][]): { rgba: Uint8ClampedArray; width: number; height: number } {
  const width = rows[0]!.length;
  return { rgba: new Uint8ClampedArray(rows.flat(2)), width, height: rows.length };
}

const fill = (w: number, h: number, px: Rgba) => image(Array.from({ length: h }, () => Array.from({ length: w }, () => px)));

describe('logo dithering', () => {
  it('a known 8×2 black-and-white picture packs MSB first, 1 = black', () => {
    const B = BLACK;
    const W = WHITE;
    const { rgba, width, height } = image([
      [B, W, W, W, W, W, W, B],
      [W, B, B, W, W, B, W, W],
    ]);
    const logo = ditherLogo(rgba, width, height);
    expect(logo.width).toBe(8);
    expect(logo.height).toBe(2);
    expect([...logo.bits]).toEqual([0b1000_0001, 0b0110_0100]);
  });

  it('pads a width that is not a multiple of 8 with white on the right', () => {
    const { rgba, width, height } = fill(10, 3, BLACK);
    const logo = ditherLogo(rgba, width, height);
    expect(logo.width).toBe(16);
    expect([...logo.bits]).toEqual([0xff, 0b1100_0000, 0xff, 0b1100_0000, 0xff, 0b1100_0000]);
  });

  it('an all-white picture, and a transparent one, print nothing', () => {
    const white = fill(20, 5, WHITE);
    expect(ditherLogo(white.rgba, 20, 5).bits.every((b) => b === 0)).toBe(true);
    // Transparent means paper, whatever colour the invisible pixels carry.
    const clear = fill(20, 5, CLEAR_BLACK);
    const logo = ditherLogo(clear.rgba, 20, 5);
    expect(logo.width).toBe(24);
    expect([...logo.bits]).toEqual(new Array(15).fill(0));
  });

  it('diffuses the error: a mid-grey row alternates dots, a grey field comes out about half black', () => {
    const grey: Rgba = [128, 128, 128, 255];
    // 128 → white (err −127), 72.4 → black, 159.7 → white, 86.3 → black … (7/16 to the right).
    expect([...ditherLogo(fill(8, 1, grey).rgba, 8, 1).bits]).toEqual([0b0101_0101]);
    const field = ditherLogo(fill(64, 64, grey).rgba, 64, 64);
    let black = 0;
    for (const b of field.bits) for (let i = 0; i < 8; i++) black += (b >> i) & 1;
    expect(black / (64 * 64)).toBeGreaterThan(0.45);
    expect(black / (64 * 64)).toBeLessThan(0.55);
  });

  it('scales to at most 384 × 400 dots keeping the aspect, never enlarging', () => {
    expect(fitLogo(1000, 500)).toEqual({ width: 384, height: 192 });
    expect(fitLogo(100, 1000)).toEqual({ width: 40, height: 400 });
    expect(fitLogo(10, 10)).toEqual({ width: 10, height: 10 });
  });

  it('round-trips through base64 into a logo the contract accepts, and back to pixels', () => {
    const { rgba, width, height } = image([[BLACK, WHITE, BLACK]]);
    const logo = ditherLogo(rgba, width, height);
    const wire = { width: logo.width, height: logo.height, bits: bytesToBase64(logo.bits) };
    expect(LogoSchema.parse(wire)).toEqual(wire);
    expect([...base64ToBytes(wire.bits)]).toEqual([0b1010_0000]);
    const shown = logoToRgba(logo);
    expect([...shown.slice(0, 12)]).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
  });
});
