import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { isValidInn } from '../../src-common/inn.js';
import type { StockDocView, SupplierView } from '../../src-common/rpc/schemas.js';
import { lineStatus, proposedPrice, receivingTotals, reorderSuggestion, weightedAverageCost } from '../../src-common/stock.js';
import type { EpochMs } from '../../src-common/units.js';
import type { StockDocRow, StockLevelRow, SupplierRow } from '../db/repos/stock-docs.js';
import { ftsPrefixQuery } from '../db/repos/catalog.js';
import { queueUpstream } from '../sync/upstream.js';
import { resolveCode, weighOnScale } from './checkout.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

const supplierView = (s: SupplierRow): SupplierView => ({ id: s.id, name: s.name, inn: s.inn });

export function docView(ctx: HandlerCtx, d: StockDocRow): StockDocView {
  const rows = ctx.repos.stockDocs.lines(d.id);
  // A count's book quantities are filled in when it is posted; a blind one shows none before.
  const hideBook = d.kind === 'count' && d.state === 'draft';
  const propose = (cost: number | null, categoryId: number | null): number | null => {
    if (d.kind !== 'receiving' || cost === null) return null;
    const rule = ctx.repos.pricing.ruleFor(d.supplier_id, categoryId);
    return rule ? proposedPrice(cost, rule.markup_bp, rule.rounding, rule.ending) : null;
  };
  const lines = rows.map((l) => ({
    lineNo: l.line_no,
    productId: l.product_id,
    name: l.name,
    unit: l.unit,
    barcode: l.barcode,
    expectedQty: hideBook ? null : l.expected_qty,
    qty: l.qty,
    cost: l.cost,
    price: l.price,
    newPrice: l.new_price,
    proposedPrice: propose(l.cost, l.category_id),
    status: hideBook || d.kind === 'order' ? ('ok' as const) : lineStatus(l.expected_qty, l.qty),
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
    category: d.category_id === null ? null : { id: d.category_id, name: d.category_name ?? '' },
    location: d.location,
    blind: d.blind === 1,
    reason: d.reason,
    pricesFrom: d.prices_from,
    orderId: d.order_id,
    store: d.store_id === null ? null : { id: d.store_id, name: d.store_name ?? '' },
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

function levelView(r: StockLevelRow) {
  return {
    productId: r.product_id,
    name: r.name,
    unit: r.unit,
    barcode: r.barcode,
    category: r.category,
    qty: r.qty,
    avgCost: r.avg_cost,
    price: r.price,
    minQty: r.min_qty,
    orderPack: r.order_pack,
    location: r.location,
    low: r.min_qty !== null && r.qty <= r.min_qty,
    reorder: reorderSuggestion(r.qty, r.min_qty, r.order_pack),
  };
}

function newOrder(ctx: HandlerCtx, userId: number, supplierId: number, note: string | null): { id: string; view: StockDocView } {
  const now = ctx.clock.now();
  const id = newId();
  const number = ctx.repos.counters.next('order_number');
  ctx.repos.stockDocs.addDoc({ id, kind: 'order', number, supplierId, note, userId, at: now });
  ctx.repos.audit.append(now, userId, 'order.create', id, { number, supplierId });
  return { id, view: refresh(ctx, id) };
}

/** An order placed: nothing moves in stock; the head office learns what was ordered. */
function postOrder(ctx: HandlerCtx, d: StockDocRow, userId: number): StockDocView {
  const lines = ctx.repos.stockDocs.lines(d.id).filter((l) => (l.expected_qty ?? 0) > 0);
  if (lines.length === 0) throw new AppError('stock_doc_empty', 'nothing is ordered', { docId: d.id });
  const now = ctx.clock.now();
  ctx.repos.stockDocs.setState(d.id, 'posted', now, userId);
  const view = refresh(ctx, d.id);
  ctx.repos.audit.append(now, userId, 'order.place', d.id, { number: d.number, lines: lines.length, expectedCost: view.totals.expectedCost });
  queueUpstream(
    ctx,
    'stock',
    'order.placed',
    { tillId: ctx.repos.settings.get('till.id'), doc: { id: d.id, number: d.number, supplier: view.supplier, placedAt: now }, lines: lines.map((l) => ({ productId: l.product_id, name: l.name, qty: l.expected_qty, cost: l.cost })) },
    now,
  );
  return view;
}

/**
 * Goods sent to another store: they leave stock here (a `transfer` movement per line) and are in
 * transit until that store receives them; the head office hands the transfer to its tills.
 */
function postTransferOut(ctx: HandlerCtx, d: StockDocRow, userId: number): StockDocView {
  const repo = ctx.repos.stockDocs;
  const lines = repo.lines(d.id).filter((l) => l.qty > 0);
  if (lines.length === 0) throw new AppError('stock_doc_empty', 'nothing to send', { docId: d.id });
  const now = ctx.clock.now();
  const sent = lines.map((l) => {
    ctx.repos.stock.move(l.product_id, -l.qty, 'transfer', d.id, now);
    return { ...repo.productKeys(l.product_id), name: l.name, qty: l.qty, cost: repo.level(l.product_id).avgCost };
  });
  for (const [i, l] of lines.entries()) repo.updateLine({ docId: d.id, lineNo: l.line_no, expectedQty: null, qty: l.qty, cost: sent[i]!.cost, newPrice: null });
  repo.setState(d.id, 'posted', now, userId);
  ctx.repos.audit.append(now, userId, 'transfer.send', d.id, { number: d.number, to: d.store_id, lines: lines.length });
  queueUpstream(
    ctx,
    'stock',
    'transfer.sent',
    { tillId: ctx.repos.settings.get('till.id'), transfer: { id: d.id, number: d.number, toStoreId: d.store_id, sentAt: now, lines: sent } },
    now,
  );
  return refresh(ctx, d.id);
}

/** Goods from another store counted in: into stock at the sender's cost (the average follows), and the head office is told. */
function postTransferIn(ctx: HandlerCtx, d: StockDocRow, userId: number): StockDocView {
  const repo = ctx.repos.stockDocs;
  const lines = repo.lines(d.id);
  if (!lines.some((l) => l.qty > 0)) throw new AppError('stock_doc_empty', 'nothing was received', { docId: d.id });
  const now = ctx.clock.now();
  for (const l of lines.filter((x) => x.qty > 0)) {
    if (l.cost !== null) {
      const before = repo.level(l.product_id);
      repo.setAvgCost(l.product_id, weightedAverageCost(before.qty, before.avgCost, l.qty, l.cost));
    }
    ctx.repos.stock.move(l.product_id, l.qty, 'transfer', d.id, now);
  }
  repo.setState(d.id, 'posted', now, userId);
  ctx.repos.audit.append(now, userId, 'transfer.receive', d.id, { number: d.number, from: d.store_id, transferId: d.transfer_id });
  queueUpstream(
    ctx,
    'stock',
    'transfer.received',
    {
      tillId: ctx.repos.settings.get('till.id'),
      transfer: { id: d.transfer_id, receivedAt: now, lines: lines.map((l) => ({ ...repo.productKeys(l.product_id), name: l.name, expected: l.expected_qty, qty: l.qty })) },
    },
    now,
  );
  return refresh(ctx, d.id);
}

/**
 * A count posted: each counted line's difference from the book as it stood when the count began
 * (sales since then are already in the ledger and stay there), as one `count` movement per line;
 * `zeroUncounted` counts every product of the count's scope that nobody counted as none.
 */
function postCount(ctx: HandlerCtx, d: StockDocRow, userId: number, zeroUncounted: boolean): StockDocView {
  const repo = ctx.repos.stockDocs;
  const snapshot = d.snapshot_movement_id ?? 0;
  if (zeroUncounted) {
    const counted = new Set(repo.lines(d.id).map((l) => l.product_id));
    for (const productId of repo.productsWithStockAt(snapshot, d.category_id, d.location)) {
      if (!counted.has(productId)) repo.addLine({ docId: d.id, productId, expectedQty: null, qty: 0, cost: null, newPrice: null });
    }
  }
  const lines = repo.lines(d.id);
  if (lines.length === 0) throw new AppError('stock_doc_empty', 'nothing was counted', { docId: d.id });
  const now = ctx.clock.now();
  const differences: { productId: number; book: number; counted: number; difference: number }[] = [];
  for (const l of lines) {
    const book = repo.balanceAt(l.product_id, snapshot);
    repo.updateLine({ docId: d.id, lineNo: l.line_no, expectedQty: book, qty: l.qty, cost: l.cost, newPrice: null });
    const difference = l.qty - book;
    if (difference !== 0) ctx.repos.stock.move(l.product_id, difference, 'count', d.id, now);
    differences.push({ productId: l.product_id, book, counted: l.qty, difference });
  }
  repo.setState(d.id, 'posted', now, userId);
  ctx.repos.audit.append(now, userId, 'count.post', d.id, { number: d.number, lines: lines.length, adjusted: differences.filter((x) => x.difference !== 0).length });
  queueUpstream(
    ctx,
    'stock',
    'count.posted',
    { tillId: ctx.repos.settings.get('till.id'), doc: { id: d.id, number: d.number, categoryId: d.category_id, startedAt: d.created_at, postedAt: now }, lines: differences },
    now,
  );
  return refresh(ctx, d.id);
}

/**
 * A write-off posted: each line leaves stock at the product's average cost (its value is what the
 * owner loses), one `writeoff` movement per line.
 */
function postWriteoff(ctx: HandlerCtx, d: StockDocRow, userId: number): StockDocView {
  const repo = ctx.repos.stockDocs;
  const lines = repo.lines(d.id).filter((l) => l.qty > 0);
  if (lines.length === 0) throw new AppError('stock_doc_empty', 'nothing to write off', { docId: d.id });
  const now = ctx.clock.now();
  const out: { productId: number; qty: number; avgCost: number | null }[] = [];
  for (const l of lines) {
    const { avgCost } = repo.level(l.product_id);
    // The line keeps the cost it left at: the write-off's value stays what it was on the day.
    repo.updateLine({ docId: d.id, lineNo: l.line_no, expectedQty: null, qty: l.qty, cost: avgCost, newPrice: null });
    ctx.repos.stock.move(l.product_id, -l.qty, 'writeoff', d.id, now);
    out.push({ productId: l.product_id, qty: l.qty, avgCost });
  }
  repo.setState(d.id, 'posted', now, userId);
  const view = refresh(ctx, d.id);
  ctx.repos.audit.append(now, userId, 'writeoff.post', d.id, { number: d.number, reason: d.reason, lines: lines.length, value: view.totals.receivedCost });
  queueUpstream(ctx, 'stock', 'writeoff.posted', { tillId: ctx.repos.settings.get('till.id'), doc: { id: d.id, number: d.number, reason: d.reason, note: d.note, postedAt: now }, lines: out }, now);
  return view;
}

export const stockHandlers: Handlers<
  | 'suppliers.list'
  | 'suppliers.create'
  | 'receiving.create'
  | 'orders.create'
  | 'orders.fromLowStock'
  | 'stores.list'
  | 'transfers.create'
  | 'counts.create'
  | 'writeoffs.create'
  | 'stockDocs.update'
  | 'stockDocs.scan'
  | 'stockDocs.setLine'
  | 'stockDocs.removeLine'
  | 'stockDocs.weigh'
  | 'stockDocs.applyProposedPrices'
  | 'stockDocs.post'
  | 'stockDocs.cancel'
  | 'stockDocs.get'
  | 'stockDocs.list'
  | 'stock.levels'
  | 'stock.setMinimum'
  | 'stock.setLocation'
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
    const order = h.orderId ? findDoc(ctx, h.orderId) : null;
    if (order && (order.kind !== 'order' || order.state !== 'posted')) {
      throw new AppError('validation', 'a delivery starts from a placed order', { field: 'orderId', state: order.state });
    }
    const number = ctx.repos.counters.next('receiving_number');
    ctx.repos.stockDocs.addDoc({
      id,
      kind: 'receiving',
      number,
      orderId: order?.id ?? null,
      supplierId: order ? order.supplier_id : checkSupplier(ctx, h.supplierId),
      invoiceNo: h.invoiceNo ?? null,
      invoiceDate: h.invoiceDate ?? null,
      note: h.note ?? null,
      userId: user.userId,
      at: now,
    });
    if (h.pricesFrom !== undefined && h.pricesFrom !== null) ctx.repos.stockDocs.setPricesFrom(id, h.pricesFrom);
    // The order's quantities and costs are the invoice to count against.
    if (order) {
      for (const l of ctx.repos.stockDocs.lines(order.id)) {
        ctx.repos.stockDocs.addLine({ docId: id, productId: l.product_id, expectedQty: l.expected_qty, qty: 0, cost: l.cost, newPrice: null });
      }
    }
    ctx.repos.audit.append(now, user.userId, 'receiving.create', id, { number });
    return refresh(ctx, id);
  },

  'orders.create': ({ supplierId, note }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return newOrder(ctx, user.userId, checkSupplier(ctx, supplierId)!, note ?? null).view;
  },

  'orders.fromLowStock': ({ supplierId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const low = ctx.repos.stockDocs.levels({ ids: null, lowOnly: true, limit: 10_000 }).map(levelView).filter((l) => l.reorder > 0);
    if (low.length === 0) throw new AppError('stock_doc_empty', 'nothing is low', { reason: 'nothing_low' });
    const { id } = newOrder(ctx, user.userId, checkSupplier(ctx, supplierId)!, null);
    for (const l of low) ctx.repos.stockDocs.addLine({ docId: id, productId: l.productId, expectedQty: l.reorder, qty: 0, cost: l.avgCost, newPrice: null });
    return refresh(ctx, id);
  },

  'stores.list': (_p, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.stockDocs.chainStores(ctx.repos.stockDocs.ownStoreId());
  },

  'transfers.create': ({ toStoreId, note }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const own = ctx.repos.stockDocs.ownStoreId();
    if (own === null) throw new AppError('sync_not_enrolled', 'transfers go through the head office: connect the till first');
    const to = ctx.repos.stockDocs.chainStores(own).find((s) => s.id === toStoreId);
    if (!to) throw new AppError('not_found', 'no such store in the chain', { storeId: toStoreId });
    const now = ctx.clock.now();
    const id = newId();
    const number = ctx.repos.counters.next('transfer_out_number');
    ctx.repos.stockDocs.addDoc({ id, kind: 'transfer_out', number, storeId: to.id, storeName: to.name, note: note ?? null, userId: user.userId, at: now });
    ctx.repos.audit.append(now, user.userId, 'transfer.create', id, { number, to: to.id });
    return refresh(ctx, id);
  },

  'counts.create': ({ categoryId, location, blind, note }, ctx) => {
    const user = requireUser(ctx, 'stock');
    if (categoryId !== null && !ctx.repos.stockDocs.categoryExists(categoryId)) throw new AppError('not_found', 'no such category', { categoryId });
    const now = ctx.clock.now();
    const id = newId();
    const number = ctx.repos.counters.next('count_number');
    // The ledger as it stands now is what the count is compared with: sales from here on are not in it.
    const snapshotMovementId = ctx.repos.stockDocs.lastMovementId();
    ctx.repos.stockDocs.addDoc({ id, kind: 'count', number, note: note ?? null, snapshotMovementId, categoryId, location, blind, userId: user.userId, at: now });
    ctx.repos.audit.append(now, user.userId, 'count.create', id, { number, categoryId, location, blind, snapshotMovementId });
    return refresh(ctx, id);
  },

  'writeoffs.create': ({ reason, note }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const now = ctx.clock.now();
    const id = newId();
    const number = ctx.repos.counters.next('writeoff_number');
    ctx.repos.stockDocs.addDoc({ id, kind: 'writeoff', number, reason, note: note ?? null, userId: user.userId, at: now });
    ctx.repos.audit.append(now, user.userId, 'writeoff.create', id, { number, reason });
    return refresh(ctx, id);
  },

  'stockDocs.update': ({ docId, ...h }, ctx) => {
    requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    if (h.pricesFrom !== undefined) {
      if (d.kind !== 'receiving') throw new AppError('validation', 'only a delivery sets prices', { field: 'pricesFrom' });
      ctx.repos.stockDocs.setPricesFrom(docId, h.pricesFrom);
    }
    ctx.repos.stockDocs.updateHeader({
      id: docId,
      supplierId: h.supplierId === undefined ? d.supplier_id : checkSupplier(ctx, h.supplierId),
      invoiceNo: h.invoiceNo === undefined ? d.invoice_no : h.invoiceNo,
      invoiceDate: h.invoiceDate === undefined ? d.invoice_date : h.invoiceDate,
      note: h.note === undefined ? d.note : h.note,
    });
    return refresh(ctx, docId);
  },

  'stockDocs.scan': ({ docId, code }, ctx) => {
    requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    const hit = resolveCode(code, ctx);
    const repo = ctx.repos.stockDocs;
    const line = repo.lineOf(docId, hit.product.id);
    if (d.kind === 'order') {
      if (line) repo.addExpected(docId, line.line_no, hit.qty);
      else repo.addLine({ docId, productId: hit.product.id, expectedQty: hit.qty, qty: 0, cost: repo.level(hit.product.id).avgCost, newPrice: null });
    } else if (line) repo.addQty(docId, line.line_no, hit.qty);
    else repo.addLine({ docId, productId: hit.product.id, expectedQty: null, qty: hit.qty, cost: null, newPrice: null });
    return refresh(ctx, docId);
  },

  'stockDocs.setLine': ({ docId, productId, ...f }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    if (d.kind === 'order' ? f.qty !== undefined || f.newPrice !== undefined : d.kind !== 'receiving' && (f.expectedQty !== undefined || f.cost !== undefined || f.newPrice !== undefined)) {
      throw new AppError('validation', d.kind === 'order' ? 'an order records quantities ordered and costs' : 'only quantities are recorded here', { field: d.kind === 'order' ? 'qty' : 'cost' });
    }
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

  'stockDocs.applyProposedPrices': ({ docId }, ctx) => {
    requireUser(ctx, 'prices_manage');
    const d = findDraft(ctx, docId);
    const view = docView(ctx, d);
    for (const l of view.lines) {
      if (l.proposedPrice === null || l.proposedPrice === l.price) continue;
      ctx.repos.stockDocs.updateLine({ docId, lineNo: l.lineNo, expectedQty: l.expectedQty, qty: l.qty, cost: l.cost, newPrice: l.proposedPrice });
    }
    return refresh(ctx, docId);
  },

  'stockDocs.weigh': ({ docId, productId }, ctx) => {
    requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    if (d.kind === 'order') throw new AppError('validation', 'an order is not weighed', { field: 'qty' });
    const product = ctx.repos.catalog.byId(productId);
    if (!product) throw new AppError('not_found', 'product not found', { productId });
    const grams = weighOnScale(ctx, product);
    const repo = ctx.repos.stockDocs;
    const line = repo.lineOf(docId, productId);
    if (line) repo.addQty(docId, line.line_no, grams);
    else repo.addLine({ docId, productId, expectedQty: null, qty: grams, cost: null, newPrice: null });
    return refresh(ctx, docId);
  },

  'stockDocs.removeLine': ({ docId, lineNo }, ctx) => {
    requireUser(ctx, 'stock');
    findDraft(ctx, docId);
    if (!ctx.repos.stockDocs.removeLine(docId, lineNo)) throw new AppError('not_found', 'no such line', { lineNo });
    return refresh(ctx, docId);
  },

  'stockDocs.post': ({ docId, zeroUncounted }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    if (d.kind === 'count') return postCount(ctx, d, user.userId, zeroUncounted);
    if (d.kind === 'writeoff') return postWriteoff(ctx, d, user.userId);
    if (d.kind === 'order') return postOrder(ctx, d, user.userId);
    if (d.kind === 'transfer_out') return postTransferOut(ctx, d, user.userId);
    if (d.kind === 'transfer_in') return postTransferIn(ctx, d, user.userId);
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
    // New prices now, or from the moment the delivery names (then they wait in the schedule).
    const later = d.prices_from !== null && d.prices_from > now;
    for (const l of priced) {
      if (later) ctx.repos.pricing.schedule(l.product_id, l.new_price!, d.prices_from as EpochMs, docId, user.userId, now);
      else repo.changePrice(l.product_id, l.price, l.new_price!, docId, user.userId, now);
    }
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

  'stockDocs.cancel': ({ docId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const d = findDraft(ctx, docId);
    const now = ctx.clock.now();
    ctx.repos.stockDocs.setState(docId, 'cancelled', null, null);
    ctx.repos.audit.append(now, user.userId, `${d.kind}.cancel`, docId, { number: d.number });
    return refresh(ctx, docId);
  },

  'stockDocs.get': ({ id }, ctx) => {
    requireUser(ctx, 'stock');
    return refresh(ctx, id);
  },

  'stockDocs.list': ({ state, kind, limit }, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.stockDocs.docs(state ?? null, kind ?? null, limit).map((d) => {
      const { lines: _lines, note: _note, ...summary } = docView(ctx, d);
      return summary;
    });
  },

  'stock.setLocation': ({ productId, location }, ctx) => {
    const user = requireUser(ctx, 'stock');
    if (!ctx.repos.catalog.byId(productId)) throw new AppError('not_found', 'product not found', { productId });
    ctx.repos.stockDocs.setLocation(productId, location);
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'stock.location', String(productId), { location });
    const [row] = ctx.repos.stockDocs.levels({ ids: [productId], lowOnly: false, limit: 1 });
    if (!row) throw new AppError('not_found', 'the product is not stocked here', { productId });
    return levelView(row);
  },

  'stock.levels': ({ text, lowOnly, location, limit }, ctx) => {
    requireUser(ctx, 'stock');
    let ids: number[] | null = null;
    if (text) {
      const hit = /^\d{4,14}$/.test(text) ? ctx.repos.catalog.lookupBarcode(text) : null;
      ids = hit ? [hit.product.id] : ftsPrefixQuery(text) === null ? [] : ctx.repos.catalog.search(text, limit).map((p) => p.id);
    }
    return ctx.repos.stockDocs.levels({ ids, lowOnly, limit, location: location ?? null }).map(levelView);
  },

  'stock.setMinimum': ({ productId, minQty, orderPack }, ctx) => {
    const user = requireUser(ctx, 'stock');
    if (!ctx.repos.catalog.byId(productId)) throw new AppError('not_found', 'product not found', { productId });
    ctx.repos.stockDocs.setMinimum(productId, minQty, orderPack);
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'stock.minimum', String(productId), { minQty, orderPack });
    const [row] = ctx.repos.stockDocs.levels({ ids: [productId], lowOnly: false, limit: 1 });
    if (!row) throw new AppError('not_found', 'the product is not stocked here', { productId });
    return levelView(row);
  },
};
