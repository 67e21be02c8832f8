import type { Clock } from '../../src-common/clock.js';
import type { LabelStock } from '../../src-common/price-tag.js';
import type { EpochMs } from '../../src-common/units.js';
import type { LabelPrinter } from '../../src-drivers/common/label-printer.js';
import type { LabelJob, LabelJobsRepo, NewLabelJob } from '../db/repos/label-jobs.js';
import type { PrintJob, PrintJobsRepo } from '../db/repos/print-jobs.js';
import { tagDocuments } from '../domain/price-tags.js';
import type { Logger } from '../rpc/dispatcher.js';
import type { PrintQueue } from './print-queue.js';

export type { LabelPrinter };

const RETRY_FIRST_MS = 1_000;
/** A stopped label printer is cleared by a person: asking again every few seconds is soon enough. */
const RETRY_MAX_MS = 8_000;

/** Where price tags print: a label printer (on its stock), or the receipt printer when there is none. */
export interface LabelTarget {
  via: 'label' | 'receipt';
  deviceId: string;
  deviceName: string;
  /** The label stock loaded (null: the receipt printer). */
  stock: LabelStock | null;
}

/** What a `labels.*` handler may ask of the till's price tag printing. */
export interface LabelServices {
  /** Where tags print now: the first running label printer, else the receipt printer; null when neither is configured. */
  target(): LabelTarget | null;
  /** Queue a job inside the command's transaction (it exists only if the command commits). */
  queue(job: NewLabelJob): void;
  /** Start printing after the commit. */
  kick(target: LabelTarget): void;
}

export interface LabelQueueEvents {
  changed(job: LabelJob): void;
}

/**
 * The persisted label job queue: one job at a time per label printer, oldest first. A printer that
 * cannot print (head open, out of labels, not answering, unplugged) refuses before anything is sent;
 * the job waits with the reason and is tried again when the printer reconnects, when the device
 * manager sees it ready, or on a back-off timer, so it prints once the fault is cleared. A printer
 * that stops in the middle of a batch holds the rest and prints it when cleared: the driver waits
 * with it and nothing is resent. Jobs survive a restart (one caught mid-print is printed again).
 * Price tags never touch a sale: the queue runs beside the checkout, on its own printer.
 *
 * With no label printer, tags go to the receipt printer's queue as small tags (print jobs of kind
 * 'labels', after any receipt); the label job follows those jobs' states.
 */
export class LabelQueue {
  private readonly printers = new Map<string, { printer: LabelPrinter; off: () => void }>();
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly delays = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly jobs: LabelJobsRepo,
    private readonly printJobs: PrintJobsRepo,
    private readonly printQueue: PrintQueue,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: LabelQueueEvents,
    private readonly retry: { firstMs: number; maxMs: number } = { firstMs: RETRY_FIRST_MS, maxMs: RETRY_MAX_MS },
  ) {}

  /**
   * At start-up, before printing: jobs a crash caught mid-print go back in the queue, and a job on
   * the receipt printer catches up with its print jobs (a crash may have come between the two).
   */
  recover(): void {
    const n = this.jobs.requeueInterrupted(this.now());
    if (n > 0) this.log.info('label jobs interrupted by a restart are queued again', { jobs: n });
    for (const job of this.jobs.open()) if (job.via === 'receipt') this.follow(job.id);
  }

  attach(printer: LabelPrinter): void {
    this.detach(printer.deviceId);
    const off = printer.onReady(() => this.kick(printer.deviceId));
    this.printers.set(printer.deviceId, { printer, off });
    this.kick(printer.deviceId);
  }

  detach(deviceId: string): void {
    this.printers.get(deviceId)?.off();
    this.printers.delete(deviceId);
  }

  /** Queue a job (inside the caller's transaction); kick the printer after the commit. */
  enqueue(job: NewLabelJob): void {
    this.jobs.insert(job);
    if (job.via === 'receipt') {
      for (const doc of tagDocuments(job.tags)) this.printQueue.enqueue(job.deviceId, 'labels', job.id, doc, job.at);
    }
  }

  kick(deviceId?: string): void {
    if (this.stopped) return;
    for (const id of deviceId ? [deviceId] : [...this.printers.keys()]) {
      const t = this.timers.get(id);
      if (t) clearTimeout(t);
      this.timers.delete(id);
      if (this.busy.has(id) || !this.printers.has(id)) continue;
      const p = this.drain(id).finally(() => this.running.delete(p));
      this.running.add(p);
    }
  }

  /** A job is printing on this printer now (a status poll must not cut into it). */
  isBusy(deviceId: string): boolean {
    return this.busy.has(deviceId);
  }

  /** A job waits for this printer. */
  hasWork(deviceId: string): boolean {
    return this.jobs.next(deviceId) !== null;
  }

  /** Resolves when no printer is working on a job right now. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const { off } of this.printers.values()) off();
  }

  /** A receipt-printer job changed: the label job whose tags it prints follows. */
  followPrintJob(job: PrintJob): void {
    if (job.kind === 'labels' && job.refId) this.follow(job.refId);
  }

  /**
   * A fallback job's state from its print jobs: done when all are; waiting (with why) while any
   * waits; printing while any prints. Receipt-printer tag jobs are never dropped, only delayed.
   */
  private follow(labelJobId: string): void {
    const job = this.jobs.byId(labelJobId);
    if (!job || job.state === 'done' || job.state === 'failed' || job.state === 'cancelled') return;
    const parts = this.printJobs.forLabelJob(labelJobId);
    if (parts.length === 0) return;
    const waiting = parts.find((p) => p.state === 'waiting');
    const gone = parts.find((p) => p.state === 'failed' || p.state === 'cancelled');
    if (parts.every((p) => p.state === 'done')) {
      this.jobs.finish(job.id, this.now());
    } else if (gone && !parts.some((p) => p.state === 'queued' || p.state === 'printing' || p.state === 'waiting')) {
      this.jobs.set(job.id, 'failed', this.now(), gone.lastError ?? 'the receipt printer did not print the tags');
    } else if (waiting) {
      if (job.state === 'waiting' && job.lastError === waiting.lastError) return;
      this.jobs.set(job.id, 'waiting', this.now(), waiting.lastError);
    } else if (parts.some((p) => p.state === 'printing' || p.state === 'done')) {
      if (job.state === 'printing') return;
      this.jobs.set(job.id, 'printing', this.now(), null, true);
    } else {
      return;
    }
    this.emit(job.id);
  }

  private now(): EpochMs {
    return this.clock.now() as EpochMs;
  }

  private emit(jobId: string): void {
    const now = this.jobs.byId(jobId);
    if (now) this.events.changed(now);
  }

  private set(job: LabelJob, state: 'printing' | 'waiting' | 'failed', error: string | null = null, attempt = false): void {
    this.jobs.set(job.id, state, this.now(), error, attempt);
    this.emit(job.id);
  }

  private async drain(deviceId: string): Promise<void> {
    this.busy.add(deviceId);
    try {
      for (;;) {
        const entry = this.printers.get(deviceId);
        const job = this.jobs.next(deviceId);
        if (!entry || !job || this.stopped) return;
        this.set(job, 'printing', null, true);
        try {
          await entry.printer.print(job.tags, { waiting: (reason) => !this.stopped && this.set(job, 'waiting', reason) });
          // Stopped meanwhile (the till is closing): the job stays as it is and prints after the restart.
          if (this.stopped) return;
          this.jobs.finish(job.id, this.now());
          this.emit(job.id);
          this.delays.delete(deviceId);
        } catch (e) {
          if (this.stopped) return;
          // Tags that cannot be laid out (bad data) would fail on every try: the job stops here, visibly.
          if (e instanceof RangeError) {
            this.log.error('label job cannot be printed', { job: job.id, error: e.message });
            this.set(job, 'failed', e.message);
            continue;
          }
          this.set(job, 'waiting', e instanceof Error ? e.message : String(e));
          this.retryLater(deviceId);
          return;
        }
      }
    } finally {
      this.busy.delete(deviceId);
    }
  }

  private retryLater(deviceId: string): void {
    if (this.stopped) return;
    const delay = this.delays.get(deviceId) ?? this.retry.firstMs;
    this.delays.set(deviceId, Math.min(delay * 2, this.retry.maxMs));
    this.timers.set(
      deviceId,
      setTimeout(() => {
        this.timers.delete(deviceId);
        this.kick(deviceId);
      }, delay),
    );
  }
}
