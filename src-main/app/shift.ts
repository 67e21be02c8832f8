import { fiscalizeCash, fiscalizeShift } from '../fiscal/journal-ops.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import type { ShiftReport, ShiftView } from '../../src-common/rpc/schemas.js';
import type { Minor } from '../../src-common/units.js';
import type { ShiftRow, ShiftTotals } from '../db/repos/shifts.js';
import { countTotal } from '../domain/cash.js';
import { buildShiftReport, shiftReportText, type ReportContext } from '../domain/shift-report.js';
import { queueUpstream } from '../sync/upstream.js';
import { authorize, requireUser, type HandlerCtx, type Handlers } from './context.js';

const HOUR = 3_600_000;

function limits(ctx: HandlerCtx, s: ShiftRow): { expiresAt: number; warnAt: number } {
  const expiresAt = s.opened_at + ctx.repos.settings.get('shift.maxHours') * HOUR;
  return { expiresAt, warnAt: expiresAt - ctx.repos.settings.get('shift.warnMinutes') * 60_000 };
}

function toView(ctx: HandlerCtx, s: ShiftRow): ShiftView {
  return {
    id: s.id,
    number: s.number,
    state: s.state,
    openedAt: s.opened_at,
    openedBy: s.opened_by_name,
    openingFloat: s.opening_float,
    ...limits(ctx, s),
    closedAt: s.closed_at,
  };
}

export function requireOpenShift(ctx: HandlerCtx): ShiftRow {
  const s = ctx.repos.shifts.current();
  if (!s) throw new AppError('shift_not_open', 'open a shift first');
  return s;
}

/**
 * The shift a sale may be made in: open, and younger than the fiscal limit. Past the limit the
 * till refuses to sell (and says why) until the shift is closed with a Z report and a new one opened.
 */
export function requireSellingShift(ctx: HandlerCtx): ShiftRow {
  const s = requireOpenShift(ctx);
  if (ctx.clock.now() >= limits(ctx, s).expiresAt) {
    throw new AppError('shift_expired', 'the shift is too old to sell in', { hours: ctx.repos.settings.get('shift.maxHours') });
  }
  return s;
}

function textOptions(ctx: HandlerCtx): Parameters<typeof shiftReportText>[1] {
  const s = ctx.repos.settings;
  return {
    width: 42,
    language: s.get('language'),
    money: { currency: s.get('currency'), locale: s.get('locale'), minorDigits: s.get('currency.minorDigits') },
    timeZone: s.get('timeZone'),
  };
}

function report(
  ctx: HandlerCtx,
  shift: ShiftRow,
  kind: 'X' | 'Z',
  close?: ReportContext['close'],
  totals: ShiftTotals = ctx.repos.shifts.totals(shift.id),
): ShiftReport {
  const s = ctx.repos.settings;
  const r = buildShiftReport(shift, totals, {
    kind,
    storeName: s.get('store.name'),
    tillName: s.get('till.name'),
    generatedAt: ctx.clock.now(),
    ...(close ? { close } : {}),
  });
  return { ...r, text: shiftReportText(r, textOptions(ctx)) };
}

function checkAmount(amount: number): Minor {
  if (amount <= 0) throw new AppError('validation', 'the amount must be positive', { field: 'amount' });
  return amount as Minor;
}

export const shiftHandlers: Handlers<
  | 'shift.current'
  | 'shift.open'
  | 'shift.cashIn'
  | 'shift.cashOut'
  | 'shift.noSale'
  | 'shift.close'
  | 'reports.x'
  | 'reports.z'
  | 'reports.shifts'
> = {
  'shift.current': (_p, ctx) => {
    requireUser(ctx);
    const s = ctx.repos.shifts.current();
    return s ? toView(ctx, s) : null;
  },

  'shift.open': ({ count }, ctx) => {
    const user = requireUser(ctx, 'shift_open');
    if (ctx.repos.shifts.current()) throw new AppError('shift_already_open', 'a shift is already open');
    const float = countTotal(count, ctx.repos.settings.get('cash.denominations'));
    const now = ctx.clock.now();
    const id = newId();
    const number = ctx.repos.counters.next('shift_number');
    ctx.repos.shifts.open(id, number, now, user.userId, float, count);
    ctx.repos.audit.append(now, user.userId, 'shift.open', id, { number, float });
    fiscalizeShift(ctx, 'open_shift', id, user.name);
    queueUpstream(
      ctx,
      'shifts',
      'shift.opened',
      { tillId: ctx.repos.settings.get('till.id'), shiftId: id, number, openedAt: now, openingFloat: float, count },
      now,
    );
    ctx.emit('shift.changed', { shiftId: id });
    return toView(ctx, ctx.repos.shifts.byId(id) as ShiftRow);
  },

  'shift.cashIn': ({ amount, reason }, ctx) => {
    const user = requireUser(ctx, 'cash_in');
    return moveCash(ctx, 'in', checkAmount(amount), reason, user.userId, null);
  },

  'shift.cashOut': ({ amount, reason, approvalId }, ctx) => {
    const shift = requireOpenShift(ctx);
    const out = checkAmount(amount);
    const { session, approvedBy } = authorize(ctx, 'cash_out', `cash_out:shift=${shift.number}:amount=${out}`, approvalId);
    const inDrawer = report(ctx, shift, 'X').cash.expected;
    if (out > inDrawer) throw new AppError('cash_insufficient', 'the drawer does not hold that much', { available: inDrawer });
    return moveCash(ctx, 'out', out, reason, session.userId, approvedBy);
  },

  'shift.noSale': ({ approvalId }, ctx) => {
    const shift = requireOpenShift(ctx);
    const { session, approvedBy } = authorize(ctx, 'no_sale', `no_sale:shift=${shift.number}`, approvalId);
    const kicked = ctx.services.queuePrint('drawer', shift.id, null);
    ctx.repos.audit.append(ctx.clock.now(), session.userId, 'drawer.open', shift.id, { reason: 'no_sale', approvedBy, kicked });
    return { ok: true };
  },

  'shift.close': ({ count, reason }, ctx) => {
    const user = requireUser(ctx, 'shift_close');
    const shift = requireOpenShift(ctx);
    const counted = countTotal(count, ctx.repos.settings.get('cash.denominations'));
    // One read of the shift's sums serves both the expected cash and the Z report itself.
    const totals = ctx.repos.shifts.totals(shift.id);
    const now = ctx.clock.now();
    const expected = buildShiftReport(shift, totals, { kind: 'X', storeName: '', tillName: '', generatedAt: now }).cash.expected as Minor;
    const difference = counted - expected;
    const why = reason?.trim() || null;
    if (Math.abs(difference) > ctx.repos.settings.get('cash.tolerance') && !why) {
      // The count was blind; now that it is in, the cashier sees the difference and explains it (or recounts).
      throw new AppError('reason_required', 'the count differs from the expected cash', { difference });
    }
    const z = report(ctx, shift, 'Z', { at: now, by: user.name, counted, reason: why }, totals);
    ctx.repos.shifts.close(shift.id, { at: now, userId: user.userId, counted, count, expected, difference, reason: why, z });
    ctx.repos.audit.append(now, user.userId, 'shift.close', shift.id, { number: shift.number, expected, counted, difference, reason: why });
    // The registrar's Z follows the till's; its totals are compared with these when it answers.
    fiscalizeShift(ctx, 'close_shift', shift.id, user.name);
    const tillId = ctx.repos.settings.get('till.id');
    const { text: _text, ...data } = z;
    queueUpstream(ctx, 'shifts', 'shift.closed', { tillId, report: data }, now);
    // The audit chain's head goes to the head office with every Z, so a chain cut short is noticed there.
    queueUpstream(ctx, 'audit', 'audit.head', { tillId, ...ctx.repos.audit.chainHead() }, now);
    ctx.emit('shift.changed', { shiftId: null });
    return z;
  },

  'reports.x': (_p, ctx) => {
    requireUser(ctx, 'report_x');
    return report(ctx, requireOpenShift(ctx), 'X');
  },

  'reports.z': ({ shiftId }, ctx) => {
    requireUser(ctx, 'report_x');
    const s = ctx.repos.shifts.byId(shiftId);
    if (!s || s.z_report === null) throw new AppError('not_found', 'no closed shift with that id', { shiftId });
    return JSON.parse(s.z_report) as ShiftReport;
  },

  'reports.shifts': ({ limit }, ctx) => {
    requireUser(ctx, 'report_x');
    return ctx.repos.shifts.recent(limit).map((s) => ({
      id: s.id,
      number: s.number,
      openedAt: s.opened_at,
      closedAt: s.closed_at,
      net: s.z_report ? (JSON.parse(s.z_report) as ShiftReport).net : 0,
      difference: s.difference,
    }));
  },
};

function moveCash(ctx: HandlerCtx, kind: 'in' | 'out', amount: Minor, reason: string, userId: number, approvedBy: number | null) {
  const shift = requireOpenShift(ctx);
  const now = ctx.clock.now();
  const id = newId();
  ctx.repos.shifts.addMovement({ id, shiftId: shift.id, kind, amount, reason, userId, approvedBy, at: now });
  fiscalizeCash(ctx, kind === 'in' ? 'cash_in' : 'cash_out', id, amount);
  // Cash goes in or out of the drawer: it opens (through the receipt printer's kick-out port).
  ctx.services.queuePrint('drawer', id, null);
  ctx.repos.audit.append(now, userId, kind === 'in' ? 'cash.in' : 'cash.out', shift.id, { amount, reason, approvedBy });
  queueUpstream(
    ctx,
    'shifts',
    'cash.moved',
    { tillId: ctx.repos.settings.get('till.id'), shiftId: shift.id, id, kind, amount, reason, userId, approvedBy, at: now },
    now,
  );
  ctx.emit('shift.changed', { shiftId: shift.id });
  const view = ctx.repos.shifts.movements(shift.id).find((m) => m.id === id);
  if (!view) throw new Error('cash movement not written');
  return view;
}
