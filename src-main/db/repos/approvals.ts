import type { Permission } from '../../../src-common/rpc/schemas.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface ApprovalRow {
  id: string;
  action: Permission;
  binding: string;
  requested_by: number;
  approved_by: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Manager approvals, persisted so "single use" holds across a restart. */
export class ApprovalsRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      insert: db.prepare(`INSERT INTO approvals (id, action, binding, requested_by, approved_by, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      byId: db.prepare('SELECT * FROM approvals WHERE id = ?'),
      use: db.prepare('UPDATE approvals SET used_at = ? WHERE id = ? AND used_at IS NULL'),
    };
  }
  insert(a: Omit<ApprovalRow, 'used_at'>): void {
    this.s.insert.run(a.id, a.action, a.binding, a.requested_by, a.approved_by, a.created_at, a.expires_at);
  }
  byId(id: string): ApprovalRow | null {
    return (this.s.byId.get(id) as ApprovalRow | undefined) ?? null;
  }
  markUsed(id: string, at: EpochMs): boolean {
    return this.s.use.run(at, id).changes === 1;
  }
}
