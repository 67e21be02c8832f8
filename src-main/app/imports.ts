import { AppError } from '../../src-common/errors.js';
import { IMPORT_CHUNK_BYTES, type ImportPreview, type ImportStatus } from '../../src-common/rpc/schemas.js';
import { ImportFileError } from '../import/errors.js';
import type { VatTable } from '../import/fields.js';
import type { CandidateRow } from '../import/mapping.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';
import { docView } from './stock.js';

/** A file problem as the screens get it: `import_failed` with the reason (file_damaged, file_encoding …). */
function fileErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ImportFileError) throw new AppError('import_failed', e.message, { ...e.details, reason: e.code });
    throw e;
  }
}

/** The store's VAT rates for reading a file; a rate of 0 named `none` is what "без НДС" means. */
function vatTable(ctx: HandlerCtx): VatTable {
  const rates = ctx.repos.catalog.references().taxRates;
  return { rates, exemptCode: rates.find((r) => r.code === 'none')?.code ?? null };
}

const MAX_ISSUES = 500;

function rowView(r: CandidateRow) {
  return { row: r.row, name: r.name, barcodes: r.barcodes, sku: r.sku, price: r.price, cost: r.cost, qty: r.qty, vatCode: r.vatCode, unit: r.unit, group: r.group };
}

/** What a catalog row carries, from a price list or a CommerceML item. */
interface CatalogRow {
  name: string;
  sku: string | null;
  barcodes: string[];
  price: number | null;
  vatCode: string | null;
  unit: 'pcs' | 'kg' | 'l' | null;
  group: string | null;
}

/** Rows into the catalog (inside the command's transaction): found by barcode or article and updated, or made. */
function applyCatalogRows(ctx: HandlerCtx, userId: number, canPrice: boolean, rows: readonly CatalogRow[], source: string): { created: number; updated: number; priceChanges: number } {
  const catalog = ctx.repos.catalog;
  const standardVat = vatTable(ctx).rates[0]?.code;
  if (!standardVat) throw new AppError('import_failed', 'the store has no VAT rates', { reason: 'no_vat' });
  const now = ctx.clock.now();
  let created = 0;
  let updated = 0;
  let priceChanges = 0;
  for (const r of rows) {
    const found = r.barcodes.map((b) => catalog.lookupBarcode(b)?.product).find((p) => p !== undefined) ?? (r.sku ? catalog.bySku(r.sku) : null);
    if (!found) {
      const unit = r.unit ?? 'pcs';
      const id = catalog.create(
        { name: r.name, kind: unit === 'pcs' ? 'goods' : 'weighed', unit, taxCode: r.vatCode ?? standardVat, price: canPrice && r.price !== null ? r.price : 0, category: r.group, barcode: r.barcodes[0] ?? null, packQty: 1000, sku: r.sku },
        now,
      );
      for (const extra of r.barcodes.slice(1)) if (!catalog.lookupBarcode(extra)) catalog.addBarcode(extra, id, 1000);
      created++;
      continue;
    }
    catalog.update(found.id, { name: r.name, taxCode: r.vatCode, category: r.group }, now);
    for (const b of r.barcodes) if (!catalog.lookupBarcode(b)) catalog.addBarcode(b, found.id, 1000);
    if (canPrice && r.price !== null && r.price !== found.price) {
      ctx.repos.stockDocs.changePrice(found.id, found.price, r.price, null, userId, now);
      priceChanges++;
    }
    updated++;
  }
  ctx.repos.audit.append(now, userId, 'catalog.import', source, { created, updated, priceChanges });
  return { created, updated, priceChanges };
}

export const importHandlers: Handlers<
  | 'imports.begin'
  | 'imports.chunk'
  | 'imports.finish'
  | 'imports.status'
  | 'imports.preview'
  | 'imports.toReceiving'
  | 'imports.commerceml'
  | 'imports.commercemlPreview'
  | 'imports.toCatalog'
  | 'exports.create'
  | 'exports.chunk'
> = {
  'exports.create': ({ what, docId, format }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const ru = ctx.repos.settings.get('language') === 'ru';
    const h = (r: string, e: string) => ({ header: ru ? r : e });
    if (what === 'stock_levels') {
      const rows = ctx.repos.stockDocs.levels({ ids: null, lowOnly: false, limit: 1_000_000 });
      return ctx.services.exports.create(user.userId, ru ? 'остатки' : 'stock-levels', format, {
        sheetName: ru ? 'Остатки' : 'Stock',
        columns: [
          h('Штрихкод', 'Barcode'),
          { ...h('Наименование', 'Name'), width: 40 },
          h('Категория', 'Category'),
          h('Ед.', 'Unit'),
          { ...h('Остаток', 'On hand'), kind: 'qty' },
          { ...h('Средняя закупка', 'Average cost'), kind: 'money' },
          { ...h('Цена', 'Price'), kind: 'money' },
          { ...h('Минимум', 'Minimum'), kind: 'qty' },
        ],
        rows: rows.map((r) => [r.barcode, r.name, r.category, r.unit, r.qty, r.avg_cost, r.price, r.min_qty]),
      });
    }
    const doc = docId ? ctx.repos.stockDocs.doc(docId) : null;
    if (!doc) throw new AppError('not_found', 'no such stock document', { docId: docId ?? null });
    const view = docView(ctx, doc);
    return ctx.services.exports.create(user.userId, `${doc.kind}-${doc.number}`, format, {
      sheetName: `${doc.kind} ${doc.number}`,
      columns: [
        h('Штрихкод', 'Barcode'),
        { ...h('Наименование', 'Name'), width: 40 },
        h('Ед.', 'Unit'),
        { ...h(doc.kind === 'count' ? 'По учёту' : 'По накладной', doc.kind === 'count' ? 'Book' : 'Invoice'), kind: 'qty' },
        { ...h('Факт', 'Counted'), kind: 'qty' },
        { ...h('Закупка', 'Cost'), kind: 'money' },
        { ...h('Цена', 'Price'), kind: 'money' },
        { ...h('Новая цена', 'New price'), kind: 'money' },
        h('Статус', 'Status'),
      ],
      rows: view.lines.map((l) => [l.barcode, l.name, l.unit, l.expectedQty, l.qty, l.cost, l.price, l.newPrice, l.status]),
    });
  },

  'exports.chunk': ({ exportId, offset }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return ctx.services.exports.chunk(user.userId, exportId, offset, IMPORT_CHUNK_BYTES);
  },

  'imports.commerceml': ({ importId, offersId, priceType }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => ctx.services.imports.commerceml(user.userId, importId, offersId, vatTable(ctx), priceType));
  },

  'imports.commercemlPreview': ({ importId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => {
      const r = ctx.services.imports.commercemlResult(user.userId, importId);
      if (!r) throw new ImportFileError('file_format', 'this upload was not read as a CommerceML exchange', { importId });
      return {
        status: ctx.services.imports.status(user.userId, importId),
        priceTypes: r.priceTypes.map((p) => ({ id: p.id, name: p.name })),
        priceType: r.priceType ? { id: r.priceType.id, name: r.priceType.name } : null,
        products: r.products.slice(0, 20).map((p) => ({ row: p.line, name: p.name, barcodes: p.barcodes, sku: p.sku, price: p.price, cost: null, qty: p.qty, vatCode: p.vatCode, unit: p.unit, group: p.group })),
        goodCount: r.products.length,
        issues: r.issues.slice(0, MAX_ISSUES),
        issueCount: r.issues.length,
        rejected: r.rejected,
        total: r.total,
        deleted: r.deleted,
      };
    });
  },

  'imports.toCatalog': ({ importId, headerRow, override }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const canPrice = ctx.repos.permissions.can(user.role, 'prices_manage');
    const cml = fileErrors(() => {
      try {
        return ctx.services.imports.commercemlResult(user.userId, importId);
      } catch (e) {
        if (e instanceof ImportFileError && e.code === 'file_format') return null;
        throw e;
      }
    });
    if (cml) {
      if (cml.products.length === 0) throw new AppError('import_failed', 'no item of the exchange can be used', { reason: 'no_good_rows', rejected: cml.rejected });
      // An item with neither barcode nor article is known again by its 1C Ид (kept as its article here).
      const rows = cml.products.map((p) => ({ ...p, sku: p.sku ?? (p.barcodes.length === 0 ? `1c:${p.id}`.slice(0, 64) : null) }));
      return { ...applyCatalogRows(ctx, user.userId, canPrice, rows, importId), rejected: cml.rejected };
    }
    const { rows, issues, missingFields } = fileErrors(() =>
      ctx.services.imports.candidates(user.userId, importId, vatTable(ctx), { ...(headerRow !== undefined ? { headerRow } : {}), ...(override ? { override } : {}) }),
    );
    if (missingFields.length > 0) throw new AppError('import_failed', 'map the required columns first', { reason: 'mapping_incomplete', fields: missingFields.join(',') });
    if (rows.length === 0) throw new AppError('import_failed', 'no row of the file can be used', { reason: 'no_good_rows', rejected: issues.length });
    return { ...applyCatalogRows(ctx, user.userId, canPrice, rows, importId), rejected: new Set(issues.map((i) => i.row)).size };
  },

  'imports.begin': ({ name, size }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => ctx.services.imports.begin(user.userId, name, size));
  },

  'imports.chunk': ({ importId, offset, data }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const bytes = Buffer.from(data, 'base64');
    return fileErrors(() => ctx.services.imports.append(user.userId, importId, offset, bytes));
  },

  'imports.finish': ({ importId }, ctx) => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => ctx.services.imports.finish(user.userId, importId));
  },

  'imports.status': ({ importId }, ctx): ImportStatus => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => ctx.services.imports.status(user.userId, importId));
  },

  'imports.preview': ({ importId, headerRow, override }, ctx): ImportPreview => {
    const user = requireUser(ctx, 'stock');
    return fileErrors(() => {
      const p = ctx.services.imports.preview(user.userId, importId, vatTable(ctx), { ...(headerRow !== undefined ? { headerRow } : {}), ...(override ? { override } : {}) });
      return {
        status: ctx.services.imports.status(user.userId, importId),
        headerRow: p.headerRow,
        header: p.header,
        mapping: p.mapping,
        missingFields: p.missingFields,
        rows: p.rows.map(rowView),
        goodCount: p.goodCount,
        issues: p.issues.slice(0, MAX_ISSUES),
        issueCount: p.issues.length,
        rejected: p.rejected,
        total: p.total,
      };
    });
  },

  'imports.toReceiving': ({ importId, docId, headerRow, override }, ctx) => {
    const user = requireUser(ctx, 'stock');
    const doc = ctx.repos.stockDocs.doc(docId);
    if (!doc) throw new AppError('not_found', 'no such stock document', { docId });
    if (doc.state !== 'draft' || doc.kind !== 'receiving') throw new AppError('stock_doc_closed', 'only a draft delivery takes a supplier file', { docId, state: doc.state, number: doc.number });
    const vat = vatTable(ctx);
    const { rows, issues, missingFields } = fileErrors(() =>
      ctx.services.imports.candidates(user.userId, importId, vat, { ...(headerRow !== undefined ? { headerRow } : {}), ...(override ? { override } : {}) }),
    );
    if (missingFields.length > 0) throw new AppError('import_failed', 'map the required columns first', { reason: 'mapping_incomplete', fields: missingFields.join(',') });
    if (rows.length === 0) throw new AppError('import_failed', 'no row of the file can be used', { reason: 'no_good_rows', rejected: issues.length });
    const canPrice = ctx.repos.permissions.can(user.role, 'prices_manage');
    const standardVat = vat.rates[0]?.code;
    if (!standardVat) throw new AppError('import_failed', 'the store has no VAT rates', { reason: 'no_vat' });
    const now = ctx.clock.now();
    const repo = ctx.repos.stockDocs;
    let created = 0;
    const touched = new Set<number>();
    for (const r of rows) {
      let product = r.barcodes.map((b) => ctx.repos.catalog.lookupBarcode(b)?.product).find((p) => p !== undefined) ?? (r.sku ? ctx.repos.catalog.bySku(r.sku) : null);
      if (!product) {
        const unit = r.unit ?? 'pcs';
        const id = ctx.repos.catalog.create(
          {
            name: r.name,
            kind: unit === 'pcs' ? 'goods' : 'weighed',
            unit,
            taxCode: r.vatCode ?? standardVat,
            price: canPrice && r.price !== null ? r.price : 0,
            category: r.group,
            barcode: r.barcodes[0] ?? null,
            packQty: 1000,
          },
          now,
        );
        for (const extra of r.barcodes.slice(1)) ctx.repos.catalog.addBarcode(extra, id, 1000);
        product = ctx.repos.catalog.byId(id);
        created++;
        if (!product) throw new AppError('internal', 'the new product is not there');
      }
      const line = repo.lineOf(docId, product.id);
      // Two rows naming the same product add up.
      const expected = r.qty === null ? (line?.expected_qty ?? null) : (touched.has(product.id) ? (line?.expected_qty ?? 0) : 0) + r.qty;
      const next = {
        expectedQty: expected,
        qty: line?.qty ?? 0,
        cost: r.cost ?? line?.cost ?? null,
        newPrice: canPrice && r.price !== null && r.price !== product.price ? r.price : (line?.new_price ?? null),
      };
      if (line) repo.updateLine({ docId, lineNo: line.line_no, ...next });
      else repo.addLine({ docId, productId: product.id, ...next });
      touched.add(product.id);
    }
    ctx.repos.audit.append(now, user.userId, 'receiving.import', docId, { number: doc.number, rows: rows.length, created, rejected: issues.length });
    const view = ctx.repos.stockDocs.doc(docId)!;
    return { doc: docView(ctx, view), lines: touched.size, created, rejected: new Set(issues.map((i) => i.row)).size };
  },
};
