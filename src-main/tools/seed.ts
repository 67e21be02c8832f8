/**
 * `npm run seed -- --products N [--data-dir DIR]`: fill the till store with a generated catalog.
 *
 * A new store is created the way the app creates one (migrations, then the demo store: settings,
 * users, tax rates, the hand-made products); an existing store gets generated products added up
 * to N. Generated product i is always the same product (src-main/demo/catalog-generator.ts), so
 * running the tool twice with the same N changes nothing.
 *
 * Speed: the FTS5 insert trigger flushes a tiny index segment for every row (FTS5 syncs its
 * pending terms at each statement savepoint), which makes trigger-maintained bulk inserts ~4×
 * slower than the rows themselves. So the bulk path runs in ONE transaction that drops the insert
 * trigger, inserts the rows, rebuilds the FTS index from the products table, recreates the
 * trigger from its stored SQL and merges the index into one segment. Either all of it commits or
 * none of it does; the result has the same rows and the same FTS index content as inserts through
 * the trigger (bench/check-seed.ts compares both).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/open.js';
import { generateProduct, GENERATED_ID_BASE } from '../demo/catalog-generator.js';
import { generatedProductCount, isEmptyStore, seedDemoStore, seedGeneratedProducts } from '../demo/seed.js';

export const MAX_PRODUCTS = 1_000_000;
const APP_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface SeedOptions {
  /** Generated products the store should hold (ids from GENERATED_ID_BASE). */
  products: number;
  /** Directory of till.sqlite. */
  dataDir: string;
  migrationsDir?: string;
  /** Called now and then with (products done, products wanted). */
  onProgress?: (done: number, total: number, phase: string) => void;
  /** Use the per-row trigger path (for comparison); default false. */
  viaTriggers?: boolean;
}

export interface SeedResult {
  dbPath: string;
  created: boolean;
  before: number;
  after: number;
  ms: number;
}

const FTS_INSERT_TRIGGER = 'products_fts_ai';
const PROGRESS_EVERY = 50_000;

/** Insert generated products [from, to) with the FTS index rebuilt once at the end, in one transaction. */
export function bulkInsertGenerated(db: Db, from: number, to: number, onProgress?: (done: number, phase: string) => void): void {
  const triggerSql = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`)
    .pluck()
    .get(FTS_INSERT_TRIGGER) as string | undefined;
  if (!triggerSql) {
    // The schema changed under us: fall back to the ordinary, trigger-maintained path.
    seedGeneratedProducts(db, from, to, (done) => onProgress?.(done, 'insert'));
    return;
  }
  const product = db.prepare(`INSERT INTO products (id, name, name_alt, kind, unit, tax_code, price, category_id, plu, item_code, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const barcode = db.prepare('INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?)');
  const at = Date.now();
  db.transaction(() => {
    db.exec(`DROP TRIGGER ${FTS_INSERT_TRIGGER}`);
    for (let i = from; i < to; i++) {
      const p = generateProduct(i);
      product.run(p.id, p.name, p.nameAlt, p.kind, p.unit, p.taxCode, p.price, p.categoryId, p.plu, p.itemCode, at);
      for (const b of p.barcodes) barcode.run(b.code, p.id, b.packQty);
      if ((i + 1 - from) % PROGRESS_EVERY === 0) onProgress?.(i + 1, 'insert');
    }
    onProgress?.(to, 'fts rebuild');
    db.exec(`INSERT INTO products_fts (products_fts) VALUES ('rebuild')`);
    db.exec(triggerSql);
    onProgress?.(to, 'fts optimize');
    db.exec(`INSERT INTO products_fts (products_fts) VALUES ('optimize')`);
  })();
}

/** Create or extend the store at dataDir/till.sqlite so it holds `products` generated products. */
export function seedStore(opts: SeedOptions): SeedResult {
  const started = performance.now();
  mkdirSync(opts.dataDir, { recursive: true });
  const dbPath = join(opts.dataDir, 'till.sqlite');
  const db = openDatabase(dbPath);
  try {
    // A larger page cache for this connection only: index inserts stay in memory.
    db.pragma('cache_size = -262144');
    migrate(db, loadMigrations(opts.migrationsDir ?? join(APP_ROOT, 'migrations')));
    const created = isEmptyStore(db);
    if (created) seedDemoStore(db, { products: 0 });
    const before = generatedProductCount(db);
    if (before < opts.products) {
      // Generated ids are contiguous from GENERATED_ID_BASE; continue after the highest one.
      const maxId = db.prepare('SELECT MAX(id) FROM products WHERE id >= ?').pluck().get(GENERATED_ID_BASE) as number | null;
      const from = maxId === null ? 0 : maxId - GENERATED_ID_BASE + 1;
      const to = from + (opts.products - before);
      const progress = (done: number, phase: string): void => opts.onProgress?.(before + done - from, opts.products, phase);
      if (opts.viaTriggers) seedGeneratedProducts(db, from, to, (done) => progress(done, 'insert'));
      else bulkInsertGenerated(db, from, to, progress);
    }
    const after = generatedProductCount(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { dbPath, created, before, after, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = `Usage: npm run seed -- --products N [--data-dir DIR]

  --products N     generated products the store should hold, 0…${MAX_PRODUCTS.toLocaleString('en')}
  --data-dir DIR   where till.sqlite lives (default: $LAVKA_DATA_DIR, else ./data)
  --help           this text

A new store is created with the demo users (cashier PIN 1111) and settings; an existing one
gets generated products added until it holds N.`;

export function parseCount(raw: string | undefined, flag: string): number {
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`${flag} needs a number`);
  const clean = raw.replace(/_/g, '');
  if (!/^-?\d+$/.test(clean)) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  const n = Number(clean);
  if (n < 0) throw new UsageError(`${flag} must not be negative, got ${raw}`);
  if (n > MAX_PRODUCTS) throw new UsageError(`${flag} must be at most ${MAX_PRODUCTS}, got ${raw}`);
  return n;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { help: true } | { help: false; products: number; dataDir: string } {
  let products: number | null = null;
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--products':
        products = parseCount(value(), '--products');
        break;
      case '--data-dir': {
        const v = value();
        if (!v || v.startsWith('--')) throw new UsageError('--data-dir needs a directory');
        dataDir = v;
        break;
      }
      default:
        throw new UsageError(`unknown argument "${arg}"`);
    }
  }
  if (products === null) throw new UsageError('--products N is required');
  return { help: false, products, dataDir: resolve(dataDir ?? env.LAVKA_DATA_DIR ?? join(process.cwd(), 'data')) };
}

function main(): void {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`seed: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const tty = process.stderr.isTTY;
  const t0 = performance.now();
  let lastPhase = '';
  const result = seedStore({
    products: args.products,
    dataDir: args.dataDir,
    onProgress: (done, total, phase) => {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const line = `seed: ${phase.padEnd(12)} ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${pct}%) ${((performance.now() - t0) / 1000).toFixed(1)} s`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (phase !== lastPhase || done % 200_000 === 0) process.stderr.write(`${line}\n`);
      lastPhase = phase;
    },
  });
  if (tty) process.stderr.write('\n');
  const added = result.after - result.before;
  console.log(
    `${result.created ? 'created' : 'opened'} ${result.dbPath}: ${result.after.toLocaleString('en')} generated products` +
      ` (${added > 0 ? `added ${added.toLocaleString('en')}` : 'nothing to add'}) in ${(result.ms / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(`seed: failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
