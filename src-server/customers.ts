import type { Consents, CustomerBalanceResponse, CustomerFeedRecord } from '../src-common/sync/loyalty.js';
import { takeVersions } from './catalog.js';
import type { ServerDb, Sql } from './db/db.js';
import { HttpError } from './errors.js';
import { CUSTOMER_RECORD_SQL } from './loyalty-records.js';

/**
 * The chain's customers at the head office: their feed rows, the till's balance question, and what
 * the owner may do about one person (find, export everything held, erase).
 */

/**
 * What an erased customer's stored events keep instead of the hash of what came: a hash over a
 * payload whose other fields are known would let a phone number be guessed back. A till sending
 * such an event again is answered `duplicate` (ingest.ts).
 */
export const SCRUBBED_HASH = 'scrubbed';

const NO_CONSENTS: Consents = { loyalty: false, service: false, advertising: false };
/** What a sign-up payload keeps once its customer is erased. */
const SCRUBBED_PERSON = { cardNo: null, phone: null, name: null, birthday: null };

/** One feed row per customer (the whole record as it is now), each with its next version. */
export async function logCustomers(tx: Sql, ids: Iterable<string>, now: number): Promise<void> {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return;
  const first = await takeVersions(tx, unique.length);
  await tx.query(
    `INSERT INTO change_log (version, feed, store_id, key, data, at)
     SELECT $1::bigint + u.i - 1, 'customers', NULL, c.id, ${CUSTOMER_RECORD_SQL}, $3
       FROM unnest($2::text[]) WITH ORDINALITY AS u (id, i) JOIN customers c ON c.id = u.id`,
    [first, unique, now],
  );
}

/** The customer's feed record now, or null when there is no such customer. */
export async function customerRecord(db: Sql, id: string): Promise<CustomerFeedRecord | null> {
  const [row] = await db.query<{ data: CustomerFeedRecord }>(`SELECT ${CUSTOMER_RECORD_SQL} AS data FROM customers c WHERE c.id = $1`, [id]);
  return row?.data ?? null;
}

/** A sign-up event's payload with the person taken out (what the events table keeps of it). */
export function scrubbedSignUp(payload: unknown): unknown {
  const p = payload as { customer?: unknown } | null;
  if (!p || typeof p !== 'object' || !p.customer || typeof p.customer !== 'object') return payload;
  return { ...p, customer: { ...(p.customer as object), ...SCRUBBED_PERSON } };
}

/**
 * Forget a person, inside the caller's transaction; the same whether the owner asks or a till
 * pushes `customer.erased`, and again as often as asked. The personal fields go, consents are all
 * withdrawn and their history deleted, conflicts forget the value, the stored sign-up events lose
 * the person, and the earlier feed rows (which carry the person) give way to the erased record.
 * The id stays, with the ledger, the coupon uses, the sales and referrer links that refer to it.
 * False when there is no such customer.
 */
export async function eraseCustomer(tx: Sql, id: string, now: number): Promise<boolean> {
  const done = await tx.query(
    `UPDATE customers SET card_no = NULL, phone = NULL, name = NULL, name_search = NULL, birthday = NULL, consents = $2::jsonb, erased_at = COALESCE(erased_at, $3)
      WHERE id = $1 RETURNING id`,
    [id, JSON.stringify(NO_CONSENTS), now],
  );
  if (done.length === 0) return false;
  await tx.query('DELETE FROM customer_consents WHERE customer_id = $1', [id]);
  await tx.query('UPDATE customer_conflicts SET value = NULL WHERE customer_id = $1 OR other_customer_id = $1', [id]);
  await tx.query(
    `UPDATE events SET payload = jsonb_set(payload, '{customer}', (payload -> 'customer') || $2::jsonb), hash = $3
      WHERE type = 'customer.signed_up' AND jsonb_typeof(payload -> 'customer') = 'object' AND payload -> 'customer' ->> 'id' = $1`,
    [id, JSON.stringify(SCRUBBED_PERSON), SCRUBBED_HASH],
  );
  await tx.query(`DELETE FROM change_log WHERE feed = 'customers' AND key = $1`, [id]);
  await logCustomers(tx, [id], now);
  return true;
}

/** The owner erases a customer (DELETE /v1/admin/customers/:id). */
export async function eraseCustomerById(db: ServerDb, id: string, now: number): Promise<CustomerFeedRecord> {
  return db.transaction(async (tx) => {
    if (!(await eraseCustomer(tx, id, now))) throw new HttpError(404, 'not_found', 'no such customer');
    return (await customerRecord(tx, id)) as CustomerFeedRecord;
  });
}

/** GET /v1/customers/:id: the head office's balance for a till about to spend points. */
export async function customerBalance(db: Sql, id: string, now: number): Promise<CustomerBalanceResponse> {
  // One statement, one snapshot: the version read is the one the balance reflects (a writer holds
  // the counter until it commits, so every row at or below it is in the balance, none above it).
  const [c] = await db.query<{ id: string; points: number; spend: number; seen: Record<string, number>; erased: boolean; version: number }>(
    `SELECT id, points, spend, seen, erased_at IS NOT NULL AS erased, (SELECT version FROM change_counter WHERE id = 1) AS version
       FROM customers WHERE id = $1`,
    [id],
  );
  if (!c) throw new HttpError(404, 'not_found', 'no such customer');
  return { id: c.id, points: Number(c.points), spend: Number(c.spend), seen: c.seen, erased: c.erased, serverTime: now, version: Number(c.version ?? 0) };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * A name as it is searched: folded here rather than by the database's lower(), which leaves
 * Cyrillic alone under the C locale (PGlite's, and many servers').
 */
export const foldName = (name: string) => name.toLocaleLowerCase('ru').replace(/ё/g, 'е');

/**
 * Customers by id, card number, phone (any way it is written: its digits, a Russian leading 8 read
 * as +7) or part of the name; at most 50.
 */
export async function searchCustomers(db: Sql, q: string): Promise<CustomerFeedRecord[]> {
  const text = q.trim();
  if (text.length === 0) return [];
  let digits = text.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  const phone = digits.length >= 4 ? `%${digits}%` : '';
  const name = /\p{L}/u.test(text) ? `%${likeEscape(foldName(text))}%` : '';
  const rows = await db.query<{ data: CustomerFeedRecord }>(
    `SELECT ${CUSTOMER_RECORD_SQL} AS data FROM customers c
      WHERE c.id = $1 OR c.card_no = $1 OR ($2 <> '' AND c.phone LIKE $2) OR ($3 <> '' AND c.name_search LIKE $3)
      ORDER BY c.name NULLS LAST, c.id LIMIT 50`,
    [text, phone, name],
  );
  return rows.map((r) => r.data);
}

/**
 * Everything the head office holds about a customer (the person's right of access): the record,
 * consent history, ledger entries, coupon uses, the receipts that name them, overdrafts, sign-up
 * conflicts, customers they referred and the loyalty events tills sent about them.
 */
export async function exportCustomer(db: Sql, id: string, now: number) {
  const [c] = await db.query<{ data: CustomerFeedRecord; created_store: string | null; created_till: string | null; referrer_id: string | null; erased_at: number | null }>(
    `SELECT ${CUSTOMER_RECORD_SQL} AS data, c.created_store, c.created_till, c.referrer_id, c.erased_at FROM customers c WHERE c.id = $1`,
    [id],
  );
  if (!c) throw new HttpError(404, 'not_found', 'no such customer');
  const q = <T>(sql: string) => db.query<T>(sql, [id]);
  return {
    exportedAt: now,
    customer: { ...c.data, createdStore: c.created_store, createdTill: c.created_till, referrerId: c.referrer_id, erasedAt: c.erased_at },
    referred: (await q<{ id: string }>('SELECT id FROM customers WHERE referrer_id = $1 ORDER BY created_at, id')).map((r) => r.id),
    consents: await q(`SELECT purpose, granted, at, till_id AS "tillId" FROM customer_consents WHERE customer_id = $1 ORDER BY at, id`),
    ledger: await q(
      `SELECT id::text AS id, till_id AS "tillId", store_id AS "storeId", n, kind, points, spend, reason, receipt_id AS "receiptId", coupon_code AS "couponCode", at, offline, recorded_at AS "recordedAt"
         FROM loyalty_ledger WHERE customer_id = $1 ORDER BY at, n`,
    ),
    couponUses: await q(
      `SELECT code, receipt_id AS "receiptId", till_id AS "tillId", store_id AS "storeId", at, over_limit AS "overLimit" FROM coupon_uses WHERE customer_id = $1 ORDER BY at, code`,
    ),
    receipts: await q(
      `SELECT receipt_id AS "receiptId", store_id AS "storeId", till_id AS "tillId", kind, number, total, completed_at AS "completedAt" FROM sales
        WHERE customer_id = $1
           OR receipt_id IN (SELECT receipt_id FROM loyalty_ledger WHERE customer_id = $1 AND receipt_id IS NOT NULL)
           OR receipt_id IN (SELECT receipt_id FROM coupon_uses WHERE customer_id = $1)
        ORDER BY completed_at, receipt_id`,
    ),
    overdrafts: await q(
      `SELECT entry_id::text AS "entryId", till_id AS "tillId", store_id AS "storeId", points, at, recovered_at AS "recoveredAt" FROM loyalty_overdrafts WHERE customer_id = $1 ORDER BY at, id`,
    ),
    conflicts: await q(
      `SELECT field, value, customer_id AS "customerId", other_customer_id AS "otherCustomerId", at FROM customer_conflicts WHERE customer_id = $1 OR other_customer_id = $1 ORDER BY at, id`,
    ),
    events: await q(
      `SELECT id::text AS id, till_id AS "tillId", type, status, received_at AS "receivedAt", payload FROM events
        WHERE channel = 'loyalty' AND type <> 'loyalty.entries' AND (payload -> 'customer' ->> 'id' = $1 OR payload ->> 'customerId' = $1)
        ORDER BY received_at, seq`,
    ),
  };
}
