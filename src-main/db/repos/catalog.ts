import type { ProductKind, ProductView, Unit } from '../../../src-common/rpc/schemas.js';
import type { Qty } from '../../../src-common/units.js';
import type { Db } from '../open.js';

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
}

export interface ScannedProduct {
  product: ProductRow;
  /** Units one scan adds: 1000 for a piece, 6000 for a six-pack barcode. */
  packQty: Qty;
}

const PRODUCT_COLUMNS = `p.id, p.name, p.name_alt, p.kind, p.unit, p.tax_code, t.bp AS tax_bp, p.price, p.plu,
  c.name AS category, p.active`;
const PRODUCT_JOINS = `JOIN tax_rates t ON t.code = p.tax_code LEFT JOIN categories c ON c.id = p.category_id`;
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
  };
}

/** Turn what the cashier typed into an FTS5 prefix query: every word must match as a prefix. */
export function ftsPrefixQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

/** How many FTS matches we rank in memory; FTS returns them in rowid order, which stops early. */
const SEARCH_CANDIDATES = 200;

export class CatalogRepo {
  private readonly byBarcode;
  private readonly byPluStmt;
  private readonly byItemCodeStmt;
  private readonly byIdStmt;
  private readonly searchStmt;

  constructor(db: Db) {
    this.byBarcode = db.prepare(
      `SELECT ${PRODUCT_COLUMNS}, b.code AS barcode, b.pack_qty FROM barcodes b
       JOIN products p ON p.id = b.product_id ${PRODUCT_JOINS} WHERE b.code = ?`,
    );
    this.byPluStmt = db.prepare(`SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p ${PRODUCT_JOINS} WHERE p.plu = ?`);
    this.byItemCodeStmt = db.prepare(
      `SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p ${PRODUCT_JOINS} WHERE p.item_code = ?`,
    );
    this.byIdStmt = db.prepare(`SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM products p ${PRODUCT_JOINS} WHERE p.id = ?`);
    this.searchStmt = db.prepare(
      `SELECT ${PRODUCT_COLUMNS}, ${PRIMARY_BARCODE} FROM (
         SELECT rowid FROM products_fts WHERE products_fts MATCH ? LIMIT ${SEARCH_CANDIDATES}
       ) f JOIN products p ON p.id = f.rowid ${PRODUCT_JOINS} WHERE p.active = 1`,
    );
  }

  lookupBarcode(code: string): ScannedProduct | null {
    const row = this.byBarcode.get(code) as (ProductRow & { pack_qty: number }) | undefined;
    if (!row) return null;
    const { pack_qty, ...product } = row;
    return { product, packQty: pack_qty as Qty };
  }

  byPlu(plu: number): ProductRow | null {
    return (this.byPluStmt.get(plu) as ProductRow | undefined) ?? null;
  }

  byItemCode(code: string): ProductRow | null {
    return (this.byItemCodeStmt.get(code) as ProductRow | undefined) ?? null;
  }

  byId(id: number): ProductRow | null {
    return (this.byIdStmt.get(id) as ProductRow | undefined) ?? null;
  }

  /**
   * Search by name words as prefixes. Candidates come from FTS in index order and are ranked here:
   * names starting with the query first, then shorter names, so a common prefix never scans the table.
   */
  search(text: string, limit: number): ProductRow[] {
    const q = ftsPrefixQuery(text);
    if (!q) return [];
    const rows = this.searchStmt.all(q) as ProductRow[];
    const needle = text.trim().toLowerCase();
    const score = (r: ProductRow): number =>
      (r.name.toLowerCase().startsWith(needle) || (r.name_alt ?? '').toLowerCase().startsWith(needle) ? 0 : 1000) +
      Math.min(r.name.length, 999);
    return rows
      .map((r) => ({ r, s: score(r) }))
      .sort((a, b) => a.s - b.s || a.r.name.localeCompare(b.r.name))
      .slice(0, limit)
      .map((x) => x.r);
  }
}

