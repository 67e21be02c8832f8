import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { canonicalJson } from '../../src-common/canonical.js';
import { HEADER_APP, HEADER_PROTOCOL, SYNC_PROTOCOL_VERSION, type CatalogItem, type PushEvent } from '../../src-common/sync/protocol.js';
import { openPglite, openPostgres, type ServerDb } from '../../src-server/db/db.js';
import { sha256 } from '../../src-server/tills.js';

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/test';

/** The PostgreSQL to test against: DATABASE_URL, else the local server if it answers; null when neither. */
async function postgresUrl(): Promise<string | null> {
  const url = process.env.DATABASE_URL || LOCAL_PG;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return url;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface ServerDbUnderTest {
  name: string;
  /** Why this one is not run here (no PostgreSQL reachable), or null. */
  skip: string | null;
  /** A fresh, empty database (PostgreSQL: its own schema, dropped by `drop`). */
  open(): Promise<ServerDb & { drop(): Promise<void> }>;
}

/** PGlite always; PostgreSQL when one is reachable, else listed as skipped with the reason (a visible notice, not silence). */
export async function serverDatabases(): Promise<ServerDbUnderTest[]> {
  const url = await postgresUrl();
  if (!url) console.warn('NOTICE: no PostgreSQL at DATABASE_URL or 127.0.0.1:5432 — head-office tests run on PGlite only');
  return [
    {
      name: 'PGlite',
      skip: null,
      open: async () => {
        const db = await openPglite();
        return Object.assign(db, { drop: () => db.close() });
      },
    },
    {
      name: 'PostgreSQL',
      skip: url ? null : 'no PostgreSQL reachable (DATABASE_URL or 127.0.0.1:5432)',
      open: async () => {
        const schema = `lavka_t_${randomBytes(6).toString('hex')}`;
        const db = await openPostgres(url as string, { schema, max: 8 });
        return Object.assign(db, {
          drop: async () => {
            await db.close();
            const c = new pg.Client({ connectionString: url as string });
            await c.connect();
            await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await c.end();
          },
        });
      },
    },
  ];
}

export const TILL_HEADERS = { [HEADER_PROTOCOL]: String(SYNC_PROTOCOL_VERSION), [HEADER_APP]: 'test' };

/** An outbox event as a till pushes it. */
export function pushEvent(seq: number, type: string, payload: unknown, o: { id?: string; createdAt?: number } = {}): PushEvent {
  const text = canonicalJson(payload);
  return { seq, id: o.id ?? uuidv7(), type, v: 1, payload: text, hash: sha256(text), createdAt: o.createdAt ?? Date.UTC(2026, 11, 1, 10) };
}

/** A completed sale's event payload (what the till's outbox holds, trimmed to what the server reads). */
export function salePayload(r: { id?: string; number: number; total: number; completedAt: number; kind?: 'sale' | 'return' }) {
  return { tillId: 'local', receipt: { id: r.id ?? uuidv7(), kind: r.kind ?? 'sale', number: r.number, total: r.total, completedAt: r.completedAt, lines: [], payments: [] } };
}

/** A head-office product with everything defaulted but its SKU (a piece good at 100 ₽, 22 % VAT, no barcodes). */
export function catalogItem(sku: string, extra: Partial<CatalogItem> = {}): CatalogItem {
  return {
    sku,
    name: `Товар ${sku}`,
    nameAlt: null,
    kind: 'goods',
    unit: 'pcs',
    taxCode: 'vat22',
    price: 10_000,
    category: null,
    plu: null,
    itemCode: null,
    marked: false,
    active: true,
    barcodes: [],
    ...extra,
  };
}
