import { isValidGtin } from '../../src-common/barcode.js';
import { AppError } from '../../src-common/errors.js';
import { toProductView } from '../db/repos/catalog.js';
import { requireUser, type Handlers } from './context.js';

export const catalogHandlers: Handlers<'catalog.lookup' | 'catalog.search' | 'catalog.references' | 'catalog.createProduct'> = {
  'catalog.references': (_p, ctx) => {
    requireUser(ctx);
    return ctx.repos.catalog.references();
  },

  'catalog.createProduct': (p, ctx) => {
    const user = requireUser(ctx, 'stock');
    const invalid = (field: string, reason: string, message: string) => new AppError('product_invalid', message, { field, reason });
    if (p.price !== undefined && p.price > 0 && !ctx.repos.permissions.can(user.role, 'prices_manage')) {
      throw new AppError('forbidden', 'not allowed for this role', { permission: 'prices_manage' });
    }
    if (p.weighed && p.unit === 'pcs') throw invalid('unit', 'weighed_pcs', 'weighed goods are sold by kg or l');
    if (!ctx.repos.catalog.references().taxRates.some((r) => r.code === p.taxCode)) throw invalid('taxCode', 'unknown_vat', 'no such VAT rate');
    if (p.barcode !== undefined) {
      if (!isValidGtin(p.barcode)) throw invalid('barcode', 'check_digit', 'the barcode check digit does not match');
      if (ctx.repos.catalog.lookupBarcode(p.barcode)) throw invalid('barcode', 'taken', 'another product has this barcode');
    }
    const now = ctx.clock.now();
    const id = ctx.repos.catalog.create(
      {
        name: p.name,
        kind: p.weighed ? 'weighed' : 'goods',
        unit: p.unit,
        taxCode: p.taxCode,
        price: p.price ?? 0,
        category: p.category ?? null,
        barcode: p.barcode ?? null,
        packQty: p.packQty,
      },
      now,
    );
    ctx.repos.audit.append(now, user.userId, 'product.create', String(id), { name: p.name, barcode: p.barcode ?? null, price: p.price ?? 0 });
    const row = ctx.repos.catalog.byId(id);
    if (!row) throw new AppError('internal', 'the new product is not there');
    return toProductView(row);
  },

  'catalog.lookup': ({ code }, ctx) => {
    requireUser(ctx);
    const hit = ctx.repos.catalog.lookupBarcode(code.trim());
    return hit ? toProductView({ ...hit.product }) : null;
  },
  'catalog.search': ({ text, limit }, ctx) => {
    requireUser(ctx);
    const trimmed = text.trim();
    if (/^\d{1,5}$/.test(trimmed)) {
      const byPlu = ctx.repos.catalog.byPlu(Number(trimmed));
      const rest = ctx.repos.catalog.search(trimmed, limit).filter((p) => p.id !== byPlu?.id);
      return (byPlu ? [byPlu, ...rest] : rest).slice(0, limit).map(toProductView);
    }
    return ctx.repos.catalog.search(trimmed, limit).map(toProductView);
  },
};
