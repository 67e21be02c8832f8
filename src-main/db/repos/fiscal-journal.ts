import { newId } from '../../../src-common/ids.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export type FiscalOp = 'receipt' | 'correction' | 'open_shift' | 'close_shift' | 'cash_in' | 'cash_out' | 'x_report';
export type FiscalJournalState = 'queued' | 'sending' | 'done' | 'failed' | 'attention' | 'resolved';

/** How a person settled an alarm: by a correction receipt, or by saying what they checked. */
export interface FiscalResolution {
  by: string;
  how: 'correction' | 'dismissed';
  note: string;
  /** The correction row that registers the receipt instead. */
  correctionId?: string;
}

export interface FiscalJournalRow {
  id: string;
  seq: number;
  op: FiscalOp;
  refId: string | null;
  docKind: 'sale' | 'return' | null;
  total: number | null;
  payload: unknown;
  state: FiscalJournalState;
  fnBefore: number | null;
  documentNumber: number | null;
  fiscalSign: string | null;
  fiscalAt: number | null;
  shiftNumber: number | null;
  result: unknown;
  attempts: number;
  lastError: string | null;
  errorCode: string | null;
  resolution: FiscalResolution | null;
  createdAt: number;
}

interface Row {
  id: string;
  seq: number;
  op: FiscalOp;
  ref_id: string | null;
  doc_kind: 'sale' | 'return' | null;
  total: number | null;
  payload: string;
  state: FiscalJournalState;
  fn_before: number | null;
  document_number: number | null;
  fiscal_sign: string | null;
  fiscal_at: number | null;
  shift_number: number | null;
  result: string | null;
  attempts: number;
  last_error: string | null;
  error_code: string | null;
  resolution: string | null;
  created_at: number;
}

const toRow = (r: Row): FiscalJournalRow => ({
  id: r.id,
  seq: r.seq,
  op: r.op,
  refId: r.ref_id,
  docKind: r.doc_kind,
  total: r.total,
  payload: JSON.parse(r.payload) as unknown,
  state: r.state,
  fnBefore: r.fn_before,
  documentNumber: r.document_number,
  fiscalSign: r.fiscal_sign,
  fiscalAt: r.fiscal_at,
  shiftNumber: r.shift_number,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  attempts: r.attempts,
  lastError: r.last_error,
  errorCode: r.error_code,
  resolution: r.resolution === null ? null : (JSON.parse(r.resolution) as FiscalResolution),
  createdAt: r.created_at,
});

/** The fiscal journal: what must reach the registrar, in order, and what the ФН answered. */
export class FiscalJournalRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO fiscal_journal (id, seq, op, ref_id, doc_kind, total, payload, state, created_at, updated_at)
        VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM fiscal_journal), ?, ?, ?, ?, ?, 'queued', ?, ?)`),
      next: db.prepare(`SELECT * FROM fiscal_journal WHERE state IN ('queued', 'sending', 'failed') ORDER BY op = ? DESC, seq LIMIT 1`),
      byId: db.prepare('SELECT * FROM fiscal_journal WHERE id = ?'),
      forRef: db.prepare('SELECT * FROM fiscal_journal WHERE ref_id = ? ORDER BY seq'),
      open: db.prepare(`SELECT * FROM fiscal_journal WHERE state IN ('queued', 'sending', 'failed', 'attention') ORDER BY seq`),
      sending: db.prepare(`UPDATE fiscal_journal SET state = 'sending', fn_before = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`),
      done: db.prepare(`UPDATE fiscal_journal SET state = 'done', document_number = ?, fiscal_sign = ?, fiscal_at = ?, shift_number = ?,
          result = ?, last_error = NULL, error_code = NULL, updated_at = ? WHERE id = ?`),
      fail: db.prepare(`UPDATE fiscal_journal SET state = ?, last_error = ?, error_code = ?, updated_at = ? WHERE id = ?`),
      requeue: db.prepare(`UPDATE fiscal_journal SET state = 'queued', fn_before = NULL, updated_at = ? WHERE id = ?`),
      lastDone: db.prepare(`SELECT * FROM fiscal_journal WHERE op = ? AND state = 'done' AND fiscal_at IS NOT NULL ORDER BY seq DESC LIMIT 1`),
      resolve: db.prepare(`UPDATE fiscal_journal SET state = 'resolved', resolution = ?, updated_at = ? WHERE id = ? AND state IN ('attention', 'failed')`),
    };
  }

  /** Queue an operation inside the caller's transaction (it exists only if the caller commits). */
  enqueue(j: { op: FiscalOp; refId: string | null; docKind?: 'sale' | 'return' | null; total?: number | null; payload: unknown; at: EpochMs }): string {
    const id = newId();
    this.s.insert.run(id, j.op, j.refId, j.docKind ?? null, j.total ?? null, JSON.stringify(j.payload), j.at, j.at);
    return id;
  }

  /**
   * The oldest operation not yet done (failed ones stay first in line: documents go in order), or
   * the oldest of kind `first` when one waits (what unblocks the registrar goes ahead of what it refuses).
   */
  next(first: FiscalOp | null = null): FiscalJournalRow | null {
    const r = this.s.next.get(first) as Row | undefined;
    return r ? toRow(r) : null;
  }

  byId(id: string): FiscalJournalRow | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? toRow(r) : null;
  }

  forRef(refId: string): FiscalJournalRow[] {
    return (this.s.forRef.all(refId) as Row[]).map(toRow);
  }

  /** The latest operation of this kind the ФН registered (the last shift opening, say). */
  lastDone(op: FiscalOp): FiscalJournalRow | null {
    const r = this.s.lastDone.get(op) as Row | undefined;
    return r ? toRow(r) : null;
  }

  /** Everything not done, including what needs a person: the alarm list. */
  open(): FiscalJournalRow[] {
    return (this.s.open.all() as Row[]).map(toRow);
  }

  /** About to send: the ФН's last document number now (committed before anything is sent). */
  markSending(id: string, fnBefore: number, at: EpochMs): void {
    this.s.sending.run(fnBefore, at, id);
  }

  markDone(id: string, doc: { number: number | null; fiscalSign: string | null; at: number | null; shiftNumber: number | null; result?: unknown }, at: EpochMs): void {
    this.s.done.run(doc.number, doc.fiscalSign, doc.at, doc.shiftNumber, doc.result === undefined ? null : JSON.stringify(doc.result), at, id);
  }

  /** `failed`: retried later; `attention`: a person must look (recovery found something it must not decide alone). */
  markFailed(id: string, state: 'failed' | 'attention', error: string, code: string, at: EpochMs): void {
    this.s.fail.run(state, error.slice(0, 500), code, at, id);
  }

  /**
   * A person settled the alarm on this row (attention, or a failed row no longer worth retrying).
   * False when the row is not in such a state any more (it went through meanwhile).
   */
  resolve(id: string, resolution: FiscalResolution, at: EpochMs): boolean {
    return this.s.resolve.run(JSON.stringify(resolution), at, id).changes === 1;
  }

  /** Nothing reached the ФН: send it again from scratch. */
  requeue(id: string, at: EpochMs): void {
    this.s.requeue.run(at, id);
  }
}
