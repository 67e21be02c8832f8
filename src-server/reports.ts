import type { Sql } from './db/db.js';

export interface DailySales {
  storeId: string;
  storeName: string;
  day: string;
  sales: { count: number; total: number };
  returns: { count: number; total: number };
  /** Sales minus returns. */
  net: number;
}

export interface Alarms {
  /** Events recorded but not applied: a person reconciles them (newest first). */
  parked: { tillId: string; tillName: string; storeName: string; eventId: string; type: string; reason: string | null; receivedAt: number }[];
  /** An event id pushed again with other content: the head office kept the first (newest first). */
  conflicts: { tillId: string; tillName: string; eventId: string; channel: string; seq: number; storedHash: string | null; receivedHash: string; receivedAt: number }[];
}

/** What waits for a person at the head office: parked events and idempotency conflicts. */
export async function alarms(db: Sql, limit = 500): Promise<Alarms> {
  const parked = await db.query<{ till_id: string; till_name: string; store_name: string; id: string; type: string; reason: string | null; received_at: number }>(
    `SELECT e.till_id, t.name AS till_name, s.name AS store_name, e.id::text AS id, e.type, e.reason, e.received_at
       FROM events e JOIN tills t ON t.id = e.till_id JOIN stores s ON s.id = t.store_id
      WHERE e.status = 'parked' ORDER BY e.received_at DESC, e.seq DESC LIMIT $1`,
    [limit],
  );
  const conflicts = await db.query<{ till_id: string; till_name: string | null; event_id: string; channel: string; seq: number; stored_hash: string | null; received_hash: string; received_at: number }>(
    `SELECT c.till_id, t.name AS till_name, c.event_id, c.channel, c.seq, c.stored_hash, c.received_hash, c.received_at
       FROM conflicts c LEFT JOIN tills t ON t.id = c.till_id ORDER BY c.id DESC LIMIT $1`,
    [limit],
  );
  return {
    parked: parked.map((r) => ({ tillId: r.till_id, tillName: r.till_name, storeName: r.store_name, eventId: r.id, type: r.type, reason: r.reason, receivedAt: r.received_at })),
    conflicts: conflicts.map((r) => ({
      tillId: r.till_id,
      tillName: r.till_name ?? '',
      eventId: r.event_id,
      channel: r.channel,
      seq: r.seq,
      storedHash: r.stored_hash,
      receivedHash: r.received_hash,
      receivedAt: r.received_at,
    })),
  };
}

/** Chain-wide sales and returns per store and business day (the store's own calendar), `from`–`to` inclusive. */
export async function dailySales(db: Sql, from: string, to: string): Promise<DailySales[]> {
  const rows = await db.query<{ store_id: string; store_name: string; day: string; sc: number; st: number; rc: number; rt: number }>(
    `SELECT s.store_id, st.name AS store_name, to_char(s.business_day, 'YYYY-MM-DD') AS day,
            count(*) FILTER (WHERE s.kind = 'sale') AS sc, COALESCE(sum(s.total) FILTER (WHERE s.kind = 'sale'), 0) AS st,
            count(*) FILTER (WHERE s.kind = 'return') AS rc, COALESCE(sum(s.total) FILTER (WHERE s.kind = 'return'), 0) AS rt
       FROM sales s JOIN stores st ON st.id = s.store_id
      WHERE s.business_day BETWEEN $1::date AND $2::date
      GROUP BY s.store_id, st.name, s.business_day
      ORDER BY s.business_day, st.name`,
    [from, to],
  );
  return rows.map((r) => ({
    storeId: r.store_id,
    storeName: r.store_name,
    day: r.day,
    sales: { count: Number(r.sc), total: Number(r.st) },
    returns: { count: Number(r.rc), total: Number(r.rt) },
    net: Number(r.st) - Number(r.rt),
  }));
}
