import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What a query needs: the same on PostgreSQL and on PGlite. Rows come back as plain objects. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The head office's store: PostgreSQL through `pg`, or PGlite (PostgreSQL in WebAssembly, in
 * process) as the embedded default when no DATABASE_URL is given. Both speak the same SQL; int8
 * values (epoch ms, sums) come back as numbers on both (they stay far below 2^53).
 */
export interface ServerDb extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** A script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * PostgreSQL. `schema` confines everything to one schema (tests share one database and run side by
 * side); it is created if missing.
 */
export async function openPostgres(url: string, opts: { schema?: string; max?: number } = {}): Promise<ServerDb> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text'),
  };
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client's connection dropping (server restart) must not take the process down.
  pool.on('error', () => undefined);
  const query = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
  return {
    kind: 'postgres',
    query,
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[] });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}

/** PGlite in this process: in memory, or persisted in `dataDir`. One connection: transactions run one at a time. */
export async function openPglite(dataDir?: string): Promise<ServerDb> {
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) } });
  return {
    kind: 'pglite',
    query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => db.transaction((tx) => fn({ query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows })),
    async exec(script) {
      await db.exec(script);
    },
    async close() {
      await db.close();
    },
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}
