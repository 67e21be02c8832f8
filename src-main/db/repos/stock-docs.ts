import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface SupplierRow {
  id: number;
  name: string;
  inn: string | null;
}

export type StockDocKind = 'order' | 'receiving' | 'count' | 'writeoff' | 'transfer_out' | 'transfer_in';
export type WriteoffReason = 'damage' | 'expiry' | 'theft' | 'own_use' | 'other';

export interface StockDocRow {
  id: string;
  kind: StockDocKind;
  number: number;
  state: 'draft' | 'posted' | 'cancelled';
  supplier_id: number | null;
  supplier_name: string | null;
  supplier_inn: string | null;
  invoice_no: string | null;
  invoice_date: string | null;
  note: string | null;
  snapshot_movement_id: number | null;
  category_id: number | null;
  category_name: string | null;
  blind: number;
  location: string | null;
  reason: WriteoffReason | null;
  prices_from: number | null;
  order_id: string | null;
  store_id: string | null;
  store_name: string | null;
  transfer_id: string | null;
  created_at: number;
  created_by_name: string;
  posted_at: number | null;
  posted_by_name: string | null;
}

export interface StockDocLineRow {
  line_no: number;
  product_id: number;
  name: string;
  unit: 'pcs' | 'kg' | 'l';
  barcode: string | null;
  expected_qty: number | null;
  qty: number;
  cost: number | null;
  price: number;
  new_price: number | null;
  category_id: number | null;
}

export interface StockLevelRow {
  product_id: number;
  name: string;
  unit: 'pcs' | 'kg' | 'l';
  barcode: string | null;
  category: string | null;
  qty: number;
  avg_cost: number | null;
  price: number;
  min_qty: number | null;
  order_pack: number | null;
  location: string | null;
}

const DOC_COLUMNS = `d.id, d.kind, d.number, d.state, d.supplier_id, s.name AS supplier_name, s.inn AS supplier_inn, d.invoice_no, d.invoice_date,
  d.note, d.snapshot_movement_id, d.category_id, c.name AS category_name, d.blind, d.location, d.reason, d.prices_from, d.order_id, d.store_id, d.store_name, d.transfer_id, d.created_at, COALESCE(cu.name, '') AS created_by_name, d.posted_at, pu.name AS posted_by_name
  FROM stock_docs d LEFT JOIN suppliers s ON s.id = d.supplier_id LEFT JOIN users cu ON cu.id = d.created_by LEFT JOIN users pu ON pu.id = d.posted_by
  LEFT JOIN categories c ON c.id = d.category_id`;
const PRIMARY_BARCODE = `(SELECT b.code FROM barcodes b WHERE b.product_id = p.id ORDER BY b.pack_qty, b.code LIMIT 1)`;

/** Suppliers, stock documents and their lines, and stock levels. Writes run inside the caller's transaction. */
export class StockDocsRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      suppliers: db.prepare('SELECT id, name, inn FROM suppliers ORDER BY name'),
      supplier: db.prepare('SELECT id, name, inn FROM suppliers WHERE id = ?'),
      supplierByName: db.prepare('SELECT id, name, inn FROM suppliers WHERE name = ?'),
      addSupplier: db.prepare('INSERT INTO suppliers (name, inn, created_at) VALUES (?, ?, ?)'),
      doc: db.prepare(`SELECT ${DOC_COLUMNS} WHERE d.id = ?`),
      docs: db.prepare(
        `SELECT ${DOC_COLUMNS} WHERE (@state IS NULL OR d.state = @state) AND (@kind IS NULL OR d.kind = @kind) ORDER BY d.created_at DESC, d.number DESC LIMIT @limit`,
      ),
      addDoc: db.prepare(
        `INSERT INTO stock_docs (id, kind, number, state, supplier_id, invoice_no, invoice_date, note, snapshot_movement_id, category_id, location, blind, reason, order_id, store_id, store_name, transfer_id, created_by, created_at)
         VALUES (@id, @kind, @number, 'draft', @supplierId, @invoiceNo, @invoiceDate, @note, @snapshotMovementId, @categoryId, @location, @blind, @reason, @orderId, @storeId, @storeName, @transferId, @userId, @at)`,
      ),
      ownStore: db.prepare('SELECT store_id FROM sync_state WHERE id = 1').pluck(),
      unitBarcodes: db.prepare('SELECT code FROM barcodes WHERE product_id = ? AND pack_qty = 1000 ORDER BY code LIMIT 50').pluck(),
      skuOf: db.prepare('SELECT sku FROM products WHERE id = ?').pluck(),
      chainStores: db.prepare('SELECT id, name FROM chain_stores WHERE @except IS NULL OR id <> @except ORDER BY name'),
      lastMovement: db.prepare('SELECT COALESCE(MAX(id), 0) FROM stock_movements').pluck(),
      balanceAt: db.prepare('SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE product_id = ? AND id <= ?').pluck(),
      category: db.prepare('SELECT id FROM categories WHERE id = ?').pluck(),
      // Goods of a scope that had stock (either way) when a count began.
      withStockAt: db.prepare(
        `SELECT m.product_id FROM stock_movements m JOIN products p ON p.id = m.product_id
          WHERE m.id <= @snapshot AND (@categoryId IS NULL OR p.category_id = @categoryId) AND (@location IS NULL OR p.location = @location)
          GROUP BY m.product_id HAVING SUM(m.qty) <> 0`,
      ).pluck(),
      updateHeader: db.prepare('UPDATE stock_docs SET supplier_id = @supplierId, invoice_no = @invoiceNo, invoice_date = @invoiceDate, note = @note WHERE id = @id'),
      setState: db.prepare('UPDATE stock_docs SET state = @state, posted_at = @postedAt, posted_by = @postedBy WHERE id = @id'),
      lines: db.prepare(
        `SELECT l.line_no, l.product_id, p.name, p.unit, ${PRIMARY_BARCODE} AS barcode, l.expected_qty, l.qty, l.cost, p.price, l.new_price, p.category_id
           FROM stock_doc_lines l JOIN products p ON p.id = l.product_id WHERE l.doc_id = ? ORDER BY l.line_no`,
      ),
      lineOf: db.prepare('SELECT line_no, expected_qty, qty, cost, new_price FROM stock_doc_lines WHERE doc_id = ? AND product_id = ?'),
      nextLineNo: db.prepare('SELECT COALESCE(MAX(line_no), 0) + 1 FROM stock_doc_lines WHERE doc_id = ?').pluck(),
      addLine: db.prepare(
        'INSERT INTO stock_doc_lines (doc_id, line_no, product_id, expected_qty, qty, cost, new_price) VALUES (@docId, @lineNo, @productId, @expectedQty, @qty, @cost, @newPrice)',
      ),
      updateLine: db.prepare('UPDATE stock_doc_lines SET expected_qty = @expectedQty, qty = @qty, cost = @cost, new_price = @newPrice WHERE doc_id = @docId AND line_no = @lineNo'),
      addQty: db.prepare('UPDATE stock_doc_lines SET qty = qty + @qty WHERE doc_id = @docId AND line_no = @lineNo'),
      addExpected: db.prepare('UPDATE stock_doc_lines SET expected_qty = COALESCE(expected_qty, 0) + @qty WHERE doc_id = @docId AND line_no = @lineNo'),
      removeLine: db.prepare('DELETE FROM stock_doc_lines WHERE doc_id = ? AND line_no = ?'),
      level: db.prepare('SELECT qty, avg_cost FROM stock_levels WHERE product_id = ?'),
      setAvgCost: db.prepare('INSERT INTO stock_levels (product_id, qty, avg_cost) VALUES (?, 0, ?) ON CONFLICT (product_id) DO UPDATE SET avg_cost = excluded.avg_cost'),
      setPricesFrom: db.prepare('UPDATE stock_docs SET prices_from = ? WHERE id = ?'),
      setLocation: db.prepare('UPDATE products SET location = ? WHERE id = ?'),
      setMinimum: db.prepare(
        'INSERT INTO stock_levels (product_id, qty, min_qty, order_pack) VALUES (?, 0, ?, ?) ON CONFLICT (product_id) DO UPDATE SET min_qty = excluded.min_qty, order_pack = excluded.order_pack',
      ),
      setPrice: db.prepare('UPDATE products SET price = ?, updated_at = ? WHERE id = ?'),
      priceChange: db.prepare('INSERT INTO price_changes (product_id, old_price, new_price, source_id, user_id, at) VALUES (?, ?, ?, ?, ?, ?)'),
      levels: db.prepare(
        `SELECT p.id AS product_id, p.name, p.unit, ${PRIMARY_BARCODE} AS barcode, c.name AS category, COALESCE(sl.qty, 0) AS qty, sl.avg_cost, p.price, sl.min_qty, sl.order_pack, p.location
           FROM products p LEFT JOIN stock_levels sl ON sl.product_id = p.id LEFT JOIN categories c ON c.id = p.category_id
          WHERE p.active = 1 AND p.kind <> 'service'
            AND (@ids IS NULL OR p.id IN (SELECT value FROM json_each(@ids)))
            AND (@lowOnly = 0 OR (sl.min_qty IS NOT NULL AND COALESCE(sl.qty, 0) <= sl.min_qty))
            AND (@location IS NULL OR p.location = @location)
          ORDER BY p.name LIMIT @limit`,
      ),
    };
  }

  suppliers(): SupplierRow[] {
    return this.s.suppliers.all() as SupplierRow[];
  }
  supplier(id: number): SupplierRow | null {
    return (this.s.supplier.get(id) as SupplierRow | undefined) ?? null;
  }
  supplierByName(name: string): SupplierRow | null {
    return (this.s.supplierByName.get(name) as SupplierRow | undefined) ?? null;
  }
  addSupplier(name: string, inn: string | null, at: EpochMs): number {
    return Number(this.s.addSupplier.run(name, inn, at).lastInsertRowid);
  }

  doc(id: string): StockDocRow | null {
    return (this.s.doc.get(id) as StockDocRow | undefined) ?? null;
  }
  docs(state: StockDocRow['state'] | null, kind: StockDocKind | null, limit: number): StockDocRow[] {
    return this.s.docs.all({ state, kind, limit }) as StockDocRow[];
  }
  addDoc(d: {
    id: string;
    kind: StockDocKind;
    number: number;
    supplierId?: number | null;
    invoiceNo?: string | null;
    invoiceDate?: string | null;
    note?: string | null;
    snapshotMovementId?: number | null;
    categoryId?: number | null;
    location?: string | null;
    blind?: boolean;
    reason?: WriteoffReason | null;
    orderId?: string | null;
    storeId?: string | null;
    storeName?: string | null;
    transferId?: string | null;
    userId: number | null;
    at: EpochMs;
  }): void {
    this.s.addDoc.run({
      supplierId: null,
      invoiceNo: null,
      invoiceDate: null,
      note: null,
      snapshotMovementId: null,
      categoryId: null,
      location: null,
      reason: null,
      orderId: null,
      storeId: null,
      storeName: null,
      transferId: null,
      ...d,
      blind: d.blind ? 1 : 0,
    });
  }
  /** This till's store at the head office (null: not enrolled). */
  ownStoreId(): string | null {
    return (this.s.ownStore.get() as string | null | undefined) ?? null;
  }
  /** How another store knows a product: its SKU and its single-unit barcodes. */
  productKeys(productId: number): { sku: string | null; barcodes: string[] } {
    return { sku: (this.s.skuOf.get(productId) as string | null | undefined) ?? null, barcodes: this.s.unitBarcodes.all(productId) as string[] };
  }

  /** The chain's other stores (from the head office), by name. */
  chainStores(except: string | null): { id: string; name: string }[] {
    return this.s.chainStores.all({ except }) as { id: string; name: string }[];
  }

  /** The last stock movement now: a count started now compares with the ledger up to it. */
  lastMovementId(): number {
    return this.s.lastMovement.get() as number;
  }
  /** A product's stock as it stood after movement `movementId`. */
  balanceAt(productId: number, movementId: number): number {
    return this.s.balanceAt.get(productId, movementId) as number;
  }
  productsWithStockAt(movementId: number, categoryId: number | null, location: string | null): number[] {
    return this.s.withStockAt.all({ snapshot: movementId, categoryId, location }) as number[];
  }
  categoryExists(id: number): boolean {
    return this.s.category.get(id) !== undefined;
  }
  updateHeader(h: { id: string; supplierId: number | null; invoiceNo: string | null; invoiceDate: string | null; note: string | null }): void {
    this.s.updateHeader.run(h);
  }
  setState(id: string, state: 'posted' | 'cancelled', postedAt: EpochMs | null, postedBy: number | null): void {
    this.s.setState.run({ id, state, postedAt, postedBy });
  }

  lines(docId: string): StockDocLineRow[] {
    return this.s.lines.all(docId) as StockDocLineRow[];
  }
  lineOf(docId: string, productId: number): { line_no: number; expected_qty: number | null; qty: number; cost: number | null; new_price: number | null } | null {
    return (this.s.lineOf.get(docId, productId) as ReturnType<StockDocsRepo['lineOf']> | undefined) ?? null;
  }
  addLine(l: { docId: string; productId: number; expectedQty: number | null; qty: number; cost: number | null; newPrice: number | null }): number {
    const lineNo = this.s.nextLineNo.get(l.docId) as number;
    this.s.addLine.run({ ...l, lineNo });
    return lineNo;
  }
  updateLine(l: { docId: string; lineNo: number; expectedQty: number | null; qty: number; cost: number | null; newPrice: number | null }): void {
    this.s.updateLine.run(l);
  }
  addQty(docId: string, lineNo: number, qty: number): void {
    this.s.addQty.run({ docId, lineNo, qty });
  }
  /** An order counts what is ordered: a scan adds to it. */
  addExpected(docId: string, lineNo: number, qty: number): void {
    this.s.addExpected.run({ docId, lineNo, qty });
  }
  removeLine(docId: string, lineNo: number): boolean {
    return this.s.removeLine.run(docId, lineNo).changes > 0;
  }

  /** Stock on hand (kept by the movements trigger) and the average cost. */
  level(productId: number): { qty: number; avgCost: number | null } {
    const r = this.s.level.get(productId) as { qty: number; avg_cost: number | null } | undefined;
    return { qty: r?.qty ?? 0, avgCost: r?.avg_cost ?? null };
  }
  setAvgCost(productId: number, avgCost: number): void {
    this.s.setAvgCost.run(productId, avgCost);
  }
  setPricesFrom(docId: string, at: number | null): void {
    this.s.setPricesFrom.run(at, docId);
  }

  setLocation(productId: number, location: string | null): void {
    this.s.setLocation.run(location, productId);
  }

  setMinimum(productId: number, minQty: number | null, orderPack: number | null): void {
    this.s.setMinimum.run(productId, minQty, orderPack);
  }

  /** A new retail price, recorded with the old one (its price tags are then due). */
  changePrice(productId: number, oldPrice: number, newPrice: number, sourceId: string | null, userId: number | null, at: EpochMs): void {
    this.s.setPrice.run(newPrice, at, productId);
    this.s.priceChange.run(productId, oldPrice, newPrice, sourceId, userId, at);
  }

  /** Levels of active goods by name; `ids` narrows to products found by a search. */
  levels(q: { ids: number[] | null; lowOnly: boolean; limit: number; location?: string | null }): StockLevelRow[] {
    return this.s.levels.all({ ids: q.ids === null ? null : JSON.stringify(q.ids), lowOnly: q.lowOnly ? 1 : 0, limit: q.limit, location: q.location ?? null }) as StockLevelRow[];
  }
}
