import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import type { UserRow } from '../db/repos/users.js';
import { hashPin, lockoutMs, MAX_PIN_FAILURES, verifyPin } from '../domain/pin.js';
import { CommittedAppError, requireUser, type HandlerCtx, type Handlers } from './context.js';

/** How long a manager's approval stays usable. */
export const APPROVAL_TTL_MS = 60_000;

/**
 * Check a user's PIN, counting failures and locking out after five (with a back-off that doubles).
 * A failure is committed even though the command fails, so the count survives; a locked-out user
 * is refused even with the right PIN until the back-off ends.
 */
function checkPin(ctx: HandlerCtx, userId: number, pin: string, purpose: 'login' | 'approval'): UserRow {
  const now = ctx.clock.now();
  const user = ctx.repos.users.byId(userId);
  if (!user || !user.active) {
    // Same cost as a real check, so timing does not reveal which ids exist.
    hashPin(pin);
    throw new AppError('pin_invalid', 'wrong PIN');
  }
  if (user.locked_until > now) {
    throw new AppError('locked_out', 'too many wrong PINs', { seconds: Math.ceil((user.locked_until - now) / 1000) });
  }
  if (!verifyPin(pin, user.pin_hash, user.pin_salt)) {
    const failures = user.failed_attempts + 1;
    const lock = lockoutMs(failures);
    ctx.repos.users.setFailures(user.id, failures, lock ? now + lock : 0);
    ctx.repos.audit.append(now, user.id, `${purpose}.failed`, null, { failures });
    if (lock) throw new CommittedAppError('locked_out', 'too many wrong PINs', { seconds: Math.ceil(lock / 1000) });
    throw new CommittedAppError('pin_invalid', 'wrong PIN', { left: MAX_PIN_FAILURES - failures });
  }
  if (user.failed_attempts > 0) ctx.repos.users.setFailures(user.id, 0, 0);
  return user;
}

export const sessionHandlers: Handlers<'session.users' | 'session.login' | 'session.logout' | 'session.current' | 'approvals.grant'> = {
  'session.users': (_p, ctx) => ctx.repos.users.list(),

  'session.login': ({ userId, pin }, ctx) => {
    const user = checkPin(ctx, userId, pin, 'login');
    const now = ctx.clock.now();
    ctx.repos.audit.append(now, user.id, 'login', null, {});
    const session = { userId: user.id, name: user.name, role: user.role };
    ctx.afterCommit(() => {
      ctx.conn.session = session;
      ctx.conn.lastActivity = now;
    });
    ctx.emit('session.changed', { userId: user.id });
    return { id: user.id, name: user.name, role: user.role };
  },

  'session.logout': (_p, ctx) => {
    const s = ctx.conn.session;
    if (s) {
      ctx.repos.audit.append(ctx.clock.now(), s.userId, 'logout', null, {});
      ctx.conn.session = null;
    }
    return { ok: true };
  },

  'session.current': (_p, ctx) => {
    const s = ctx.conn.session;
    return s ? { id: s.userId, name: s.name, role: s.role } : null;
  },

  'approvals.grant': ({ action, binding, userId, pin }, ctx) => {
    const cashier = requireUser(ctx);
    if (userId === cashier.userId) throw new AppError('approval_invalid', 'another user must approve', { action, reason: 'self' });
    const approver = checkPin(ctx, userId, pin, 'approval');
    if (!ctx.repos.permissions.can(approver.role, action)) {
      throw new AppError('forbidden', 'the approver may not do this either', { permission: action });
    }
    const now = ctx.clock.now();
    const id = newId();
    const expiresAt = now + APPROVAL_TTL_MS;
    ctx.repos.approvals.insert({ id, action, binding, requested_by: cashier.userId, approved_by: approver.id, created_at: now, expires_at: expiresAt });
    ctx.repos.audit.append(now, approver.id, 'override.grant', binding, { action, approvalId: id, cashierId: cashier.userId });
    return { approvalId: id, expiresAt, approver: approver.name };
  },
};
