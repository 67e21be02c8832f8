import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { canonicalJson } from '../../src-common/canonical.js';
import { HEADER_APP, HEADER_PROTOCOL, SYNC_PROTOCOL_VERSION, type PushEvent, type PushResponse } from '../../src-common/sync/protocol.js';
import { buildServer } from '../../src-server/app.js';
import { openPglite, type ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { sha256 } from '../../src-server/tills.js';
import type { Figures, Group } from '../context.js';
import { postgresSchema, reachablePostgres } from '../head-office-db.js';
import { round } from '../stats.js';

const TILLS = 4;
const RECEIPTS_PER_TILL = 5_000;
const BATCH = 200;
const HEADERS = { [HEADER_PROTOCOL]: String(SYNC_PROTOCOL_VERSION), [HEADER_APP]: 'bench', 'content-type': 'application/json' };

/** A 5-line sale as the till's outbox carries it (the whole receipt view, about 2 KB of JSON). */
export function saleEvent(seq: number, at: number): PushEvent {
  const lines = Array.from({ length: 5 }, (_, i) => ({
    id: uuidv7(),
    productId: 1000 + i,
    name: `Товар ${i + 1} «Лавка», 1 кг`,
    barcode: `46${String(1e10 + seq * 5 + i).slice(0, 11)}`,
    unit: 'pcs',
    qty: 1000 * (1 + (i % 3)),
    price: 8990 + i * 100,
    amount: (8990 + i * 100) * (1 + (i % 3)),
    discount: null,
    taxCode: 'vat22',
  }));
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const receipt = {
    id: uuidv7(),
    kind: 'sale',
    state: 'completed',
    code: `R${seq}`,
    originalId: null,
    number: seq,
    openedAt: at - 60_000,
    completedAt: at,
    cashier: 'Анна Иванова',
    lines,
    discount: null,
    subtotal: total,
    discountTotal: 0,
    total,
    vat: [{ code: 'vat22', rateBp: 2200, amount: Math.round((total * 22) / 122) }],
    payments: [
      { method: 'card', amount: total - 10_000 },
      { method: 'cash', amount: 10_000, tendered: 10_000 },
    ],
    change: 0,
  };
  const payload = canonicalJson({ tillId: 'bench', receipt });
  return { seq, id: uuidv7(), type: 'sale.completed', v: 1, payload, hash: sha256(payload), createdAt: at };
}

/** Receipts per second the server records with 4 tills pushing batches of 200 at once over HTTP. */
async function ingestRate(db: ServerDb, log: (m: string) => void): Promise<number> {
  await migrateServer(db);
  const admin = 'bench-admin';
  const app = await buildServer({ db, adminToken: admin });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const call = async <T>(path: string, body: unknown, auth: string): Promise<T> => {
      const r = await fetch(base + path, { method: 'POST', headers: { ...HEADERS, authorization: `Bearer ${auth}` }, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    };
    const store = await call<{ id: string }>('/v1/admin/stores', { name: 'Bench' }, admin);
    const credentials: string[] = [];
    for (let t = 0; t < TILLS; t++) {
      const till = await call<{ id: string }>('/v1/admin/tills', { storeId: store.id, name: `Till ${t}` }, admin);
      const { code } = await call<{ code: string }>(`/v1/admin/tills/${till.id}/enrollment-codes`, {}, admin);
      credentials.push((await call<{ credential: string }>('/v1/enroll', { code, till: { name: `Till ${t}`, appVersion: 'bench' } }, 'none')).credential);
    }
    const at = Date.now();
    const backlogs = credentials.map(() => Array.from({ length: RECEIPTS_PER_TILL }, (_, i) => saleEvent(i + 1, at + i)));
    log(`ingest on ${db.kind}: ${TILLS} tills × ${RECEIPTS_PER_TILL} receipts in batches of ${BATCH}`);
    const t0 = performance.now();
    await Promise.all(
      credentials.map(async (credential, t) => {
        const events = backlogs[t] as PushEvent[];
        for (let i = 0; i < events.length; i += BATCH) {
          const r = await call<PushResponse>('/v1/push', { channel: 'sales', epoch: 1, events: events.slice(i, i + BATCH) }, credential);
          if (r.ackedThrough !== Math.min(i + BATCH, events.length)) throw new Error(`push answered ackedThrough ${r.ackedThrough}`);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const recorded = Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM sales'))[0]?.n);
    if (recorded !== TILLS * RECEIPTS_PER_TILL) throw new Error(`${recorded} receipts recorded, ${TILLS * RECEIPTS_PER_TILL} pushed`);
    return (TILLS * RECEIPTS_PER_TILL) / seconds;
  } finally {
    await app.close();
  }
}

export const ingestGroup: Group = {
  name: 'ingest',
  describe: `head-office ingest: ${TILLS} tills pushing ${RECEIPTS_PER_TILL} receipts each over HTTP, on PGlite and PostgreSQL`,
  async run(ctx) {
    const figures: Figures = {};
    const lite = await openPglite();
    try {
      figures.ingest_pglite_rps = round(await ingestRate(lite, ctx.log));
    } finally {
      await lite.close();
    }
    const url = await reachablePostgres();
    if (!url) {
      ctx.log('ingest: no PostgreSQL reachable (DATABASE_URL or 127.0.0.1:5432): ingest_pg_rps not measured');
      return figures;
    }
    const { db, drop } = await postgresSchema(url);
    try {
      figures.ingest_pg_rps = round(await ingestRate(db, ctx.log));
    } finally {
      await drop();
    }
    return figures;
  },
};
