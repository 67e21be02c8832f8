import { z } from 'zod';
import { TransferLineSchema, type IncomingTransfer } from '../src-common/sync/protocol.js';
import type { Sql } from './db/db.js';
import { takeVersions } from './catalog.js';
import type { AuthenticatedTill } from './tills.js';

type Effect = { status: 'applied' } | { status: 'parked'; reason: string };

const SentSchema = z.object({
  transfer: z.object({
    id: z.string().min(1).max(64),
    number: z.number().int(),
    toStoreId: z.string().min(1).max(64),
    sentAt: z.number().int(),
    lines: z.array(TransferLineSchema).min(1).max(5000),
  }),
});
const ReceivedSchema = z.object({
  transfer: z.object({ id: z.string().min(1).max(64), receivedAt: z.number().int(), lines: z.array(z.unknown()).max(5000) }),
});

/**
 * A store sent goods to another: recorded as in transit, and handed to the receiving store's tills
 * through their `transfers` feed. A transfer to an unknown store or to itself is parked (a person
 * sorts it out); the sending till's channel goes on.
 */
export async function transferSent(tx: Sql, till: AuthenticatedTill, payload: unknown, eventId: string, now: number): Promise<Effect> {
  const p = SentSchema.safeParse(payload);
  if (!p.success) return { status: 'parked', reason: 'the transfer cannot be read' };
  const t = p.data.transfer;
  if (t.toStoreId === till.storeId) return { status: 'parked', reason: 'a transfer to its own store' };
  const [from] = await tx.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [till.storeId]);
  const [to] = await tx.query<{ id: string }>('SELECT id FROM stores WHERE id = $1', [t.toStoreId]);
  if (!to) return { status: 'parked', reason: `no store ${t.toStoreId} in the chain` };
  const inserted = await tx.query(
    `INSERT INTO transfers (id, number, from_store, to_store, from_till, lines, sent_at, state)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, 'in_transit') ON CONFLICT (id) DO NOTHING RETURNING id`,
    [t.id, t.number, till.storeId, t.toStoreId, till.id, JSON.stringify(t.lines), t.sentAt],
  );
  if (inserted.length === 0) return { status: 'parked', reason: `transfer ${t.id} is already recorded from another event (${eventId})` };
  const incoming: IncomingTransfer = { id: t.id, number: t.number, fromStoreId: till.storeId, fromStoreName: from?.name ?? '', sentAt: t.sentAt, lines: t.lines };
  const version = await takeVersions(tx, 1);
  await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'transfers', $2, $3, $4::jsonb, $5)`, [
    version,
    t.toStoreId,
    t.id,
    JSON.stringify(incoming),
    now,
  ]);
  return { status: 'applied' };
}

/** The receiving store counted and posted it: no longer in transit. */
export async function transferReceived(tx: Sql, till: AuthenticatedTill, payload: unknown): Promise<Effect> {
  const p = ReceivedSchema.safeParse(payload);
  if (!p.success) return { status: 'parked', reason: 'the received transfer cannot be read' };
  const t = p.data.transfer;
  const done = await tx.query(
    `UPDATE transfers SET state = 'received', received_at = $3, received_lines = $4::jsonb WHERE id = $1 AND to_store = $2 AND state = 'in_transit' RETURNING id`,
    [t.id, till.storeId, t.receivedAt, JSON.stringify(t.lines)],
  );
  if (done.length === 0) return { status: 'parked', reason: `transfer ${t.id} is not on its way to this store` };
  return { status: 'applied' };
}

/** Transfers for the owner: in transit (sent, not yet received) or all, newest first, with their value at cost. */
export async function listTransfers(db: Sql, state: 'in_transit' | 'received' | null) {
  const rows = await db.query<{ id: string; number: number; from_store: string; from_name: string; to_store: string; to_name: string; lines: z.infer<typeof TransferLineSchema>[]; sent_at: number; state: string; received_at: number | null }>(
    `SELECT t.id, t.number, t.from_store, f.name AS from_name, t.to_store, s.name AS to_name, t.lines, t.sent_at, t.state, t.received_at
       FROM transfers t JOIN stores f ON f.id = t.from_store JOIN stores s ON s.id = t.to_store
      WHERE $1::text IS NULL OR t.state = $1 ORDER BY t.sent_at DESC LIMIT 500`,
    [state],
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    from: { id: r.from_store, name: r.from_name },
    to: { id: r.to_store, name: r.to_name },
    sentAt: Number(r.sent_at),
    state: r.state,
    receivedAt: r.received_at === null ? null : Number(r.received_at),
    lines: r.lines.length,
    valueAtCost: r.lines.reduce((n, l) => n + Math.round(((l.cost ?? 0) * l.qty) / 1000), 0),
  }));
}
