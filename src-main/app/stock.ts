import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { isValidInn } from '../../src-common/inn.js';
import type { StockDocView, SupplierView } from '../../src-common/rpc/schemas.js';
import { lineStatus, receivingTotals, weightedAverageCost } from '../../src-common/stock.js';
import type { EpochMs } from '../../src-common/units.js';
import type { StockDocRow, SupplierRow } from '../db/repos/stock-docs.js';
import { ftsPrefixQuery } from '../db/repos/catalog.js';
import { queueUpstream } from '../sync/upstream.js';
import { resolveCode } from './checkout.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

const supplierView = (s: SupplierRow): SupplierView => ({ id: s.id, name: s.name, inn: s.inn });

function docView(ctx: HandlerCtx, d: StockDocRow): StockDocView {
  const rows = ctx.repos.stockDocs.lines(d.id);
  const lines = rows.map((l) => ({
    lineNo: l.line_no,
    productId: l.product_id,
    name: l.name,
    unit: l.unit,
    barcode: l.barcode,
    expectedQty: l.expected_qty,
    qty: l.qty,
    cost: l.cost,
    price: l.price,
    newPrice: l.new_price,
    status: lineStatus(l.expected_qty, l.qty),
  }));
  return {
    id: d.id,
    kind: d.kind,
    number: d.number,
    state: d.state,
    supplier: d.supplier_id === null ? null : { id: d.supplier_id, name: d.supplier_name ?? '', inn: d.supplier_inn },
    invoiceNo: d.invoice_no,
    invoiceDate: d.invoice_date,
    note: d.note,
    createdAt: d.created_at,
    createdBy: d.created_by_name,
    postedAt: d.posted_at,
    postedBy: d.posted_by_name,
    lines,
    totals: receivingTotals(lines.map((l) => ({ expectedQty: l.expectedQty, qty: l.qty, cost: l.cost, retailPrice: l.newPrice ?? l.price }))),
  };
}

function findDoc(ctx: HandlerCtx, id: string): StockDocRow {
  const d = ctx.repos.stockDocs.doc(id);
  if (!d) throw new AppError('not_found', 'no such stock document', { docId: id });
  return d;
}

/** A draft: posted and cancelled documents are never changed (a correction is a new document). */
function findDraft(ctx: HandlerCtx, id: string): StockDocRow {
  const d = findDoc(ctx, id);
  if (d.state !== 'draft') throw new AppError('stock_doc_closed', 'the document is no longer a draft', { docId: id, state: d.state, number: d.number });
  return d;
}

function checkSupplier(ctx: HandlerCtx, supplierId: number | null | undefined): number | null {
  if (supplierId === undefined || supplierId === null) return null;
  if (!ctx.repos.stockDocs.supplier(supplierId)) throw new AppError('not_found', 'no such supplier', { supplierId });
  return supplierId;
}

function refresh(ctx: HandlerCtx, id: string): StockDocView {
  return docView(ctx, findDoc(ctx, id));
}

export const stockHandlers: Handlers<
  | 'suppliers.list'
  | 'suppliers.create'
  | 'receiving.create'
  | 'receiving.update'
  | 'receiving.scan'
  | 'receiving.setLine'
  | 'receiving.removeLine'
  | 'receiving.post'
  | 'receiving.cancel'
  | 'stockDocs.get'
  | 'stockDocs.list'
  | 'stock.levels'
> = {
  'suppliers.list': (_p, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.stockDocs.suppliers().map(supplierView);
  },

  'suppliers.create': ({ name, inn }, ctx) => {
    const user = requireUser(ctx, 'stock');
    if (inn !== undefined && !isValidInn(inn)) throw new AppError('supplier_invalid', 'the INN check digits do not match', { field: 'inn', reason: 'inn' });
    if (ctx.repos.stockDocs.supplierByName(name)) throw new AppError('supplier_invalid', 'a supplier with this name exists', { field: 'name', reason: 'duplicate' });
    const now = ctx.clock.now();
    const id = ctx.repos.stockDocs.addSupplier(name, inn ?? null, now);
    ctx.repos.audit.append(now, user.userId, 'supplier.create', String(id), { name, inn: inn ?? null });
    return supplierView(ctx.repos.stockDocs.supplier(id)!);
  },

  'receiving.create': (h, ctx) => {
    const user = requireUser(ctx, 'stock');
    const now = ctx.clock.now();
    const id = newId();
    const number = ctx.repos.counters.next('receiving_number');
    ctx.repos.stockDocs.addDoc({
      id,
      number,
      supplierId: checkSupplier(ctx, h.supplierId),
      invoiceNo: h.invoiceNo ?? null,
      invoiceDate: h.invoiceDate ?? null,
      note: h.note ?? null,
      userId: user.userId,
      at: now,
    });
    ctx.repos.audit.append(now, user.userId, 'receiving.create', id, { number });
    return refresh(ctx, id);
  },

  'receiving.update': ({ docId, ...h }, ctx) => {
    requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    ctx.repos.stockDocs.updateHeader({
      id: docId,
      supplierId: h.supplierId === undefined ? d.supplier_id : checkSupplier(ctx, h.supplierId),
      invoiceNo: h.invoiceNo === undefined ? d.invoice_no : h.invoiceNo,
      invoiceDate: h.invoiceDate === undefined ? d.invoice_date : h.invoiceDate,
      note: h.note === undefined ? d.note : h.note,
    });
    return refresh(ctx, docId);
  },

  'receiving.scan': ({ docId, code }, ctx) => {
    requireUser(ctx, 'stock');
    findDraft(ctx, docId);
    const hit = resolveCode(code, ctx);
    const repo = ctx.repos.stockDocs;
    const line = repo.lineOf(docId, hit.product.id);
    if (line) repo.addQty(docId, line.line_no, hit.qty);
    else repo.addLine({ docId, productId: hit.product.id, expectedQty: null, qty: hit.qty, cost: null, newPrice: null });
    return refresh(ctx, docId);
  },

  'receiving.setLine': ({ docId, productId, ...f }, ctx) => {
    const user = requireUser(ctx, 'stock');
    findDraft(ctx, docId);
    const product = ctx.repos.catalog.byId(productId);
    if (!product) throw new AppError('not_found', 'product not found', { productId });
    if (f.newPrice !== undefined && f.newPrice !== null && !ctx.repos.permissions.can(user.role, 'prices_manage')) {
      throw new AppError('forbidden', 'not allowed for this role', { permission: 'prices_manage' });
    }
    if (f.qty !== undefined && product.unit === 'pcs' && f.qty % 1000 !== 0) {
      throw new AppError('invalid_quantity', 'pieces are counted whole', { field: 'qty', unit: 'pcs' });
    }
    const repo = ctx.repos.stockDocs;
    const line = repo.lineOf(docId, productId);
    const next = {
      expectedQty: f.expectedQty === undefined ? (line?.expected_qty ?? null) : f.expectedQty,
      qty: f.qty ?? line?.qty ?? 0,
      cost: f.cost === undefined ? (line?.cost ?? null) : f.cost,
      newPrice: f.newPrice === undefined ? (line?.new_price ?? null) : f.newPrice,
    };
    if (line) repo.updateLine({ docId, lineNo: line.line_no, ...next });
    else repo.addLine({ docId, productId, ...next });
    return refresh(ctx, docId);
  },

  'receiving.removeLine': ({ docId, lineNo }, ctx) => {
    requireUser(ctx, 'stock');
    findDraft(ctx, docId);
    if (!ctx.repos.stockDocs.removeLine(docId, lineNo)) throw new AppError('not_found', 'no such line', { lineNo });
    return refresh(ctx, docId);
  },

  'receiving.post': ({ docId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    const repo = ctx.repos.stockDocs;
    const lines = repo.lines(docId);
    const received = lines.filter((l) => l.qty > 0);
    if (received.length === 0) throw new AppError('stock_doc_empty', 'nothing was received', { docId });
    const priced = lines.filter((l) => l.new_price !== null && l.new_price !== l.price);
    if (priced.length > 0 && !ctx.repos.permissions.can(user.role, 'prices_manage')) {
      throw new AppError('forbidden', 'not allowed for this role', { permission: 'prices_manage' });
    }
    const now = ctx.clock.now();
    for (const l of received) {
      // The average first, from the stock before this delivery.
      if (l.cost !== null) {
        const before = repo.level(l.product_id);
        repo.setAvgCost(l.product_id, weightedAverageCost(before.qty, before.avgCost, l.qty, l.cost));
      }
      ctx.repos.stock.move(l.product_id, l.qty, 'receipt', docId, now);
    }
    for (const l of priced) repo.changePrice(l.product_id, l.price, l.new_price!, docId, user.userId, now);
    repo.setState(docId, 'posted', now, user.userId);
    const view = refresh(ctx, docId);
    ctx.repos.audit.append(now, user.userId, 'receiving.post', docId, {
      number: d.number,
      lines: received.length,
      receivedCost: view.totals.receivedCost,
      priceChanges: priced.length,
    });
    queueUpstream(
      ctx,
      'stock',
      'receiving.posted',
      {
        tillId: ctx.repos.settings.get('till.id'),
        doc: { id: docId, number: d.number, supplier: view.supplier, invoiceNo: d.invoice_no, invoiceDate: d.invoice_date, postedAt: now as EpochMs },
        lines: view.lines.map((l) => ({ productId: l.productId, name: l.name, expectedQty: l.expectedQty, qty: l.qty, cost: l.cost, newPrice: l.newPrice })),
        totals: view.totals,
      },
      now,
    );
    return view;
  },

  'receiving.cancel': ({ docId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    const now = ctx.clock.now();
    ctx.repos.stockDocs.setState(docId, 'cancelled', null, null);
    ctx.repos.audit.append(now, user.userId, 'receiving.cancel', docId, { number: d.number });
    return refresh(ctx, docId);
  },

  'stockDocs.get': ({ id }, ctx) => {
    requireUser(ctx, 'stock');
    return refresh(ctx, id);
  },

  'stockDocs.list': ({ state, limit }, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.stockDocs.docs(state ?? null, limit).map((d) => {
      const { lines: _lines, note: _note, ...summary } = docView(ctx, d);
      return summary;
    });
  },

  'stock.levels': ({ text, lowOnly, limit }, ctx) => {
    requireUser(ctx, 'stock');
    let ids: number[] | null = null;
    if (text) {
      const hit = /^\d{4,14}$/.test(text) ? ctx.repos.catalog.lookupBarcode(text) : null;
      ids = hit ? [hit.product.id] : ftsPrefixQuery(text) === null ? [] : ctx.repos.catalog.search(text, limit).map((p) => p.id);
    }
    return ctx.repos.stockDocs.levels({ ids, lowOnly, limit }).map((r) => ({
      productId: r.product_id,
      name: r.name,
      unit: r.unit,
      barcode: r.barcode,
      category: r.category,
      qty: r.qty,
      avgCost: r.avg_cost,
      price: r.price,
      minQty: r.min_qty,
      low: r.min_qty !== null && r.qty <= r.min_qty,
    }));
  },
};
