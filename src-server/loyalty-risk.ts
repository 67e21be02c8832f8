import { pointsWorth } from '../src-common/loyalty.js';
import type { Sql } from './db/db.js';
import { chainProgramme } from './loyalty.js';

/**
 * The owner's view of what offline spending costs: overdrafts (a burn recorded offline that took a
 * balance below zero) and the exposure, valued at the chain programme's point value.
 */

interface OverdraftRow {
  customer_id: string;
  entry_id: string;
  till_id: string | null;
  till_name: string | null;
  store_name: string | null;
  points: number;
  at: number;
  recovered_at: number | null;
  balance: number;
}

/** Open and recovered overdrafts (newest first, 500 of each at most) with their totals in points and money. */
export async function listOverdrafts(db: Sql) {
  const programme = await chainProgramme(db);
  const rows = (open: boolean) =>
    db.query<OverdraftRow>(
      `SELECT o.customer_id, o.entry_id::text AS entry_id, o.till_id, t.name AS till_name, s.name AS store_name, o.points, o.at, o.recovered_at, c.points AS balance
         FROM loyalty_overdrafts o JOIN customers c ON c.id = o.customer_id
         LEFT JOIN tills t ON t.id = o.till_id LEFT JOIN stores s ON s.id = o.store_id
        WHERE (o.recovered_at IS NULL) = $1 ORDER BY o.at DESC, o.id DESC LIMIT 500`,
      [open],
    );
  const totals = await db.query<{ open: boolean; n: number; points: number }>(
    'SELECT recovered_at IS NULL AS open, count(*) AS n, COALESCE(sum(points), 0) AS points FROM loyalty_overdrafts GROUP BY 1',
  );
  const total = (open: boolean) => {
    const t = totals.find((x) => x.open === open);
    const points = Number(t?.points ?? 0);
    return { count: Number(t?.n ?? 0), points, value: pointsWorth(programme, points) };
  };
  const view = (r: OverdraftRow) => ({
    customerId: r.customer_id,
    entryId: r.entry_id,
    tillId: r.till_id,
    tillName: r.till_name,
    storeName: r.store_name,
    points: Number(r.points),
    value: pointsWorth(programme, Number(r.points)),
    at: Number(r.at),
    recoveredAt: r.recovered_at === null ? null : Number(r.recovered_at),
    balance: Number(r.balance),
  });
  return {
    pointValue: programme.pointValue,
    totals: { open: total(true), recovered: total(false) },
    open: (await rows(true)).map(view),
    recovered: (await rows(false)).map(view),
  };
}

/**
 * What offline spending has cost and could cost. `open`: the overdrafts not yet recovered, as
 * recorded (how far below zero each burn went); `owed`: what the customers below zero owe now
 * (later earnings already counted). `worstCasePerDay` is a bound, not a forecast: one customer
 * spending the offline cap at every active (enrolled, not revoked) till on one day while all of
 * them are offline.
 */
export async function exposure(db: Sql, now: number) {
  const programme = await chainProgramme(db);
  const [open] = await db.query<{ points: number; customers: number; n: number }>(
    'SELECT COALESCE(sum(points), 0) AS points, count(DISTINCT customer_id) AS customers, count(*) AS n FROM loyalty_overdrafts WHERE recovered_at IS NULL',
  );
  const [owed] = await db.query<{ points: number; customers: number }>('SELECT COALESCE(sum(-points), 0) AS points, count(*) AS customers FROM customers WHERE points < 0');
  const flagged = await db.query<{ customer_id: string; balance: number; points: number; n: number; since: number }>(
    `SELECT o.customer_id, c.points AS balance, sum(o.points) AS points, count(*) AS n, min(o.at) AS since
       FROM loyalty_overdrafts o JOIN customers c ON c.id = o.customer_id
      WHERE o.recovered_at IS NULL GROUP BY o.customer_id, c.points ORDER BY sum(o.points) DESC, o.customer_id LIMIT 500`,
  );
  const [tills] = await db.query<{ n: number }>('SELECT count(*) AS n FROM tills WHERE enrolled_at IS NOT NULL AND revoked_at IS NULL');
  const activeTills = Number(tills?.n ?? 0);
  const worst = programme.offlineBurnCapPerDay * activeTills;
  const openPoints = Number(open?.points ?? 0);
  const owedPoints = Number(owed?.points ?? 0);
  return {
    at: now,
    pointValue: programme.pointValue,
    open: { overdrafts: Number(open?.n ?? 0), customers: Number(open?.customers ?? 0), points: openPoints, value: pointsWorth(programme, openPoints) },
    owed: { customers: Number(owed?.customers ?? 0), points: owedPoints, value: pointsWorth(programme, owedPoints) },
    flagged: flagged.map((f) => ({ customerId: f.customer_id, balance: Number(f.balance), openPoints: Number(f.points), overdrafts: Number(f.n), since: Number(f.since) })),
    worstCasePerDay: {
      perCustomer: { points: worst, value: pointsWorth(programme, worst) },
      offlineBurnCapPerDay: programme.offlineBurnCapPerDay,
      activeTills,
      basis: 'offlineBurnCapPerDay × active tills: one customer spending the offline cap at every active till in one day while all of them are offline (per customer, not a forecast)',
    },
  };
}
