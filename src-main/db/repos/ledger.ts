import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src-common/canonical.js';
import { newId } from '../../../src-common/ids.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Per-till counters that never skip: they advance inside the transaction that uses them. */
export class CountersRepo {
  private readonly bump;
  constructor(db: Db) {
    this.bump = db.prepare(
      `INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    );
  }
  next(name: string): number {
    return (this.bump.get(name) as { value: number }).value;
  }
}

export interface OutboxEvent {
  seq: number;
  id: string;
  channel: string;
  type: string;
  payload: string;
  hash: string;
  createdAt: number;
}

/** Upstream sync outbox. The sequence is contiguous per till: the row is written with the business change. */
export class OutboxRepo {
  private readonly insert;
  private readonly last;
  private readonly pending;
  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO outbox (seq, id, channel, type, payload, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.last = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM outbox').pluck();
    this.pending = db.prepare(
      'SELECT seq, id, channel, type, payload, hash, created_at AS createdAt FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?',
    );
  }
  append(channel: string, type: string, payload: unknown, at: EpochMs): OutboxEvent {
    const seq = (this.last.get() as number) + 1;
    const id = newId();
    const text = canonicalJson(payload);
    const hash = sha256(text);
    this.insert.run(seq, id, channel, type, text, hash, at);
    return { seq, id, channel, type, payload: text, hash, createdAt: at };
  }
  unacked(limit: number): OutboxEvent[] {
    return this.pending.all(limit) as OutboxEvent[];
  }
}

const GENESIS = '0'.repeat(64);

export interface AuditFilter {
  userId?: number | undefined;
  action?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

/** Append-only audit log, each entry hash-chained to the one before (the table's triggers forbid edits). */
export class AuditRepo {
  private readonly insert;
  private readonly head;
  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, at, user_id, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.listStmt = db.prepare(`SELECT a.seq, a.at, u.name AS user, a.action, a.subject, a.details FROM audit_log a
      LEFT JOIN users u ON u.id = a.user_id
      WHERE (@userId IS NULL OR a.user_id = @userId) AND (@action IS NULL OR a.action = @action OR a.action LIKE @action || '.%')
        AND (@from IS NULL OR a.at >= @from) AND (@to IS NULL OR a.at < @to) AND (@beforeSeq IS NULL OR a.seq < @beforeSeq)
      ORDER BY a.seq DESC LIMIT @limit`);
  }
  private readonly listStmt;

  /** Newest first, filtered by user, action (or action family: "shift" matches "shift.open"), time and page. */
  list(f: AuditFilter): { seq: number; at: number; user: string | null; action: string; subject: string | null; details: string }[] {
    return this.listStmt.all({
      userId: f.userId ?? null,
      action: f.action ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      beforeSeq: f.beforeSeq ?? null,
      limit: f.limit,
    }) as { seq: number; at: number; user: string | null; action: string; subject: string | null; details: string }[];
  }
  /** The last entry: what the head office is sent so it can tell the chain was not cut short. */
  chainHead(): { seq: number; hash: string } {
    return (this.head.get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS };
  }

  append(at: EpochMs, userId: number | null, action: string, subject: string | null, details: Record<string, unknown>): void {
    const head = this.head.get() as { seq: number; hash: string } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prev = head?.hash ?? GENESIS;
    const detailsText = canonicalJson(details);
    const hash = sha256(prev + canonicalJson({ seq, at, userId, action, subject, details: detailsText }));
    this.insert.run(seq, at, userId, action, subject, detailsText, prev, hash);
  }
}

export interface AuditChainCheck {
  entries: number;
  /** The first entry that does not verify, or null when the whole chain holds. */
  brokenAt: number | null;
  /** Why it does not: its content was changed, or it no longer links to the entry before (one removed or inserted). */
  problem: 'content' | 'link' | 'sequence' | null;
  action: string | null;
  at: number | null;
}

/**
 * Walk the audit chain from the first entry and report the first one that does not verify: its
 * hash no longer matches its content (edited), its prev_hash is not the hash before it, or its
 * sequence number skips (an entry removed or inserted).
 */
export function checkAuditChain(db: Db): AuditChainCheck {
  let prev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  const rows = db.prepare('SELECT seq, at, user_id, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq').iterate();
  for (const r of rows as Iterable<{
    seq: number;
    at: number;
    user_id: number | null;
    action: string;
    subject: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  }>) {
    entries++;
    const fail = (problem: AuditChainCheck['problem']): AuditChainCheck => ({ entries, brokenAt: r.seq, problem, action: r.action, at: r.at });
    if (r.seq !== expectedSeq) return fail('sequence');
    const expected = sha256(prev + canonicalJson({ seq: r.seq, at: r.at, userId: r.user_id, action: r.action, subject: r.subject, details: r.details }));
    if (r.hash !== expected) return fail(r.prev_hash !== prev ? 'link' : 'content');
    if (r.prev_hash !== prev) return fail('link');
    prev = r.hash;
    expectedSeq++;
  }
  return { entries, brokenAt: null, problem: null, action: null, at: null };
}

/** Verify the audit chain; returns the first broken sequence number, or null when intact. */
export function verifyAuditChain(db: Db): number | null {
  return checkAuditChain(db).brokenAt;
}

/** How many audit entries there are. */
export function auditCount(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
}

export class StockRepo {
  private readonly insert;
  private readonly balanceStmt;
  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO stock_movements (product_id, qty, reason, ref_id, at) VALUES (?, ?, ?, ?, ?)');
    this.balanceStmt = db.prepare('SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE product_id = ?').pluck();
  }
  move(productId: number, qty: number, reason: 'sale' | 'return', refId: string, at: EpochMs): void {
    this.insert.run(productId, qty, reason, refId, at);
  }
  balance(productId: number): number {
    return this.balanceStmt.get(productId) as number;
  }
}
