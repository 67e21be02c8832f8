import { AppError } from '../../src-common/errors.js';
import type { Logo } from '../../src-common/rpc/schemas.js';
import { imageBlockBitmap } from '../../src-drivers/printer/image-block.js';
import { receiptText } from '../domain/receipt-text.js';
import { sampleReceiptView } from '../domain/sample-receipt-view.js';
import { requireUser, type Handlers } from './context.js';
import { receiptLayout } from './receipt-view.js';

/** A logo must hold exactly its dots (the printer driver's own check, so nothing saved fails later on paper). */
function checkLogo(logo: Logo): void {
  try {
    imageBlockBitmap({ t: 'image', ...logo });
  } catch (e) {
    throw new AppError('template_invalid', e instanceof Error ? e.message : 'bad logo', { field: 'logo', reason: 'bad_image' });
  }
}

/** The receipt layout the owner adjusts: header, footer, which parts, and the logo. */
export const receiptTemplateHandlers: Handlers<'receipt.template' | 'receipt.templateSave' | 'receipt.preview'> = {
  'receipt.template': (_p, ctx) => {
    requireUser(ctx);
    const layout = receiptLayout(ctx.repos.settings);
    const t = layout.template;
    return {
      template: { header: t?.header ?? [], footer: t?.footer ?? [], showCashier: t?.showCashier ?? true, showVat: t?.showVat ?? true, code: t?.code ?? 'barcode', showLogo: t?.showLogo ?? false },
      logo: layout.logo ?? null,
      width: layout.width,
    };
  },

  'receipt.templateSave': ({ template, logo }, ctx) => {
    const me = requireUser(ctx, 'settings');
    if (logo) checkLogo(logo);
    const nextLogo = logo === undefined ? ctx.repos.settings.get('receipt.logo') : logo;
    if (template.showLogo && !nextLogo) throw new AppError('template_invalid', 'there is no logo to show', { field: 'showLogo', reason: 'no_logo' });
    ctx.repos.settings.set('receipt.template', template);
    if (logo !== undefined) ctx.repos.settings.set('receipt.logo', logo);
    ctx.repos.audit.append(ctx.clock.now(), me.userId, 'settings.change', 'receipt.template', {
      template: JSON.stringify(template),
      ...(logo !== undefined ? { logo: logo ? `${logo.width}x${logo.height}` : 'removed' } : {}),
    });
    return { ok: true };
  },

  'receipt.preview': ({ template }, ctx) => {
    requireUser(ctx);
    const layout = { ...receiptLayout(ctx.repos.settings), template };
    const text = receiptText(sampleReceiptView(ctx.clock.now(), ctx.repos.settings.get('language')), layout);
    return { lines: text.replace(/\n$/, '').split('\n') };
  },
};
