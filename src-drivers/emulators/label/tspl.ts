import type { LabelDpi } from '../../../src-common/price-tag.js';
import { encodeTsplStatus } from '../../label/status.js';
import { TSPL_BITMAP_FONTS } from '../../label/tspl.js';
import {
  decodeLabelText,
  eanData,
  LabelEmulatorBase,
  latin1,
  noteIgnored,
  type EmulatedBarcode,
  type EmulatedLabel,
  type EmulatedSymbology,
  type EmulatedText,
  type LabelEncoding,
} from './model.js';

/**
 * A TSPL printer (TSC, Xprinter) with no I/O: bytes in through `feed()`, its answers out.
 *
 * `ESC ! c` is acted on as it arrives, wherever it is (`?` status byte, `P` pause, `O` resume, `R`
 * reset), like the firmware's receive interrupt, so it is also seen inside bitmap data. Everything
 * else is lines ending LF (CR before it dropped); `BITMAP x,y,w,h,m,` is followed by w·h bytes of
 * image that are skipped by count, never read as lines. TEXT and BARCODE draw into the image
 * buffer, CLS clears it, PRINT m[,n] prints m·n copies of it. String arguments end at the next
 * `"`; with `quoteEscape` `\["]` is a quote inside one. Text decodes with the CODEPAGE in force:
 * a CODEPAGE the firmware lacks is ignored (the old one stays), so a job in the wrong code page
 * prints the wrong letters. Unknown commands are skipped silently (noted in `ignored`).
 */
export interface TsplEmulatorOptions {
  dpi?: LabelDpi;
  /** CODEPAGE values the firmware knows. Default 437, 1251, 1252, UTF-8. */
  codePages?: readonly string[];
  /** In force before any CODEPAGE. Default 437. */
  defaultCodePage?: string;
  /** Reads `\["]` as a quote inside a string (TSC firmware). Default true. */
  quoteEscape?: boolean;
}

const ESC = 0x1b;
const LF = 0x0a;
const MAX_LINE = 8192;
const MAX_BITMAP = 8 * 1024 * 1024;

const ENCODING: Readonly<Record<string, LabelEncoding>> = { '437': 'cp437', '850': 'cp437', '1251': 'cp1251', '1252': 'cp1252', 'UTF-8': 'utf8', UTF8: 'utf8' };

/** Known commands this emulator has no use for: skipped without a note. */
const KNOWN = new Set([
  'GAP', 'BLINE', 'REFERENCE', 'DIRECTION', 'DENSITY', 'SPEED', 'SET', 'OFFSET', 'SHIFT', 'HOME', 'FEED', 'BACKFEED', 'FORMFEED',
  'BOX', 'BAR', 'ERASE', 'REVERSE', 'QRCODE', 'DMATRIX', 'PUTBMP', 'PUTPCX', 'SOUND', 'CUT', 'LIMITFEED', 'SELFTEST', 'INITIALPRINTER', 'EOP',
]);

const SYMBOLOGY: Readonly<Record<string, EmulatedSymbology>> = { EAN13: 'EAN13', EAN8: 'EAN8', '128': 'CODE128', '128M': 'CODE128' };

type Arg = { quoted: false; text: string } | { quoted: true; bytes: Uint8Array };

/** Split a command's arguments at commas outside strings. Null when a string is not closed. */
export function splitTsplArgs(bytes: Uint8Array, quoteEscape: boolean): Arg[] | null {
  const args: Arg[] = [];
  let i = 0;
  for (;;) {
    while (i < bytes.length && bytes[i] === 0x20) i++;
    if (bytes[i] === 0x22) {
      const out: number[] = [];
      i++;
      let closed = false;
      while (i < bytes.length) {
        const b = bytes[i] ?? 0;
        if (quoteEscape && b === 0x5c && bytes[i + 1] === 0x5b && bytes[i + 2] === 0x22 && bytes[i + 3] === 0x5d) {
          out.push(0x22);
          i += 4;
          continue;
        }
        i++;
        if (b === 0x22) {
          closed = true;
          break;
        }
        out.push(b);
      }
      if (!closed) return null;
      args.push({ quoted: true, bytes: Uint8Array.from(out) });
      while (i < bytes.length && bytes[i] !== 0x2c) i++;
    } else {
      const start = i;
      while (i < bytes.length && bytes[i] !== 0x2c) i++;
      args.push({ quoted: false, text: latin1(bytes.subarray(start, i)).trim() });
    }
    if (i >= bytes.length) return args;
    i++; // the comma
  }
}

function num(a: Arg | undefined): number | null {
  if (!a || a.quoted) return null;
  return /^\d{1,9}(\.\d+)?$/.test(a.text) ? Number(a.text) : null;
}

function str(a: Arg | undefined): Uint8Array | null {
  return a && a.quoted ? a.bytes : null;
}

/** `58 mm` → dots; a bare number is inches, `dot` is dots (TSPL SIZE/GAP units). */
function lengthDots(a: Arg | undefined, dpi: LabelDpi): number | null {
  if (!a || a.quoted) return null;
  const m = /^(\d{1,6}(?:\.\d+)?)\s*(mm|dot)?$/i.exec(a.text);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  return Math.round(unit === 'mm' ? (v * dpi) / 25.4 : unit === 'dot' ? v : v * dpi);
}

interface Image {
  texts: EmulatedText[];
  barcodes: EmulatedBarcode[];
}

export class TsplPrinterEmulator extends LabelEmulatorBase {
  readonly language = 'tspl' as const;
  private readonly codePages: ReadonlySet<string>;

  private esc: 0 | 1 | 2 = 0;
  private line: number[] = [];
  private overlong = false;
  private binaryLeft = 0;
  private commas = 0;

  private codePage: string;
  private width: number | null = null;
  private height: number | null = null;
  private image: Image = { texts: [], barcodes: [] };

  constructor(private readonly opts: TsplEmulatorOptions = {}) {
    super(opts.dpi);
    this.codePages = new Set((opts.codePages ?? ['437', '1251', '1252', 'UTF-8']).map((c) => c.toUpperCase()));
    this.codePage = (opts.defaultCodePage ?? '437').toUpperCase();
  }

  /** The CODEPAGE in force. */
  get currentCodePage(): string {
    return this.codePage;
  }

  protected forget(): void {
    this.reset();
    this.codePage = (this.opts.defaultCodePage ?? '437').toUpperCase();
    this.width = null;
    this.height = null;
  }

  private reset(): void {
    this.esc = 0;
    this.line = [];
    this.overlong = false;
    this.binaryLeft = 0;
    this.commas = 0;
    this.image = { texts: [], barcodes: [] };
  }

  // ---- receive: immediate commands, lines, binary -----------------------------------------

  protected byte(b: number): void {
    if (this.esc === 1) {
      this.esc = b === 0x21 ? 2 : 0;
      if (this.esc === 0) {
        this.data(ESC);
        this.byte(b);
      }
      return;
    }
    if (this.esc === 2) {
      this.esc = 0;
      this.immediate(b);
      return;
    }
    if (b === ESC) {
      this.esc = 1;
      return;
    }
    this.data(b);
  }

  private immediate(c: number): void {
    switch (c) {
      case 0x3f: // ?
        if (!this.engine.fault('noAnswer')) this.outbox.push(this.statusByte());
        return;
      case 0x50: // P
        this.engine.setFault('paused', true);
        return;
      case 0x4f: // O
        this.engine.setFault('paused', false);
        return;
      case 0x52: // R
        this.engine.cancelAll();
        this.reset();
        return;
      default:
        noteIgnored(this.ignored, `ESC !${String.fromCharCode(c)}`);
    }
  }

  private data(b: number): void {
    if (this.binaryLeft > 0) {
      this.binaryLeft--;
      return;
    }
    if (b === LF) {
      const line = this.line;
      const overlong = this.overlong;
      this.line = [];
      this.overlong = false;
      this.commas = 0;
      if (overlong) noteIgnored(this.ignored, 'overlong line');
      else this.command(line[line.length - 1] === 0x0d ? line.slice(0, -1) : line);
      return;
    }
    if (this.line.length >= MAX_LINE) {
      this.overlong = true;
      return;
    }
    this.line.push(b);
    if (b === 0x2c && this.isBitmapLine() && ++this.commas === 5) this.startBitmap();
  }

  private isBitmapLine(): boolean {
    return this.line.length > 7 && latin1(Uint8Array.from(this.line.slice(0, 7))).toUpperCase() === 'BITMAP ';
  }

  /** `BITMAP x,y,width-bytes,height,mode,` then width·height bytes of image. */
  private startBitmap(): void {
    const args = splitTsplArgs(Uint8Array.from(this.line.slice(7)), false);
    const w = num(args?.[2]);
    const h = num(args?.[3]);
    this.line = [];
    this.commas = 0;
    if (w !== null && h !== null) this.binaryLeft = Math.min(MAX_BITMAP, Math.floor(w) * Math.floor(h));
  }

  // ---- commands ---------------------------------------------------------------------------

  private command(line: number[]): void {
    let start = 0;
    while (start < line.length && (line[start] === 0x20 || line[start] === 0x09)) start++;
    let end = start;
    while (end < line.length && line[end] !== 0x20) end++;
    if (end === start) return;
    const keyword = latin1(Uint8Array.from(line.slice(start, end))).toUpperCase();
    const rest = Uint8Array.from(line.slice(end));
    switch (keyword) {
      case 'SIZE': {
        const args = splitTsplArgs(rest, false);
        this.width = lengthDots(args?.[0], this.dpi) ?? this.width;
        this.height = lengthDots(args?.[1], this.dpi) ?? this.height;
        return;
      }
      case 'CODEPAGE': {
        const cp = latin1(rest).trim().toUpperCase();
        if (this.codePages.has(cp) && ENCODING[cp]) this.codePage = cp;
        else noteIgnored(this.ignored, `CODEPAGE ${cp}`);
        return;
      }
      case 'CLS':
        this.image = { texts: [], barcodes: [] };
        return;
      case 'TEXT':
        return this.text(rest);
      case 'BARCODE':
        return this.barcode(rest);
      case 'PRINT':
        return this.print(rest);
      default:
        if (!KNOWN.has(keyword)) noteIgnored(this.ignored, keyword);
    }
  }

  private encoding(): LabelEncoding {
    return ENCODING[this.codePage] ?? 'cp437';
  }

  /** TEXT x,y,"font",rotation,x-mul,y-mul,[alignment,]"content" */
  private text(rest: Uint8Array): void {
    const args = splitTsplArgs(rest, this.opts.quoteEscape ?? true);
    const content = str(args?.[args.length - 1]);
    const font = str(args?.[2]);
    const [x, y, ymul] = [num(args?.[0]), num(args?.[1]), num(args?.[5])];
    if (!args || args.length < 7 || !content || !font || x === null || y === null || ymul === null) {
      noteIgnored(this.ignored, 'TEXT (malformed)');
      return;
    }
    const fontName = latin1(font);
    const cell = TSPL_BITMAP_FONTS[this.dpi][fontName];
    const height = cell ? cell.h * ymul : Math.round((ymul * this.dpi) / 72);
    const encoding = this.encoding();
    this.image.texts.push({ x, y, height, font: fontName, text: decodeLabelText(content, encoding), encoding, bytes: content });
  }

  /** BARCODE x,y,"type",height,human-readable,rotation,narrow,wide,[alignment,]"content" */
  private barcode(rest: Uint8Array): void {
    const args = splitTsplArgs(rest, this.opts.quoteEscape ?? true);
    const content = str(args?.[args.length - 1]);
    const type = str(args?.[2]);
    const [x, y, height, hr, narrow] = [num(args?.[0]), num(args?.[1]), num(args?.[3]), num(args?.[4]), num(args?.[6])];
    if (!args || args.length < 9 || !content || !type || x === null || y === null || height === null || narrow === null) {
      noteIgnored(this.ignored, 'BARCODE (malformed)');
      return;
    }
    const typeName = latin1(type).toUpperCase();
    const symbology = SYMBOLOGY[typeName] ?? 'OTHER';
    const raw = latin1(content);
    const decoded =
      symbology === 'EAN13' ? eanData(raw, 12) : symbology === 'EAN8' ? eanData(raw, 7) : symbology === 'CODE128' ? { data: raw, valid: /^[\x20-\x7e]+$/.test(raw) } : { data: raw, valid: false };
    this.image.barcodes.push({ x, y, symbology, type: typeName, data: decoded.data, valid: decoded.valid, height, moduleWidth: narrow, hri: (hr ?? 0) > 0 });
  }

  /** PRINT m[,n]: m sets of n copies. */
  private print(rest: Uint8Array): void {
    const args = splitTsplArgs(rest, false);
    const m = num(args?.[0]);
    const n = args && args.length > 1 ? num(args[1]) : 1;
    if (m === null || n === null || !Number.isInteger(m) || !Number.isInteger(n)) {
      noteIgnored(this.ignored, 'PRINT (malformed)');
      return;
    }
    const quantity = Math.min(99_999_999, m * n);
    const label: EmulatedLabel = {
      language: 'tspl',
      widthDots: this.width,
      heightDots: this.height,
      dpi: this.dpi,
      texts: [...this.image.texts],
      barcodes: [...this.image.barcodes],
      quantity,
    };
    this.printLabel(label, quantity);
  }

  private statusByte(): number {
    const e = this.engine;
    return encodeTsplStatus({
      headOpen: e.fault('headOpen'),
      paperJam: e.fault('paperJam'),
      paperOut: e.fault('paperOut'),
      ribbonOut: e.fault('ribbonOut'),
      paused: e.fault('paused'),
      printing: e.labelsRemaining > 0,
      coverOpen: e.fault('coverOpen'),
    });
  }
}
