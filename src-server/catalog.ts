import type { CatalogItem, PullResponse, SnapshotResponse, StorePrice, SyncFeed, TaxRate } from '../src-common/sync/protocol.js';
import type { ServerDb, Sql } from './db/db.js';
import { HttpError } from './errors.js';
import { COUPON_RECORD_SQL, CUSTOMER_RECORD_SQL } from './loyalty-records.js';

/** Rows per INSERT … SELECT FROM unnest(…): large imports go in a few statements, not one per row. */
const CHUNK = 5_000;

/**
 * Take `n` versions for this transaction's changes. The counter row stays locked until the
 * transaction ends, so the next writer's versions are all larger and become visible only after
 * these: the log is visible in commit order.
 */
export async function takeVersions(tx: Sql, n: number): Promise<number> {
  const [row] = await tx.query<{ version: number }>('UPDATE change_counter SET version = version + $1 WHERE id = 1 RETURNING version', [n]);
  return (row?.version ?? n) - n + 1;
}

/** The last version every writer has committed (read before the changes themselves: see pull). */
async function committedVersion(db: Sql): Promise<number> {
  const [row] = await db.query<{ version: number }>('SELECT version FROM change_counter WHERE id = 1');
  return row?.version ?? 0;
}

/** Add or replace products, each with its next version, in one transaction. */
export async function upsertProducts(db: ServerDb, items: readonly CatalogItem[], now: number): Promise<{ first: number; last: number }> {
  if (items.length === 0) return { first: 0, last: 0 };
  const unique = [...new Map(items.map((i) => [i.sku, i])).values()];
  return db.transaction(async (tx) => {
    const first = await takeVersions(tx, unique.length);
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const skus = part.map((p) => p.sku);
      const data = part.map((p) => JSON.stringify(p));
      const active = part.map((p) => p.active);
      const versions = part.map((_, k) => first + i + k);
      await tx.query(
        `INSERT INTO catalog_products (sku, data, active, version)
         SELECT * FROM unnest($1::text[], $2::jsonb[], $3::boolean[], $4::bigint[])
         ON CONFLICT (sku) DO UPDATE SET data = excluded.data, active = excluded.active, version = excluded.version`,
        [skus, data, active, versions],
      );
      await tx.query(
        `INSERT INTO change_log (version, feed, store_id, key, data, at)
         SELECT v, 'catalog', NULL, k, d, $4 FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS u (v, k, d)`,
        [versions, skus, data, now],
      );
    }
    return { first, last: first + unique.length - 1 };
  });
}

/**
 * A store's own prices. Every SKU must be in the catalog: unknown ones are refused with their
 * position, and then nothing is changed.
 */
export async function setStorePrices(db: ServerDb, storeId: string, prices: readonly StorePrice[], now: number): Promise<{ changed: number }> {
  const unique = [...new Map(prices.map((p) => [p.sku, p])).values()];
  return db.transaction(async (tx) => {
    const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
    if (store.length === 0) throw new HttpError(404, 'not_found', 'no such store');
    const known = new Set(
      (await tx.query<{ sku: string }>('SELECT sku FROM catalog_products WHERE sku = ANY($1::text[])', [unique.map((p) => p.sku)])).map((r) => r.sku),
    );
    const unknown = unique.filter((p) => !known.has(p.sku)).map((p) => p.sku);
    if (unknown.length > 0) throw new HttpError(400, 'bad_request', `not in the catalog: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? '…' : ''}`);
    if (unique.length === 0) return { changed: 0 };
    const first = await takeVersions(tx, unique.length);
    const skus = unique.map((p) => p.sku);
    const amounts = unique.map((p) => p.price);
    const versions = unique.map((_, k) => first + k);
    await tx.query(
      `INSERT INTO store_prices (store_id, sku, price, version)
       SELECT $1, s, p, v FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS u (s, p, v)
       ON CONFLICT (store_id, sku) DO UPDATE SET price = excluded.price, version = excluded.version`,
      [storeId, skus, amounts, versions],
    );
    await tx.query(
      `INSERT INTO change_log (version, feed, store_id, key, data, at)
       SELECT v, 'prices', $1, s, jsonb_build_object('sku', s, 'price', p), $5 FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS u (s, p, v)`,
      [storeId, skus, amounts, versions, now],
    );
    return { changed: unique.length };
  });
}

/** Set VAT rates (new codes, or a new rate for a code), each with its version, in one transaction. */
export async function setTaxRates(db: ServerDb, rates: readonly TaxRate[], now: number): Promise<{ changed: number }> {
  const unique = [...new Map(rates.map((r) => [r.code, r])).values()];
  if (unique.length === 0) return { changed: 0 };
  return db.transaction(async (tx) => {
    const first = await takeVersions(tx, unique.length);
    for (const [k, r] of unique.entries()) {
      await tx.query('INSERT INTO tax_rates (code, bp, version) VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE SET bp = excluded.bp, version = excluded.version', [r.code, r.bp, first + k]);
      await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'taxes', NULL, $2, $3::jsonb, $4)`, [first + k, r.code, JSON.stringify(r), now]);
    }
    return { changed: unique.length };
  });
}

/** The VAT codes the chain has set up (a product with another is refused). */
export async function taxCodes(db: Sql): Promise<Set<string>> {
  return new Set((await db.query<{ code: string }>('SELECT code FROM tax_rates')).map((r) => r.code));
}

/**
 * Forget the change log older than the retention window: every feed's floor moves up to the last
 * change made before `now - retainMs`, and the changes at or below it are deleted. A till whose
 * cursor is below a floor (offline for longer than the window) is told `resnapshot` and loads the
 * feed whole again; every other till needs only changes above its cursor, which stay.
 */
export async function compactChangeLog(db: ServerDb, retainMs: number, now: number): Promise<{ feed: string; floor: number; deleted: number }[]> {
  return db.transaction(async (tx) => {
    const floors = await tx.query<{ feed: string; floor: number }>(
      'SELECT feed, max(version) AS floor FROM change_log WHERE at < $1 GROUP BY feed ORDER BY feed',
      [now - retainMs],
    );
    const out: { feed: string; floor: number; deleted: number }[] = [];
    for (const f of floors) {
      await tx.query(
        `INSERT INTO change_log_floor (feed, min_version) VALUES ($1, $2)
         ON CONFLICT (feed) DO UPDATE SET min_version = GREATEST(change_log_floor.min_version, excluded.min_version)`,
        [f.feed, f.floor],
      );
      const deleted = await tx.query('DELETE FROM change_log WHERE feed = $1 AND version <= $2 RETURNING version', [f.feed, f.floor]);
      out.push({ feed: f.feed, floor: Number(f.floor), deleted: deleted.length });
    }
    return out;
  });
}

async function floorOf(db: Sql, feed: SyncFeed): Promise<number> {
  const [row] = await db.query<{ min_version: number }>('SELECT min_version FROM change_log_floor WHERE feed = $1', [feed]);
  return row?.min_version ?? 0;
}

/**
 * A page of a feed's changes after `after`. The committed version is read first and the page is
 * bounded by it: a change committed between the two reads waits for the next pull instead of being
 * skipped by a cursor that moved past it.
 */
export async function pull(db: Sql, feed: SyncFeed, storeId: string, after: number, limit: number, now: number): Promise<PullResponse> {
  if (after < (await floorOf(db, feed))) throw new HttpError(410, 'resnapshot', 'the changes after this cursor are no longer kept: load a snapshot');
  const upTo = await committedVersion(db);
  const rows = await db.query<{ version: number; key: string; data: unknown }>(
    `SELECT version, key, data FROM change_log
      WHERE feed = $1 AND (store_id IS NULL OR store_id = $2) AND version > $3 AND version <= $4
      ORDER BY version LIMIT $5`,
    [feed, storeId, after, upTo, limit],
  );
  const full = rows.length === limit;
  return { feed, changes: rows, through: full ? (rows.at(-1)?.version ?? after) : Math.max(after, upTo), more: full, serverTime: now };
}

/** Each feed's current rows in key order (parameters: store, after key, limit) and their count (store). */
const SNAPSHOT: Record<SyncFeed, { rows: string; count: string }> = {
  taxes: {
    rows: `SELECT code AS key, jsonb_build_object('code', code, 'bp', bp) AS data FROM tax_rates WHERE $1::text IS NOT NULL AND code > $2 ORDER BY code LIMIT $3`,
    count: 'SELECT count(*) AS n FROM tax_rates WHERE $1::text IS NOT NULL',
  },
  catalog: {
    rows: 'SELECT sku AS key, data FROM catalog_products WHERE $1::text IS NOT NULL AND sku > $2 ORDER BY sku LIMIT $3',
    count: 'SELECT count(*) AS n FROM catalog_products WHERE $1::text IS NOT NULL',
  },
  roles: {
    rows: `SELECT role AS key, permissions AS data FROM role_matrix WHERE $1::text IS NOT NULL AND role > $2 ORDER BY role LIMIT $3`,
    count: 'SELECT count(*) AS n FROM role_matrix WHERE $1::text IS NOT NULL',
  },
  users: {
    rows: `SELECT id AS key, data FROM staff WHERE (store_id IS NULL OR store_id = $1) AND id > $2 ORDER BY id LIMIT $3`,
    count: 'SELECT count(*) AS n FROM staff WHERE store_id IS NULL OR store_id = $1',
  },
  settings: {
    rows: `SELECT k AS key, data FROM (
             SELECT CASE WHEN scope = '*' THEN 'chain/' ELSE 'store/' END || key AS k,
                    jsonb_build_object('key', key, 'scope', CASE WHEN scope = '*' THEN 'chain' ELSE 'store' END, 'value', value) AS data
               FROM settings WHERE scope = '*' OR scope = $1) s
           WHERE k > $2 ORDER BY k LIMIT $3`,
    count: `SELECT count(*) AS n FROM settings WHERE scope = '*' OR scope = $1`,
  },
  stores: {
    rows: `SELECT id AS key, jsonb_build_object('id', id, 'name', name) AS data FROM stores WHERE $1::text IS NOT NULL AND id > $2 ORDER BY id LIMIT $3`,
    count: 'SELECT count(*) AS n FROM stores WHERE $1::text IS NOT NULL',
  },
  transfers: {
    rows: `SELECT t.id AS key, jsonb_build_object('id', t.id, 'number', t.number, 'fromStoreId', t.from_store, 'fromStoreName', f.name, 'sentAt', t.sent_at, 'lines', t.lines) AS data
             FROM transfers t JOIN stores f ON f.id = t.from_store WHERE t.to_store = $1 AND t.state = 'in_transit' AND t.id > $2 ORDER BY t.id LIMIT $3`,
    count: `SELECT count(*) AS n FROM transfers WHERE to_store = $1 AND state = 'in_transit'`,
  },
  prices: {
    rows: `SELECT sku AS key, jsonb_build_object('sku', sku, 'price', price) AS data FROM store_prices WHERE store_id = $1 AND sku > $2 ORDER BY sku LIMIT $3`,
    count: 'SELECT count(*) AS n FROM store_prices WHERE store_id = $1',
  },
  customers: {
    rows: `SELECT c.id AS key, ${CUSTOMER_RECORD_SQL} AS data FROM customers c WHERE $1::text IS NOT NULL AND c.id > $2 ORDER BY c.id LIMIT $3`,
    count: 'SELECT count(*) AS n FROM customers WHERE $1::text IS NOT NULL',
  },
  coupons: {
    rows: `SELECT k.code AS key, ${COUPON_RECORD_SQL} AS data FROM coupons k WHERE $1::text IS NOT NULL AND k.code > $2 ORDER BY k.code LIMIT $3`,
    count: 'SELECT count(*) AS n FROM coupons WHERE $1::text IS NOT NULL',
  },
};

/** A page of a feed's current rows in key order; the first page says from which version to pull afterwards. */
export async function snapshot(db: Sql, feed: SyncFeed, storeId: string, afterKey: string | null, limit: number, now: number): Promise<SnapshotResponse> {
  const asOf = await committedVersion(db);
  const first = afterKey === null;
  const q = SNAPSHOT[feed];
  const rows = await db.query<{ key: string; data: unknown }>(q.rows, [storeId, afterKey ?? '', limit]);
  const total = first ? Number((await db.query<{ n: number }>(q.count, [storeId]))[0]?.n ?? 0) : null;
  return { feed, asOf, rows, nextKey: rows.length === limit ? (rows.at(-1)?.key ?? null) : null, total, serverTime: now };
}
