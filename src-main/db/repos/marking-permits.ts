import type { EpochMs } from '../../../src-common/units.js';
import type { PermitCodeAnswer } from '../../fiscal/permit/permit.js';
import type { Db } from '../open.js';

/** The permit check's answer kept with a marked unit on a receipt, for its fiscal line (tag 1260). */
export interface MarkingPermitRow {
  receiptId: string;
  code: string;
  provider: string;
  answer: PermitCodeAnswer;
  checkedAt: number;
}

/** Permit answers per receipt and code: written with the line, read when the receipt is fiscalized (perhaps after a restart). */
export class MarkingPermitsRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      save: db.prepare(`INSERT INTO marking_permits (receipt_id, code, provider, req_id, req_timestamp, answer, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (receipt_id, code) DO UPDATE SET provider = excluded.provider, req_id = excluded.req_id,
          req_timestamp = excluded.req_timestamp, answer = excluded.answer, checked_at = excluded.checked_at`),
      forget: db.prepare('DELETE FROM marking_permits WHERE receipt_id = ? AND code = ?'),
      get: db.prepare('SELECT answer, provider, checked_at FROM marking_permits WHERE receipt_id = ? AND code = ?'),
    };
  }

  save(receiptId: string, code: string, provider: string, answer: PermitCodeAnswer, at: EpochMs): void {
    this.s.save.run(receiptId, code, provider, answer.reqId, answer.reqTimestamp, JSON.stringify(answer), at);
  }

  /** The unit went on the receipt without a permit answer (no check configured, or none could be had). */
  forget(receiptId: string, code: string): void {
    this.s.forget.run(receiptId, code);
  }

  get(receiptId: string, code: string): MarkingPermitRow | null {
    const r = this.s.get.get(receiptId, code) as { answer: string; provider: string; checked_at: number } | undefined;
    return r ? { receiptId, code, provider: r.provider, answer: JSON.parse(r.answer) as PermitCodeAnswer, checkedAt: r.checked_at } : null;
  }
}
