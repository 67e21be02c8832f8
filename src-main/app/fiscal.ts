import { AppError } from '../../src-common/errors.js';
import { isValidInn } from '../../src-common/inn.js';
import type { FiscalAlarm } from '../../src-common/rpc/schemas.js';
import type { FiscalJournalRow } from '../db/repos/fiscal-journal.js';
import { fiscalizeCorrection, fiscalizeShift, fiscalMode } from '../fiscal/journal-ops.js';
import { auditablePermit, permitSettingsView, savePermitSettings } from '../fiscal/permit/settings.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

/**
 * What may be done about a stuck operation. A receipt must reach the ФН: it is never just dismissed
 * while it may still be registered, and a correction is offered only once it is certain the
 * original did not get through (refused, or recovery handed it to a person). An uncertain send
 * (`fn_before` kept) is recovery's to settle first.
 */
function remedies(row: FiscalJournalRow): { correctable: boolean; dismissable: boolean } {
  const settledByRecovery = row.state === 'attention';
  const certainRefusal = row.state === 'failed' && row.fnBefore === null;
  return {
    correctable: row.op === 'receipt' && (settledByRecovery || certainRefusal),
    dismissable: settledByRecovery || (certainRefusal && row.op !== 'receipt' && row.op !== 'correction'),
  };
}

function alarmOf(ctx: HandlerCtx, row: FiscalJournalRow): FiscalAlarm {
  const receipt = row.op === 'receipt' || row.op === 'correction' ? ctx.repos.receipts.header(row.refId ?? '') : null;
  return {
    id: row.id,
    op: row.op,
    refId: row.refId,
    receiptNumber: receipt?.number ?? null,
    kind: row.docKind,
    total: row.total,
    state: row.state === 'attention' ? 'attention' : 'failed',
    error: row.lastError,
    errorCode: row.errorCode,
    at: row.createdAt,
    ...remedies(row),
  };
}

/** Fiscal state for the screens: a receipt's document, and the compliance clock with its alarms. */
export const fiscalHandlers: Handlers<
  'fiscal.receipt' | 'fiscal.status' | 'fiscal.xReport' | 'fiscal.settings' | 'fiscal.settingsSave' | 'fiscal.alarms' | 'fiscal.resolve'
> = {
  'fiscal.settings': (_p, ctx) => {
    requireUser(ctx, 'settings');
    const s = ctx.repos.settings;
    return {
      mode: s.get('fiscal.mode'),
      taxSystem: s.get('fiscal.taxSystem'),
      cashierInn: s.get('fiscal.cashierInn'),
      markingOfflinePolicy: s.get('marking.offlinePolicy'),
      warnOfdDays: s.get('fiscal.warnOfdDays'),
      warnFnDays: s.get('fiscal.warnFnDays'),
      permit: permitSettingsView(s),
    };
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
    if (settings.warnOfdDays !== undefined) s.set('fiscal.warnOfdDays', settings.warnOfdDays);
    if (settings.warnFnDays !== undefined) s.set('fiscal.warnFnDays', settings.warnFnDays);
    if (settings.permit) savePermitSettings(s, settings.permit);
    // The permit password is never written to the audit log: only that it changed.
    ctx.repos.audit.append(ctx.clock.now(), me.userId, 'settings.change', 'fiscal', { ...settings, ...(settings.permit ? { permit: auditablePermit(settings.permit) } : {}) });
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
    const rows = ctx.repos.fiscalJournal.forRef(receiptId);
    // A correction under way or done speaks for the receipt; the original row only says it was settled.
    const row = rows.find((r) => r.op === 'correction' && r.state !== 'resolved') ?? rows.find((r) => r.op === 'receipt');
    if (!row) return { state: 'none', correction: false, documentNumber: null, fiscalSign: null, at: null, error: null, errorCode: null };
    return {
      state: row.state,
      correction: row.op === 'correction',
      documentNumber: row.documentNumber,
      fiscalSign: row.fiscalSign,
      at: row.fiscalAt,
      error: row.lastError,
      errorCode: row.errorCode,
    };
  },

  'fiscal.alarms': (_p, ctx) => {
    requireUser(ctx, 'settings');
    return ctx.repos.fiscalJournal
      .open()
      .filter((r) => r.state === 'attention' || r.state === 'failed')
      .map((r) => alarmOf(ctx, r));
  },

  'fiscal.resolve': (p, ctx) => {
    const me = requireUser(ctx, 'settings');
    const row = ctx.repos.fiscalJournal.byId(p.journalId);
    if (!row) throw new AppError('not_found', 'no such fiscal operation', { journalId: p.journalId });
    if (row.state !== 'attention' && row.state !== 'failed') throw new AppError('fiscal_unresolvable', 'it is not waiting for anyone', { reason: 'state' });
    const { correctable, dismissable } = remedies(row);
    const at = ctx.clock.now();
    if (p.action === 'correction') {
      if (!correctable) {
        throw new AppError('fiscal_unresolvable', 'only a receipt the registrar certainly did not register can be corrected', {
          reason: row.op !== 'receipt' ? 'not_receipt' : 'uncertain',
        });
      }
      if (p.correctionType === 'instruction' && p.baseNumber === '') {
        throw new AppError('validation', 'a correction on instruction names the instruction number', { field: 'baseNumber', reason: 'required' });
      }
      const correctionId = fiscalizeCorrection(ctx, row, { type: p.correctionType, baseNumber: p.baseNumber });
      ctx.repos.fiscalJournal.resolve(row.id, { by: me.name, how: 'correction', note: p.note, correctionId }, at);
      ctx.repos.audit.append(at, me.userId, 'fiscal.correction', row.refId, {
        journalId: row.id,
        correctionId,
        type: p.correctionType,
        baseNumber: p.baseNumber,
        total: row.total,
      });
      ctx.emit('fiscal.changed', { refId: row.refId, state: 'resolved' });
      return { correctionId };
    }
    if (!dismissable) {
      throw new AppError('fiscal_unresolvable', 'a receipt must be registered: retry it or register a correction receipt', { reason: 'must_register' });
    }
    if (p.note.length < 3) throw new AppError('validation', 'say what was checked', { field: 'note', reason: 'required' });
    ctx.repos.fiscalJournal.resolve(row.id, { by: me.name, how: 'dismissed', note: p.note }, at);
    ctx.repos.audit.append(at, me.userId, 'fiscal.dismiss', row.refId, { journalId: row.id, op: row.op, note: p.note, error: row.lastError });
    ctx.emit('fiscal.changed', { refId: row.refId, state: 'resolved' });
    return { correctionId: null };
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
              shiftOpenedAt: s.shiftOpenedAt ?? (s.mode === 'shift_closed' ? null : (ctx.repos.shifts.current()?.opened_at ?? null)),
              lastDocumentNumber: s.fn.lastDocumentNumber,
              unsentCount: s.fn.unsent.count,
              unsentOldestAt: s.fn.unsent.oldestAt,
              fnExpiresAt: s.fn.expiresAt,
            }
          : null,
      warn: { shiftMinutes: ctx.repos.settings.get('shift.warnMinutes'), ofdDays: ctx.repos.settings.get('fiscal.warnOfdDays'), fnDays: ctx.repos.settings.get('fiscal.warnFnDays') },
      pending: open.filter((r) => r.state !== 'attention').length,
      attention: open.filter((r) => r.state === 'attention').map((r) => ({ id: r.id, op: r.op, refId: r.refId, error: r.lastError, at: r.createdAt })),
    };
  },
};
