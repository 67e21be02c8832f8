import { AppError } from '../../src-common/errors.js';
import type { HandlerCtx } from '../app/context.js';
import type { FiscalJournalRow } from '../db/repos/fiscal-journal.js';
import type { StoredReceipt } from '../db/repos/receipts.js';
import { FiscalMappingError, fiscalReceiptOf } from './receipt-mapping.js';
import type { FiscalPayload } from './service.js';

/** Fiscal law applies on this till (a registrar must register every receipt). */
export function fiscalMode(ctx: HandlerCtx): boolean {
  return ctx.repos.settings.get('fiscal.mode') !== 'none';
}

/**
 * Before a sale or return is taken: in fiscal mode, the registrar must be one that would register
 * it. Refused with the reason (no registrar configured, the ФН full or expired, the registrar's
 * shift over 24 h) rather than taking money for a receipt that cannot be issued.
 */
export function requireFiscalReady(ctx: HandlerCtx): void {
  if (!fiscalMode(ctx)) return;
  const blocked = ctx.services.fiscal.blocked();
  if (blocked) throw new AppError('fiscal_blocked', blocked.message, { reason: blocked.reason });
}

function enqueue(ctx: HandlerCtx, payload: FiscalPayload, refId: string, extra: { docKind?: 'sale' | 'return'; total?: number } = {}): string {
  const id = ctx.repos.fiscalJournal.enqueue({ op: payload.op, refId, payload, at: ctx.clock.now(), ...extra });
  ctx.afterCommit(() => ctx.services.fiscal.kick());
  return id;
}

/** Journal a completed receipt for the registrar, in the sale's own transaction. */
export function fiscalizeReceipt(ctx: HandlerCtx, stored: StoredReceipt): void {
  if (!fiscalMode(ctx)) return;
  const s = ctx.repos.settings;
  let receipt;
  try {
    receipt = fiscalReceiptOf(stored, ctx.repos.receipts.payments(stored.header.id), {
      taxSystem: s.get('fiscal.taxSystem'),
      ...(s.get('fiscal.cashierInn') ? { cashierInn: s.get('fiscal.cashierInn') } : {}),
      permitOf: (code) => ctx.repos.markingPermits.get(stored.header.id, code)?.answer ?? null,
    });
  } catch (e) {
    // A product whose tax code the registrar has no rate for: the sale is not taken at all.
    if (e instanceof FiscalMappingError) throw new AppError('fiscal_blocked', e.message, { reason: 'tax_code' });
    throw e;
  }
  enqueue(ctx, { op: 'receipt', receipt }, stored.header.id, { docKind: stored.header.kind, total: stored.header.total });
}

export function fiscalizeShift(ctx: HandlerCtx, op: 'open_shift' | 'close_shift' | 'x_report', shiftId: string, cashierName: string): void {
  if (!fiscalMode(ctx)) return;
  const inn = ctx.repos.settings.get('fiscal.cashierInn');
  enqueue(ctx, { op, cashier: { name: cashierName, ...(inn ? { inn } : {}) } }, shiftId);
}

export function fiscalizeCash(ctx: HandlerCtx, op: 'cash_in' | 'cash_out', movementId: string, amount: number): void {
  if (!fiscalMode(ctx)) return;
  enqueue(ctx, { op, amount }, movementId, { total: amount });
}

/**
 * Register a receipt the registrar never did by a correction receipt (ФФД 1.2): the very document
 * the sale journalled, with the correction's type and basis (tag 1178 is the day of the sale).
 * Queued in the caller's transaction, which also settles the original row.
 */
export function fiscalizeCorrection(ctx: HandlerCtx, original: FiscalJournalRow, correction: { type: 'self' | 'instruction'; baseNumber: string }): string {
  const payload = original.payload as FiscalPayload;
  if (payload.op !== 'receipt' || !original.refId) throw new Error('only a receipt is registered by a correction');
  const stored = ctx.repos.receipts.header(original.refId);
  const baseDate = stored?.completedAt ?? original.createdAt;
  return enqueue(
    ctx,
    { op: 'correction', receipt: { ...payload.receipt, correction: { type: correction.type, baseDate, baseNumber: correction.baseNumber } } },
    original.refId,
    { ...(original.docKind ? { docKind: original.docKind } : {}), ...(original.total !== null ? { total: original.total } : {}) },
  );
}
