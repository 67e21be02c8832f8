import type { Clock } from '../../src-common/clock.js';
import type { LabelStock } from '../../src-common/price-tag.js';
import type { EpochMs } from '../../src-common/units.js';
import type { LabelPrinter } from '../../src-drivers/common/label-printer.js';
import type { LabelJob, LabelJobsRepo, NewLabelJob } from '../db/repos/label-jobs.js';
import type { PrintJob, PrintJobsRepo } from '../db/repos/print-jobs.js';
import { tagDocuments } from '../domain/price-tags.js';
import type { Logger } from '../rpc/dispatcher.js';
import { DeviceJobQueue, type RetryDelays } from './device-job-queue.js';
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
export class LabelQueue extends DeviceJobQueue<LabelPrinter, LabelJob> {
  constructor(
    private readonly jobs: LabelJobsRepo,
    private readonly printJobs: PrintJobsRepo,
    private readonly printQueue: PrintQueue,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: LabelQueueEvents,
    retry: RetryDelays = { firstMs: RETRY_FIRST_MS, maxMs: RETRY_MAX_MS },
  ) {
    super(retry);
  }

  /**
   * At start-up, before printing: jobs a crash caught mid-print go back in the queue, and a job on
   * the receipt printer catches up with its print jobs (a crash may have come between the two).
   */
  recover(): void {
    const n = this.jobs.requeueInterrupted(this.now());
    if (n > 0) this.log.info('label jobs interrupted by a restart are queued again', { jobs: n });
    for (const job of this.jobs.open()) if (job.via === 'receipt') this.follow(job.id);
  }

  /** Queue a job (inside the caller's transaction); kick the printer after the commit. */
  enqueue(job: NewLabelJob): void {
    this.jobs.insert(job);
    if (job.via === 'receipt') {
      for (const doc of tagDocuments(job.tags)) this.printQueue.enqueue(job.deviceId, 'labels', job.id, doc, job.at);
    }
  }

  /** A job waits for this printer. */
  hasWork(deviceId: string): boolean {
    return this.jobs.next(deviceId) !== null;
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

  protected nextJob(deviceId: string): LabelJob | null {
    return this.jobs.next(deviceId);
  }

  protected print(printer: LabelPrinter, job: LabelJob, hooks: { waiting(reason: string): void }): Promise<void> {
    return printer.print(job.tags, hooks);
  }

  protected markPrinting(job: LabelJob): void {
    this.set(job, 'printing', null, true);
  }

  protected markDone(job: LabelJob): void {
    this.jobs.finish(job.id, this.now());
    this.emit(job.id);
  }

  protected markWaiting(job: LabelJob, reason: string): void {
    this.set(job, 'waiting', reason);
  }

  /** Tags that cannot be laid out (bad data) would fail on every try: the job stops here, visibly. */
  protected failsForGood(job: LabelJob, error: unknown, reason: string): boolean {
    if (!(error instanceof RangeError)) return false;
    this.log.error('label job cannot be printed', { job: job.id, error: reason });
    this.set(job, 'failed', reason);
    return true;
  }
}
