import { pairLines, type PrintBlock, type PrintDocument } from '../../src-common/print-document.js';
import type { DeviceConnection } from '../common/connection.js';
import { DeviceError } from '../common/device.js';
import type { DocumentPrinter, PrinterSensors } from '../common/printer.js';
import type { CodePageId } from '../escpos/codepage.js';
import { columns, EscPosEncoder } from '../escpos/encoder.js';
import type { PrinterProfile } from '../escpos/profiles.js';
import { linearBitmap, qrBitmap } from '../escpos/symbols.js';
import { imageForPaper } from './image-block.js';
import {
  applyStatus,
  statusError,
  statusProblem,
  statusQuery,
  StatusStreamParser,
  UNKNOWN_STATUS,
  type DrawerPolarity,
  type PrinterStatus,
  type StatusEvent,
  type StatusQueryN,
} from '../escpos/status.js';
import { Listeners } from '../transports/listeners.js';

export interface EscPosPrinterOptions {
  codePage?: CodePageId;
  drawerPolarity?: DrawerPolarity;
  /** How long a status query may go unanswered before the printer counts as not answering. */
  statusTimeoutMs?: number;
  /** How often status is read while a job waits to be printed. */
  pollMs?: number;
  /** Give up waiting for a job to print after this long (the queue retries it later). */
  printTimeoutMs?: number;
}

/** Turn a printer-independent document into this model's ESC/POS bytes. */
export function renderEscPos(doc: PrintDocument, profile: PrinterProfile, codePage?: CodePageId): EscPosEncoder {
  const e = new EscPosEncoder(profile, codePage ? { codePage } : {});
  const width = profile.charsPerLine;
  const cp = e.codePage;
  e.init();
  for (const b of doc.blocks) renderBlock(e, b, width, cp, profile);
  return e;
}

function renderBlock(e: EscPosEncoder, b: PrintBlock, width: number, cp: CodePageId, profile: PrinterProfile): void {
  switch (b.t) {
    case 'text': {
      const big = b.size === 2;
      for (const l of pairLines(b.text, '', big ? Math.floor(width / 2) : width)) {
        e.line(l.trimEnd(), { bold: b.bold ?? false, underline: b.underline ? 1 : 0, width: big ? 2 : 1, height: big ? 2 : 1, align: b.align ?? 'left' });
      }
      return;
    }
    case 'pair': {
      const big = b.size === 2;
      for (const l of columns(b.left, b.right, big ? Math.floor(width / 2) : width, cp)) {
        e.line(l, { bold: b.bold ?? false, width: big ? 2 : 1, height: big ? 2 : 1 });
      }
      return;
    }
    case 'rule':
      e.line('-'.repeat(width));
      return;
    case 'feed':
      e.feed(b.lines);
      return;
    case 'barcode':
      e.setStyle({ align: 'center' });
      if (!profile.nativeBarcodes) {
        // No barcode commands on this model: the symbol goes as a raster image.
        e.image(linearBitmap(b.symbology, b.symbology === 'ean13' ? b.data.slice(0, 12) : b.data, 2, 80));
      } else if (b.symbology === 'ean13') e.ean13(b.data, { hri: b.hri === false ? 'none' : 'below' });
      else e.code128(b.data, { hri: b.hri === false ? 'none' : 'below', moduleWidth: 2 });
      e.setStyle({ align: 'left' });
      return;
    case 'qr':
      e.setStyle({ align: 'center' });
      if (profile.nativeQr) e.qr(b.data, { size: b.size ?? 6, ecc: 'M' });
      else e.image(qrBitmap(b.data, b.size ?? 6, 'M'));
      e.setStyle({ align: 'left' });
      return;
    case 'image': {
      let bitmap;
      try {
        bitmap = imageForPaper(b, profile.widthDots);
      } catch {
        // A broken logo must not stop the receipt (the queue would retry it forever and hold every
        // receipt behind it): the rest prints. The till checks logos with imageBlockBitmap() on save.
        return;
      }
      // Raster images follow ESC a like text on ESC/POS printers, so alignment costs no padding bytes.
      e.setStyle({ align: b.align ?? 'center' });
      e.image(bitmap);
      e.setStyle({ align: 'left' });
      return;
    }
    case 'cut':
      e.cut({ partial: true, feed: 0 });
      return;
    case 'drawer':
      e.drawer({ pin: b.pin });
      return;
  }
}

const PROBLEM_TEXT: Record<string, string> = {
  paper_out: 'paper out',
  cover_open: 'cover open',
  error: 'printer error',
  offline: 'printer offline',
};

/**
 * A receipt printer speaking ESC/POS over any transport (serial, USB, TCP 9100).
 *
 * Status is read before each job (nothing is sent to a printer that cannot print). After the
 * job comes a "printed up to here" marker (`GS ( H` process id on Epson, `GS r` on others):
 * the job counts as printed only when the printer answers it. If the paper runs out in the
 * middle, the printer stops and keeps the rest in its receive buffer; the driver does NOT
 * resend anything, it reports "waiting: paper out" and goes on waiting until the marker comes
 * back (the printer prints the rest once paper is in). A lost connection in the middle fails the
 * job; the queue prints it again when the printer is back (the printer lost its buffer with its power).
 */
export class EscPosDocumentPrinter implements DocumentPrinter {
  private readonly parser: StatusStreamParser;
  private status: PrinterStatus = UNKNOWN_STATUS;
  private readonly waiters = new Set<(e: StatusEvent) => void>();
  private readonly ready = new Listeners<void>();
  /** Jobs started and not finished (the queue runs one at a time; a reprint from a test may add one). */
  private jobs = 0;
  /** An idle sensor read in progress. */
  private sensing: Promise<void> | null = null;
  private marker = 0;
  private lastProblem: string | null = null;

  constructor(
    readonly deviceId: string,
    private readonly conn: DeviceConnection,
    readonly profile: PrinterProfile,
    private readonly opts: EscPosPrinterOptions = {},
  ) {
    this.parser = new StatusStreamParser(opts.drawerPolarity ? { drawerPolarity: opts.drawerPolarity } : {});
    conn.onData((chunk) => {
      for (const ev of this.parser.push(chunk)) {
        if (ev.kind === 'realtime' && ev.status) this.status = applyStatus(this.status, ev.status);
        if (ev.kind === 'asb') this.status = applyStatus(this.status, ev.status);
        for (const w of [...this.waiters]) w(ev);
      }
    });
    conn.onStatus((s) => {
      if (s.status === 'connected') {
        this.parser.reset();
        this.ready.emit();
      }
    });
  }

  /** What the printer reported last (null fields: never reported). */
  get lastStatus(): PrinterStatus {
    return this.status;
  }

  onReady(cb: () => void): () => void {
    return this.ready.add(cb);
  }

  /**
   * The drawer switch and paper sensor, asked for now when the printer is idle. During a job the
   * last known values are returned instead: a query must never land between a job's bytes, and
   * the job reads the status itself before and after.
   */
  async readSensors(): Promise<PrinterSensors> {
    if (this.jobs === 0) {
      this.sensing = this.readStatus().then(() => undefined);
      try {
        await this.sensing;
      } finally {
        this.sensing = null;
      }
    }
    return { drawerOpen: this.status.drawerOpen, paperNearEnd: this.status.paperNearEnd };
  }

  /** Ask the printer for its state now: online, cover, paper. */
  async readStatus(): Promise<PrinterStatus> {
    for (const n of [1, 2, 4] as StatusQueryN[]) await this.query(n);
    return this.status;
  }

  async print(doc: PrintDocument, hooks: { waiting(reason: string): void }): Promise<void> {
    this.jobs++;
    try {
      // A sensor read in progress finishes first, so its queries and this job's bytes never interleave.
      await this.sensing?.catch(() => undefined);
      await this.printJob(doc, hooks);
    } finally {
      this.jobs--;
    }
  }

  private async printJob(doc: PrintDocument, hooks: { waiting(reason: string): void }): Promise<void> {
    const before = await this.readStatus();
    const problem = statusError(before);
    if (problem) throw problem;
    const id = (this.marker = (this.marker % 9999) + 1);
    const e = renderEscPos(doc, this.profile, this.opts.codePage);
    const transmit = this.profile.printedMarker === 'transmit-status';
    const printed = this.waitFor((ev) => (transmit ? ev.kind === 'transmit-status' : ev.kind === 'process-id' && ev.id === String(id).padStart(4, '0')));
    if (transmit) this.parser.expectTransmitStatus();
    e.printedMarker(id);
    try {
      await this.conn.write(e.encode());
    } catch (err) {
      printed.cancel();
      throw err;
    }
    await this.untilPrinted(printed, hooks);
  }

  /** Wait for the marker; meanwhile read status, so a paper-out is shown (and not mistaken for a loss). */
  private async untilPrinted(printed: { done: Promise<void>; cancel(): void }, hooks: { waiting(reason: string): void }): Promise<void> {
    const deadline = Date.now() + (this.opts.printTimeoutMs ?? 10 * 60_000);
    let finished = false;
    void printed.done.then(() => (finished = true), () => undefined);
    const lost = new Promise<never>((_, reject) => {
      const off = this.conn.onStatus((s) => {
        if (s.status === 'connected') return;
        off();
        reject(new DeviceError('offline', `the printer went away in the middle of a receipt (${s.message ?? s.status})`));
      });
      void printed.done.finally(off);
    });
    lost.catch(() => undefined);
    try {
      await Promise.race([
        printed.done,
        lost,
        (async () => {
          while (!finished) {
            await sleep(this.opts.pollMs ?? 300);
            if (finished) return;
            if (Date.now() > deadline) throw new DeviceError('timeout', 'the printer did not finish the receipt');
            const s = await this.readStatus().catch(() => null);
            const p = s ? statusProblem(s) : null;
            const text = p ? (PROBLEM_TEXT[p] ?? p) : null;
            if (text && text !== this.lastProblem) hooks.waiting(text);
            this.lastProblem = text;
          }
        })(),
      ]);
    } finally {
      printed.cancel();
      this.lastProblem = null;
    }
  }

  private query(n: StatusQueryN): Promise<void> {
    const answered = this.waitFor((ev) => ev.kind === 'realtime' && ev.query === n);
    this.parser.expectRealtime(n);
    return this.conn
      .write(statusQuery(n))
      .then(() => withTimeout(answered.done, this.opts.statusTimeoutMs ?? 1_000, () => {
        answered.cancel();
        this.parser.reset();
        return new DeviceError('timeout', 'the printer does not answer');
      }))
      .catch((e: unknown) => {
        answered.cancel();
        throw e;
      });
  }

  private waitFor(match: (e: StatusEvent) => boolean): { done: Promise<void>; cancel(): void } {
    let cancel = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      const w = (e: StatusEvent): void => {
        if (!match(e)) return;
        this.waiters.delete(w);
        resolve();
      };
      this.waiters.add(w);
      cancel = () => this.waiters.delete(w);
    });
    return { done, cancel: () => cancel() };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
