import { layoutPriceTag, presetStock, type LabelLayout, type LabelStock, type PriceTag } from '../../src-common/price-tag.js';
import type { DeviceConnection } from '../common/connection.js';
import { LabelPrinterError, type LabelPrinter, type LabelPrinterState } from '../common/label-printer.js';
import { Listeners } from '../transports/listeners.js';
import type { LabelProfile } from './profiles.js';
import { LABEL_FAULT_TEXT, labelBusy, labelFault, statusReader, type LabelStatus, type LabelStatusReader } from './status.js';
import { encodeTspl } from './tspl.js';
import { encodeZpl } from './zpl.js';

export interface LabelPrinterOptions {
  /** The stock loaded; default the 58x40 mm preset at the profile's resolution. */
  stock?: LabelStock;
  /** How long a status query may go unanswered before the printer counts as not answering. */
  statusTimeoutMs?: number;
  /** How often status is read while a batch prints. */
  pollMs?: number;
  /** Give up waiting for a batch to finish after this long. */
  printTimeoutMs?: number;
  /** A write that has not drained after this long means the link is gone (a dead pty never drains). */
  writeTimeoutMs?: number;
}

/** Layouts in the profile's language. The layouts' resolution must be the printer's. */
export function encodeLabels(layouts: readonly LabelLayout[], profile: LabelProfile): Uint8Array {
  for (const l of layouts) {
    if (l.stock.dpi !== profile.dpi) throw new RangeError(`a ${l.stock.dpi} dpi layout cannot go to a ${profile.dpi} dpi printer`);
  }
  return profile.language === 'zpl' ? encodeZpl(layouts, profile) : encodeTspl(layouts, profile);
}

/**
 * A ZPL or TSPL label printer over any transport (serial, USB printer class, TCP 9100), kept open
 * by a DeviceConnection: a lost link is a status change and a refusal ('offline'), and the
 * connection brings it back by itself.
 *
 * A job: lay the tags out (bad input fails here, before any I/O), ask the printer's status, refuse
 * with the reason if it cannot print, send, then read status until it reports the batch done.
 * ZPL says so exactly (formats in buffer, labels remaining); TSPL has no "printed up to here"
 * answer, so there "done" is "not printing and no fault" at a poll after sending (a slow printer
 * that has not started by the first poll reads as done: accepted, not proven printed). A stop on
 * the way (out of labels) is reported through `waiting`, and the job goes on waiting: the printer
 * holds the rest of the batch and prints it when the fault is cleared, so nothing is resent. Jobs
 * and queries never interleave.
 */
export class LabelPrinterDriver implements LabelPrinter {
  private readonly reader: LabelStatusReader;
  private readonly waiters = new Set<(s: LabelStatus) => void>();
  private readonly ready = new Listeners<void>();
  private lock: Promise<unknown> = Promise.resolve();
  private last: LabelStatus | null = null;
  private jobRunning = false;
  readonly stock: LabelStock;

  constructor(
    readonly deviceId: string,
    private readonly conn: DeviceConnection,
    readonly profile: LabelProfile,
    private readonly opts: LabelPrinterOptions = {},
  ) {
    this.stock = opts.stock ?? presetStock('58x40', profile.dpi);
    this.reader = statusReader(profile.language);
    conn.onData((chunk) => {
      for (const s of this.reader.push(chunk)) {
        this.last = s;
        for (const w of [...this.waiters]) w(s);
      }
    });
    conn.onStatus((s) => {
      if (s.status !== 'connected') return;
      this.reader.reset();
      this.ready.emit();
    });
  }

  /** The last report the printer gave, if any. */
  get lastReport(): LabelStatus | null {
    return this.last;
  }

  onReady(cb: () => void): () => void {
    return this.ready.add(cb);
  }

  layout(tags: readonly PriceTag[]): LabelLayout[] {
    return tags.map((t) => layoutPriceTag(t, this.stock));
  }

  /**
   * Asks the printer when it is idle. During a job it answers from the job's own last reading
   * instead: a batch waiting for labels can take minutes, and the screen must not wait with it.
   */
  async status(): Promise<LabelPrinterState> {
    if (this.jobRunning) {
      const report = this.last;
      return { connection: this.conn.status, report, fault: report ? labelFault(report) : null, busy: true };
    }
    return this.exclusive(async () => {
      const connection = this.conn.status;
      try {
        const report = await this.readStatus();
        return { connection, report, fault: labelFault(report), busy: labelBusy(report) };
      } catch (e) {
        const fault = e instanceof LabelPrinterError && e.reason !== 'timeout' ? e.reason : 'no_answer';
        return { connection: this.conn.status, report: null, fault, busy: false };
      }
    });
  }

  async print(tags: readonly PriceTag[], hooks: { waiting(reason: string): void }): Promise<void> {
    if (tags.length === 0) return;
    const bytes = encodeLabels(this.layout(tags), this.profile);
    await this.exclusive(() => this.printJob(bytes, hooks));
  }

  private async printJob(bytes: Uint8Array, hooks: { waiting(reason: string): void }): Promise<void> {
    this.jobRunning = true;
    try {
      const before = await this.readStatus();
      const fault = labelFault(before);
      if (fault) throw new LabelPrinterError(fault);
      await this.send(bytes);
      await this.untilDone(hooks);
    } finally {
      this.jobRunning = false;
    }
  }

  private async untilDone(hooks: { waiting(reason: string): void }): Promise<void> {
    const deadline = Date.now() + (this.opts.printTimeoutMs ?? 10 * 60_000);
    let told: string | null = null;
    for (;;) {
      await sleep(this.opts.pollMs ?? 300);
      if (this.conn.status !== 'connected') throw new LabelPrinterError('offline', `the label printer went away in the middle of a batch (${this.conn.lastMessage ?? this.conn.status})`);
      let reason: string | null;
      try {
        const s = await this.readStatus();
        const fault = labelFault(s);
        if (!fault && !labelBusy(s)) return;
        reason = fault ? LABEL_FAULT_TEXT[fault] : null;
      } catch (e) {
        if (e instanceof LabelPrinterError && e.reason === 'offline') throw e;
        // A Zebra may go silent while its media is out or its head is open: keep waiting, say so.
        reason = LABEL_FAULT_TEXT.no_answer;
      }
      if (reason && reason !== told) hooks.waiting(reason);
      told = reason;
      if (Date.now() > deadline) throw new LabelPrinterError('timeout');
    }
  }

  private async send(bytes: Uint8Array): Promise<void> {
    if (this.conn.status !== 'connected') throw new LabelPrinterError('offline', `label printer not connected (${this.conn.lastMessage ?? this.conn.status})`);
    try {
      await withTimeout(this.conn.write(bytes), this.opts.writeTimeoutMs ?? 10_000);
    } catch (e) {
      throw new LabelPrinterError('offline', `could not send to the label printer: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async readStatus(): Promise<LabelStatus> {
    if (this.conn.status !== 'connected') throw new LabelPrinterError('offline', `label printer not connected (${this.conn.lastMessage ?? this.conn.status})`);
    const timeoutMs = this.opts.statusTimeoutMs ?? 1_000;
    let off = (): void => undefined;
    const answered = new Promise<LabelStatus>((resolve) => {
      const w = (s: LabelStatus): void => {
        this.waiters.delete(w);
        resolve(s);
      };
      this.waiters.add(w);
      off = () => this.waiters.delete(w);
    });
    this.reader.expect();
    try {
      await withTimeout(this.conn.write(this.reader.query), this.opts.writeTimeoutMs ?? 10_000);
    } catch (e) {
      off();
      this.reader.reset();
      throw new LabelPrinterError('offline', `could not ask the label printer: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      return await withTimeout(answered, timeoutMs);
    } catch {
      off();
      this.reader.reset();
      throw new LabelPrinterError('no_answer', `the label printer did not answer its status request within ${timeoutMs} ms`);
    }
  }

  /** One job or query at a time, in call order; a failure does not block the next. */
  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.lock.then(run, run);
    this.lock = next.catch(() => undefined);
    return next;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
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
