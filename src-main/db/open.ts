import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Open the till store with the durability the architecture promises: WAL with
 * synchronous=FULL, so a committed sale survives power loss; foreign keys enforced.
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: opts.readonly ?? false });
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16000');
  db.pragma('temp_store = MEMORY');
  return db;
}
