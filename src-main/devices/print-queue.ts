import type { Clock } from '../../src-common/clock.js';
import { newId } from '../../src-common/ids.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import type { DocumentPrinter } from '../../src-drivers/common/printer.js';

export type { DocumentPrinter };
import type { EpochMs } from '../../src-common/units.js';
import type { PrintJob, PrintJobKind, PrintJobsRepo } from '../db/repos/print-jobs.js';
import type { Logger } from '../rpc/dispatcher.js';
import { DeviceJobQueue } from './device-job-queue.js';

/** A drawer kick that could not be sent within this long is dropped: a drawer must never spring open later. */
export const DRAWER_KICK_TTL_MS = 10_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface PrintQueueEvents {
  changed(job: PrintJob): void;
}

/**
 * The persisted print queue: one job at a time per printer, in priority then arrival order. A job
 * that cannot print waits, visible with its cause, and resumes when the printer says it is ready
 * (or on a back-off timer); jobs survive a restart. Printing never touches the sale: the sale
 * committed before its receipt was queued.
 */
export class PrintQueue extends DeviceJobQueue<DocumentPrinter, PrintJob> {
  constructor(
    private readonly jobs: PrintJobsRepo,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: PrintQueueEvents,
  ) {
    super({ firstMs: RETRY_FIRST_MS, maxMs: RETRY_MAX_MS });
  }

  /** At start-up, before printing: jobs a crash caught mid-print go back in the queue. */
  recover(): void {
    const n = this.jobs.requeueInterrupted(this.clock.now());
    if (n > 0) this.log.info('print jobs interrupted by a restart are queued again', { jobs: n });
  }

  /** Queue a document (inside the caller's transaction); kick the queue after the commit. */
  enqueue(deviceId: string, kind: PrintJobKind, refId: string | null, document: PrintDocument, at: EpochMs): string | null {
    const id = newId();
    // A drawer kick first; price tags (the fallback with no label printer) after any receipt.
    const priority = kind === 'drawer' ? 0 : kind === 'labels' ? 2 : 1;
    return this.jobs.insert({ id, deviceId, kind, refId, priority, document, at }) ? id : null;
  }

  protected nextJob(deviceId: string): PrintJob | null {
    return this.jobs.next(deviceId);
  }

  protected print(printer: DocumentPrinter, job: PrintJob, hooks: { waiting(reason: string): void }): Promise<void> {
    return printer.print(job.document, hooks);
  }

  protected override expired(job: PrintJob): boolean {
    const late = job.kind === 'drawer' && this.clock.now() - job.createdAt > DRAWER_KICK_TTL_MS;
    if (late) this.set(job, 'failed', 'the drawer was not opened in time: open it with its key');
    return late;
  }

  protected markPrinting(job: PrintJob): void {
    this.set(job, 'printing', null, true);
  }

  protected markDone(job: PrintJob): void {
    this.set(job, 'done');
  }

  protected markWaiting(job: PrintJob, reason: string): void {
    this.set(job, 'waiting', reason);
  }

  /** A drawer kick is never retried: a drawer springing open minutes later is worse than none. */
  protected failsForGood(job: PrintJob, _error: unknown, reason: string): boolean {
    if (job.kind !== 'drawer') return false;
    this.set(job, 'failed', `${reason}: open the drawer with its key`);
    return true;
  }

  private set(job: PrintJob, state: PrintJob['state'], error: string | null = null, attempt = false): void {
    this.jobs.set(job.id, state, this.clock.now(), error, attempt);
    const now = this.jobs.byId(job.id);
    if (now) this.events.changed(now);
  }
}
