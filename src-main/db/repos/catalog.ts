import type { ProductKind, ProductView, Unit } from '../../../src-common/rpc/schemas.js';
import type { Qty } from '../../../src-common/units.js';
import type { Db } from '../open.js';
import { onRollback } from './settings.js';

export interface ProductRow {
  id: number;
  name: string;
  name_alt: string | null;
  kind: ProductKind;
  unit: Unit;
  tax_code: string;
  tax_bp: number;
  price: number;
  plu: number | null;
  category: string | null;
  barcode: string | null;
  active: number;
  /** 1: sold only by scanning each unit's marking code (Честный знак). */
  marked: number;
}

export interface ScannedProduct {
  product: ProductRow;
  /** Units one scan adds: 1000 for a piece, 6000 for a six-pack barcode. */
  packQty: Qty;
}

/** The product's own columns; its VAT rate and category name come from ReferenceData, not a join. */
const PRODUCT_COLUMNS = `p.id, p.name, p.name_alt, p.kind, p.unit, p.tax_code, p.price, p.plu, p.category_id, p.active, p.marked`;
const PRIMARY_BARCODE = `(SELECT b2.code FROM barcodes b2 WHERE b2.product_id = p.id ORDER BY b2.pack_qty, b2.code LIMIT 1) AS barcode`;

export function toProductView(p: ProductRow): ProductView {
  return {
    id: p.id,
    name: p.name,
    nameAlt: p.name_alt,
    kind: p.kind,
    unit: p.unit,
    price: p.price,
    plu: p.plu,
    barcode: p.barcode,
    category: p.category,
    vat: { code: p.tax_code, bp: p.tax_bp },
    marked: p.marked === 1,
  };
}

/** Turn what the cashier typed into an FTS5 prefix query: every word must match as a prefix. */
export function ftsPrefixQuery(text: string): string | null {
  const words = queryWords(text);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

/** The words of what the cashier typed, lower case, at most 8. */
function queryWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
}

/** How many FTS matches we rank in memory; FTS returns them in rowid order, which stops early. */
const SEARCH_CANDIDATES = 200;

/** Words up to this long are answered by FTS5's own prefix indexes (`prefix = '1 2 3'` in 0001_init.sql). */
const PREFIX_INDEXED = 3;
/** Longer words are spelled out as an OR of the index terms they begin, up to this many terms. */
const MAX_EXPANSION = 64;
/** Terms listed per 4-letter bucket before we give up listing it (and fall back to a prefix query). */
const MAX_BUCKET_TERMS = 4_096;
/** Words the index stores exactly as typed (lower case, no diacritics to fold), so their terms can be listed by range. */
const PLAIN_WORD = /^[0-9a-z\u0430-\u044f\u0451]+$/;

const ftsString = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const collator = new Intl.Collator();

/**
 * The index terms that begin with a word, read from the FTS5 vocabulary and kept per 4-letter
 * bucket until the index changes.
 *
 * Why: FTS5 answers `"сахар"*` (a prefix longer than its prefix indexes) by reading and merging
 * the whole doclist of every matching term before returning the first row, so LIMIT cannot stop
 * it early: 5–15 ms on a 1,000,000-product catalog for two such words. The same query spelled
 * as `("сахар" OR "сахара")` is merged lazily in rowid order and stops at the LIMIT (< 1 ms),
 * and matches exactly the same rows, because a prefix query is by definition the OR of the
 * terms with that prefix.
 *
 * Listing a bucket costs about what one prefix query did (fts5vocab reads the doclists), so it
 * is done once per bucket. Any write to the FTS index rewrites its structure record
 * (products_fts_data id 10); when that changes the lists are dropped, so a new product name is
 * found at once.
 */
class PrefixTerms {
  private readonly structureStmt;
  private readonly rangeStmt;
  private structure: Buffer | null = null;
  private readonly buckets = new Map<string, string[] | null>();
  private listed = 0;

  constructor(db: Db) {
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.lavka_products_fts_terms USING fts5vocab(main, 'products_fts', 'row')`);
    this.structureStmt = db.prepare('SELECT block FROM products_fts_data WHERE id = 10').pluck();
    this.rangeStmt = db.prepare(`SELECT term FROM temp.lavka_products_fts_terms WHERE term >= ? AND term < ? LIMIT ${MAX_BUCKET_TERMS + 1}`).pluck();
  }

  /** Call before a search: forget every list if the index changed since they were read. */
  revalidate(): void {
    const now = this.structureStmt.get() as Buffer | undefined;
    if (this.structure && now && this.structure.equals(now)) return;
    this.structure = now ?? null;
    this.buckets.clear();
    this.listed = 0;
  }

  /** Index terms that start with `word` (a plain word longer than PREFIX_INDEXED), or null when there are too many. */
  expand(word: string): string[] | null {
    const bucket = word.slice(0, PREFIX_INDEXED + 1);
    let terms = this.buckets.get(bucket);
    if (terms === undefined) {
      const upper = bucket.slice(0, -1) + String.fromCharCode(bucket.charCodeAt(bucket.length - 1) + 1);
      const rows = this.rangeStmt.all(bucket, upper) as string[];
      terms = rows.length > MAX_BUCKET_TERMS ? null : rows;
      if (this.listed > 50 * MAX_BUCKET_TERMS) {
        this.buckets.clear();
        this.listed = 0;
      }
      this.buckets.set(bucket, terms);
      this.listed += terms?.length ?? 0;
    }
    if (terms === null) return null;
    const matching = word.length === bucket.length ? terms : terms.filter((t) => t.startsWith(word));
    return matching.length > MAX_EXPANSION ? null : matching;
  }
}

/** A product as stored: the VAT rate and category are references, resolved by ReferenceData. */
type StoredProduct = Omit<ProductRow, 'tax_bp' | 'category'> & { category_id: number | null };

/**
 * VAT rates and category names, held in memory: a handful of rows every lookup needs, so a scan
 * reads the barcode and the product and nothing else (two joins were a third of a lookup's time).
 *
 * Kept exact by temporary triggers on this connection — the only one that writes the store — which
 * mark the copy stale on any insert, update or delete of either table, and again if that
 * transaction rolls back (a copy read inside it would hold the undone change). A VAT rate changing
 * (20 % → 22 % in 2026) is therefore seen by the very next scan.
 */
class ReferenceData {
  private readonly taxStmt;
  private readonly categoryStmt;
  private stale = true;
  private taxBp = new Map<string, number>();
  private categories = new Map<number, string>();

  constructor(db: Db) {
    db.function('lavka_catalog_reference_changed', { deterministic: false, varargs: false }, () => {
      this.stale = true;
      onRollback(db, () => {
        this.stale = true;
      });
      return null;
    });
    for (const table of ['tax_rates', 'categories']) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS lavka_ref_${table}_${op.toLowerCase()} AFTER ${op} ON main.${table}
                 BEGIN SELECT lavka_catalog_reference_changed(); END`);
      }
    }
    this.taxStmt = db.prepare('SELECT code, bp FROM tax_rates');
    this.categoryStmt = db.prepare('SELECT id, name FROM categories');
  }

  /** The product with its VAT basis points and category name filled in. */
  resolve(p: StoredProduct & { barcode?: string | null }): ProductRow {
    if (this.stale) this.reload();
    const taxBp = this.taxBp.get(p.tax_code);
    // products.tax_code references tax_rates (foreign keys are on), so a miss is a stale copy.
    if (taxBp === undefined) throw new Error(`tax rate ${p.tax_code} of product ${p.id} is not in tax_rates`);
    return {
      id: p.id,
      name: p.name,
      name_alt: p.name_alt,
      kind: p.kind,
      unit: p.unit,
      tax_code: p.tax_code,
      tax_bp: taxBp,
      price: p.price,
      plu: p.plu,
      category: p.category_id === null ? null : (this.categories.get(p.category_id) ?? null),
      barcode: p.barcode ?? null,
      active: p.active,
      marked: p.marked,
    };
  }

  private reload(): void {
    this.taxBp = new Map((this.taxStmt.all() as { code: string; bp: number }[]).map((r) => [r.code, r.bp]));
    this.categories = new Map((this.categoryStmt.all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
    this.stale = false;
  }
}

/** A scan's product: the one statement a barcode lookup runs (the bench times it bare, as the floor). */
export const BARCODE_LOOKUP_SQL = `SELECT ${PRODUCT_COLUMNS}, b.code AS barcode, b.pack_qty FROM barcodes b
       JOIN products p ON p.id = b.product_id WHERE b.code = ?`;

export class CatalogRepo {
  private readonly byBarcode;
  private readonly byPluStmt;
  private readonly byItemCodeStmt;
  private readonly byIdStmt;
  private readonly candidatesStmt;
  private readonly prefixTerms;
  private readonly reference;

  constructor(private readonly db: Db) {
    this.reference = new ReferenceData(db);
    this.byBarcode = db.prepare(BARCODE_LOOKUP_SQL);
    this.byPluStmt = db.prepare(`SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p WHERE p.plu = ?`);
    this.byItemCodeStmt = db.prepare(
      `SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p WHERE p.item_code = ?`,
    );
    this.byIdStmt = db.prepare(`SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p WHERE p.id = ?`);
    // Only what ranking needs for the candidates; full rows are read for the few that are returned.
    this.candidatesStmt = db.prepare(
      `SELECT p.id, p.name, p.name_alt FROM (
         SELECT rowid FROM products_fts WHERE products_fts MATCH ? LIMIT ${SEARCH_CANDIDATES}
       ) f JOIN products p ON p.id = f.rowid WHERE p.active = 1`,
    );
    this.prefixTerms = new PrefixTerms(db);
  }

  /** VAT rates and categories by name, for product forms. */
  references(): { taxRates: { code: string; bp: number }[]; categories: { id: number; name: string }[] } {
    return {
      taxRates: this.db.prepare('SELECT code, bp FROM tax_rates ORDER BY bp DESC, code').all() as { code: string; bp: number }[],
      categories: this.db.prepare('SELECT id, name FROM categories ORDER BY name').all() as { id: number; name: string }[],
    };
  }

  /** A product made at this till (inside the caller's transaction); its category is found by name or added. */
  create(
    p: { name: string; kind: 'goods' | 'weighed'; unit: 'pcs' | 'kg' | 'l'; taxCode: string; price: number; category: string | null; barcode: string | null; packQty: number; sku?: string | null },
    at: number,
  ): number {
    const categoryId = p.category ? this.categoryNamed(p.category) : null;
    const id = Number(
      this.db
        .prepare('INSERT INTO products (name, kind, unit, tax_code, price, category_id, sku, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.name, p.kind, p.unit, p.taxCode, p.price, categoryId, p.sku ?? null, at).lastInsertRowid,
    );
    if (p.barcode) this.db.prepare('INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?)').run(p.barcode, id, p.packQty);
    return id;
  }

  /** Change what an import names (null: keep): name, VAT code, category by name (added if new). */
  update(id: number, p: { name: string; taxCode: string | null; category: string | null }, at: number): void {
    const categoryId = p.category ? this.categoryNamed(p.category) : null;
    this.db
      .prepare('UPDATE products SET name = ?, tax_code = COALESCE(?, tax_code), category_id = COALESCE(?, category_id), updated_at = ? WHERE id = ?')
      .run(p.name, p.taxCode, categoryId, at, id);
  }

  /** The category with this name, added if there is none. */
  private categoryNamed(name: string): number {
    return (
      (this.db.prepare('SELECT id FROM categories WHERE name = ?').pluck().get(name) as number | undefined) ??
      Number(this.db.prepare('INSERT INTO categories (name) VALUES (?)').run(name).lastInsertRowid)
    );
  }

  addBarcode(code: string, productId: number, packQty: number): void {
    this.db.prepare('INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?)').run(code, productId, packQty);
  }

  /** A product by the chain's product code (SKU), if it has one. */
  bySku(sku: string): ProductRow | null {
    const id = this.db.prepare('SELECT id FROM products WHERE sku = ?').pluck().get(sku) as number | undefined;
    return id === undefined ? null : this.byId(id);
  }

  lookupBarcode(code: string): ScannedProduct | null {
    const row = this.byBarcode.get(code) as (StoredProduct & { barcode: string; pack_qty: number }) | undefined;
    if (!row) return null;
    return { product: this.reference.resolve(row), packQty: row.pack_qty as Qty };
  }

  byPlu(plu: number): ProductRow | null {
    return this.resolved(this.byPluStmt.get(plu));
  }

  /** The product's category name (null: none). */
  categoryName(productId: number): string | null {
    this.categoryNameStmt ??= this.db.prepare('SELECT c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ?').pluck();
    return (this.categoryNameStmt.get(productId) as string | undefined) ?? null;
  }
  private categoryNameStmt: import('better-sqlite3').Statement | undefined;

  byItemCode(code: string): ProductRow | null {
    return this.resolved(this.byItemCodeStmt.get(code));
  }

  byId(id: number): ProductRow | null {
    return this.resolved(this.byIdStmt.get(id));
  }

  private resolved(row: unknown): ProductRow | null {
    return row === undefined ? null : this.reference.resolve(row as StoredProduct & { barcode: string | null });
  }

  /**
   * The FTS5 query for what the cashier typed: every word must match as a prefix (as
   * ftsPrefixQuery), with words longer than the prefix indexes spelled out as their terms.
   * Null when it cannot match anything.
   */
  private matchExpression(text: string): string | null {
    const words = queryWords(text);
    if (words.length === 0) return null;
    this.prefixTerms.revalidate();
    const parts: string[] = [];
    for (const w of words) {
      if (w.length <= PREFIX_INDEXED || !PLAIN_WORD.test(w)) {
        parts.push(`${ftsString(w)}*`);
        continue;
      }
      const terms = this.prefixTerms.expand(w);
      if (terms === null) parts.push(`${ftsString(w)}*`);
      else if (terms.length === 0) return null;
      else if (terms.length === 1) parts.push(ftsString(terms[0] as string));
      else parts.push(`(${terms.map(ftsString).join(' OR ')})`);
    }
    return parts.join(' AND ');
  }

  /**
   * Search by name words as prefixes. Candidates come from FTS in index order and are ranked here:
   * names starting with the query first, then shorter names, so a common prefix never scans the table.
   */
  search(text: string, limit: number): ProductRow[] {
    const q = this.matchExpression(text);
    if (!q) return [];
    const rows = this.candidatesStmt.all(q) as Pick<ProductRow, 'id' | 'name' | 'name_alt'>[];
    const needle = text.trim().toLowerCase();
    const score = (r: Pick<ProductRow, 'name' | 'name_alt'>): number =>
      (r.name.toLowerCase().startsWith(needle) || (r.name_alt ?? '').toLowerCase().startsWith(needle) ? 0 : 1000) +
      Math.min(r.name.length, 999);
    const out: ProductRow[] = [];
    for (const { r } of rows
      .map((r) => ({ r, s: score(r) }))
      .sort((a, b) => a.s - b.s || collator.compare(a.r.name, b.r.name))
      .slice(0, limit)) {
      const full = this.byId(r.id);
      if (full) out.push(full);
    }
    return out;
  }
}
