import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type ServerDb } from '../src-server/db/db.js';

/** The local PostgreSQL (DATABASE_URL, else 127.0.0.1:5432/test) when it answers; null when not. */
export async function reachablePostgres(): Promise<string | null> {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await c.connect();
    return url;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A head-office database in a schema of its own on `url`, dropped by `drop`. */
export async function postgresSchema(url: string): Promise<{ db: ServerDb; drop(): Promise<void> }> {
  const schema = `lavka_bench_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres(url, { schema, max: 10 });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** PostgreSQL when one answers, else PGlite: the head office a group measures against. */
export async function headOfficeDb(): Promise<{ db: ServerDb; drop(): Promise<void> }> {
  const url = await reachablePostgres();
  if (url) return postgresSchema(url);
  const db = await openPglite();
  return { db, drop: () => db.close() };
}
