import { AppError } from '../../src-common/errors.js';
import { hashPin, lockoutMs, MAX_PIN_FAILURES, verifyPin } from '../domain/pin.js';
import { CommittedAppError, type Handlers } from './context.js';

export const sessionHandlers: Handlers<'session.users' | 'session.login' | 'session.logout' | 'session.current'> = {
  'session.users': (_p, ctx) => ctx.repos.users.list(),

  'session.login': ({ userId, pin }, ctx) => {
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
      ctx.repos.audit.append(now, user.id, 'login.failed', null, { failures });
      if (lock) throw new CommittedAppError('locked_out', 'too many wrong PINs', { seconds: Math.ceil(lock / 1000) });
      throw new CommittedAppError('pin_invalid', 'wrong PIN', { left: MAX_PIN_FAILURES - failures });
    }
    if (user.failed_attempts > 0) ctx.repos.users.setFailures(user.id, 0, 0);
    ctx.repos.audit.append(now, user.id, 'login', null, {});
    const session = { userId: user.id, name: user.name, role: user.role };
    ctx.afterCommit(() => {
      ctx.conn.session = session;
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
};
