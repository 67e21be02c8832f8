import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerDb } from './db/db.js';

export const SERVER_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;
/** Any fixed number: two servers starting at once on one database take turns. */
const MIGRATION_LOCK = 0x1a7ca;

export interface ServerMigration {
  name: string;
  sql: string;
}

export function loadServerMigrations(dir = SERVER_MIGRATIONS_DIR): ServerMigration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return files.map((name, i) => {
    const m = FILE_NAME.exec(name);
    if (!m || Number(m[1]) !== i + 1) throw new Error(`server migration out of sequence: ${name}`);
    return { name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Bring the head office's schema up to date, forward only. Refuses a database whose applied
 * migrations are not a prefix of the shipped ones (an older server on a newer database, or an
 * edited migration).
 */
export async function migrateServer(db: ServerDb, migrations = loadServerMigrations()): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at bigint NOT NULL)`);
  const applied: string[] = [];
  for (const m of migrations) {
    const ran = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
      const shipped = new Set(migrations.map((x) => x.name));
      const unknown = done.find((d) => !shipped.has(d.name));
      if (unknown) throw new Error(`the database has migration ${unknown.name} this server does not ship: refusing to run an older server on it`);
      const same = done.find((d) => d.name === m.name);
      if (same) {
        if (same.checksum !== checksum(m.sql)) throw new Error(`server migration ${m.name} was edited after it was applied`);
        return false;
      }
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, $3)', [m.name, checksum(m.sql), Date.now()]);
      return true;
    });
    if (ran) applied.push(m.name);
  }
  return applied;
}

/**
 * Statements of a migration file, comments removed. Our migrations have no `--` or `;` inside
 * strings; a `;` inside a dollar-quoted body (`$$ … $$`, a trigger function) stays in its statement.
 */
function splitStatements(sql: string): string[] {
  const text = sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n');
  const statements: string[] = [];
  let current = '';
  for (const [i, part] of text.split('$$').entries()) {
    // Odd parts are inside $$ … $$: taken whole.
    if (i % 2 === 1) {
      current += `$$${part}$$`;
      continue;
    }
    const pieces = part.split(';');
    current += pieces[0] ?? '';
    for (const piece of pieces.slice(1)) {
      statements.push(current);
      current = piece;
    }
  }
  statements.push(current);
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
