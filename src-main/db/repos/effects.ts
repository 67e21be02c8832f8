import { newId } from '../../../src-common/ids.js';
import type { EffectView } from '../../../src-common/rpc/schemas.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export type EffectKind = 'print_receipt' | 'open_drawer';
export type EffectState = EffectView['state'];

export interface EffectRow {
  id: string;
  receiptId: string;
  kind: EffectKind;
  state: EffectState;
  attempts: number;
  lastError: string | null;
  result: string | null;
}

const COLUMNS = 'id, receipt_id AS receiptId, kind, state, attempts, last_error AS lastError, result';

/** Post-commit side effects of a sale, persisted in the sale's transaction and worked off afterwards. */
export class EffectsRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO effects (id, receipt_id, kind, state, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)`),
      due: db.prepare(`SELECT ${COLUMNS} FROM effects WHERE state IN ('pending', 'failed') ORDER BY created_at, id LIMIT ?`),
      byReceipt: db.prepare(`SELECT ${COLUMNS} FROM effects WHERE receipt_id = ? ORDER BY created_at, id`),
      all: db.prepare(`SELECT ${COLUMNS} FROM effects ORDER BY created_at DESC, id LIMIT 100`),
      settle: db.prepare(`UPDATE effects SET state = ?, attempts = attempts + 1, last_error = ?, result = ?, updated_at = ? WHERE id = ?`),
      result: db.prepare(`SELECT result FROM effects WHERE receipt_id = ? AND kind = ? AND state = 'done'`).pluck(),
    };
  }
  enqueue(receiptId: string, kind: EffectKind, at: EpochMs): string {
    const id = newId();
    this.s.insert.run(id, receiptId, kind, at, at);
    return id;
  }
  due(limit = 50): EffectRow[] {
    return this.s.due.all(limit) as EffectRow[];
  }
  forReceipt(receiptId: string): EffectRow[] {
    return this.s.byReceipt.all(receiptId) as EffectRow[];
  }
  recent(): EffectRow[] {
    return this.s.all.all() as EffectRow[];
  }
  settle(id: string, state: Exclude<EffectState, 'pending'>, error: string | null, result: string | null, at: EpochMs): void {
    this.s.settle.run(state, error, result, at, id);
  }
  resultOf(receiptId: string, kind: EffectKind): string | null {
    return (this.s.result.get(receiptId, kind) as string | undefined) ?? null;
  }
}
