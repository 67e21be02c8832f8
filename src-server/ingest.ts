import { LOYALTY_EVENTS } from '../src-common/sync/loyalty.js';
import type { PushEvent, PushRequest, PushResponse, PushStatus } from '../src-common/sync/protocol.js';
import type { ServerDb, Sql } from './db/db.js';
import { HttpError } from './errors.js';
import { SCRUBBED_HASH } from './customers.js';
import { consentChanged, couponUsed, customerErased, customerSignedUp, ledgerEntries } from './loyalty.js';
import { sha256, type AuthenticatedTill } from './tills.js';
import { transferReceived, transferSent } from './transfers.js';

/** Event format versions this server applies: the current and the one before (older or newer ones are parked). */
const EVENT_VERSIONS = new Set([1]);

/**
 * What an event did. `stored`: what the events table keeps instead of what came (a sign-up of a
 * customer erased meanwhile keeps no personal data).
 */
export type Effect = { status: 'applied'; stored?: { payload: string; hash: string } } | { status: 'parked'; reason: string };

/**
 * Record a batch of one channel's events, exactly once, in one transaction. Per (till, epoch,
 * channel) events are taken strictly in sequence from the cursor, which is locked for the
 * duration: a sequence at or below it is a duplicate (same id and hash) or a conflict (anything
 * else: recorded as an alarm, never an overwrite); the next one is recorded with its effects and
 * moves the cursor; a batch that starts beyond it stops there (`expected`), so nothing is applied
 * out of order. An event whose id was recorded before under another sequence (renumbered into a
 * new epoch) is a duplicate and only moves the cursor.
 */
export async function ingest(
  db: ServerDb,
  till: AuthenticatedTill,
  req: PushRequest & { events: PushEvent[] },
  now: number,
  /** False only in the chaos test's self-check: every event is applied as new, as a server without de-duplication would. */
  dedupe = true,
): Promise<PushResponse> {
  // A truncated or altered payload is refused whole, before anything is recorded.
  for (const e of req.events) {
    if (sha256(e.payload) !== e.hash) throw new HttpError(400, 'hash_mismatch', `event ${e.id}: the payload does not match its hash`);
  }
  const events = [...req.events].sort((a, b) => a.seq - b.seq);
  return db.transaction(async (tx) => {
    await tx.query(
      'INSERT INTO till_cursors (till_id, epoch, channel, acked_through, updated_at) VALUES ($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING',
      [till.id, req.epoch, req.channel, now],
    );
    const [row] = await tx.query<{ acked_through: number }>(
      'SELECT acked_through FROM till_cursors WHERE till_id = $1 AND epoch = $2 AND channel = $3 FOR UPDATE',
      [till.id, req.epoch, req.channel],
    );
    let cursor = row?.acked_through ?? 0;
    const known = new Map(
      (await tx.query<{ id: string; hash: string }>('SELECT id::text AS id, hash FROM events WHERE till_id = $1 AND id = ANY($2::uuid[])', [till.id, events.map((e) => e.id)])).map((r) => [
        r.id,
        r.hash,
      ]),
    );
    const results: PushResponse['results'] = [];
    let expected: number | null = null;
    const settle = (e: PushEvent, status: PushStatus) => results.push({ id: e.id, seq: e.seq, status });
    for (const e of events) {
      if (!dedupe) {
        const effect = await applyEffects(tx, till, e, now, false);
        await tx.query(
          `INSERT INTO events (till_id, id, epoch, channel, seq, type, v, hash, payload, status, reason, created_at, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
          [till.id, e.id, req.epoch, req.channel, e.seq, e.type, e.v, e.hash, e.payload, effect.status, null, e.createdAt, now],
        );
        cursor = Math.max(cursor, e.seq);
        settle(e, effect.status);
        continue;
      }
      if (e.seq > cursor + 1) {
        expected = cursor + 1;
        break;
      }
      const stored = known.get(e.id);
      if (e.seq <= cursor || stored !== undefined) {
        // A scrubbed event (its customer was erased) no longer has the hash it came with.
        if (stored === e.hash || stored === SCRUBBED_HASH) settle(e, 'duplicate');
        else {
          await tx.query(
            'INSERT INTO conflicts (till_id, event_id, epoch, channel, seq, stored_hash, received_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
            [till.id, e.id, req.epoch, req.channel, e.seq, stored ?? null, e.hash, now],
          );
          settle(e, 'conflict');
        }
        if (e.seq === cursor + 1) cursor++;
        continue;
      }
      const effect = await applyEffects(tx, till, e, now);
      const kept = (effect.status === 'applied' && effect.stored) || e;
      await tx.query(
        `INSERT INTO events (till_id, id, epoch, channel, seq, type, v, hash, payload, status, reason, created_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)`,
        [till.id, e.id, req.epoch, req.channel, e.seq, e.type, e.v, kept.hash, kept.payload, effect.status, effect.status === 'parked' ? effect.reason : null, e.createdAt, now],
      );
      known.set(e.id, kept.hash);
      cursor++;
      settle(e, effect.status);
    }
    await tx.query('UPDATE till_cursors SET acked_through = $4, updated_at = $5 WHERE till_id = $1 AND epoch = $2 AND channel = $3', [
      till.id,
      req.epoch,
      req.channel,
      cursor,
      now,
    ]);
    return { results, ackedThrough: cursor, expected, serverTime: now };
  });
}

interface ReceiptFacts {
  id: string;
  kind: 'sale' | 'return';
  number: number | null;
  total: number;
  completedAt: number;
  /** The loyalty customer on the receipt (their pseudonymous id), or null. */
  customerId: string | null;
}

function receiptOf(payload: unknown): ReceiptFacts | null {
  const r = (payload as { receipt?: Record<string, unknown> } | null)?.receipt;
  if (!r || typeof r !== 'object') return null;
  const { id, kind, number, total, completedAt, loyalty } = r;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  if (kind !== 'sale' && kind !== 'return') return null;
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(completedAt)) return null;
  if (number !== null && !Number.isSafeInteger(number)) return null;
  const customerId = (loyalty as { customerId?: unknown } | null | undefined)?.customerId;
  return {
    id,
    kind,
    number: number as number | null,
    total: total as number,
    completedAt: completedAt as number,
    customerId: typeof customerId === 'string' && customerId.length > 0 && customerId.length <= 64 ? customerId : null,
  };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar day in the store's time zone (YYYY-MM-DD): a sale at 01:00 Moscow time belongs to that Moscow day. */
export function businessDay(at: number, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f.format(at);
}

/**
 * What an event means at the head office. Sales are facts: never re-priced or refused, only parked
 * when they cannot be read or contradict what is recorded (a person reconciles them; the channel
 * goes on). Loyalty events keep the chain's customers and their ledger (loyalty.ts). Other events
 * are recorded as they are.
 */
async function applyEffects(tx: Sql, till: AuthenticatedTill, e: PushEvent, now: number, dedupe = true): Promise<Effect> {
  if (!EVENT_VERSIONS.has(e.v)) return { status: 'parked', reason: `event version ${e.v} is not one this server reads` };
  let payload: unknown;
  try {
    payload = JSON.parse(e.payload);
  } catch {
    return { status: 'parked', reason: 'the payload is not JSON' };
  }
  switch (e.type) {
    case 'sale.completed':
    case 'return.completed': {
      const r = receiptOf(payload);
      if (!r) return { status: 'parked', reason: 'the receipt cannot be read' };
      if ((e.type === 'sale.completed') !== (r.kind === 'sale')) return { status: 'parked', reason: `a ${e.type} event carries a ${r.kind} receipt` };
      const inserted = await tx.query(
        `INSERT INTO sales (receipt_id, till_id, store_id, kind, number, total, completed_at, business_day, event_id, customer_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, $10) ${dedupe ? 'ON CONFLICT (receipt_id) DO NOTHING' : ''} RETURNING receipt_id`,
        [r.id, till.id, till.storeId, r.kind, r.number, r.total, r.completedAt, businessDay(r.completedAt, till.timeZone), e.id, r.customerId],
      );
      if (inserted.length === 0) return { status: 'parked', reason: `receipt ${r.id} is already recorded from another event` };
      return { status: 'applied' };
    }
    case 'transfer.sent':
      return transferSent(tx, till, payload, e.id, now);
    case 'transfer.received':
      return transferReceived(tx, till, payload);
    case LOYALTY_EVENTS.signedUp:
      return customerSignedUp(tx, till, payload, now);
    case LOYALTY_EVENTS.consent:
      return consentChanged(tx, till, payload, now);
    case LOYALTY_EVENTS.entries:
      return ledgerEntries(tx, till, payload, now);
    case LOYALTY_EVENTS.couponUsed:
      return couponUsed(tx, till, payload, now);
    case LOYALTY_EVENTS.erased:
      return customerErased(tx, payload, now);
    default:
      return { status: 'applied' };
  }
}
