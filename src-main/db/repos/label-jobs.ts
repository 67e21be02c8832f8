import type { PriceTag } from '../../../src-common/price-tag.js';
import type { LabelJobState, LabelJobVia } from '../../../src-common/rpc/label-schemas.js';
import type { Unit } from '../../../src-common/rpc/schemas.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export type { LabelJobState, LabelJobVia };
export type LabelJobKind = 'price_tags' | 'test';

export interface LabelJob {
  id: string;
  kind: LabelJobKind;
  via: LabelJobVia;
  deviceId: string;
  tags: PriceTag[];
  state: LabelJobState;
  attempts: number;
  lastError: string | null;
  createdBy: number | null;
  createdAt: number;
  printedAt: number | null;
}

export interface NewLabelJob {
  id: string;
  kind: LabelJobKind;
  via: LabelJobVia;
  deviceId: string;
  tags: PriceTag[];
  priceChangeIds: readonly number[];
  createdBy: number | null;
  at: EpochMs;
}

interface Row {
  id: string;
  kind: LabelJobKind;
  via: LabelJobVia;
  device_id: string;
  tags: string;
  state: LabelJobState;
  attempts: number;
  last_error: string | null;
  created_by: number | null;
  created_at: number;
  printed_at: number | null;
}

const toJob = (r: Row): LabelJob => ({
  id: r.id,
  kind: r.kind,
  via: r.via,
  deviceId: r.device_id,
  tags: JSON.parse(r.tags) as PriceTag[],
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  printedAt: r.printed_at,
});

/** A price change still waiting for its tags, with what the panel shows about it. */
export interface PendingChangeRow {
  id: number;
  product_id: number;
  name: string;
  unit: Unit;
  barcode: string | null;
  old_price: number;
  new_price: number;
  price: number;
  at: number;
  by_name: string | null;
  source_id: string | null;
  source_kind: 'receiving' | 'count' | 'writeoff' | null;
  source_number: number | null;
  job_id: string | null;
  job_state: LabelJobState | null;
  job_error: string | null;
}

/** What a price tag is made of. */
export interface TagProductRow {
  id: number;
  name: string;
  unit: Unit;
  price: number;
  sku: string | null;
  active: number;
  barcodes: { code: string; packQty: number }[];
}

const OPEN = `('queued', 'printing', 'waiting')`;

/** The label job queue and the price changes it prints tags for (migrations/0013_label_jobs.sql). */
export class LabelJobsRepo {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO label_jobs (id, kind, via, device_id, tags, state, created_by, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`),
      link: db.prepare('INSERT OR IGNORE INTO label_job_changes (job_id, price_change_id) VALUES (?, ?)'),
      next: db.prepare(`SELECT * FROM label_jobs WHERE device_id = ? AND via = 'label' AND state IN ('queued', 'waiting')
        ORDER BY created_at, rowid LIMIT 1`),
      byId: db.prepare('SELECT * FROM label_jobs WHERE id = ?'),
      recent: db.prepare('SELECT * FROM label_jobs ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      open: db.prepare(`SELECT * FROM label_jobs WHERE state IN ${OPEN} ORDER BY created_at, rowid`),
      changesOf: db.prepare('SELECT price_change_id FROM label_job_changes WHERE job_id = ? ORDER BY price_change_id').pluck(),
      setState: db.prepare(`UPDATE label_jobs SET state = ?, last_error = ?, updated_at = ?, attempts = attempts + ? WHERE id = ?`),
      done: db.prepare(`UPDATE label_jobs SET state = 'done', last_error = NULL, updated_at = ?, printed_at = ? WHERE id = ? AND state <> 'done'`),
      tagsPrinted: db.prepare(`UPDATE price_changes SET tags_printed_at = ? WHERE tags_printed_at IS NULL
        AND id IN (SELECT price_change_id FROM label_job_changes WHERE job_id = ?)`),
      interrupted: db.prepare(`UPDATE label_jobs SET state = 'queued', updated_at = ?,
          last_error = 'interrupted by a restart: printed again' WHERE via = 'label' AND state = 'printing'`),
      adopt: db.prepare(`UPDATE label_jobs SET device_id = ?, updated_at = ? WHERE via = 'label' AND state IN ('queued', 'waiting')
          AND device_id NOT IN (SELECT value FROM json_each(?))`),
      pending: db.prepare(`SELECT pc.id, pc.product_id, p.name, p.unit,
            (SELECT b.code FROM barcodes b WHERE b.product_id = p.id ORDER BY b.pack_qty, b.code LIMIT 1) AS barcode,
            pc.old_price, pc.new_price, p.price, pc.at, u.name AS by_name, pc.source_id,
            d.kind AS source_kind, d.number AS source_number, j.id AS job_id, j.state AS job_state, j.last_error AS job_error
          FROM price_changes pc
          JOIN products p ON p.id = pc.product_id
          LEFT JOIN users u ON u.id = pc.user_id
          LEFT JOIN stock_docs d ON d.id = pc.source_id
          LEFT JOIN label_jobs j ON j.id = (SELECT c.job_id FROM label_job_changes c JOIN label_jobs lj ON lj.id = c.job_id
            WHERE c.price_change_id = pc.id ORDER BY lj.created_at DESC, lj.rowid DESC LIMIT 1)
          WHERE pc.tags_printed_at IS NULL
          ORDER BY pc.at DESC, pc.id DESC LIMIT ?`),
      change: db.prepare(`SELECT pc.id, pc.product_id, pc.tags_printed_at,
            EXISTS (SELECT 1 FROM label_job_changes c JOIN label_jobs j ON j.id = c.job_id WHERE c.price_change_id = pc.id AND j.state IN ${OPEN}) AS queued
          FROM price_changes pc WHERE pc.id = ?`),
      product: db.prepare('SELECT id, name, unit, price, sku, active FROM products WHERE id = ?'),
      barcodes: db.prepare('SELECT code, pack_qty AS packQty FROM barcodes WHERE product_id = ? ORDER BY pack_qty, code'),
    };
  }

  /** Queue a job (inside the caller's transaction), with the price changes it prints tags for. */
  insert(j: NewLabelJob): void {
    this.s.insert.run(j.id, j.kind, j.via, j.deviceId, JSON.stringify(j.tags), j.createdBy, j.at, j.at);
    for (const id of j.priceChangeIds) this.s.link.run(j.id, id);
  }

  /** The next job for a label printer: the oldest queued or waiting one. */
  next(deviceId: string): LabelJob | null {
    const r = this.s.next.get(deviceId) as Row | undefined;
    return r ? toJob(r) : null;
  }

  byId(id: string): LabelJob | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? toJob(r) : null;
  }

  recent(limit: number): LabelJob[] {
    return (this.s.recent.all(limit) as Row[]).map(toJob);
  }

  /** Jobs not finished yet, oldest first. */
  open(): LabelJob[] {
    return (this.s.open.all() as Row[]).map(toJob);
  }

  priceChangesOf(jobId: string): number[] {
    return this.s.changesOf.all(jobId) as number[];
  }

  set(id: string, state: Exclude<LabelJobState, 'done'>, at: EpochMs, error: string | null = null, attempt = false): void {
    this.s.setState.run(state, error, at, attempt ? 1 : 0, id);
  }

  /** The job printed: it is done and its price changes' tags are printed, together or not at all. */
  finish(id: string, at: EpochMs): void {
    this.db.transaction(() => {
      if (this.s.done.run(at, at, id).changes === 1) this.s.tagsPrinted.run(at, id);
    })();
  }

  /**
   * At start-up: a label job caught mid-print is printed again. Whether the printer got the batch
   * cannot be known; a tag printed twice is better than a shelf left with the old price.
   */
  requeueInterrupted(at: EpochMs): number {
    return this.s.interrupted.run(at).changes;
  }

  /** Jobs waiting for a label printer that is no longer configured move to `to` (the label printer now). */
  adoptOrphans(liveDeviceIds: readonly string[], to: string, at: EpochMs): number {
    return this.s.adopt.run(to, at, JSON.stringify(liveDeviceIds)).changes;
  }

  pending(limit: number): PendingChangeRow[] {
    return this.s.pending.all(limit) as PendingChangeRow[];
  }

  /** A price change, whether its tags are printed, and whether a job not finished yet holds it. */
  change(id: number): { id: number; productId: number; printed: boolean; queued: boolean } | null {
    const r = this.s.change.get(id) as { id: number; product_id: number; tags_printed_at: number | null; queued: number } | undefined;
    return r ? { id: r.id, productId: r.product_id, printed: r.tags_printed_at !== null, queued: r.queued === 1 } : null;
  }

  product(id: number): TagProductRow | null {
    const p = this.s.product.get(id) as Omit<TagProductRow, 'barcodes'> | undefined;
    if (!p) return null;
    return { ...p, barcodes: this.s.barcodes.all(id) as { code: string; packQty: number }[] };
  }
}
