import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './open.js';

export interface Migration {
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The shipped migrations, in order. Names are NNNN_name.sql with contiguous numbers from 0001. */
export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  return files.map((name, i) => {
    const m = FILE_NAME.exec(name);
    if (!m || Number(m[1]) !== i + 1) throw new Error(`migration file out of sequence: ${name}`);
    return { name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export class MigrationDriftError extends Error {
  override readonly name = 'MigrationDriftError';
}

/**
 * Bring the store up to date. Refuses to run when what was applied is not a prefix of what is
 * shipped (an older build opening a newer store, or an edited migration): guessing would corrupt data.
 * Each migration runs in its own transaction.
 */
export function migrate(db: Db, migrations: readonly Migration[]): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const done = db.prepare('SELECT name, checksum FROM schema_migrations ORDER BY name').all() as {
    name: string;
    checksum: string;
  }[];
  if (done.length > migrations.length) {
    throw new MigrationDriftError(
      `store has ${done.length} migrations applied but this build ships ${migrations.length}: refusing to open a newer store`,
    );
  }
  done.forEach((d, i) => {
    const shipped = migrations[i] as Migration;
    if (d.name !== shipped.name) {
      throw new MigrationDriftError(`applied migration ${d.name} does not match shipped ${shipped.name}`);
    }
    if (d.checksum !== checksum(shipped.sql)) {
      throw new MigrationDriftError(`migration ${d.name} was edited after it was applied`);
    }
  });
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(done.length)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.name, checksum(m.sql), Date.now());
    })();
    applied.push(m.name);
  }
  return { applied };
}
