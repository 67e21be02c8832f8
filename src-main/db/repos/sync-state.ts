import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export type SyncHalt = 'revoked' | 'unauthenticated' | 'update_required';

/** The till's enrollment and sync progress (one row; the credential is not in the database). */
export interface SyncStateRow {
  serverUrl: string | null;
  tillId: string | null;
  tillName: string | null;
  storeId: string | null;
  storeName: string | null;
  enrolledAt: number | null;
  epoch: number;
  halted: SyncHalt | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastErrorAt: number | null;
  clockOffsetMs: number | null;
}

export interface Enrollment {
  serverUrl: string;
  tillId: string;
  tillName: string;
  storeId: string;
  storeName: string;
  at: EpochMs;
}

export class SyncStateRepo {
  private readonly getStmt;
  private readonly enrollStmt;
  private readonly epochStmt;
  private readonly identityStmt;
  private readonly rememberStmt;
  private readonly haltStmt;
  private readonly successStmt;
  private readonly failureStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare(`SELECT server_url AS serverUrl, till_id AS tillId, till_name AS tillName, store_id AS storeId,
      store_name AS storeName, enrolled_at AS enrolledAt, epoch, halted, last_attempt_at AS lastAttemptAt,
      last_success_at AS lastSuccessAt, last_error_code AS lastErrorCode, last_error_message AS lastErrorMessage,
      last_error_at AS lastErrorAt, clock_offset_ms AS clockOffsetMs FROM sync_state WHERE id = 1`);
    this.enrollStmt = db.prepare(`UPDATE sync_state SET server_url = @serverUrl, till_id = @tillId, till_name = @tillName,
      store_id = @storeId, store_name = @storeName, enrolled_at = @at, halted = NULL, last_attempt_at = @at, last_success_at = @at,
      last_error_code = NULL, last_error_message = NULL, last_error_at = NULL WHERE id = 1`);
    this.epochStmt = db.prepare('UPDATE sync_state SET epoch = ? WHERE id = 1');
    this.identityStmt = db.prepare('UPDATE sync_state SET till_id = ?, store_id = ? WHERE id = 1');
    this.rememberStmt = db.prepare('INSERT INTO till_identities (till_id, since) VALUES (?, ?) ON CONFLICT (till_id) DO NOTHING');
    this.haltStmt = db.prepare('UPDATE sync_state SET halted = ? WHERE id = 1');
    this.successStmt = db.prepare(`UPDATE sync_state SET last_attempt_at = @at, last_success_at = @at, clock_offset_ms = @offset,
      last_error_code = NULL, last_error_message = NULL, last_error_at = NULL WHERE id = 1`);
    this.failureStmt = db.prepare(`UPDATE sync_state SET last_attempt_at = @at, last_error_code = @code, last_error_message = @message,
      last_error_at = @at, clock_offset_ms = COALESCE(@offset, clock_offset_ms) WHERE id = 1`);
  }

  get(): SyncStateRow {
    return this.getStmt.get() as SyncStateRow;
  }

  enrolled(e: Enrollment): void {
    this.enrollStmt.run(e);
    this.rememberStmt.run(e.tillId, e.at);
  }

  setEpoch(epoch: number): void {
    this.epochStmt.run(epoch);
  }

  /** Who the head office says this till is (its credential decides, not this row). */
  setIdentity(tillId: string, storeId: string): void {
    this.identityStmt.run(tillId, storeId);
    this.rememberStmt.run(tillId, Date.now());
  }

  setHalted(halted: SyncHalt | null): void {
    this.haltStmt.run(halted);
  }

  /** The head office answered and took what it was sent. */
  succeeded(at: EpochMs, clockOffsetMs: number): void {
    this.successStmt.run({ at, offset: clockOffsetMs });
  }

  /** Why the last attempt did not go through; the clock offset too when the server answered at all. */
  failed(at: EpochMs, code: string, message: string, clockOffsetMs: number | null): void {
    this.failureStmt.run({ at, code, message, offset: clockOffsetMs });
  }
}
