import { toProductView } from '../db/repos/catalog.js';
import { requireUser, type Handlers } from './context.js';

export const catalogHandlers: Handlers<'catalog.lookup' | 'catalog.search'> = {
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
