import type { MonoBitmap } from '../../escpos/bitmap.js';
import { decodeByte, type CodePageId } from '../../escpos/codepage.js';
import { codePageForNumber, type PrinterProfile } from '../../escpos/profiles.js';
import { DLE, ESC, FS, GS, isCommandPrefix, measureCommand } from './commands.js';
import type { Align, BarcodeSymbology, Control, DocNode, ParseEvent, RunStyle, TextRun } from './document.js';

export type { Align, BarcodeSymbology, Control, DocNode, ParseEvent, RunStyle, TextRun } from './document.js';

export interface ParserState {
  codePage: CodePageId | null;
  codePageNumber: number;
  style: RunStyle;
  align: Align;
  chineseMode: boolean;
}

/** Commands longer than this are consumed without being kept (a garbage length field must not eat memory). */
const MAX_STORED = 4 << 20;
const FONT_DOTS = { A: 12, B: 9 } as const;
const TAB_COLUMNS = 8;
const SYMBOLOGY_B: Record<number, BarcodeSymbology> = {
  65: 'UPC-A',
  66: 'UPC-E',
  67: 'EAN13',
  68: 'EAN8',
  69: 'CODE39',
  70: 'ITF',
  71: 'CODABAR',
  72: 'CODE93',
  73: 'CODE128',
  74: 'GS1-128',
  75: 'GS1-DATABAR',
  76: 'GS1-DATABAR',
  77: 'GS1-DATABAR',
  78: 'GS1-DATABAR',
};
const SYMBOLOGY_A: readonly BarcodeSymbology[] = ['UPC-A', 'UPC-E', 'EAN13', 'EAN8', 'CODE39', 'ITF', 'CODABAR'];
const ECC = ['L', 'M', 'Q', 'H'] as const;

const DEFAULT_STYLE: RunStyle = { bold: false, underline: 0, width: 1, height: 1, font: 'A', reverse: false };

const at = (b: Uint8Array, i: number): number => b[i] ?? 0;
const u16 = (b: Uint8Array, i: number): number => at(b, i) + at(b, i + 1) * 256;

function sameStyle(a: RunStyle, b: RunStyle): boolean {
  return a.bold === b.bold && a.underline === b.underline && a.width === b.width && a.height === b.height && a.font === b.font && a.reverse === b.reverse;
}

function alignOf(n: number): Align | null {
  if (n === 0 || n === 48) return 'left';
  if (n === 1 || n === 49) return 'center';
  if (n === 2 || n === 50) return 'right';
  return null;
}

function gtinOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length - 1; i++) sum += Number(digits[digits.length - 2 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/** Decode a `GS k 73` payload ({A/{B/{C code sets, {{ for '{', {1 for FNC1) back to its text. */
export function decodeCode128(data: Uint8Array): { text: string; valid: boolean } {
  let set: 'A' | 'B' | 'C' | null = null;
  let text = '';
  let valid = true;
  for (let i = 0; i < data.length; i++) {
    const b = at(data, i);
    if (b === 0x7b && i + 1 < data.length) {
      const c = at(data, ++i);
      if (c === 0x41 || c === 0x42 || c === 0x43) set = c === 0x41 ? 'A' : c === 0x42 ? 'B' : 'C';
      else if (c === 0x7b) text += '{';
      else if (c === 0x31) text += text.length > 0 ? '\u001d' : '';
      else if (c !== 0x32 && c !== 0x33 && c !== 0x34 && c !== 0x53) valid = false;
      continue;
    }
    if (set === null) valid = false;
    if (set === 'C') {
      if (b > 99) valid = false;
      text += String(b).padStart(2, '0');
    } else text += String.fromCharCode(b);
  }
  return { text, valid: valid && set !== null };
}

/**
 * A streaming ESC/POS parser for the printer emulator. It consumes every byte it is given, never
 * throws, and keeps its place across chunk boundaries anywhere (inside parameters, QR data, image
 * rows). What a printer would put on paper comes out as document nodes; what it would answer or act
 * on at once (status queries, ASB, error recovery) comes out as control events, in stream order.
 */
export class EscPosParser {
  private cmd = new Uint8Array(64);
  private cmdLen = 0;
  /** Total length once known, else 0 while the command is still being measured. */
  private cmdTotal = 0;
  private cmdNeed = 0;
  /** Bytes of an oversized command still to swallow. */
  private skipLeft = 0;
  private rt1 = -1;
  private rt2 = -1;

  private runs: TextRun[] = [];
  private run: TextRun | null = null;
  private lineDots = 0;
  private lineAlign: Align = 'left';
  private chineseLead = -1;

  private style: RunStyle = { ...DEFAULT_STYLE };
  private align: Align = 'left';
  private codePage: CodePageId | null;
  private codePageNumber: number;
  private chineseMode: boolean;
  private barcode = { height: 162, moduleWidth: 3, hri: 0 };
  private qr = { model: 2, size: 3, ecc: 0, data: null as Uint8Array | null };

  private consumed = 0;
  private out: ParseEvent[] = [];
  private stop: ((e: ParseEvent) => boolean) | null = null;
  private stopped = false;

  constructor(readonly profile: PrinterProfile) {
    this.codePageNumber = profile.codePages.cp437;
    this.codePage = 'cp437';
    this.chineseMode = profile.chineseModeAtBoot;
  }

  /** Bytes consumed since the parser was created. */
  get offset(): number {
    return this.consumed;
  }

  get state(): ParserState {
    return { codePage: this.codePage, codePageNumber: this.codePageNumber, style: { ...this.style }, align: this.align, chineseMode: this.chineseMode };
  }

  /** In the middle of a command (its remaining bytes are expected next). */
  get inCommand(): boolean {
    return this.cmdLen > 0 || this.skipLeft > 0;
  }

  /** Text received for the current line and not yet printed. */
  get pendingText(): string {
    return this.runs.map((r) => r.text).join('') + (this.run?.text ?? '');
  }

  push(chunk: Uint8Array): ParseEvent[] {
    return this.pushUntil(chunk, () => false).events;
  }

  /**
   * Parse until `stop` returns true for an event (the printer ran out of paper on that line, say);
   * `consumed` is how far into the chunk that was. Without a stop, it is always the whole chunk.
   */
  pushUntil(chunk: Uint8Array, stop: (e: ParseEvent) => boolean): { events: ParseEvent[]; consumed: number } {
    this.out = [];
    this.stop = stop;
    this.stopped = false;
    let i = 0;
    while (i < chunk.length && !this.stopped) i = this.step(chunk, i);
    const events = this.out;
    this.out = [];
    this.stop = null;
    return { events, consumed: i };
  }

  /** Drop a partly received command and the unprinted line: a printer clearing its buffers. */
  discardPending(): void {
    this.cmdLen = 0;
    this.cmdTotal = 0;
    this.skipLeft = 0;
    this.runs = [];
    this.run = null;
    this.lineDots = 0;
    this.chineseLead = -1;
  }

  private emit(e: ParseEvent): void {
    this.out.push(e);
    if (this.stop?.(e)) this.stopped = true;
  }

  private node(node: DocNode): void {
    this.emit({ kind: 'node', node, offset: this.consumed });
  }

  private control(control: Control, offset = this.consumed): void {
    this.emit({ kind: 'control', control, offset });
  }

  /**
   * Process from `chunk[i]`; returns where it got to. The state always moves on, but the index can
   * stay put when a command is found unknown on the byte just read (that byte is read afresh).
   */
  private step(chunk: Uint8Array, i: number): number {
    if (this.skipLeft > 0) {
      const k = Math.min(this.skipLeft, chunk.length - i);
      this.scanRealtime(chunk, i, i + k);
      this.skipLeft -= k;
      this.consumed += k;
      return i + k;
    }
    if (this.cmdLen > 0) return this.continueCommand(chunk, i);
    const b = at(chunk, i);
    this.consumed++;
    if (isCommandPrefix(b)) {
      if (this.chineseLead >= 0) {
        this.chineseLead = -1;
        this.addChar('\ufffd', 1);
      }
      this.cmd[0] = b;
      this.cmdLen = 1;
      this.cmdTotal = 0;
      this.cmdNeed = 2;
      this.rt1 = this.rt2 = -1;
    } else {
      this.textByte(b);
    }
    return i + 1;
  }

  private continueCommand(chunk: Uint8Array, i: number): number {
    const target = this.cmdTotal > 0 ? this.cmdTotal : this.cmdNeed;
    const k = Math.min(target - this.cmdLen, chunk.length - i);
    this.ensureCapacity(this.cmdLen + k);
    this.cmd.set(chunk.subarray(i, i + k), this.cmdLen);
    if (this.cmd[0] !== DLE) this.scanRealtime(chunk, i, i + k);
    this.cmdLen += k;
    this.consumed += k;
    let next = i + k;
    if (this.cmdLen < target) return next;
    if (this.cmdTotal > 0) {
      this.finishCommand(this.cmdTotal);
      return next;
    }
    const m = measureCommand(this.cmd, this.cmdLen);
    if (m.t === 'need') {
      if (m.atLeast > MAX_STORED) {
        // A walk through sub-headers (FS q) that would not fit: give up on it.
        this.unknown(this.cmd.slice(0, Math.min(this.cmdLen, 16)), 'oversized');
        this.cmdLen = 0;
        return next;
      }
      this.cmdNeed = m.atLeast;
      return next;
    }
    const keep = Math.min(m.len, this.cmdLen);
    // Give back what the decision did not use (only ever the byte just read, see measureCommand).
    const back = Math.min(this.cmdLen - keep, k);
    next -= back;
    this.consumed -= back;
    this.cmdLen -= back;
    if (m.t === 'unknown') {
      this.unknown(this.cmd.slice(0, this.cmdLen), 'unknown-command');
      this.cmdLen = 0;
      return next;
    }
    if (m.len > MAX_STORED) {
      this.unknown(this.cmd.slice(0, Math.min(this.cmdLen, 16)), 'oversized');
      this.skipLeft = m.len - this.cmdLen;
      this.cmdLen = 0;
      return next;
    }
    if (m.len <= this.cmdLen) {
      this.finishCommand(this.cmdLen);
      return next;
    }
    this.cmdTotal = m.len;
    return next;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.cmd.length) return;
    let size = this.cmd.length;
    while (size < n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.cmd.subarray(0, this.cmdLen));
    this.cmd = bigger;
  }

  /** Clones act on `10 04 n` found anywhere, even inside image data. Called before `consumed` moves on. */
  private scanRealtime(chunk: Uint8Array, from: number, to: number): void {
    if (!this.profile.realtimeInData) return;
    for (let j = from; j < to; j++) {
      const b = at(chunk, j);
      if (this.rt2 === DLE && this.rt1 === 0x04 && b >= 1 && b <= 4) {
        this.control({ type: 'status-query', n: b as 1 | 2 | 3 | 4, inData: true }, this.consumed + (j - from) + 1);
      }
      this.rt2 = this.rt1;
      this.rt1 = b;
    }
  }

  private finishCommand(n: number): void {
    const b = this.cmd.slice(0, n);
    this.cmdLen = 0;
    this.cmdTotal = 0;
    this.execute(b);
  }

  private unknown(bytes: Uint8Array, reason: 'unknown-command' | 'invalid-parameter' | 'oversized'): void {
    this.node({ type: 'unknown', bytes, reason });
  }

  // ---- text -------------------------------------------------------------------------------

  private textByte(b: number): void {
    if (this.chineseLead >= 0) {
      // A double-byte pair: one (wrong) wide glyph, which is what a clone in Chinese mode prints.
      this.chineseLead = -1;
      if (b >= 0x40 && b !== 0x7f) {
        this.addChar('\ufffd', 2);
        return;
      }
      this.addChar('\ufffd', 1);
    }
    if (b >= 0x20 && b !== 0x7f) {
      if (b >= 0x80 && this.chineseMode) {
        this.chineseLead = b;
        return;
      }
      this.addChar(this.codePage ? decodeByte(b, this.codePage) : b < 0x80 ? String.fromCharCode(b) : '\ufffd', 1);
      return;
    }
    switch (b) {
      case 0x0a:
        this.endLine(false);
        return;
      case 0x09: {
        const cols = Math.floor(this.lineDots / this.charDots());
        const spaces = TAB_COLUMNS - (cols % TAB_COLUMNS);
        for (let s = 0; s < spaces; s++) this.addChar(' ', 1);
        return;
      }
      case 0x0c:
        if (this.hasPendingLine()) this.endLine(false);
        return;
      default:
        // CR, CAN and other controls print nothing.
        return;
    }
  }

  private charDots(): number {
    return FONT_DOTS[this.style.font] * this.style.width;
  }

  private addChar(ch: string, cells: number): void {
    const w = this.charDots() * cells;
    if (this.lineDots > 0 && this.lineDots + w > this.profile.widthDots) this.endLine(true);
    if (!this.hasPendingLine()) this.lineAlign = this.align;
    if (!this.run || !sameStyle(this.run.style, this.style) || this.run.codePage !== this.codePage) {
      if (this.run) this.runs.push(this.run);
      this.run = { text: '', style: { ...this.style }, codePage: this.codePage };
    }
    this.run.text += ch;
    this.lineDots += w;
  }

  private hasPendingLine(): boolean {
    return this.lineDots > 0 || this.run !== null || this.runs.length > 0;
  }

  private endLine(wrapped: boolean): void {
    if (this.run) this.runs.push(this.run);
    const runs = this.runs;
    const align = this.hasPendingLine() ? this.lineAlign : this.align;
    this.runs = [];
    this.run = null;
    this.lineDots = 0;
    this.node({ type: 'line', text: runs.map((r) => r.text).join(''), runs, align, wrapped });
  }

  /** Commands that print the buffer first (barcodes, images, cuts) end a pending line. */
  private flushLine(): void {
    if (this.hasPendingLine()) this.endLine(false);
  }

  // ---- commands ---------------------------------------------------------------------------

  private execute(b: Uint8Array): void {
    switch (at(b, 0)) {
      case ESC:
        return this.executeEsc(b);
      case GS:
        return this.executeGs(b);
      case FS:
        return this.executeFs(b);
      case DLE:
        return this.executeDle(b);
    }
  }

  private reset(): void {
    this.style = { ...DEFAULT_STYLE };
    this.align = 'left';
    this.codePageNumber = this.profile.codePages.cp437;
    this.codePage = 'cp437';
    this.chineseMode = this.profile.chineseModeAtBoot;
    this.barcode = { height: 162, moduleWidth: 3, hri: 0 };
    this.qr = { ...this.qr, model: 2, size: 3, ecc: 0 };
    // ESC @ clears the print buffer: a line not yet printed is lost.
    this.runs = [];
    this.run = null;
    this.lineDots = 0;
    this.chineseLead = -1;
  }

  private selectCodePage(n: number): void {
    this.codePageNumber = n;
    this.codePage = codePageForNumber(this.profile, n);
    this.node({ type: 'codepage', n, codePage: this.codePage });
  }

  private executeEsc(b: Uint8Array): void {
    const n = at(b, 2);
    switch (at(b, 1)) {
      case 0x40:
        this.reset();
        this.node({ type: 'init' });
        return;
      case 0x21:
        this.style = {
          ...this.style,
          font: n & 0x01 ? 'B' : 'A',
          bold: (n & 0x08) !== 0,
          height: n & 0x10 ? 2 : 1,
          width: n & 0x20 ? 2 : 1,
          underline: n & 0x80 ? 1 : 0,
        };
        return;
      case 0x2d:
        if (n <= 2 || (n >= 48 && n <= 50)) this.style = { ...this.style, underline: (n % 48) as 0 | 1 | 2 };
        else this.unknown(b, 'invalid-parameter');
        return;
      case 0x45:
        this.style = { ...this.style, bold: (n & 1) === 1 };
        return;
      case 0x4d:
        this.style = { ...this.style, font: n === 0 || n === 48 ? 'A' : 'B' };
        return;
      case 0x61: {
        const a = alignOf(n);
        // Justification is only honoured at the start of a line.
        if (a && !this.hasPendingLine()) this.align = a;
        return;
      }
      case 0x74:
        this.selectCodePage(n);
        return;
      case 0x64:
        this.feedLines(n);
        return;
      case 0x4a:
        this.flushLine();
        this.node({ type: 'feed', dots: n });
        return;
      case 0x70: {
        const m = n;
        if (m !== 0 && m !== 1 && m !== 48 && m !== 49) return this.unknown(b, 'invalid-parameter');
        this.node({ type: 'drawer', pin: m % 48 === 0 ? 2 : 5, onMs: at(b, 3) * 2, offMs: at(b, 4) * 2, realtime: false });
        return;
      }
      case 0x69:
      case 0x6d:
        this.flushLine();
        this.node({ type: 'cut', partial: true, feed: 0 });
        return;
      case 0x2a:
        this.escImage(b);
        return;
      case 0x1d:
        if (at(b, 2) === 0x74) this.selectCodePage(at(b, 3));
        else if (at(b, 2) === 0x61) {
          const a = alignOf(at(b, 3));
          if (a && !this.hasPendingLine()) this.align = a;
        }
        return;
      default:
        // Known length, no effect on the document model (spacing, page mode, peripherals…).
        return;
    }
  }

  private feedLines(n: number): void {
    if (n === 0) {
      this.flushLine();
      return;
    }
    for (let k = 0; k < n; k++) this.endLine(false);
  }

  private escImage(b: Uint8Array): void {
    const m = at(b, 2);
    const cols = u16(b, 3);
    const rowsPerCol = m >= 32 ? 24 : 8;
    if (cols === 0) return;
    const bitmap: MonoBitmap = { width: cols, height: rowsPerCol, data: new Uint8Array(Math.ceil(cols / 8) * rowsPerCol) };
    const bytesPerCol = rowsPerCol / 8;
    const rowBytes = Math.ceil(cols / 8);
    for (let x = 0; x < cols; x++) {
      for (let y = 0; y < rowsPerCol; y++) {
        const v = at(b, 5 + x * bytesPerCol + (y >> 3));
        if ((v >> (7 - (y & 7))) & 1) {
          const idx = y * rowBytes + (x >> 3);
          bitmap.data[idx] = at(bitmap.data, idx) | (0x80 >> (x & 7));
        }
      }
    }
    this.flushLine();
    this.node({ type: 'image', bitmap, command: 'ESC *', align: this.align });
  }

  private executeGs(b: Uint8Array): void {
    const n = at(b, 2);
    switch (at(b, 1)) {
      case 0x21:
        this.style = { ...this.style, width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 };
        return;
      case 0x42:
        this.style = { ...this.style, reverse: (n & 1) === 1 };
        return;
      case 0x56: {
        this.flushLine();
        const partial = n === 1 || n === 49 || n === 66 || n === 98 || n === 104;
        this.node({ type: 'cut', partial, feed: b.length > 3 ? at(b, 3) : 0 });
        return;
      }
      case 0x76: {
        const rowBytes = u16(b, 4);
        const rows = u16(b, 6);
        if (rowBytes === 0 || rows === 0) return this.unknown(b.slice(0, 8), 'invalid-parameter');
        this.flushLine();
        this.node({ type: 'image', bitmap: { width: rowBytes * 8, height: rows, data: b.slice(8) }, command: 'GS v 0', align: this.align });
        return;
      }
      case 0x6b:
        this.barcodeCommand(b);
        return;
      case 0x68:
        this.barcode = { ...this.barcode, height: n };
        return;
      case 0x77:
        this.barcode = { ...this.barcode, moduleWidth: n };
        return;
      case 0x48:
        this.barcode = { ...this.barcode, hri: n % 48 };
        return;
      case 0x28:
        this.gsParen(b);
        return;
      case 0x61:
        this.control({ type: 'asb', mask: n });
        return;
      case 0x72:
        this.control({ type: 'transmit-status', n });
        return;
      default:
        return;
    }
  }

  private barcodeCommand(b: Uint8Array): void {
    const m = at(b, 2);
    let symbology: BarcodeSymbology;
    let raw: Uint8Array;
    if (m <= 6) {
      symbology = SYMBOLOGY_A[m] ?? 'OTHER';
      raw = b.subarray(3, b[b.length - 1] === 0 ? b.length - 1 : b.length);
    } else {
      symbology = SYMBOLOGY_B[m] ?? 'OTHER';
      raw = b.subarray(4);
    }
    let data = String.fromCharCode(...raw);
    let valid = true;
    if (symbology === 'CODE128') {
      const d = decodeCode128(raw);
      data = d.text;
      valid = d.valid;
    } else if (symbology === 'EAN13') {
      if (/^\d{12}$/.test(data)) {
        for (let check = 0; check <= 9; check++) {
          if (gtinOk(data + String(check))) {
            data += String(check);
            break;
          }
        }
      } else valid = /^\d{13}$/.test(data) && gtinOk(data);
    }
    this.flushLine();
    this.node({ type: 'barcode', symbology, data, valid, ...this.barcode });
  }

  private gsParen(b: Uint8Array): void {
    const fn = at(b, 2);
    if (fn === 0x48) {
      // GS ( H pL pH fn=48 m=48 d1-d4: process-ID response
      if (u16(b, 3) === 6 && at(b, 5) === 0x30 && at(b, 6) === 0x30) this.control({ type: 'process-id', id: b.slice(7, 11) });
      return;
    }
    if (fn !== 0x6b || at(b, 5) !== 0x31) return;
    const p = u16(b, 3);
    switch (at(b, 6)) {
      case 0x41:
        this.qr.model = at(b, 7) - 48;
        return;
      case 0x43:
        this.qr.size = at(b, 7);
        return;
      case 0x45:
        this.qr.ecc = Math.min(3, Math.max(0, at(b, 7) - 48));
        return;
      case 0x50:
        this.qr.data = b.slice(8, 5 + p);
        return;
      case 0x51: {
        const bytes = this.qr.data;
        if (!bytes || bytes.length === 0) return this.unknown(b, 'invalid-parameter');
        this.flushLine();
        const data = new TextDecoder('utf-8').decode(bytes);
        this.node({ type: 'qr', data, bytes: bytes.slice(), size: this.qr.size, ecc: ECC[this.qr.ecc] ?? 'L', model: this.qr.model });
        return;
      }
      default:
        return;
    }
  }

  private executeFs(b: Uint8Array): void {
    switch (at(b, 1)) {
      case 0x2e:
        this.chineseMode = false;
        this.chineseLead = -1;
        return;
      case 0x26:
        this.chineseMode = true;
        return;
      default:
        return;
    }
  }

  private executeDle(b: Uint8Array): void {
    const c = at(b, 1);
    const n = at(b, 2);
    if (c === 0x04) {
      if (n >= 1 && n <= 4) this.control({ type: 'status-query', n: n as 1 | 2 | 3 | 4, inData: false });
      else if (n !== 7 && n !== 8) this.unknown(b, 'invalid-parameter');
      return;
    }
    if (c === 0x05) {
      this.control({ type: 'recover', n });
      return;
    }
    if (c === 0x14 && n === 1) {
      // DLE DC4 1 m t: real-time pulse, t × 100 ms on and off
      const m = at(b, 3);
      const t = Math.min(8, Math.max(1, at(b, 4)));
      this.node({ type: 'drawer', pin: m === 1 ? 5 : 2, onMs: t * 100, offMs: t * 100, realtime: true });
    }
  }
}
