import type { MonoBitmap } from '../../escpos/bitmap.js';
import type { PrinterProfile } from '../../escpos/profiles.js';
import { encodeAsb, encodeRealtimeStatus, XOFF, XON, type DrawerPolarity, type PrinterErrors, type StatusQueryN } from '../../escpos/status.js';
import type { Align, BarcodeSymbology, DocNode, ParseEvent, TextRun } from './document.js';
import { EscPosParser } from './parser.js';

/**
 * An ESC/POS printer with no I/O: bytes in through `feed()`, the printer's answers out as its
 * return value. It keeps what it printed (document nodes, and receipts split at cuts) and has the
 * fault switches a driver must survive.
 *
 * Two stages, as in a real printer:
 * - receive: every byte is seen on arrival; `DLE EOT n` is answered at once, even while stalled,
 *   and `DLE ENQ 1/2` clears a recoverable error;
 * - print: commands are executed in order. While the printer is stalled (paper out, cover open,
 *   offline, an error) nothing is executed: bytes wait in the receive buffer. Paper runs out after
 *   a whole printed line; whatever else the same command would print (the rest of `ESC d n`, the
 *   cut after the last line) waits too. A drawer kick (`ESC p`, and `DLE DC4 1` here too) in a
 *   stalled job waits with it: the drawer does not open until the fault clears.
 *   `GS r n` and `GS ( H` are answered in this stage, so their answer means "printed up to here".
 *   `ESC u` / `ESC v` are parsed but not answered.
 *
 * What happens to the waiting bytes when the fault clears is `onRecovery`:
 * - 'buffer' (Epson): they print, continuing exactly where printing stopped, so a driver must NOT
 *   resend them or the receipt prints twice;
 * - 'discard': they are dropped with any half-received command and unprinted line (a printer that
 *   clears its buffer, or one that was power-cycled): the driver must reprint from its journal.
 * `DLE ENQ 2` discards in either mode, as it does on a real printer.
 */
export type RecoveryMode = 'buffer' | 'discard';

export type Fault = 'paperNearEnd' | 'paperOut' | 'coverOpen' | 'offline' | 'cutterJam';

export interface EmulatorOptions {
  onRecovery?: RecoveryMode;
  drawerPolarity?: DrawerPolarity;
  /** Receive buffer size; bytes arriving while it is full are lost (counted in `stats.lost`). */
  receiveBufferBytes?: number;
  /** With 'xon-xoff' the printer sends XOFF when the buffer is nearly full and XON once it drains. */
  flowControl?: 'none' | 'xon-xoff';
  /** Garbage injection on the way in (line noise): gets each chunk, returns what the printer receives. */
  corruptIncoming?: (chunk: Uint8Array) => Uint8Array;
}

export interface PrintedLine {
  text: string;
  runs: TextRun[];
  align: Align;
  wrapped: boolean;
}

export interface Receipt {
  /** Printed text lines, blank lines included, in order. */
  lines: string[];
  printedLines: PrintedLine[];
  barcodes: { symbology: BarcodeSymbology; data: string; valid: boolean }[];
  qrs: { data: string; size: number; ecc: 'L' | 'M' | 'Q' | 'H' }[];
  images: MonoBitmap[];
  drawerPulses: DrawerPulse[];
  /** null while the receipt is still on the printer (not cut yet). */
  cut: { partial: boolean } | null;
  nodes: DocNode[];
}

export interface DrawerPulse {
  pin: 2 | 5;
  onMs: number;
  offMs: number;
  realtime: boolean;
}

export interface EmulatorStats {
  /** Bytes the printer received (after `corruptIncoming`). */
  received: number;
  /** Bytes executed (printed or acted on). */
  executed: number;
  /** Bytes waiting in the receive buffer. */
  buffered: number;
  /** Bytes thrown away at recovery ('discard' or `DLE ENQ 2`). */
  discarded: number;
  /** Bytes that arrived while the buffer was full. */
  lost: number;
}

const HIGH_WATER_MARGIN = 256;

function emptyReceipt(): Receipt {
  return { lines: [], printedLines: [], barcodes: [], qrs: [], images: [], drawerPulses: [], cut: null, nodes: [] };
}

export class EscPosPrinterEmulator {
  readonly parser: EscPosParser;
  /** Receipts finished by a cut, oldest first. */
  readonly receipts: Receipt[] = [];
  /** Every node printed or acted on, in order. */
  readonly document: DocNode[] = [];
  readonly drawerPulses: DrawerPulse[] = [];

  private cur = emptyReceipt();
  private readonly faults: Record<Fault, boolean> = { paperNearEnd: false, paperOut: false, coverOpen: false, offline: false, cutterJam: false };
  private errors: PrinterErrors = { mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false };
  private drawerOpen = false;
  private linesUntilPaperOut: number | null = null;
  /** Printed output of a command interrupted by a fault, waiting like the print buffer. */
  private held: DocNode[] = [];

  private buffer: Uint8Array[] = [];
  private bufferedBytes = 0;
  private readonly stats_ = { received: 0, discarded: 0, lost: 0 };
  private rx1 = -1;
  private rx2 = -1;
  private xoffSent = false;
  private replaying = false;

  private asbMask = 0;
  private lastAsb = '';
  private outbox: number[] = [];

  private readonly mode: RecoveryMode;
  private readonly polarity: DrawerPolarity;
  private readonly capacity: number;

  constructor(
    readonly profile: PrinterProfile,
    private readonly opts: EmulatorOptions = {},
  ) {
    this.parser = new EscPosParser(profile);
    this.mode = opts.onRecovery ?? 'buffer';
    this.polarity = opts.drawerPolarity ?? 'open-when-high';
    this.capacity = opts.receiveBufferBytes ?? 4096;
  }

  /** The receipt being printed now (everything since the last cut). */
  get current(): Receipt {
    return this.cur;
  }

  get stalled(): boolean {
    return this.faults.paperOut || this.faults.coverOpen || this.faults.offline || Object.values(this.errors).some(Boolean);
  }

  get isDrawerOpen(): boolean {
    return this.drawerOpen;
  }

  get stats(): EmulatorStats {
    return { ...this.stats_, executed: this.parser.offset, buffered: this.bufferedBytes };
  }

  fault(f: Fault): boolean {
    return this.faults[f];
  }

  /** Bytes from the host. Returns what the printer sends back, now. */
  feed(chunk: Uint8Array): Uint8Array {
    const bytes = this.opts.corruptIncoming ? this.opts.corruptIncoming(chunk) : chunk;
    this.stats_.received += bytes.length;
    this.receive(bytes);
    return this.drain();
  }

  /** Anything the printer sent on its own (ASB after a fault change, XON) since the last call. */
  drain(): Uint8Array {
    const out = Uint8Array.from(this.outbox);
    this.outbox = [];
    return out;
  }

  /** Garbage on the way out: the host receives these bytes before the next answer. */
  injectNoise(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.outbox.push((bytes[i] ?? 0) & 0xff);
  }

  /** Flip a fault switch. Clearing the last fault resumes printing. Returns bytes sent because of it. */
  setFault(f: Fault, on: boolean): Uint8Array {
    this.faults[f] = on;
    if (f === 'cutterJam' && !on) this.errors.autocutter = false;
    this.afterStateChange();
    return this.drain();
  }

  setErrors(e: Partial<PrinterErrors>): Uint8Array {
    this.errors = { ...this.errors, ...e };
    this.afterStateChange();
    return this.drain();
  }

  /** The paper runs out after this many more printed lines (null: never). */
  paperOutAfterLines(n: number | null): void {
    this.linesUntilPaperOut = n;
    if (n !== null && n <= 0) {
      this.faults.paperOut = true;
      this.afterStateChange();
    }
  }

  /** The cashier shuts the drawer. */
  closeDrawer(): Uint8Array {
    this.drawerOpen = false;
    this.afterStateChange();
    return this.drain();
  }

  // ---- receive stage ----------------------------------------------------------------------

  private receive(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.stalled) {
        i = this.receiveStalled(bytes, i);
        continue;
      }
      i += this.execute(bytes.subarray(i), false);
    }
  }

  /**
   * Stalled: keep the bytes, answering real-time commands by scanning the raw stream (the print
   * stage, which knows the context, is not running). Like a real printer this answers even for bytes
   * the full buffer then drops, and, without context, also a `10 04 n` that is really image data.
   * Returns where it got to: the end, or just after a `DLE ENQ` that cleared the stall.
   */
  private receiveStalled(bytes: Uint8Array, from: number): number {
    for (let j = from; j < bytes.length; j++) {
      const b = bytes[j] ?? 0;
      const afterDle = this.rx2 === 0x10 ? this.rx1 : -1;
      this.rx2 = this.rx1;
      this.rx1 = b;
      if (afterDle === 0x04 && b >= 1 && b <= 4) this.answerRealtime(b as StatusQueryN);
      else if (afterDle === 0x05 && (b === 1 || b === 2)) {
        this.store(bytes.subarray(from, j + 1));
        this.recoverByCommand(b);
        return j + 1;
      }
    }
    this.store(bytes.subarray(from));
    return bytes.length;
  }

  private store(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const room = Math.max(0, this.capacity - this.bufferedBytes);
    const kept = bytes.subarray(0, room);
    this.stats_.lost += bytes.length - kept.length;
    if (kept.length > 0) {
      this.buffer.push(kept.slice());
      this.bufferedBytes += kept.length;
    }
    if (this.opts.flowControl === 'xon-xoff' && !this.xoffSent && this.bufferedBytes >= this.capacity - HIGH_WATER_MARGIN) {
      this.outbox.push(XOFF);
      this.xoffSent = true;
    }
  }

  /** DLE ENQ 1: clear recoverable errors and go on; DLE ENQ 2: clear them and the buffers. */
  private recoverByCommand(n: 1 | 2): void {
    this.errors = { ...this.errors, autocutter: false, mechanical: false };
    this.faults.cutterJam = false;
    if (n === 2) this.discardBuffer();
    this.afterStateChange();
  }

  private discardBuffer(): void {
    this.stats_.discarded += this.bufferedBytes;
    this.buffer = [];
    this.bufferedBytes = 0;
    this.held = [];
    this.parser.discardPending();
  }

  // ---- print stage ------------------------------------------------------------------------

  /** Run bytes through the print stage until done or stalled; returns how many were used. */
  private execute(bytes: Uint8Array, replay: boolean): number {
    const { consumed } = this.parser.pushUntil(bytes, (e) => this.handle(e, replay));
    if (!replay) {
      const used = bytes.subarray(0, consumed);
      if (used.length >= 2) {
        this.rx2 = used[used.length - 2] ?? -1;
        this.rx1 = used[used.length - 1] ?? -1;
      } else if (used.length === 1) {
        this.rx2 = this.rx1;
        this.rx1 = used[0] ?? -1;
      }
    }
    return consumed;
  }

  /** One parsed event; returns true when printing must stop here. */
  private handle(e: ParseEvent, replay: boolean): boolean {
    if (e.kind === 'control') {
      const c = e.control;
      switch (c.type) {
        case 'status-query':
          // Replayed bytes were answered when they arrived.
          if (!replay) this.answerRealtime(c.n);
          break;
        case 'recover':
          break;
        case 'transmit-status':
          this.answerTransmitStatus(c.n);
          break;
        case 'process-id':
          if (this.profile.printedMarker === 'process-id') this.outbox.push(0x37, 0x22, ...c.id, 0x00);
          break;
        case 'asb':
          this.asbMask = c.mask;
          this.lastAsb = '';
          this.maybeSendAsb();
          break;
      }
      return this.stalled;
    }
    // One command can print several things (ESC d n, a line then a cut): what comes after the
    // point of failure waits with the print buffer.
    if (this.stalled) this.held.push(e.node);
    else this.commit(e.node);
    return this.stalled;
  }

  private commit(node: DocNode): void {
    if (node.type === 'cut' && this.faults.cutterJam) {
      this.errors.autocutter = true;
      this.afterStateChange();
      return;
    }
    this.document.push(node);
    this.cur.nodes.push(node);
    switch (node.type) {
      case 'line':
        this.cur.lines.push(node.text);
        this.cur.printedLines.push({ text: node.text, runs: node.runs, align: node.align, wrapped: node.wrapped });
        if (this.linesUntilPaperOut !== null && --this.linesUntilPaperOut <= 0) {
          this.linesUntilPaperOut = null;
          this.faults.paperOut = true;
          this.afterStateChange();
        }
        return;
      case 'barcode':
        this.cur.barcodes.push({ symbology: node.symbology, data: node.data, valid: node.valid });
        return;
      case 'qr':
        this.cur.qrs.push({ data: node.data, size: node.size, ecc: node.ecc });
        return;
      case 'image':
        this.cur.images.push(node.bitmap);
        return;
      case 'drawer': {
        const pulse: DrawerPulse = { pin: node.pin, onMs: node.onMs, offMs: node.offMs, realtime: node.realtime };
        this.cur.drawerPulses.push(pulse);
        this.drawerPulses.push(pulse);
        this.drawerOpen = true;
        this.maybeSendAsb();
        return;
      }
      case 'cut':
        this.cur.cut = { partial: node.partial };
        this.receipts.push(this.cur);
        this.cur = emptyReceipt();
        return;
      default:
        return;
    }
  }

  /** After any change of faults or errors: tell ASB listeners, and resume when nothing stalls. */
  private afterStateChange(): void {
    this.maybeSendAsb();
    if (!this.stalled && !this.replaying && (this.held.length > 0 || this.bufferedBytes > 0)) {
      if (this.mode === 'discard') this.discardBuffer();
      else this.resume();
    }
    this.maybeXon();
  }

  /** Print what waited: first the rest of the interrupted command, then the receive buffer. */
  private resume(): void {
    this.replaying = true;
    while (!this.stalled) {
      const node = this.held.shift();
      if (!node) break;
      this.commit(node);
    }
    const pending = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    for (let k = 0; k < pending.length; k++) {
      const chunk = pending[k] ?? new Uint8Array(0);
      const used = this.stalled ? 0 : this.execute(chunk, true);
      if (used < chunk.length || this.stalled) {
        // Stalled again: what is left goes back to the front of the buffer, untouched.
        this.buffer = [chunk.subarray(used), ...pending.slice(k + 1)].filter((c) => c.length > 0);
        this.bufferedBytes = this.buffer.reduce((s, c) => s + c.length, 0);
        break;
      }
    }
    this.replaying = false;
  }

  private maybeXon(): void {
    // While replaying, the buffer's bytes are held in a local: the count would lie.
    if (this.replaying) return;
    if (this.xoffSent && this.bufferedBytes < this.capacity / 2) {
      this.outbox.push(XON);
      this.xoffSent = false;
    }
  }

  // ---- answers ----------------------------------------------------------------------------

  private drawerPinHigh(): boolean {
    return this.polarity === 'open-when-high' ? this.drawerOpen : !this.drawerOpen;
  }

  private anyError(): boolean {
    return Object.values(this.errors).some(Boolean);
  }

  private answerRealtime(n: StatusQueryN): void {
    this.outbox.push(
      encodeRealtimeStatus(n, {
        drawerPinHigh: this.drawerPinHigh(),
        offline: this.stalled,
        waitingForRecovery: this.anyError(),
        coverOpen: this.faults.coverOpen,
        stoppedByPaperEnd: this.faults.paperOut,
        error: this.anyError(),
        errors: this.errors,
        paperNearEnd: this.faults.paperNearEnd,
        paperOut: this.faults.paperOut,
      }),
    );
  }

  /** `GS r 1` paper sensors (near end bits 0-1, end bits 2-3); `GS r 2` drawer pin 3 in bit 0. */
  private answerTransmitStatus(n: number): void {
    if (n === 1 || n === 49) this.outbox.push((this.faults.paperNearEnd ? 0x03 : 0) | (this.faults.paperOut ? 0x0c : 0));
    else if (n === 2 || n === 50) this.outbox.push(this.drawerPinHigh() ? 0x01 : 0x00);
  }

  private maybeSendAsb(): void {
    if (this.asbMask === 0) return;
    const frame = encodeAsb({
      drawerPinHigh: this.drawerPinHigh(),
      offline: this.stalled,
      coverOpen: this.faults.coverOpen,
      feedButton: false,
      errors: this.errors,
      paperNearEnd: this.faults.paperNearEnd,
      paperOut: this.faults.paperOut,
    });
    const key = frame.join(',');
    if (key === this.lastAsb) return;
    this.lastAsb = key;
    this.outbox.push(...frame);
  }
}
