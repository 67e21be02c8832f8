import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src-common/canonical.js';
import { newId } from '../../../src-common/ids.js';
import type { SyncChannel } from '../../../src-common/sync/protocol.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Statement } from 'better-sqlite3';
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
  channel: SyncChannel;
  /** Contiguous within (channel, epoch) from 1: the number the head office sees. */
  channelSeq: number;
  epoch: number;
  /** The epoch in which the head office last answered `conflict` for it (null: never). */
  conflictEpoch: number | null;
  type: string;
  v: number;
  payload: string;
  hash: string;
  createdAt: number;
}

const EVENT_COLUMNS = 'seq, id, channel, channel_seq AS channelSeq, epoch, conflict_epoch AS conflictEpoch, type, v, payload, hash, created_at AS createdAt';

/**
 * Upstream sync outbox, written in the transaction of the business change it reports. Two
 * sequences, both contiguous and both assigned by the INSERT itself: `seq` per till (I4), and
 * `channelSeq` per channel within the till's current epoch (what the head office applies in order).
 */
export class OutboxRepo {
  private readonly insert;
  private readonly pendingAll;
  private readonly pendingChannel;
  private readonly fromStmt;
  private readonly ackStmt;
  private readonly conflictStmt;
  private readonly giveUpStmt;
  private readonly queuedStmt;
  private readonly conflictsStmt;
  private readonly maxStmt;
  private readonly ackedMaxStmt;
  private readonly renumberStmt;
  constructor(private readonly db: Db) {
    // One statement: both numbers come from the rows already there (MAX over the primary key and
    // over the (channel, epoch, channel_seq) index), and the epoch from sync_state, so a rolled-back
    // command leaves no gap and nothing outside the transaction can hand out the same number.
    this.insert = db.prepare(
      `INSERT INTO outbox (seq, id, channel, epoch, channel_seq, type, payload, hash, created_at)
       SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), @id, @channel, s.epoch,
              (SELECT COALESCE(MAX(channel_seq), 0) + 1 FROM outbox WHERE channel = @channel AND epoch = s.epoch),
              @type, @payload, @hash, @at
       FROM sync_state s WHERE s.id = 1
       RETURNING seq, channel_seq AS channelSeq, epoch`,
    );
    this.pendingAll = db.prepare(`SELECT ${EVENT_COLUMNS} FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?`);
    this.pendingChannel = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM outbox WHERE acked_at IS NULL AND channel = ? ORDER BY epoch, channel_seq LIMIT ?`,
    );
    this.fromStmt = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM outbox WHERE channel = ? AND epoch = ? AND channel_seq >= ? ORDER BY channel_seq LIMIT ?`,
    );
    this.ackStmt = db.prepare(
      `UPDATE outbox SET acked_at = @at, outcome = 'recorded'
       WHERE channel = @channel AND epoch = @epoch AND channel_seq <= @through AND acked_at IS NULL`,
    );
    this.conflictStmt = db.prepare('UPDATE outbox SET conflict_epoch = ? WHERE id = ?');
    this.giveUpStmt = db.prepare(`UPDATE outbox SET acked_at = ?, outcome = 'conflict', conflict_epoch = ? WHERE id = ? AND acked_at IS NULL`);
    this.queuedStmt = db.prepare('SELECT channel, COUNT(*) AS queued FROM outbox WHERE acked_at IS NULL GROUP BY channel');
    this.conflictsStmt = db.prepare(`SELECT COUNT(*) FROM outbox WHERE outcome = 'conflict'`).pluck();
    this.maxStmt = db.prepare('SELECT COALESCE(MAX(channel_seq), 0) FROM outbox WHERE channel = ? AND epoch = ?').pluck();
    // Backwards along the (channel, epoch, channel_seq) index to the first acked row: the unacked tail is short.
    this.ackedMaxStmt = db
      .prepare('SELECT channel_seq FROM outbox WHERE channel = ? AND epoch = ? AND acked_at IS NOT NULL ORDER BY channel_seq DESC LIMIT 1')
      .pluck();
    // A new epoch: every row not yet acked moves into it, numbered from 1 per channel in the order
    // it was written (global seq). The new epoch has no rows yet, so no number collides on the way.
    this.renumberStmt = db.prepare(
      `UPDATE outbox SET epoch = @epoch, channel_seq = r.n
       FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY channel ORDER BY seq) AS n FROM outbox WHERE acked_at IS NULL) AS r
       WHERE outbox.seq = r.seq`,
    );
  }

  append(channel: SyncChannel, type: string, payload: unknown, at: EpochMs): OutboxEvent {
    const id = newId();
    const text = canonicalJson(payload);
    const hash = sha256(text);
    const row = this.insert.get({ id, channel, type, payload: text, hash, at }) as { seq: number; channelSeq: number; epoch: number } | undefined;
    if (!row) throw new Error('sync_state is missing: the outbox has no epoch to number events in');
    return { seq: row.seq, id, channel, channelSeq: row.channelSeq, epoch: row.epoch, conflictEpoch: null, type, v: 1, payload: text, hash, createdAt: at };
  }

  /**
   * Take a customer's personal data out of their sign-up events, delivered or not (the head office
   * erases its own copy; one not yet delivered goes without it, the erasure after it). The hash
   * follows the payload: a delivered event sent again is then a recorded conflict, never a leak.
   */
  scrubCustomer(customerId: string): number {
    this.scrubStmt ??= this.db.prepare(
      `SELECT seq, payload FROM outbox WHERE type = 'customer.signed_up' AND json_extract(payload, '$.customer.id') = ?`,
    );
    this.rewriteStmt ??= this.db.prepare('UPDATE outbox SET payload = ?, hash = ? WHERE seq = ?');
    const rows = this.scrubStmt.all(customerId) as { seq: number; payload: string }[];
    for (const r of rows) {
      const p = JSON.parse(r.payload) as { customer: Record<string, unknown> };
      p.customer = { ...p.customer, cardNo: null, phone: null, name: null, birthday: null };
      const text = canonicalJson(p);
      this.rewriteStmt.run(text, sha256(text), r.seq);
    }
    return rows.length;
  }
  private scrubStmt: Statement | undefined;
  private rewriteStmt: Statement | undefined;

  /** Not yet acked: of every channel in the order written, or of one channel in its sequence. */
  unacked(limit: number): OutboxEvent[];
  unacked(channel: SyncChannel, limit: number): OutboxEvent[];
  unacked(a: SyncChannel | number, b?: number): OutboxEvent[] {
    if (typeof a === 'number') return this.pendingAll.all(a) as OutboxEvent[];
    return this.pendingChannel.all(a, b) as OutboxEvent[];
  }

  /** A channel's events of an epoch from `channelSeq` on, acked or not (to resend after the head office lost some). */
  from(channel: SyncChannel, epoch: number, channelSeq: number, limit: number): OutboxEvent[] {
    return this.fromStmt.all(channel, epoch, channelSeq, limit) as OutboxEvent[];
  }

  /** The head office holds every event of the channel and epoch up to `through`. Returns how many were newly acked. */
  markAcked(channel: SyncChannel, epoch: number, through: number, at: EpochMs): number {
    return this.ackStmt.run({ channel, epoch, through, at }).changes;
  }

  /** The head office answered `conflict` for this event in `epoch`; it stays queued (see SyncService). */
  markConflict(id: string, epoch: number): void {
    this.conflictStmt.run(epoch, id);
  }

  /** Settle an event the head office holds differently: acked with the conflict recorded, never resent. */
  giveUpConflict(id: string, epoch: number, at: EpochMs): boolean {
    return this.giveUpStmt.run(at, epoch, id).changes > 0;
  }

  /** Events not yet acked, per channel (channels with none are absent). */
  queued(): { channel: SyncChannel; queued: number }[] {
    return this.queuedStmt.all() as { channel: SyncChannel; queued: number }[];
  }

  /** Events the head office holds differently (settled as conflicts). */
  conflicts(): number {
    return this.conflictsStmt.get() as number;
  }

  /** The highest number this till has given in a channel and epoch (0: none). */
  maxChannelSeq(channel: SyncChannel, epoch: number): number {
    return this.maxStmt.get(channel, epoch) as number;
  }

  /** The highest number of a channel and epoch the head office has acked (0: none). */
  maxAcked(channel: SyncChannel, epoch: number): number {
    return (this.ackedMaxStmt.get(channel, epoch) as number | undefined) ?? 0;
  }

  /** Move every event not yet acked into `epoch`, numbered from 1 per channel. Call inside the transaction that records the epoch. */
  renumberInto(epoch: number): number {
    return this.renumberStmt.run({ epoch }).changes;
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
  move(productId: number, qty: number, reason: 'sale' | 'return' | 'receipt' | 'count' | 'writeoff' | 'transfer', refId: string, at: EpochMs): void {
    this.insert.run(productId, qty, reason, refId, at);
  }
  balance(productId: number): number {
    return this.balanceStmt.get(productId) as number;
  }
}
