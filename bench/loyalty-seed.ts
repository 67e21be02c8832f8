import { ean13 } from '../src-common/barcode.js';
import type { Db } from '../src-main/db/open.js';

/** Customers the customers and loyalty groups share in the big store. */
export const BENCH_CUSTOMERS = 1_000_000;

/** Customer `i`'s card: a virtual card in the in-store range 04, as the till issues them. */
export const benchCard = (i: number): string => ean13(`04${String(i).padStart(10, '0')}`);
/** Customer `i`'s phone, E.164. */
export const benchPhone = (i: number): string => `+7916${String(i).padStart(7, '0')}`;

/** Bulk writes without waiting for the disk (not timed; the store is a throwaway copy). */
function unsynced(db: Db, fn: () => void): void {
  db.pragma('synchronous = OFF');
  try {
    db.transaction(fn)();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * BENCH_CUSTOMERS customers (`bench-<i>`) in the store, once per store: a later group in the same
 * run finds them there.
 */
export function seedCustomers(db: Db): void {
  if (db.prepare(`SELECT 1 FROM customers WHERE id = 'bench-0'`).get() !== undefined) return;
  const insert = db.prepare(`INSERT INTO customers (id, card_no, phone, name, name_key, created_at) VALUES (?, ?, ?, ?, ?, 0)`);
  unsynced(db, () => {
    for (let i = 0; i < BENCH_CUSTOMERS; i++) insert.run(`bench-${i}`, benchCard(i), benchPhone(i), `Покупатель ${i}`, `покупатель ${i}`);
  });
}

/**
 * The customers, each with a head-office balance of 1,000,000 points, and `entries` purchase
 * entries spread over them (a year of a busy till); once per store.
 */
export function seedLoyalty(db: Db, entries: number): void {
  seedCustomers(db);
  if (db.prepare(`SELECT 1 FROM customer_balances WHERE customer_id = 'bench-0'`).get() !== undefined) return;
  const balance = db.prepare('INSERT INTO customer_balances (customer_id, points, spend) VALUES (?, 1000000, 0)');
  const entry = db.prepare(
    `INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, reason, at, business_day) VALUES (?, ?, 'earn', 10, 100000, 'purchase', 0, '2026-01-01')`,
  );
  unsynced(db, () => {
    for (let i = 0; i < BENCH_CUSTOMERS; i++) balance.run(`bench-${i}`);
    for (let i = 0; i < entries; i++) entry.run(`bench-entry-${i}`, `bench-${(i * 7919) % BENCH_CUSTOMERS}`);
  });
}
