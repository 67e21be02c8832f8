/**
 * `node --import tsx bench/check-search.ts [till.sqlite]`: proves CatalogRepo.search (prefix words
 * spelled out as index terms, candidates read lean, full rows only for the results) returns exactly
 * what the plain design returns: the first 200 matches of the `"word"*` FTS query in rowid order,
 * ranked in JS. Runs on the cached benchmark catalog by default; exit 1 on any difference.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src-main/db/open.js';
import { CatalogRepo, ftsPrefixQuery, type ProductRow } from '../src-main/db/repos/catalog.js';
import { CACHE_DIR } from './catalog-cache.js';
import { cashierQueries } from './context.js';

/** The reference: the original single-statement search. */
function referenceSearch(db: Db): (text: string, limit: number) => ProductRow[] {
  const stmt = db.prepare(
    `SELECT p.id, p.name, p.name_alt, p.kind, p.unit, p.tax_code, t.bp AS tax_bp, p.price, p.plu, c.name AS category, p.active,
       (SELECT b2.code FROM barcodes b2 WHERE b2.product_id = p.id ORDER BY b2.pack_qty, b2.code LIMIT 1) AS barcode
     FROM (SELECT rowid FROM products_fts WHERE products_fts MATCH ? LIMIT 200) f
     JOIN products p ON p.id = f.rowid JOIN tax_rates t ON t.code = p.tax_code LEFT JOIN categories c ON c.id = p.category_id
     WHERE p.active = 1`,
  );
  return (text, limit) => {
    const q = ftsPrefixQuery(text);
    if (!q) return [];
    const rows = stmt.all(q) as ProductRow[];
    const needle = text.trim().toLowerCase();
    const score = (r: ProductRow): number =>
      (r.name.toLowerCase().startsWith(needle) || (r.name_alt ?? '').toLowerCase().startsWith(needle) ? 0 : 1000) +
      Math.min(r.name.length, 999);
    return rows
      .map((r) => ({ r, s: score(r) }))
      .sort((a, b) => a.s - b.s || a.r.name.localeCompare(b.r.name))
      .slice(0, limit)
      .map((x) => x.r);
  };
}

const EDGE_CASES = [
  'сахар', 'Сахар без', 'лёгк', 'легк', 'домашн', 'café', 'CAFÉ latte', 'ЁЛКА', 'zzzz', 'qwerty молок', 'мо', 'м', '1 л',
  '0,5', '930 мл', 'мол"ок', '"', '*', 'a OR b', 'NEAR(', 'Простоквашино молоко 1 л классический фермерский', 'с ванилью',
  'sugar-free', 'by weight', 'gala app', 'молок', 'milk lavka', 'прос прос', '2', '200', 'ряжен', 'AND', 'classicx', 'premiu',
];

export function checkSearch(dbPath: string, products: number, count = 3_000): boolean {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const repo = new CatalogRepo(db);
    const reference = referenceSearch(db);
    const queries = [...EDGE_CASES, ...cashierQueries(products, count, 99)];
    let diff = 0;
    for (const q of queries) {
      for (const limit of [20, 5]) {
        const a = JSON.stringify(repo.search(q, limit));
        const b = JSON.stringify(reference(q, limit));
        if (a !== b) {
          diff++;
          if (diff <= 5) console.log(`DIFF ${JSON.stringify(q)} limit ${limit}`);
        }
      }
    }
    console.log(`${queries.length} queries × 2 limits: ${diff} differ`);
    return diff === 0;
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  let path = process.argv[2];
  if (!path) {
    const cached = existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR).find((d) => /^catalog-\d+-/.test(d)) : undefined;
    if (!cached) {
      console.error('no cached catalog: run `npm run bench` once, or pass a till.sqlite');
      process.exit(2);
    }
    path = join(CACHE_DIR, cached, 'till.sqlite');
  }
  const products = Number(/catalog-(\d+)-/.exec(path)?.[1] ?? 10_000);
  process.exit(checkSearch(path, products) ? 0 : 1);
}
