import type { IndustryRequisite, ShiftTotals } from '../../fiscal/registrar.js';
import { ACK, NAK, createShtrihParser, encodeAnswer, parseRequest, type ShtrihParser } from '../../fiscal/shtrih/frame.js';
import { CMD } from '../../fiscal/shtrih/commands.js';
import type { EmulatorCore } from '../serve.js';
import { ShtrihDevice, type DeviceOptions, type PaperState } from './shtrih-device.js';
import { FiscalMemory, type ArchiveEntry } from './shtrih-fn.js';

export type { ArchiveEntry, ArchivedCorrection, ArchivedLine } from './shtrih-fn.js';

export interface ShtrihEmulatorOptions extends DeviceOptions {
  /** The registrar clock; by default the wall clock moved by `advanceClock()`. */
  now?: () => number;
  /** Seed of the fiscal signs. */
  seed?: number;
  /** Open a shift at start (most tests sell at once). */
  shiftOpen?: boolean;
}

/**
 * Fault switches. Each affects what goes on the line, never the fiscal memory, except where it
 * says so (power loss commits first, as the registrar it imitates would).
 */
export class ShtrihFaults {
  /** Say nothing at all (unplugged, wrong port). */
  silent = false;
  /** Bytes sent before every reply (noise on the line). */
  garbage: Uint8Array | null = null;
  private corruptLeft = 0;
  private dropLeft = 0;
  private powerLoss: { cmd: number; skip: number } | null = null;

  /** The next `answers` answer frames go out with a wrong LRC (a NAK gets the good one again). */
  wrongLrc(answers = 1): void {
    this.corruptLeft = answers;
  }

  /** The next `commands` commands are taken and run, but neither ACK nor answer is sent until ENQ asks. */
  missingAck(commands = 1): void {
    this.dropLeft = commands;
  }

  /**
   * On the `nth` next `cmd` (FF45 close by default) the registrar commits the document and loses
   * power before answering: nothing is sent, the answer is gone; afterwards ENQ gets NAK.
   */
  powerLossAfterCommit(cmd: number = CMD.FN_CLOSE_CHECK_V2, nth = 1): void {
    this.powerLoss = { cmd, skip: nth - 1 };
  }

  clear(): void {
    this.silent = false;
    this.garbage = null;
    this.corruptLeft = 0;
    this.dropLeft = 0;
    this.powerLoss = null;
  }

  /** @internal */
  takeCorrupt(): boolean {
    if (this.corruptLeft <= 0) return false;
    this.corruptLeft--;
    return true;
  }

  /** @internal */
  takeDrop(): boolean {
    if (this.dropLeft <= 0) return false;
    this.dropLeft--;
    return true;
  }

  /** @internal */
  takePowerLoss(cmd: number): boolean {
    const p = this.powerLoss;
    if (!p || p.cmd !== cmd) return false;
    if (p.skip > 0) {
      p.skip--;
      return false;
    }
    this.powerLoss = null;
    return true;
  }
}

/**
 * A Shtrih-M registrar with a ФН, at byte level (DEVICES.md §5): ENQ/ACK/NAK, frames with LRC,
 * modes and submodes, a shift clock, the ФН counter and archive, the ОФД queue, the marking trio,
 * X/Z with its own shift totals, correction receipts (8D 0x80 | kind, 1173/1174) and items' 1260.
 * The archive keeps per document what the ФН would: kind, total, 1054, a correction's basis, and
 * each item with its marking code and industry requisite. Tests inspect it (`archive`, `shiftTotals()`, `mode`) and flip
 * faults (`faults`, `printing()`, `paperOutAtLine()`, `fnExpired`, …).
 */
export class ShtrihEmulator implements EmulatorCore {
  readonly faults = new ShtrihFaults();
  /** Every command frame received intact, in order (a resent command shows twice). */
  readonly requests: number[] = [];
  private readonly parser: ShtrihParser = createShtrihParser();
  private readonly fn: FiscalMemory;
  private readonly device: ShtrihDevice;
  private skew = 0;
  /** The answer frame held until the host ACKs it. */
  private pending: Uint8Array | null = null;

  constructor(opts: ShtrihEmulatorOptions = {}) {
    const now = opts.now ?? (() => Date.now() + this.skew);
    this.fn = new FiscalMemory({ now, seed: opts.seed });
    this.device = new ShtrihDevice(this.fn, opts);
    if (opts.shiftOpen) this.fn.openShift();
  }

  // ---- EmulatorCore

  feed(bytes: Uint8Array): Uint8Array {
    // Unplugged (or the wrong port): nothing it is sent arrives, so nothing runs.
    if (this.faults.silent) return new Uint8Array(0);
    const out: number[] = [];
    for (const ev of this.parser.push(bytes)) {
      switch (ev.kind) {
        case 'enq':
          if (this.pending) out.push(ACK, ...this.shape(this.pending));
          else out.push(NAK);
          break;
        case 'ack':
          this.pending = null;
          break;
        case 'nak':
          if (this.pending) out.push(...this.shape(this.pending));
          break;
        case 'corrupt':
          out.push(NAK);
          break;
        case 'frame':
          out.push(...this.command(ev.body));
          break;
      }
    }
    if (out.length === 0) return new Uint8Array(0);
    return Uint8Array.from(this.faults.garbage ? [...this.faults.garbage, ...out] : out);
  }

  // ---- inspection

  /** The ФН archive, oldest first (document 1 is the registration report). */
  get archive(): readonly ArchiveEntry[] {
    return this.fn.archive;
  }

  get lastDocumentNumber(): number {
    return this.fn.lastDocumentNumber;
  }

  /** The emulator's own totals of the open shift (what its registers hold). */
  shiftTotals(): ShiftTotals {
    return this.fn.registers.totals();
  }

  /** Totals of the shift the last Z report closed. */
  get lastClosedTotals(): ShiftTotals | null {
    return this.fn.lastClosedTotals;
  }

  get shift(): { number: number; openedAt: number } | null {
    return this.fn.shift ? { number: this.fn.shift.number, openedAt: this.fn.shift.openedAt } : null;
  }

  /** Mode byte low nibble: 2 open, 3 over 24 h, 4 closed, 8 document open. */
  get mode(): number {
    return this.device.modeByte & 0x0f;
  }

  get submode(): number {
    return this.device.submode;
  }

  get paper(): PaperState {
    return this.device.paper;
  }

  get openCheck(): {
    kind: 'sale' | 'return';
    correction: boolean;
    lines: number;
    total: number;
    tags: ReadonlyMap<number, Uint8Array>;
    markingCodes: string[];
    measures: (number | null)[];
    industry: (IndustryRequisite | null)[];
  } | null {
    const c = this.fn.check;
    if (!c) return null;
    return {
      kind: c.kind,
      correction: c.correction,
      lines: c.lines.length,
      total: c.lines.reduce((s, l) => s + l.amount, 0),
      tags: c.tags,
      markingCodes: c.lines.flatMap((l) => (l.markingCode ? [l.markingCode] : [])),
      measures: c.lines.map((l) => l.measure),
      industry: c.lines.map((l) => l.industry),
    };
  }

  /** Documents the ОФД has not confirmed. */
  get ofdQueue(): { count: number; oldestAt: number | null } {
    return { count: this.fn.unsent.length, oldestAt: this.fn.unsent[0]?.at ?? null };
  }

  /** The ОФД confirms the oldest `count` documents (all by default). */
  confirm(count?: number): void {
    this.fn.confirm(count);
  }

  // ---- state switches

  /** Move the registrar clock on (with the default clock). */
  advanceClock(ms: number): void {
    this.skew += ms;
  }

  /** Refuse the next `commands` non-query commands with 50 "still printing" (submode 5 meanwhile). */
  printing(commands: number): void {
    this.device.printingFor = commands;
  }

  /** The paper runs out while the `line`-th line of the next check prints (that line is refused). */
  paperOutAtLine(line: number): void {
    this.device.paperOutAtLine = line;
  }

  /** No paper now, with no document printing (submode 1). */
  paperOut(): void {
    this.device.paper = 'out_passive';
  }

  loadPaper(): void {
    this.device.loadPaper();
  }

  set fnExpired(on: boolean) {
    this.device.fnExpired = on;
  }

  set fnFull(on: boolean) {
    this.device.fnFull = on;
  }

  /** A check left open (a till that crashed mid-receipt): one line of `amount`. */
  leaveCheckOpen(kind: 'sale' | 'return' = 'sale', amount = 10_000): void {
    this.fn.check = {
      kind,
      correction: false,
      lines: [{ type: kind === 'sale' ? 1 : 2, qtyMillionths: 1_000_000, price: amount, amount, taxRow: 4, department: 1, paymentMethod: 4, subject: 1, name: 'left open', measure: null, markingCode: null, industry: null }],
      tags: new Map(),
    };
  }

  // ---- link

  private command(body: Uint8Array): number[] {
    const req = parseRequest(body);
    if (!req) return [NAK];
    this.requests.push(req.cmd);
    const answer = this.device.execute(req.cmd, req.data);
    const frame = encodeAnswer(req.cmd, answer.error, answer.data);
    if (this.faults.takePowerLoss(req.cmd)) {
      // Committed (execute ran), then the power went: no ACK, no answer, nothing held after reboot.
      this.pending = null;
      this.parser.reset();
      return [];
    }
    this.pending = frame;
    if (this.faults.takeDrop()) return [];
    return [ACK, ...this.shape(frame)];
  }

  /** An answer as it goes out: with a wrong LRC while that fault lasts. */
  private shape(frame: Uint8Array): Uint8Array {
    if (!this.faults.takeCorrupt()) return frame;
    const bad = frame.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x5a;
    return bad;
  }
}
