import type { LabelDpi } from '../../../src-common/price-tag.js';
import { decodeText } from '../../escpos/codepage.js';
import type { EmulatorCore } from '../serve.js';

/**
 * What an emulated label printer printed, for tests to assert on: text fields with their position,
 * font height and the text DECODED with the code page the job selected (so a job in the wrong code
 * page shows up as wrong text, as it would on paper), barcodes with their type and data.
 */
export type LabelEncoding = 'utf8' | 'cp1251' | 'cp1252' | 'cp437';

export interface EmulatedText {
  x: number;
  y: number;
  /** Character height in dots. */
  height: number;
  /** ZPL font name or file, TSPL font name. */
  font: string;
  text: string;
  encoding: LabelEncoding;
  /** The field's bytes after `^FH` / `\["]` unescaping, before decoding. */
  bytes: Uint8Array;
}

export type EmulatedSymbology = 'EAN13' | 'EAN8' | 'CODE128' | 'OTHER';

export interface EmulatedBarcode {
  x: number;
  y: number;
  symbology: EmulatedSymbology;
  /** The command or type name as sent (`BE`, `BC`, `EAN13`, `128`, …). */
  type: string;
  /** What the symbol encodes: EAN with the check digit the printer computed. */
  data: string;
  /** False when the printer would have had to pad, truncate, skip or guess. */
  valid: boolean;
  height: number;
  moduleWidth: number;
  hri: boolean;
}

export interface EmulatedLabel {
  language: 'zpl' | 'tspl';
  widthDots: number | null;
  heightDots: number | null;
  dpi: LabelDpi;
  texts: EmulatedText[];
  barcodes: EmulatedBarcode[];
  /** Copies the job asked for (^PQ, PRINT m,n). */
  quantity: number;
}

const CP1252 = new TextDecoder('windows-1252');
const UTF8 = new TextDecoder('utf-8');

export function decodeLabelText(bytes: Uint8Array, encoding: LabelEncoding): string {
  switch (encoding) {
    case 'utf8':
      return UTF8.decode(bytes);
    case 'cp1252':
      return CP1252.decode(bytes);
    case 'cp1251':
    case 'cp437':
      return decodeText(bytes, encoding);
  }
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** GTIN check digit, as the printer computes it for ^BE / EAN13. */
function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

/**
 * EAN data the way a printer treats it: `digits` data digits (12 or 7), shorter padded on the left
 * with zeros, longer cut; the check digit computed. `valid` only when exactly `digits` digits (or
 * those plus the right check digit) came.
 */
export function eanData(raw: string, digits: 12 | 7): { data: string; valid: boolean } {
  const onlyDigits = /^\d+$/.test(raw);
  const d = raw.replace(/\D/g, '');
  const body = d.length >= digits ? d.slice(0, digits) : d.padStart(digits, '0');
  const data = body + checkDigit(body);
  const valid = onlyDigits && (raw.length === digits || (raw.length === digits + 1 && raw === data));
  return { data, valid };
}

export type LabelEmulatorFault = 'headOpen' | 'paperOut' | 'ribbonOut' | 'paperJam' | 'coverOpen' | 'paused' | 'noAnswer';

export const LABEL_EMULATOR_FAULTS: readonly LabelEmulatorFault[] = ['headOpen', 'paperOut', 'ribbonOut', 'paperJam', 'coverOpen', 'paused', 'noAnswer'];

/** Printed labels: runs of one format, so a batch of thousands costs one entry. */
export interface PrintedRun {
  label: EmulatedLabel;
  count: number;
}

/**
 * The print mechanism both emulators share: formats queue with their quantity and print while
 * nothing stops the printer; a stop (head open, out of labels, …) holds the rest of the batch,
 * which prints when it clears. `paperOutAfterLabels(n)` makes the roll run out after n more labels.
 */
export class LabelPrintEngine {
  readonly runs: PrintedRun[] = [];
  private readonly queue: { label: EmulatedLabel; remaining: number }[] = [];
  private readonly faults: Record<LabelEmulatorFault, boolean> = {
    headOpen: false,
    paperOut: false,
    ribbonOut: false,
    paperJam: false,
    coverOpen: false,
    paused: false,
    noAnswer: false,
  };
  private paperLeft: number | null = null;

  fault(f: LabelEmulatorFault): boolean {
    return this.faults[f];
  }

  get stalled(): boolean {
    const f = this.faults;
    return f.headOpen || f.paperOut || f.ribbonOut || f.paperJam || f.coverOpen || f.paused;
  }

  /** Labels queued and not printed yet. */
  get labelsRemaining(): number {
    return this.queue.reduce((n, j) => n + j.remaining, 0);
  }

  /** Formats received and not fully printed. */
  get formatsWaiting(): number {
    return this.queue.length;
  }

  get printedCount(): number {
    return this.runs.reduce((n, r) => n + r.count, 0);
  }

  /** Every printed label, one entry per label (for tests: keep batches small). */
  get labels(): EmulatedLabel[] {
    const out: EmulatedLabel[] = [];
    for (const r of this.runs) for (let i = 0; i < r.count; i++) out.push(r.label);
    return out;
  }

  submit(label: EmulatedLabel, quantity: number): void {
    if (quantity <= 0) return;
    this.queue.push({ label, remaining: quantity });
    this.run();
  }

  setFault(f: LabelEmulatorFault, on: boolean): void {
    this.faults[f] = on;
    this.run();
  }

  paperOutAfterLabels(n: number | null): void {
    this.paperLeft = n === null ? null : Math.max(0, Math.floor(n));
    this.run();
  }

  /** Drop what waits (ZPL ~JA, TSPL ESC !R, power off). */
  cancelAll(): void {
    this.queue.length = 0;
  }

  /** The roll ending is noticed when the next label is wanted, as the gap sensor would. */
  private run(): void {
    while (!this.stalled) {
      const job = this.queue[0];
      if (!job) return;
      if (this.paperLeft === 0) {
        this.paperLeft = null;
        this.faults.paperOut = true;
        return;
      }
      const n = Math.min(job.remaining, this.paperLeft ?? Infinity);
      const last = this.runs[this.runs.length - 1];
      if (last && last.label === job.label) last.count += n;
      else this.runs.push({ label: job.label, count: n });
      job.remaining -= n;
      if (job.remaining === 0) this.queue.shift();
      if (this.paperLeft !== null) this.paperLeft -= n;
    }
  }
}

/** What both emulators offer a test or the demo till, besides `EmulatorCore`'s feed/drain. */
export interface LabelPrinterEmulator {
  readonly language: 'zpl' | 'tspl';
  readonly engine: LabelPrintEngine;
  /** Every format (ZPL) or PRINT (TSPL) received, in order, with its quantity. */
  readonly formats: EmulatedLabel[];
  /** Commands the printer did not know and silently skipped (and settings it refused). */
  readonly ignored: string[];
  /** Printed labels, one entry per physical label. */
  readonly labels: EmulatedLabel[];
  feed(bytes: Uint8Array): Uint8Array;
  drain(): Uint8Array;
  setFault(f: LabelEmulatorFault, on: boolean): Uint8Array;
  paperOutAfterLabels(n: number | null): void;
  /** Power off and on: queued labels and settings are lost. */
  powerCycle(): void;
}

/**
 * What an emulated label printer is apart from its language: the print engine, what it received
 * and skipped, the answers waiting to be read, faults and power. A language brings its receiver
 * (`byte`) and what a power cycle resets (`forget`).
 */
export abstract class LabelEmulatorBase implements EmulatorCore, LabelPrinterEmulator {
  abstract readonly language: 'zpl' | 'tspl';
  readonly engine = new LabelPrintEngine();
  readonly formats: EmulatedLabel[] = [];
  readonly ignored: string[] = [];
  readonly dpi: LabelDpi;
  /** Answers not read yet. */
  protected outbox: number[] = [];

  protected constructor(dpi: LabelDpi | undefined) {
    this.dpi = dpi ?? 203;
  }

  protected abstract byte(b: number): void;
  /** Power off: the parser and the settings the job gave go back to the firmware's defaults. */
  protected abstract forget(): void;

  get labels(): EmulatedLabel[] {
    return this.engine.labels;
  }

  feed(bytes: Uint8Array): Uint8Array {
    for (const b of bytes) this.byte(b);
    return this.drain();
  }

  drain(): Uint8Array {
    const out = Uint8Array.from(this.outbox);
    this.outbox = [];
    return out;
  }

  setFault(f: LabelEmulatorFault, on: boolean): Uint8Array {
    this.engine.setFault(f, on);
    return this.drain();
  }

  paperOutAfterLabels(n: number | null): void {
    this.engine.paperOutAfterLabels(n);
  }

  powerCycle(): void {
    this.engine.cancelAll();
    this.forget();
    this.outbox = [];
  }

  /** A whole label received: noted in `formats` (a test-sized number of them) and printed. */
  protected printLabel(label: EmulatedLabel, quantity: number): void {
    if (this.formats.length < 10_000) this.formats.push(label);
    this.engine.submit(label, quantity);
  }
}

/** Bounded record of skipped commands (a stream of garbage must not grow memory without end). */
export function noteIgnored(list: string[], what: string): void {
  if (list.length < 1000) list.push(what);
}
