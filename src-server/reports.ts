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
