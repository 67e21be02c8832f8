import type { PrintDocument } from '../../../src-common/print-document.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

/** 'labels': price tags on the receipt printer (no label printer configured); ref_id is the label job. */
export type PrintJobKind = 'receipt' | 'drawer' | 'report' | 'reprint' | 'test' | 'labels';
export type PrintJobState = 'queued' | 'printing' | 'waiting' | 'done' | 'failed' | 'cancelled';

export interface PrintJob {
  id: string;
  deviceId: string;
  kind: PrintJobKind;
  refId: string | null;
  priority: number;
  document: PrintDocument;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  printedAt: number | null;
}

interface Row {
  id: string;
  device_id: string;
  kind: PrintJobKind;
  ref_id: string | null;
  priority: number;
  document: string;
  state: PrintJobState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  printed_at: number | null;
}

const toJob = (r: Row): PrintJob => ({
  id: r.id,
  deviceId: r.device_id,
  kind: r.kind,
  refId: r.ref_id,
  priority: r.priority,
  document: JSON.parse(r.document) as PrintDocument,
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  printedAt: r.printed_at,
});

export class PrintJobsRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO print_jobs (id, device_id, kind, ref_id, priority, document, state, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING`),
      next: db.prepare(`SELECT * FROM print_jobs WHERE device_id = ? AND state IN ('queued', 'waiting')
        ORDER BY priority, created_at, rowid LIMIT 1`),
      byId: db.prepare('SELECT * FROM print_jobs WHERE id = ?'),
      forRef: db.prepare('SELECT * FROM print_jobs WHERE ref_id = ? ORDER BY created_at, rowid'),
      forLabelJob: db.prepare(`SELECT * FROM print_jobs WHERE kind = 'labels' AND ref_id = ? ORDER BY created_at, rowid`),
      open: db.prepare(`SELECT * FROM print_jobs WHERE state IN ('queued', 'printing', 'waiting') ORDER BY priority, created_at, rowid`),
      setState: db.prepare(`UPDATE print_jobs SET state = ?, last_error = ?, updated_at = ?,
          attempts = attempts + ?, printed_at = CASE WHEN ? = 'done' THEN ? ELSE printed_at END WHERE id = ?`),
      adopt: db.prepare(`UPDATE print_jobs SET device_id = ?, updated_at = ? WHERE state IN ('queued', 'waiting')
          AND kind <> 'drawer' AND device_id NOT IN (SELECT value FROM json_each(?))`),
      dropKicks: db.prepare(`UPDATE print_jobs SET state = 'cancelled', updated_at = ?, last_error = 'the drawer was removed'
          WHERE state IN ('queued', 'waiting') AND kind = 'drawer' AND device_id NOT IN (SELECT value FROM json_each(?))`),
      interrupted: db.prepare(`UPDATE print_jobs SET state = 'queued', updated_at = ?,
          last_error = 'interrupted by a restart: printed again' WHERE state = 'printing'`),
    };
  }

  /** Queue a job (inside the caller's transaction). A second original of the same receipt is ignored. */
  insert(j: { id: string; deviceId: string; kind: PrintJobKind; refId: string | null; priority: number; document: PrintDocument; at: EpochMs }): boolean {
    return this.s.insert.run(j.id, j.deviceId, j.kind, j.refId, j.priority, JSON.stringify(j.document), j.at, j.at).changes === 1;
  }

  next(deviceId: string): PrintJob | null {
    const r = this.s.next.get(deviceId) as Row | undefined;
    return r ? toJob(r) : null;
  }

  byId(id: string): PrintJob | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  forRef(refId: string): PrintJob[] {
    return (this.s.forRef.all(refId) as Row[]).map(toJob);
  }

  /** The receipt-printer jobs printing a label job's tags (the fallback with no label printer). */
  forLabelJob(labelJobId: string): PrintJob[] {
    return (this.s.forLabelJob.all(labelJobId) as Row[]).map(toJob);
  }

  open(): PrintJob[] {
    return (this.s.open.all() as Row[]).map(toJob);
  }

  set(id: string, state: PrintJobState, at: EpochMs, error: string | null = null, attempt = false): void {
    this.s.setState.run(state, error, at, attempt ? 1 : 0, state, at, id);
  }

  /**
   * Jobs waiting for a printer that is no longer configured (removed, disabled) move to `to`, the
   * receipt printer now; drawer kicks for a drawer that is gone are cancelled (a drawer must never
   * open late, or somewhere else). Returns the jobs moved.
   */
  adoptOrphans(liveDeviceIds: string[], to: string | null, at: EpochMs): number {
    const live = JSON.stringify(liveDeviceIds);
    this.s.dropKicks.run(at, live);
    return to ? this.s.adopt.run(to, at, live).changes : 0;
  }

  /**
   * At start-up: a job caught mid-print by a crash is printed again. Whether the printer got all
   * of it cannot be known; a receipt printed twice is better than a receipt never printed.
   */
  requeueInterrupted(at: EpochMs): number {
    return this.s.interrupted.run(at).changes;
  }
}
