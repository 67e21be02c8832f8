/**
 * `node --import tsx bench/check-seed.ts [N]`: proves the bulk seed path (trigger dropped, FTS
 * rebuilt once) leaves the store with the same content as inserts through the FTS trigger.
 * Seeds two stores of N products (in two steps, to cover "extend an existing store"), then
 * compares rows, the schema, the FTS index term by term, and FTS integrity. Exit 1 on a difference.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src-main/db/open.js';
import { seedStore } from '../src-main/tools/seed.js';

function digest(db: Db, sql: string): { rows: number; hash: string } {
  const h = createHash('sha256');
  let rows = 0;
  for (const row of db.prepare(sql).raw().iterate()) {
    h.update(JSON.stringify(row));
    rows++;
  }
  return { rows, hash: h.digest('hex').slice(0, 16) };
}

const CHECKS: [string, string][] = [
  ['products', 'SELECT id, name, name_alt, kind, unit, tax_code, price, category_id, plu, item_code, active FROM products ORDER BY id'],
  ['barcodes', 'SELECT code, product_id, pack_qty FROM barcodes ORDER BY code'],
  ['schema', `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`],
  ['fts instances', 'SELECT term, doc, col, offset FROM temp.fts_vocab ORDER BY term, doc, col, offset'],
  ['fts "молок"*', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"молок"*' ORDER BY rowid`],
  ['fts "che"* "pr"*', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"che"* "pr"*' ORDER BY rowid`],
  ['fts "в"*', `SELECT rowid FROM products_fts WHERE products_fts MATCH '"в"*' ORDER BY rowid`],
];

export function checkSeed(n: number): boolean {
  const root = mkdtempSync(join(tmpdir(), 'lavka-check-seed-'));
  try {
    const dirs = { bulk: join(root, 'bulk'), triggers: join(root, 'triggers') };
    for (const [kind, dir] of Object.entries(dirs)) {
      const viaTriggers = kind === 'triggers';
      seedStore({ products: Math.floor(n / 2), dataDir: dir, viaTriggers });
      const r = seedStore({ products: n, dataDir: dir, viaTriggers });
      console.log(`${kind.padEnd(8)}: ${r.after} products, second step ${r.ms.toFixed(0)} ms`);
    }
    const dbs = Object.values(dirs).map((d) => openDatabase(join(d, 'till.sqlite')));
    let same = true;
    for (const db of dbs) {
      db.exec(`CREATE VIRTUAL TABLE temp.fts_vocab USING fts5vocab(main, products_fts, instance)`);
      db.exec(`INSERT INTO products_fts (products_fts) VALUES ('integrity-check')`);
    }
    for (const [name, sql] of CHECKS) {
      const [a, b] = dbs.map((db) => digest(db, sql)) as [{ rows: number; hash: string }, { rows: number; hash: string }];
      const ok = a.rows === b.rows && a.hash === b.hash;
      same &&= ok;
      console.log(`${ok ? 'same' : 'DIFF'}  ${name.padEnd(18)} ${a.rows} rows ${a.hash}${ok ? '' : ` vs ${b.rows} rows ${b.hash}`}`);
    }
    for (const db of dbs) db.close();
    return same;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const ok = checkSeed(Number(process.argv[2] ?? 30_000));
  console.log(ok ? 'bulk seed == trigger seed' : 'bulk seed differs from trigger seed');
  process.exit(ok ? 0 : 1);
}
