import type { LabelDpi } from '../../../src-common/price-tag.js';
import { encodeZplHostStatus } from '../../label/status.js';
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
 * A ZPL II printer with no I/O: bytes in through `feed()`, its answers (`~HS`) out.
 *
 * Tokenising as the printer does: `^` and `~` start a command wherever they occur (so an unescaped
 * one inside field data cuts the field, as on paper); a command is two letters, except `^A` (font)
 * whose font letter is its first parameter; parameters run to the next prefix; CR and LF are
 * ignored. Commands without parameters act at once (`^XZ` prints, `~HS` answers); the others when
 * the next prefix arrives. `^FH` hex escapes are undone, then field bytes decode with the `^CI` in
 * force: 28 UTF-8, 33 code page 1251, 27 code page 1252, 0-13 Zebra code page 850 (CP437 stands in:
 * both turn Cyrillic bytes into the wrong letters). A `^CI` the firmware lacks is ignored, as on
 * an old printer. Unknown commands are skipped silently (and noted in `ignored`).
 */
export interface ZplEmulatorOptions {
  dpi?: LabelDpi;
  /** `^CI` values the firmware knows. Default: 0-13, 27, 28 (V60.14+), 33 (x.16+). */
  encodings?: readonly number[];
  /** A ribbon is fitted (thermal transfer): ribbon out is reported. Default true. */
  thermalTransfer?: boolean;
  /** Newer firmware: no `~HS` answer at all while media is out, the ribbon is out or the head is open. */
  silentWhenFaulted?: boolean;
}

const DEFAULT_ENCODINGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 27, 28, 33];
const CARET = 0x5e;
const TILDE = 0x7e;
const MAX_PARAMS = 4096;

/** Commands that take no parameters and act as soon as their name is complete. */
const NO_PARAMS = new Set(['XA', 'XZ', 'FS', 'HS', 'JA', 'PS', 'PP', 'HI', 'HM', 'HH', 'JR']);

/** Known commands this emulator has no use for: skipped without a note. */
const KNOWN = new Set(['LH', 'FX', 'GB', 'GC', 'GD', 'GE', 'GF', 'FB', 'FR', 'FW', 'FP', 'PR', 'MD', 'MM', 'MN', 'MT', 'PO', 'LR', 'LS', 'LT', 'JU', 'SD', 'PM', 'FN', 'DF', 'XF', 'XG', 'JM', 'CW']);

function encodingFor(ci: number): LabelEncoding {
  if (ci === 28) return 'utf8';
  if (ci === 33) return 'cp1251';
  if (ci === 27) return 'cp1252';
  return 'cp437';
}

function int(s: string | undefined): number | null {
  if (s === undefined) return null;
  const t = s.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

const isHex = (b: number | undefined): boolean => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/** Undo `^FH` escapes: indicator + two hex digits is one byte; an indicator not so followed stays. */
export function unhexField(data: Uint8Array, indicator: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i] ?? 0;
    if (b === indicator && isHex(data[i + 1]) && isHex(data[i + 2])) {
      out.push(parseInt(String.fromCharCode(data[i + 1] ?? 0, data[i + 2] ?? 0), 16));
      i += 2;
    } else out.push(b);
  }
  return Uint8Array.from(out);
}

/**
 * `^BC` field data in mode N: start codes `>9` `>:` `>;` (A, B, C; B when none), in A/B `><` `>0`
 * `>=` are `^` `>` `~`, `>5`/`>6`/`>7` switch subsets; subset C takes digit pairs. Anything the
 * printer would skip or guess at (FNC codes, a broken pair) makes it invalid.
 */
export function decodeZplCode128(raw: string): { data: string; valid: boolean } {
  let subset: 'A' | 'B' | 'C' = 'B';
  let i = 0;
  let valid = true;
  let data = '';
  const start = raw.slice(0, 2);
  if (start === '>9' || start === '>:' || start === '>;') {
    subset = start === '>9' ? 'A' : start === '>:' ? 'B' : 'C';
    i = 2;
  }
  while (i < raw.length) {
    const c = raw.charAt(i);
    if (c === '>') {
      const code = raw.charAt(i + 1);
      i += 2;
      if (subset !== 'C' && code === '<') data += '^';
      else if (subset !== 'C' && code === '0') data += '>';
      else if (subset === 'B' && code === '=') data += '~';
      else if (subset !== 'C' && code === '5') subset = 'C';
      else if ((subset === 'C' || subset === 'A') && code === '6') subset = 'B';
      else if ((subset === 'C' || subset === 'B') && code === '7') subset = 'A';
      else valid = false;
      continue;
    }
    if (subset === 'C') {
      const pair = raw.slice(i, i + 2);
      if (/^\d\d$/.test(pair)) data += pair;
      else valid = false;
      i += /^\d\d$/.test(pair) ? 2 : 1;
      continue;
    }
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e || (subset === 'A' && code >= 0x60)) valid = false;
    else data += c;
    i++;
  }
  return { data, valid: valid && data.length > 0 };
}

interface Field {
  x: number;
  y: number;
  font: string | null;
  fontH: number | null;
  fh: number | null;
  barcode: { type: string; height: number | null; hri: boolean } | null;
  data: Uint8Array | null;
}

const freshField = (): Field => ({ x: 0, y: 0, font: null, fontH: null, fh: null, barcode: null, data: null });

interface Format {
  texts: EmulatedText[];
  barcodes: EmulatedBarcode[];
  quantity: number;
}

const SYMBOLOGY: Record<string, EmulatedSymbology> = { BE: 'EAN13', B8: 'EAN8', BC: 'CODE128' };

export class ZplPrinterEmulator extends LabelEmulatorBase {
  readonly language = 'zpl' as const;
  private readonly encodings: ReadonlySet<number>;

  private state: 'idle' | 'name' | 'params' = 'idle';
  private prefix = 0;
  private name = '';
  private params: number[] = [];

  private ci = 0;
  private pw: number | null = null;
  private ll: number | null = null;
  private by = { w: 2, h: 10 };
  private cf = { font: 'A', h: 9 };
  private format: Format | null = null;
  private field = freshField();

  constructor(private readonly opts: ZplEmulatorOptions = {}) {
    super(opts.dpi);
    this.encodings = new Set(opts.encodings ?? DEFAULT_ENCODINGS);
  }

  /** The `^CI` in force. */
  get characterSet(): number {
    return this.ci;
  }

  protected forget(): void {
    this.state = 'idle';
    this.name = '';
    this.params = [];
    this.ci = 0;
    this.pw = null;
    this.ll = null;
    this.by = { w: 2, h: 10 };
    this.cf = { font: 'A', h: 9 };
    this.format = null;
    this.field = freshField();
  }

  // ---- tokeniser --------------------------------------------------------------------------

  protected byte(b: number): void {
    if (b === CARET || b === TILDE) {
      this.complete();
      this.state = 'name';
      this.prefix = b;
      this.name = '';
      this.params = [];
      return;
    }
    if (this.state === 'idle' || b === 0x0d || b === 0x0a) return;
    if (this.state === 'params') {
      if (this.params.length < MAX_PARAMS) this.params.push(b);
      return;
    }
    this.name += String.fromCharCode(b).toUpperCase();
    if (this.prefix === CARET && this.name === 'A') {
      this.state = 'params';
    } else if (this.name.length === 2) {
      if (NO_PARAMS.has(this.name)) {
        this.execute(this.name, []);
        this.state = 'idle';
      } else this.state = 'params';
    }
  }

  /** The next prefix arrived: the command being collected is whole. */
  private complete(): void {
    if (this.state === 'params') this.execute(this.name, this.params);
    else if (this.state === 'name' && this.name.length > 0) noteIgnored(this.ignored, String.fromCharCode(this.prefix) + this.name);
    this.state = 'idle';
  }

  // ---- commands ---------------------------------------------------------------------------

  private execute(name: string, params: number[]): void {
    const p = latin1(Uint8Array.from(params));
    const parts = p.split(',');
    switch (name) {
      case 'HS':
        this.answerStatus();
        return;
      case 'JA':
        this.engine.cancelAll();
        this.format = null;
        return;
      case 'PS':
        this.engine.setFault('paused', false);
        return;
      case 'PP':
        this.engine.setFault('paused', true);
        return;
      case 'CI': {
        const ci = int(parts[0]);
        if (ci !== null && this.encodings.has(ci)) this.ci = ci;
        else noteIgnored(this.ignored, `^CI${p}`);
        return;
      }
      case 'XA':
        this.format = { texts: [], barcodes: [], quantity: 1 };
        this.field = freshField();
        return;
      case 'XZ':
        this.finishFormat();
        return;
      case 'PW':
        this.pw = int(parts[0]) ?? this.pw;
        return;
      case 'LL':
        this.ll = int(parts[0]) ?? this.ll;
        return;
      case 'BY':
        this.by = { w: int(parts[0]) ?? this.by.w, h: int(parts[2]) ?? this.by.h };
        return;
      case 'CF':
        this.cf = { font: parts[0]?.charAt(0) || this.cf.font, h: int(parts[1]) ?? this.cf.h };
        return;
    }
    const format = this.format;
    if (!format) {
      // Field commands outside ^XA…^XZ do nothing on a printer.
      if (!KNOWN.has(name) && !/^(F[OTHDVS]|A|B.|PQ)$/.test(name)) noteIgnored(this.ignored, String.fromCharCode(this.prefix) + name);
      return;
    }
    switch (name) {
      case 'FO':
      case 'FT':
        this.field.x = int(parts[0]) ?? 0;
        this.field.y = int(parts[1]) ?? 0;
        return;
      case 'A': {
        const font = p.charAt(0);
        const rest = p.slice(1).split(',');
        this.field.font = font === '@' ? (rest[3] ?? '@') : font || this.cf.font;
        this.field.fontH = int(rest[1]) ?? this.cf.h;
        return;
      }
      case 'FH':
        this.field.fh = params[0] ?? 0x5f;
        return;
      case 'FD':
      case 'FV':
        this.field.data = Uint8Array.from(params);
        return;
      case 'FS':
        this.emitField(format);
        this.field = freshField();
        return;
      case 'PQ':
        format.quantity = Math.max(1, Math.min(99_999_999, int(parts[0]) ?? 1));
        return;
    }
    if (name.startsWith('B') && name.length === 2) {
      this.field.barcode = { type: name, height: int(parts[1]), hri: (parts[2] ?? 'Y').trim().toUpperCase() !== 'N' };
      return;
    }
    if (!KNOWN.has(name)) noteIgnored(this.ignored, String.fromCharCode(this.prefix) + name);
  }

  private emitField(format: Format): void {
    const f = this.field;
    if (!f.data) return;
    const bytes = f.fh !== null ? unhexField(f.data, f.fh) : f.data;
    if (f.barcode) {
      const symbology = SYMBOLOGY[f.barcode.type] ?? 'OTHER';
      const raw = latin1(bytes);
      const decoded = symbology === 'EAN13' ? eanData(raw, 12) : symbology === 'EAN8' ? eanData(raw, 7) : symbology === 'CODE128' ? decodeZplCode128(raw) : { data: raw, valid: false };
      format.barcodes.push({
        x: f.x,
        y: f.y,
        symbology,
        type: f.barcode.type,
        data: decoded.data,
        valid: decoded.valid,
        height: f.barcode.height ?? this.by.h,
        moduleWidth: this.by.w,
        hri: f.barcode.hri,
      });
      return;
    }
    const encoding = encodingFor(this.ci);
    format.texts.push({ x: f.x, y: f.y, height: f.fontH ?? this.cf.h, font: f.font ?? this.cf.font, text: decodeLabelText(bytes, encoding), encoding, bytes });
  }

  private finishFormat(): void {
    const format = this.format;
    if (!format) return;
    this.format = null;
    const label: EmulatedLabel = {
      language: 'zpl',
      widthDots: this.pw,
      heightDots: this.ll,
      dpi: this.dpi,
      texts: format.texts,
      barcodes: format.barcodes,
      quantity: format.quantity,
    };
    this.printLabel(label, format.quantity);
  }

  private answerStatus(): void {
    const e = this.engine;
    if (e.fault('noAnswer')) return;
    const headOpen = e.fault('headOpen') || e.fault('coverOpen');
    const tt = this.opts.thermalTransfer ?? true;
    if (this.opts.silentWhenFaulted && (headOpen || e.fault('paperOut') || (tt && e.fault('ribbonOut')))) return;
    this.outbox.push(
      ...encodeZplHostStatus({
        paperOut: e.fault('paperOut') || e.fault('paperJam'),
        paused: e.fault('paused'),
        labelLengthDots: this.ll ?? 0,
        formatsInBuffer: e.formatsWaiting,
        bufferFull: false,
        partialFormat: this.format !== null,
        headOpen,
        ribbonOut: e.fault('ribbonOut'),
        thermalTransfer: tt,
        labelsRemaining: e.labelsRemaining,
      }),
    );
  }
}
