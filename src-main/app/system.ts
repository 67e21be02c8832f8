import { AppError } from '../../src-common/errors.js';
import { requireUser, type Handlers } from './context.js';
import { receiptDocument } from '../domain/receipt-text.js';
import { receiptLayout, toReceiptView } from './receipt-view.js';

export const systemHandlers: Handlers<
  'system.info' | 'system.setLanguage' | 'receipts.get' | 'receipts.recent' | 'receipts.printed' | 'receipts.reprint' | 'effects.list'
> = {
  'system.info': (_p, ctx) => {
    const s = ctx.repos.settings;
    return {
      storeName: s.get('store.name'),
      tillName: s.get('till.name'),
      tillId: s.get('till.id'),
      currency: s.get('currency'),
      locale: s.get('locale'),
      minorDigits: s.get('currency.minorDigits'),
      language: s.get('language'),
      quickCash: s.get('tender.quickCash'),
      denominations: s.get('cash.denominations'),
      autoLockMinutes: s.get('session.autoLockMinutes'),
      timeZone: s.get('timeZone'),
      scale: ctx.services.scaleGrams !== null,
      demo: s.get('demo'),
    };
  },

  'system.setLanguage': ({ language }, ctx) => {
    const user = requireUser(ctx);
    ctx.repos.settings.set('language', language);
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'settings.change', 'language', { language });
    return { ok: true };
  },

  'receipts.get': ({ id }, ctx) => {
    requireUser(ctx);
    const r = ctx.repos.receipts.load(id);
    if (!r) throw new AppError('not_found', 'receipt not found', { id });
    return toReceiptView(r, ctx.repos.receipts.payments(id));
  },

  'receipts.recent': ({ limit }, ctx) => {
    requireUser(ctx);
    return ctx.repos.receipts.recent(limit).map((h) => toReceiptView({ header: h, lines: ctx.repos.receipts.lines(h.id) }, ctx.repos.receipts.payments(h.id)));
  },

  'receipts.reprint': ({ id }, ctx) => {
    const user = requireUser(ctx, 'sale');
    const r = ctx.repos.receipts.load(id);
    if (!r || r.header.state !== 'completed') throw new AppError('not_found', 'no completed receipt with that id', { id });
    const layout = receiptLayout(ctx.repos.settings);
    const doc = receiptDocument(toReceiptView(r, ctx.repos.receipts.payments(id)), layout);
    // A copy says so at the top: it is not a second sale.
    doc.blocks.unshift({ t: 'text', text: layout.language === 'ru' ? '*** КОПИЯ ***' : '*** COPY ***', align: 'center', bold: true });
    if (!ctx.services.queuePrint('reprint', id, doc)) throw new AppError('no_printer', 'no receipt printer is configured');
    ctx.repos.audit.append(ctx.clock.now(), user.userId, 'receipt.reprint', id, { number: r.header.number });
    return { ok: true };
  },

  'receipts.printed': ({ id }, ctx) => {
    requireUser(ctx);
    const text = ctx.repos.effects.resultOf(id, 'print_receipt');
    return text === null ? null : { receiptId: id, text };
  },

  'effects.list': ({ receiptId }, ctx) => {
    requireUser(ctx);
    const rows = receiptId ? ctx.repos.effects.forReceipt(receiptId) : ctx.repos.effects.recent();
    return rows.map(({ result: _r, ...e }) => e);
  },
};
