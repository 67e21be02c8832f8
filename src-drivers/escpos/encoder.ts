import { isValidGtin } from '../../src-common/barcode.js';
import { DeviceError } from '../common/device.js';
import { bytesPerRow, type MonoBitmap } from './bitmap.js';
import { encodeText, printableText, type CodePageId } from './codepage.js';
import type { PrinterProfile } from './profiles.js';

/**
 * A small ESC/POS builder: pure, no I/O. Every call appends bytes; `encode()` returns them and
 * `byteLength` measures them. Text always goes through the profile's code page, so a string can
 * never smuggle a command byte in. Style setters emit only when the style changes.
 */
export type Align = 'left' | 'center' | 'right';
export type Font = 'A' | 'B';

export interface TextStyle {
  bold?: boolean;
  /** 0 off, 1 one dot, 2 two dots */
  underline?: 0 | 1 | 2;
  /** 1-8, via `GS !` */
  width?: number;
  height?: number;
  /** Takes effect only at the start of a line (the printer ignores `ESC a` mid-line). */
  align?: Align;
  font?: Font;
  reverse?: boolean;
}

type FullStyle = Required<TextStyle>;

export type HriPosition = 'none' | 'above' | 'below' | 'both';

export interface BarcodeOptions {
  /** dots, 1-255 */
  height?: number;
  /** module width in dots, 2-6 */
  moduleWidth?: number;
  hri?: HriPosition;
  hriFont?: Font;
}

export type QrEcc = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** module size in dots, 1-16 */
  size?: number;
  ecc?: QrEcc;
}

export interface ImageOptions {
  /** Larger images go as several `GS v 0` bands so small receive buffers on clones keep up. */
  bandRows?: number;
}

export interface CutOptions {
  /** Partial cut leaves a hinge; default true. */
  partial?: boolean;
  /** Extra feed before the cut, in motion units (dots on most models), 0-255. */
  feed?: number;
}

export interface DrawerOptions {
  pin?: 2 | 5;
  /** Pulse on-time in ms, 0-510, sent in units of 2 ms. */
  onMs?: number;
  offMs?: number;
}

export interface EncoderOptions {
  codePage?: CodePageId;
}

const DEFAULT_STYLE: FullStyle = { bold: false, underline: 0, width: 1, height: 1, align: 'left', font: 'A', reverse: false };
const ALIGN_N: Record<Align, number> = { left: 0, center: 1, right: 2 };
const HRI_N: Record<HriPosition, number> = { none: 0, above: 1, below: 2, both: 3 };
const ECC_N: Record<QrEcc, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };
const QR_MAX_BYTES = 7089;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

function intIn(n: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${what} must be an integer ${min}-${max}, got ${n}`);
  return n;
}

/**
 * The CODE128 payload for `GS k 73`: `{B` for text, `{C` (one byte per digit pair) for digit runs
 * long enough to be shorter that way, `{{` for a literal '{'.
 */
export function code128Payload(data: string): Uint8Array {
  if (data.length === 0) throw new RangeError('CODE128 data is empty');
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new RangeError(`CODE128 code set B cannot carry U+${c.toString(16).padStart(4, '0')}`);
  }
  const out: number[] = [];
  let set: 'B' | 'C' | null = null;
  const switchTo = (s: 'B' | 'C'): void => {
    if (set !== s) out.push(0x7b, s.charCodeAt(0));
    set = s;
  };
  let i = 0;
  while (i < data.length) {
    let run = 0;
    while (i + run < data.length && /\d/.test(data.charAt(i + run))) run++;
    const atStart = i === 0;
    const atEnd = i + run === data.length;
    const worthC = (atStart && atEnd && run >= 2 && run % 2 === 0) || ((atStart || atEnd) && run >= 4) || run >= 6;
    if (run > 0 && worthC) {
      // An odd run keeps its first digit in B, so the C part is whole pairs.
      if (run % 2 === 1) {
        switchTo('B');
        out.push(data.charCodeAt(i));
        i++;
        run--;
      }
      switchTo('C');
      for (let k = 0; k < run; k += 2) out.push(Number(data.slice(i + k, i + k + 2)));
      i += run;
    } else {
      const end = run > 0 ? i + run : i + 1;
      switchTo('B');
      for (; i < end; i++) {
        const c = data.charCodeAt(i);
        out.push(c);
        if (c === 0x7b) out.push(0x7b);
      }
    }
  }
  if (out.length > 255) throw new RangeError(`CODE128 payload is ${out.length} bytes; GS k takes at most 255`);
  return Uint8Array.from(out);
}

/**
 * Lay out a left text and a right text on lines of `width` characters as the printer will show them
 * (after code-page fallbacks: '₽' may print as two characters). The left text wraps; the right text
 * ends the last line, or gets a line of its own when it does not fit.
 */
export function columns(left: string, right: string, width: number, cp: CodePageId): string[] {
  const l = printableText(left, cp);
  const r = printableText(right, cp);
  const lines: string[] = [];
  let rest = l;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (r.length === 0) {
    if (rest.length > 0 || lines.length === 0) lines.push(rest);
  } else if (rest.length + 1 + r.length <= width) {
    lines.push(rest + ' '.repeat(width - rest.length - r.length) + r);
  } else {
    if (rest.length > 0) lines.push(rest);
    lines.push(r.length >= width ? r : ' '.repeat(width - r.length) + r);
  }
  return lines;
}

export class EscPosEncoder {
  private readonly bytes: number[] = [];
  /** What the printer is set to, as far as this job knows; null until set or `init()`. */
  private style: { [K in keyof FullStyle]: FullStyle[K] | null } = {
    bold: null,
    underline: null,
    width: null,
    height: null,
    align: null,
    font: null,
    reverse: null,
  };
  private barcode: { height: number | null; moduleWidth: number | null; hri: HriPosition | null; hriFont: Font | null } = {
    height: null,
    moduleWidth: null,
    hri: null,
    hriFont: null,
  };
  private atLineStart = true;
  private cp: CodePageId;

  constructor(
    readonly profile: PrinterProfile,
    options: EncoderOptions = {},
  ) {
    this.cp = options.codePage ?? profile.defaultCodePage;
  }

  get codePage(): CodePageId {
    return this.cp;
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  encode(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.bytes.push((bytes[i] ?? 0) & 0xff);
    return this;
  }

  /** `ESC @`, `FS .` where the model boots in Chinese mode, then the job's code page. */
  init(): this {
    this.raw([ESC, 0x40]);
    if (this.profile.chineseModeAtBoot) this.raw([FS, 0x2e]);
    this.style = { ...DEFAULT_STYLE };
    this.barcode = { height: null, moduleWidth: null, hri: null, hriFont: null };
    this.atLineStart = true;
    return this.selectCodePage(this.cp);
  }

  selectCodePage(cp: CodePageId): this {
    const n = this.profile.codePages[cp];
    this.raw(this.profile.codePageCommand === 'esc-gs-t' ? [ESC, GS, 0x74, n] : [ESC, 0x74, n]);
    this.cp = cp;
    return this;
  }

  setStyle(s: TextStyle): this {
    if (s.bold !== undefined && s.bold !== this.style.bold) {
      this.raw([ESC, 0x45, s.bold ? 1 : 0]);
      this.style.bold = s.bold;
    }
    if (s.underline !== undefined && s.underline !== this.style.underline) {
      this.raw([ESC, 0x2d, intIn(s.underline, 0, 2, 'underline')]);
      this.style.underline = s.underline;
    }
    if ((s.width !== undefined && s.width !== this.style.width) || (s.height !== undefined && s.height !== this.style.height)) {
      const w = intIn(s.width ?? this.style.width ?? 1, 1, 8, 'character width');
      const h = intIn(s.height ?? this.style.height ?? 1, 1, 8, 'character height');
      this.raw([GS, 0x21, ((w - 1) << 4) | (h - 1)]);
      this.style.width = w;
      this.style.height = h;
    }
    if (s.align !== undefined && s.align !== this.style.align) {
      this.raw([ESC, 0x61, ALIGN_N[s.align]]);
      this.style.align = s.align;
    }
    if (s.font !== undefined && s.font !== this.style.font) {
      this.raw([ESC, 0x4d, s.font === 'B' ? 1 : 0]);
      this.style.font = s.font;
    }
    if (s.reverse !== undefined && s.reverse !== this.style.reverse) {
      this.raw([GS, 0x42, s.reverse ? 1 : 0]);
      this.style.reverse = s.reverse;
    }
    return this;
  }

  bold(on = true): this {
    return this.setStyle({ bold: on });
  }
  underline(mode: 0 | 1 | 2 = 1): this {
    return this.setStyle({ underline: mode });
  }
  size(width: number, height: number = width): this {
    return this.setStyle({ width, height });
  }
  align(a: Align): this {
    return this.setStyle({ align: a });
  }
  font(f: Font): this {
    return this.setStyle({ font: f });
  }
  reverse(on = true): this {
    return this.setStyle({ reverse: on });
  }

  /** Text in the job's code page; '\n' (or '\r\n') ends a line. */
  text(s: string): this {
    const parts = s.replace(/\r\n?/g, '\n').split('\n');
    parts.forEach((part, i) => {
      if (i > 0) this.newline();
      if (part.length === 0) return;
      this.raw(encodeText(part, this.cp));
      this.atLineStart = false;
    });
    return this;
  }

  /** One line; a style given here applies to this line only. */
  line(s = '', style?: TextStyle): this {
    if (!style) return this.text(s).newline();
    const saved = { ...this.style };
    this.flushLine().setStyle(style).text(s).newline();
    const restore: TextStyle = {};
    for (const k of Object.keys(style) as (keyof TextStyle)[]) {
      const v = saved[k];
      if (v !== null) Object.assign(restore, { [k]: v });
    }
    return this.setStyle(restore);
  }

  newline(n = 1): this {
    for (let i = 0; i < n; i++) this.bytes.push(LF);
    if (n > 0) this.atLineStart = true;
    return this;
  }

  /** Print what is pending and feed n lines (`ESC d n`). */
  feed(lines: number): this {
    this.raw([ESC, 0x64, intIn(lines, 0, 255, 'feed lines')]);
    this.atLineStart = true;
    return this;
  }

  /** EAN-13 from 12 digits or 13 with a valid check digit; the printer draws the check digit. */
  ean13(code: string, opts: BarcodeOptions = {}): this {
    this.requireBarcodes('EAN-13');
    if (!/^\d{12,13}$/.test(code) || (code.length === 13 && !isValidGtin(code))) throw new RangeError(`not an EAN-13: "${code}"`);
    const body = code.slice(0, 12);
    this.flushLine().barcodeSetup(opts);
    this.raw([GS, 0x6b, 67, 12]);
    return this.raw(encodeText(body, 'cp437'));
  }

  code128(data: string, opts: BarcodeOptions = {}): this {
    this.requireBarcodes('CODE128');
    const payload = code128Payload(data);
    this.flushLine().barcodeSetup(opts);
    this.raw([GS, 0x6b, 73, payload.length]);
    return this.raw(payload);
  }

  /** QR model 2: the exact sequence of DEVICES.md §1. The payload goes as UTF-8 bytes. */
  qr(data: string, opts: QrOptions = {}): this {
    if (!this.profile.nativeQr) {
      throw new DeviceError('unsupported', `${this.profile.name} has no native QR: render it and send image()`);
    }
    const bytes = new TextEncoder().encode(data);
    if (bytes.length === 0 || bytes.length > QR_MAX_BYTES) throw new RangeError(`QR payload must be 1-${QR_MAX_BYTES} bytes, got ${bytes.length}`);
    const size = intIn(opts.size ?? 6, 1, 16, 'QR module size');
    const len = bytes.length + 3;
    this.flushLine();
    this.raw([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
    this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, size]);
    this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ECC_N[opts.ecc ?? 'M']]);
    this.raw([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30]);
    this.raw(bytes);
    return this.raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
  }

  /** Raster image, `GS v 0` in bands of at most `bandRows` rows. */
  image(bitmap: MonoBitmap, opts: ImageOptions = {}): this {
    const { width, height, data } = bitmap;
    intIn(width, 1, this.profile.widthDots, `image width on ${this.profile.name}`);
    intIn(height, 1, 0xffff, 'image height');
    const rowBytes = bytesPerRow(width);
    if (data.length !== rowBytes * height) throw new RangeError(`bitmap data is ${data.length} bytes, ${rowBytes * height} expected`);
    const band = intIn(opts.bandRows ?? 256, 1, 0xffff, 'band rows');
    this.flushLine();
    for (let y = 0; y < height; y += band) {
      const rows = Math.min(band, height - y);
      this.raw([GS, 0x76, 0x30, 0x00, rowBytes & 0xff, rowBytes >> 8, rows & 0xff, rows >> 8]);
      this.raw(data.subarray(y * rowBytes, (y + rows) * rowBytes));
    }
    return this;
  }

  /** Feed to the cutter and cut (`GS V 65/66 n`). A model without a blade feeds to the tear bar. */
  cut(opts: CutOptions = {}): this {
    const n = intIn(opts.feed ?? 0, 0, 255, 'cut feed');
    this.flushLine();
    return this.raw([GS, 0x56, opts.partial === false ? 0x41 : 0x42, n]);
  }

  /** Drawer kick `ESC p m t1 t2`; the defaults are the common 50 ms on, 500 ms off on pin 2. */
  drawer(opts: DrawerOptions = {}): this {
    const pin = opts.pin ?? 2;
    if (pin !== 2 && pin !== 5) throw new RangeError(`drawer pin must be 2 or 5, got ${String(pin)}`);
    const on = Math.round(intIn(Math.round(opts.onMs ?? 50), 0, 510, 'drawer on-time ms') / 2);
    const off = Math.round(intIn(Math.round(opts.offMs ?? 500), 0, 510, 'drawer off-time ms') / 2);
    return this.raw([ESC, 0x70, pin === 2 ? 0 : 1, on, off]);
  }

  /**
   * A marker the printer answers only once printing reaches it: `GS ( H` process-ID response
   * (`37 22 d1 d2 d3 d4 00`, d = the four digits of `id`) or `GS r 1` (one paper-sensor byte),
   * per the profile's `printedMarker`.
   */
  printedMarker(id: number): this {
    if (this.profile.printedMarker === 'transmit-status') return this.raw([GS, 0x72, 0x01]);
    const digits = String(intIn(id, 0, 9999, 'marker id')).padStart(4, '0');
    return this.raw([GS, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, ...encodeText(digits, 'cp437')]);
  }

  private flushLine(): this {
    if (!this.atLineStart) this.newline();
    return this;
  }

  private requireBarcodes(what: string): void {
    if (!this.profile.nativeBarcodes) {
      throw new DeviceError('unsupported', `${this.profile.name} has no native ${what}: render it and send image()`);
    }
  }

  private barcodeSetup(opts: BarcodeOptions): void {
    const height = intIn(opts.height ?? 80, 1, 255, 'barcode height');
    const moduleWidth = intIn(opts.moduleWidth ?? 2, 2, 6, 'barcode module width');
    const hri = opts.hri ?? 'below';
    const hriFont = opts.hriFont ?? 'A';
    if (height !== this.barcode.height) this.raw([GS, 0x68, height]);
    if (moduleWidth !== this.barcode.moduleWidth) this.raw([GS, 0x77, moduleWidth]);
    if (hri !== this.barcode.hri) this.raw([GS, 0x48, HRI_N[hri]]);
    if (hriFont !== this.barcode.hriFont) this.raw([GS, 0x66, hriFont === 'B' ? 1 : 0]);
    this.barcode = { height, moduleWidth, hri, hriFont };
  }
}
