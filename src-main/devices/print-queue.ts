import type { Clock } from '../../src-common/clock.js';
import { newId } from '../../src-common/ids.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import type { DocumentPrinter } from '../../src-drivers/common/printer.js';

export type { DocumentPrinter };
import type { EpochMs } from '../../src-common/units.js';
import type { PrintJob, PrintJobKind, PrintJobsRepo } from '../db/repos/print-jobs.js';
import type { Logger } from '../rpc/dispatcher.js';

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
export class PrintQueue {
  private readonly printers = new Map<string, { printer: DocumentPrinter; off: () => void }>();
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly delays = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly jobs: PrintJobsRepo,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: PrintQueueEvents,
  ) {}

  /** At start-up, before printing: jobs a crash caught mid-print go back in the queue. */
  recover(): void {
    const n = this.jobs.requeueInterrupted(this.clock.now());
    if (n > 0) this.log.info('print jobs interrupted by a restart are queued again', { jobs: n });
  }

  attach(printer: DocumentPrinter): void {
    this.detach(printer.deviceId);
    const off = printer.onReady(() => this.kick(printer.deviceId));
    this.printers.set(printer.deviceId, { printer, off });
    this.kick(printer.deviceId);
  }

  detach(deviceId: string): void {
    this.printers.get(deviceId)?.off();
    this.printers.delete(deviceId);
  }

  /** Queue a document (inside the caller's transaction); kick the queue after the commit. */
  enqueue(deviceId: string, kind: PrintJobKind, refId: string | null, document: PrintDocument, at: EpochMs): string | null {
    const id = newId();
    // A drawer kick first; price tags (the fallback with no label printer) after any receipt.
    const priority = kind === 'drawer' ? 0 : kind === 'labels' ? 2 : 1;
    return this.jobs.insert({ id, deviceId, kind, refId, priority, document, at }) ? id : null;
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

  /** Resolves when no printer is working on a job right now. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const { off } of this.printers.values()) off();
  }

  private set(job: PrintJob, state: PrintJob['state'], error: string | null = null, attempt = false): void {
    this.jobs.set(job.id, state, this.clock.now(), error, attempt);
    const now = this.jobs.byId(job.id);
    if (now) this.events.changed(now);
  }

  private async drain(deviceId: string): Promise<void> {
    this.busy.add(deviceId);
    try {
      for (;;) {
        const entry = this.printers.get(deviceId);
        const job = this.jobs.next(deviceId);
        if (!entry || !job || this.stopped) return;
        if (job.kind === 'drawer' && this.clock.now() - job.createdAt > DRAWER_KICK_TTL_MS) {
          this.set(job, 'failed', 'the drawer was not opened in time: open it with its key');
          continue;
        }
        this.set(job, 'printing', null, true);
        try {
          await entry.printer.print(job.document, { waiting: (reason) => !this.stopped && this.set(job, 'waiting', reason) });
          // Stopped meanwhile (the till is closing, its store with it): the job stays 'printing' and
          // is printed again after the restart, as any interrupted job is.
          if (this.stopped) return;
          this.set(job, 'done');
          this.delays.delete(deviceId);
        } catch (e) {
          if (this.stopped) return;
          const reason = e instanceof Error ? e.message : String(e);
          if (job.kind === 'drawer') {
            this.set(job, 'failed', `${reason}: open the drawer with its key`);
            continue;
          }
          this.set(job, 'waiting', reason);
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
    const delay = this.delays.get(deviceId) ?? RETRY_FIRST_MS;
    this.delays.set(deviceId, Math.min(delay * 2, RETRY_MAX_MS));
    this.timers.set(
      deviceId,
      setTimeout(() => {
        this.timers.delete(deviceId);
        this.kick(deviceId);
      }, delay),
    );
  }
}
