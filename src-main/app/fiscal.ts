import { AppError } from '../../src-common/errors.js';
import { fiscalizeShift, fiscalMode } from '../fiscal/journal-ops.js';
import { requireUser, type Handlers } from './context.js';

/** Fiscal state for the screens: a receipt's document, and the compliance clock with its alarms. */
export const fiscalHandlers: Handlers<'fiscal.receipt' | 'fiscal.status' | 'fiscal.xReport'> = {
  'fiscal.xReport': (_p, ctx) => {
    const user = requireUser(ctx, 'report_x');
    const shift = ctx.repos.shifts.current();
    if (!shift) throw new AppError('shift_not_open', 'no shift is open');
    if (!fiscalMode(ctx)) return { queued: false };
    fiscalizeShift(ctx, 'x_report', shift.id, user.name);
    return { queued: true };
  },

  'fiscal.receipt': ({ receiptId }, ctx) => {
    requireUser(ctx);
    if (!ctx.repos.receipts.header(receiptId)) throw new AppError('not_found', 'no such receipt', { receiptId });
    const row = ctx.repos.fiscalJournal.forRef(receiptId).find((r) => r.op === 'receipt');
    if (!row) return { state: 'none', documentNumber: null, fiscalSign: null, at: null, error: null, errorCode: null };
    return { state: row.state, documentNumber: row.documentNumber, fiscalSign: row.fiscalSign, at: row.fiscalAt, error: row.lastError, errorCode: row.errorCode };
  },

  'fiscal.status': (_p, ctx) => {
    requireUser(ctx);
    const mode = ctx.repos.settings.get('fiscal.mode');
    const open = ctx.repos.fiscalJournal.open();
    const last = ctx.services.fiscal.lastStatus();
    const s = last?.status;
    return {
      mode,
      configured: ctx.repos.devices.all().some((d) => d.kind === 'fiscal' && d.enabled),
      blocked: mode === 'none' ? null : (ctx.services.fiscal.blocked()?.reason ?? null),
      registrar:
        last && s
          ? {
              at: last.at,
              mode: s.mode,
              shiftNumber: s.shiftNumber,
              shiftOpenedAt: s.shiftOpenedAt,
              lastDocumentNumber: s.fn.lastDocumentNumber,
              unsentCount: s.fn.unsent.count,
              unsentOldestAt: s.fn.unsent.oldestAt,
              fnExpiresAt: s.fn.expiresAt,
            }
          : null,
      pending: open.filter((r) => r.state !== 'attention').length,
      attention: open.filter((r) => r.state === 'attention').map((r) => ({ id: r.id, op: r.op, refId: r.refId, error: r.lastError, at: r.createdAt })),
    };
  },
};
