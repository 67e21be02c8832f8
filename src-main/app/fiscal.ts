import { AppError } from '../../src-common/errors.js';
import { isValidInn } from '../../src-common/inn.js';
import { fiscalizeShift, fiscalMode } from '../fiscal/journal-ops.js';
import { requireUser, type Handlers } from './context.js';

/** Fiscal state for the screens: a receipt's document, and the compliance clock with its alarms. */
export const fiscalHandlers: Handlers<'fiscal.receipt' | 'fiscal.status' | 'fiscal.xReport' | 'fiscal.settings' | 'fiscal.settingsSave'> = {
  'fiscal.settings': (_p, ctx) => {
    requireUser(ctx, 'settings');
    const s = ctx.repos.settings;
    return { mode: s.get('fiscal.mode'), taxSystem: s.get('fiscal.taxSystem'), cashierInn: s.get('fiscal.cashierInn'), markingOfflinePolicy: s.get('marking.offlinePolicy') };
  },

  'fiscal.settingsSave': ({ settings }, ctx) => {
    const me = requireUser(ctx, 'settings');
    if (settings.cashierInn !== '' && !isValidInn(settings.cashierInn)) {
      throw new AppError('validation', 'the INN check digits do not match', { field: 'cashierInn', reason: 'inn' });
    }
    // Fiscal mode names a registrar kind; one of that kind must be set up before the till depends on it.
    const registrar = ctx.repos.devices.all().find((d) => d.kind === 'fiscal' && d.enabled);
    if (settings.mode !== 'none' && registrar?.driver !== settings.mode) {
      throw new AppError('validation', 'set up and enable a registrar of this kind on the device panel first', { field: 'mode', reason: 'no_registrar' });
    }
    const s = ctx.repos.settings;
    s.set('fiscal.mode', settings.mode);
    s.set('fiscal.taxSystem', settings.taxSystem);
    s.set('fiscal.cashierInn', settings.cashierInn);
    s.set('marking.offlinePolicy', settings.markingOfflinePolicy);
    ctx.repos.audit.append(ctx.clock.now(), me.userId, 'settings.change', 'fiscal', { ...settings });
    ctx.afterCommit(() => ctx.services.fiscal.kick());
    return { ok: true };
  },

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
