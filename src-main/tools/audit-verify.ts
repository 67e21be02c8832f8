/**
 * `npm run audit:verify [-- --data-dir DIR]`: walk the till's hash-chained audit log and name the
 * first entry that does not verify. Exit code 0 when the chain holds, 1 when it is broken, 2 when
 * the store cannot be read. Opens the store read-only, so it is safe while the till runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { checkAuditChain } from '../db/repos/ledger.js';

const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function main(argv: string[]): number {
  const i = argv.indexOf('--data-dir');
  const dir = resolve(i >= 0 && argv[i + 1] ? argv[i + 1]! : (process.env.LAVKA_DATA_DIR ?? join(APP_ROOT, 'data')));
  const dbPath = join(dir, 'till.sqlite');
  if (!existsSync(dbPath)) {
    console.error(`no till store at ${dbPath}`);
    return 2;
  }
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const r = checkAuditChain(db);
    if (r.brokenAt === null) {
      console.log(`audit chain intact: ${r.entries} entries verified (${dbPath})`);
      return 0;
    }
    const why = { content: 'its content does not match its hash (edited)', link: 'it does not link to the entry before it', sequence: 'the sequence skips here (an entry removed or inserted)' }[r.problem ?? 'content'];
    console.log(`audit chain BROKEN at entry #${r.brokenAt} (${r.action}, ${new Date(r.at ?? 0).toISOString()}): ${why}`);
    return 1;
  } finally {
    db.close();
  }
}

process.exitCode = main(process.argv.slice(2));
