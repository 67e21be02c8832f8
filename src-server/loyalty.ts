import { randomUUID } from 'node:crypto';
import { birthdayCouponCode, DEFAULT_PROGRAMME, ProgrammeSchema, type Programme } from '../src-common/loyalty.js';
import { ConsentChangedSchema, CouponUsedSchema, CustomerErasedSchema, CustomerSignedUpSchema, LedgerEntriesSchema, type CustomerSignedUp, type LedgerEntry } from '../src-common/sync/loyalty.js';
import { countCouponUse, normalCode } from './coupons.js';
import { eraseCustomer, foldName, logCustomers, SCRUBBED_HASH, scrubbedSignUp } from './customers.js';
import type { ServerDb, Sql } from './db/db.js';
import type { Effect } from './ingest.js';
import { CHAIN } from './settings.js';
import type { AuthenticatedTill } from './tills.js';

/**
 * The `loyalty` channel at the head office. The ledger is the truth: a balance is the sum of the
 * entries recorded once each (by id), whichever till they came from and in whatever order the
 * tills came back online. Earning offline is always safe; spending offline can overdraw (two tills
 * spent the same points), which is recorded for the owner and recovered by later earnings, never
 * refused: the sale happened. Every change to a customer or coupon is a row of its feed.
 */

const parked = (reason: string): Effect => ({ status: 'parked', reason });
const APPLIED: Effect = { status: 'applied' };
const MAX_USED_COUPONS = 50;

/** The chain's loyalty programme (the `loyalty.programme` setting), else the default one. */
export async function chainProgramme(db: Sql): Promise<Programme> {
  const [row] = await db.query<{ value: unknown }>(`SELECT value FROM settings WHERE scope = $1 AND key = 'loyalty.programme'`, [CHAIN]);
  const p = row ? ProgrammeSchema.safeParse(row.value) : null;
  return p?.success ? p.data : DEFAULT_PROGRAMME;
}

/**
 * The ids of these customers the head office does not know. `lock`: the known ones are locked in
 * id order, so two tills' batches touching the same customers wait for each other, never deadlock.
 */
async function unknownCustomers(tx: Sql, ids: readonly string[], lock = false): Promise<string[]> {
  const unique = [...new Set(ids)];
  const rows = await tx.query<{ id: string }>(`SELECT id FROM customers WHERE id = ANY($1::text[]) ORDER BY id ${lock ? 'FOR UPDATE' : ''}`, [unique]);
  const known = new Set(rows.map((r) => r.id));
  return unique.filter((id) => !known.has(id));
}

/** Other customers who already have this sign-up's card or phone. */
async function takenFields(tx: Sql, c: CustomerSignedUp['customer']): Promise<{ field: 'card_no' | 'phone'; value: string; other: string }[]> {
  const out: { field: 'card_no' | 'phone'; value: string; other: string }[] = [];
  for (const [field, value] of [['card_no', c.cardNo], ['phone', c.phone]] as const) {
    if (value === null) continue;
    const [other] = await tx.query<{ id: string }>(`SELECT id FROM customers WHERE ${field} = $1 AND id <> $2`, [value, c.id]);
    if (other) out.push({ field, value, other: other.id });
  }
  return out;
}

/**
 * A customer signed up at a till. Recorded once (a second sign-up of the same id changes nothing).
 * A card or phone another customer already has (two tills signed the same phone up offline) is
 * left off the newcomer and recorded as a conflict for a person: both stay customers. A sign-up of
 * a customer erased meanwhile is kept without the person.
 */
export async function customerSignedUp(tx: Sql, till: AuthenticatedTill, payload: unknown, now: number): Promise<Effect> {
  const p = CustomerSignedUpSchema.safeParse(payload);
  if (!p.success) return parked('the sign-up cannot be read');
  const { customer: c, consents } = p.data;
  const [existing] = await tx.query<{ erased_at: number | null }>('SELECT erased_at FROM customers WHERE id = $1', [c.id]);
  if (existing) return existing.erased_at === null ? APPLIED : { status: 'applied', stored: { payload: JSON.stringify(scrubbedSignUp(payload)), hash: SCRUBBED_HASH } };
  // Another push may take the same card or phone meanwhile (PostgreSQL waits for it): look again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const taken = await takenFields(tx, c);
    const without = (f: 'card_no' | 'phone', v: string | null) => (taken.some((t) => t.field === f) ? null : v);
    const inserted = await tx.query(
      `INSERT INTO customers (id, card_no, phone, name, name_search, birthday, consents, created_at, created_store, created_till, referrer_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id`,
      [c.id, without('card_no', c.cardNo), without('phone', c.phone), c.name, c.name === null ? null : foldName(c.name), c.birthday, JSON.stringify(consents), c.createdAt, till.storeId, till.id, c.referrerId],
    );
    if (inserted.length === 0) {
      if ((await tx.query('SELECT 1 FROM customers WHERE id = $1', [c.id])).length > 0) return APPLIED;
      continue;
    }
    for (const t of taken) {
      await tx.query('INSERT INTO customer_conflicts (customer_id, field, value, other_customer_id, at) VALUES ($1, $2, $3, $4, $5)', [c.id, t.field, t.value, t.other, now]);
    }
    for (const [purpose, granted] of Object.entries(consents)) {
      await tx.query('INSERT INTO customer_consents (customer_id, purpose, granted, at, till_id) VALUES ($1, $2, $3, $4, $5)', [c.id, purpose, granted, c.createdAt, till.id]);
    }
    await logCustomers(tx, [c.id], now);
    return APPLIED;
  }
  throw new Error(`customer ${c.id}: the card or phone kept changing hands while signing up`);
}

/**
 * A consent given or taken back: kept in the history; the current consent is the latest by when
 * it was given at the till (a till back online late does not overwrite a newer choice). For an
 * erased customer nothing is kept.
 */
export async function consentChanged(tx: Sql, till: AuthenticatedTill, payload: unknown, now: number): Promise<Effect> {
  const p = ConsentChangedSchema.safeParse(payload);
  if (!p.success) return parked('the consent cannot be read');
  const c = p.data;
  const [customer] = await tx.query<{ erased_at: number | null }>('SELECT erased_at FROM customers WHERE id = $1 FOR UPDATE', [c.customerId]);
  if (!customer) return parked(`customer ${c.customerId} is not known`);
  if (customer.erased_at !== null) return APPLIED;
  const changed = await tx.query(
    `UPDATE customers SET consents = jsonb_set(consents, ARRAY[$2::text], to_jsonb($3::boolean))
      WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM customer_consents h WHERE h.customer_id = $1 AND h.purpose = $2::text AND h.at > $4) RETURNING id`,
    [c.customerId, c.purpose, c.granted, c.at],
  );
  await tx.query('INSERT INTO customer_consents (customer_id, purpose, granted, at, till_id) VALUES ($1, $2, $3, $4, $5)', [c.customerId, c.purpose, c.granted, c.at, till.id]);
  if (changed.length > 0) await logCustomers(tx, [c.customerId], now);
  return APPLIED;
}

/** An entry whose sign does not fit its kind (an earn that takes points off …), or null. */
function misfit(e: LedgerEntry): string | null {
  if (e.kind === 'earn' && e.points < 0) return `entry ${e.id}: an earn of ${e.points} points`;
  if ((e.kind === 'burn' || e.kind === 'expire') && e.points > 0) return `entry ${e.id}: a ${e.kind} of +${e.points} points`;
  return null;
}

/**
 * Ledger entries from a till. Each is recorded once by its id; a new one moves its customer's
 * balance and spend, and `seen` for this till (the authenticated one, whatever the payload says).
 * A burn that leaves the balance below zero is an offline overdraft; a balance back at zero or
 * above recovers the customer's open ones. An entry for a customer the head office does not know
 * (or one that does not fit its kind) parks the whole event.
 */
export async function ledgerEntries(tx: Sql, till: AuthenticatedTill, payload: unknown, now: number): Promise<Effect> {
  const p = LedgerEntriesSchema.safeParse(payload);
  if (!p.success) return parked('the ledger entries cannot be read');
  const { entries } = p.data;
  const wrong = entries.map(misfit).find((m) => m !== null);
  if (wrong) return parked(wrong);
  const unknown = await unknownCustomers(tx, entries.map((e) => e.customerId), true);
  if (unknown.length > 0) return parked(`customer ${unknown.join(', ')} is not known`);
  const touched = new Set<string>();
  for (const e of entries) {
    const inserted = await tx.query(
      `INSERT INTO loyalty_ledger (id, customer_id, till_id, store_id, n, kind, points, spend, reason, receipt_id, coupon_code, at, offline, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [e.id, e.customerId, till.id, till.storeId, e.n, e.kind, e.points, e.spend, e.reason, e.receiptId, e.couponCode, e.at, e.offline, now],
    );
    if (inserted.length === 0) {
      // Recorded before (a till that resends it, maybe under a new identity after re-enrolment): it
      // moves nothing, but this till's `seen` must cover it, or the till would count it again.
      await tx.query(
        `UPDATE customers SET seen = jsonb_set(seen, ARRAY[$2::text], to_jsonb(GREATEST(COALESCE((seen ->> ($2::text))::bigint, 0), $3::bigint)))
          WHERE id = $1 AND COALESCE((seen ->> ($2::text))::bigint, 0) < $3::bigint`,
        [e.customerId, till.id, e.n],
      );
      touched.add(e.customerId);
      continue;
    }
    const [c] = await tx.query<{ points: number }>(
      `UPDATE customers SET points = points + $2 + $6, spend = spend + $3,
              seen = jsonb_set(seen, ARRAY[$4::text], to_jsonb(GREATEST(COALESCE((seen ->> ($4::text))::bigint, 0), $5::bigint)))
        WHERE id = $1 RETURNING points`,
      [e.customerId, e.points, e.spend, till.id, e.n, e.points < 0 ? await returnOverExpired(tx, e, now) : 0],
    );
    const balance = Number(c?.points ?? 0);
    if (e.kind === 'burn' && e.points < 0 && balance < 0) {
      await tx.query('INSERT INTO loyalty_overdrafts (customer_id, entry_id, till_id, store_id, points, at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        e.customerId,
        e.id,
        till.id,
        till.storeId,
        Math.min(-balance, -e.points),
        e.at,
        now,
      ]);
    } else if (balance >= 0) {
      await tx.query('UPDATE loyalty_overdrafts SET recovered_at = $2 WHERE customer_id = $1 AND recovered_at IS NULL', [e.customerId, now]);
    }
    touched.add(e.customerId);
  }
  await logCustomers(tx, touched, now);
  return APPLIED;
}

/**
 * A burn made before an expiry ran but delivered after it (a till offline meanwhile) spent points the
 * expiry then took too: had the head office known of it, the expiry would have been smaller by as
 * much. That much comes back now, as an `expire` entry with reason `expiry-returned` (at most the
 * burn, at most what expiries after it took less what was already returned since): the points the
 * customer spent are not also expired. Returns the points given back (the caller adds them to the balance).
 */
async function returnOverExpired(tx: Sql, e: LedgerEntry, now: number): Promise<number> {
  const [x] = await tx.query<{ over: number }>(
    `SELECT COALESCE(-sum(points) FILTER (WHERE reason = 'expiry'), 0) - COALESCE(sum(points) FILTER (WHERE reason = 'expiry-returned'), 0) AS over
       FROM loyalty_ledger WHERE customer_id = $1 AND kind = 'expire' AND at > $2`,
    [e.customerId, e.at],
  );
  const back = Math.min(-e.points, Number(x?.over ?? 0));
  if (back <= 0) return 0;
  await tx.query(
    `INSERT INTO loyalty_ledger (id, customer_id, till_id, store_id, n, kind, points, spend, reason, receipt_id, coupon_code, at, offline, recorded_at)
     VALUES ($1, $2, NULL, NULL, 0, 'expire', $3, 0, 'expiry-returned', NULL, NULL, $4, false, $4)`,
    [randomUUID(), e.customerId, back, now],
  );
  return back;
}

/** Whether `code` is this customer's own birthday coupon (of some year), made the same on every till. */
function isPersonalCode(code: string, customerId: string): boolean {
  const m = /^BDAY-(\d{4})-/.exec(code);
  return m !== null && birthdayCouponCode(customerId, Number(m[1])) === code;
}

/**
 * A coupon or promo code given on a receipt, recorded once per (code, receipt). A chain coupon is
 * counted (over its limit too: it happened); a customer's personal birthday code joins their used
 * coupons, so no other till gives it again; any other code (a till's own) is only recorded.
 */
export async function couponUsed(tx: Sql, till: AuthenticatedTill, payload: unknown, now: number): Promise<Effect> {
  const p = CouponUsedSchema.safeParse(payload);
  if (!p.success) return parked('the coupon use cannot be read');
  const u = p.data;
  const code = normalCode(u.code);
  if (u.customerId !== null && (await unknownCustomers(tx, [u.customerId])).length > 0) return parked(`customer ${u.customerId} is not known`);
  const inserted = await tx.query(
    `INSERT INTO coupon_uses (code, customer_id, receipt_id, till_id, store_id, at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING RETURNING code`,
    [code, u.customerId, u.receiptId, till.id, till.storeId, u.at, now],
  );
  if (inserted.length === 0) return APPLIED;
  const counted = await countCouponUse(tx, code, u.receiptId, u.customerId, now);
  // A personal birthday code, or a chain coupon each customer may use once: every till must learn
  // this customer has used it (the customers feed carries it).
  if (u.customerId !== null && (counted ? counted.oncePerCustomer : isPersonalCode(code, u.customerId))) {
    const [c] = await tx.query<{ used_coupons: string[] }>('SELECT used_coupons FROM customers WHERE id = $1 FOR UPDATE', [u.customerId]);
    const used = [code, ...(c?.used_coupons ?? []).filter((x) => x !== code)].slice(0, MAX_USED_COUPONS);
    await tx.query('UPDATE customers SET used_coupons = $2::jsonb WHERE id = $1', [u.customerId, JSON.stringify(used)]);
    await logCustomers(tx, [u.customerId], now);
  }
  return APPLIED;
}

/** The customer asked a till to be forgotten: erased chain-wide (customers.ts). */
export async function customerErased(tx: Sql, payload: unknown, now: number): Promise<Effect> {
  const p = CustomerErasedSchema.safeParse(payload);
  if (!p.success) return parked('the erasure cannot be read');
  if (!(await eraseCustomer(tx, p.data.customerId, now))) return parked(`customer ${p.data.customerId} is not known`);
  return APPLIED;
}

/**
 * Points expire `expiryDays` after they were earned, oldest first: per customer, what was earned
 * before the cut-off minus everything taken off since the start (spent, expired, corrected down)
 * is what has run out, at most the balance. Each is a head-office `expire` entry (no till, n 0)
 * and a feed row. One customer per transaction; running it again expires nothing new.
 */
export async function expirePoints(db: ServerDb, now: number): Promise<{ customers: number; points: number; cutoff: number | null }> {
  const programme = await chainProgramme(db);
  if (programme.expiryDays === null) return { customers: 0, points: 0, cutoff: null };
  const cutoff = now - programme.expiryDays * 86_400_000;
  const due = `SELECT COALESCE(sum(points) FILTER (WHERE points > 0 AND at < $1), 0) + COALESCE(sum(points) FILTER (WHERE points < 0), 0) AS due
                 FROM loyalty_ledger WHERE customer_id = $2`;
  const candidates = await db.query<{ id: string }>(
    `SELECT DISTINCT l.customer_id AS id FROM loyalty_ledger l JOIN customers c ON c.id = l.customer_id
      WHERE c.points > 0 AND l.points > 0 AND l.at < $1 ORDER BY 1`,
    [cutoff],
  );
  let customers = 0;
  let points = 0;
  for (const { id } of candidates) {
    const taken = await db.transaction(async (tx) => {
      const [c] = await tx.query<{ points: number }>('SELECT points FROM customers WHERE id = $1 FOR UPDATE', [id]);
      const [d] = await tx.query<{ due: number }>(due, [cutoff, id]);
      const expire = Math.min(Number(d?.due ?? 0), Number(c?.points ?? 0));
      if (expire <= 0) return 0;
      await tx.query(
        `INSERT INTO loyalty_ledger (id, customer_id, till_id, store_id, n, kind, points, spend, reason, receipt_id, coupon_code, at, offline, recorded_at)
         VALUES ($1, $2, NULL, NULL, 0, 'expire', $3, 0, 'expiry', NULL, NULL, $4, false, $4)`,
        [randomUUID(), id, -expire, now],
      );
      await tx.query('UPDATE customers SET points = points - $2 WHERE id = $1', [id, expire]);
      await logCustomers(tx, [id], now);
      return expire;
    });
    if (taken > 0) {
      customers++;
      points += taken;
    }
  }
  return { customers, points, cutoff };
}
