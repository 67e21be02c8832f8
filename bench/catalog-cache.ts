/**
 * The benchmark catalog: a store seeded once with `npm run seed` into bench/.cache/ and reused
 * while nothing that shapes its content changed (migrations, the generator, the seeding code).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CACHE_DIR = join(ROOT, 'bench', '.cache');
export const MIGRATIONS_DIR = join(ROOT, 'migrations');

/** Everything the seeded content depends on. */
const KEY_SOURCES = [
  'src-main/demo/catalog-generator.ts',
  'src-main/demo/seed.ts',
  'src-main/tools/seed.ts',
  'src-common/barcode.ts',
];

export function catalogKey(products: number): string {
  const h = createHash('sha256');
  h.update(`products=${products}\n`);
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()) {
    h.update(`${f}\n`).update(readFileSync(join(MIGRATIONS_DIR, f)));
  }
  for (const f of KEY_SOURCES) h.update(`${f}\n`).update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 12);
}

export interface CachedCatalog {
  dir: string;
  dbPath: string;
  products: number;
  /** How long seeding took in this run; null when the cache was reused. */
  seededMs: number | null;
}

/** The cached store for `products` generated products, seeding it first if needed. */
export function ensureCatalog(products: number, log: (msg: string) => void): CachedCatalog {
  const key = catalogKey(products);
  const name = `catalog-${products}-${key}`;
  const dir = join(CACHE_DIR, name);
  const dbPath = join(dir, 'till.sqlite');
  const marker = join(dir, 'complete.json');
  mkdirSync(CACHE_DIR, { recursive: true });
  // Stale catalogs of the same size are hundreds of MB each: drop them.
  for (const old of readdirSync(CACHE_DIR)) {
    if (old.startsWith(`catalog-${products}-`) && old !== name) {
      log(`removing stale cached catalog ${old}`);
      rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
    }
  }
  if (existsSync(marker) && existsSync(dbPath)) {
    log(`using cached catalog ${name} (${(statSync(dbPath).size / 1e6).toFixed(0)} MB)`);
    return { dir, dbPath, products, seededMs: null };
  }
  rmSync(dir, { recursive: true, force: true });
  log(`seeding a ${products.toLocaleString('en')}-product catalog into ${dir} (once; reused while migrations and generator are unchanged)`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/tools/seed.ts'), '--products', String(products), '--data-dir', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`seeding failed (exit ${r.status ?? r.signal})`);
  const seededMs = performance.now() - t0;
  writeFileSync(marker, JSON.stringify({ products, key, seededMs: Math.round(seededMs), at: new Date().toISOString() }, null, 2));
  return { dir, dbPath, products, seededMs };
}

/** A private copy of the cached store that a benchmark may write to (sales, audit, logins). */
export function copyStore(catalog: CachedCatalog, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'till.sqlite');
  copyFileSync(catalog.dbPath, dbPath);
  return dbPath;
}
