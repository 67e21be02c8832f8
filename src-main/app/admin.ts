import { AppError } from '../../src-common/errors.js';
import { auditCount, verifyAuditChain } from '../db/repos/ledger.js';
import { hashPin } from '../domain/pin.js';
import { requireUser, type Handlers } from './context.js';

/** Users and roles administration, and the audit log viewer. */
export const adminHandlers: Handlers<'users.list' | 'users.save' | 'roles.matrix' | 'roles.set' | 'audit.list' | 'audit.verify'> = {
  'users.list': (_p, ctx) => {
    requireUser(ctx, 'users_manage');
    return ctx.repos.users.all().map((u) => ({ id: u.id, name: u.name, role: u.role, active: u.active === 1, lockedUntil: u.locked_until }));
  },

  'users.save': ({ id, name, role, active, pin }, ctx) => {
    const me = requireUser(ctx, 'users_manage');
    const { users, audit } = ctx.repos;
    const before = id === undefined ? null : users.byId(id);
    if (id !== undefined && !before) throw new AppError('not_found', 'no such user', { id });
    // Only an owner makes or changes an owner, so no one can promote themselves past the owner.
    if (me.role !== 'owner' && (role === 'owner' || before?.role === 'owner')) {
      throw new AppError('forbidden', 'only an owner may do this', { permission: 'users_manage' });
    }
    if (before && before.id === me.userId && (!active || role !== before.role)) {
      throw new AppError('user_invalid', 'you cannot deactivate yourself or change your own role', { id: me.userId });
    }
    let userId: number;
    if (before) {
      users.update(before.id, name, role, active);
      userId = before.id;
    } else {
      if (!pin) throw new AppError('user_invalid', 'a new user needs a PIN', { field: 'pin' });
      const { hash, salt } = hashPin(pin);
      userId = users.insert(name, role, hash, salt);
      if (!active) users.update(userId, name, role, false);
    }
    if (pin && before) {
      const { hash, salt } = hashPin(pin);
      users.setPin(userId, hash, salt);
    }
    audit.append(ctx.clock.now(), me.userId, before ? 'user.update' : 'user.create', String(userId), {
      name,
      role,
      active,
      pinChanged: pin !== undefined,
    });
    const u = users.byId(userId);
    if (!u) throw new Error('user not written');
    return { id: u.id, name: u.name, role: u.role, active: u.active === 1, lockedUntil: u.locked_until };
  },

  'roles.matrix': (_p, ctx) => {
    requireUser(ctx);
    return ctx.repos.permissions.matrix();
  },

  'roles.set': ({ role, permission, granted }, ctx) => {
    const me = requireUser(ctx, 'roles_manage');
    if (role === 'owner' && permission === 'roles_manage' && !granted) {
      throw new AppError('user_invalid', 'the owner keeps the right to edit roles', { permission });
    }
    if (ctx.repos.permissions.set(role, permission, granted)) {
      ctx.repos.audit.append(ctx.clock.now(), me.userId, 'settings.change', `role:${role}`, { permission, granted });
    }
    return { ok: true };
  },

  'audit.list': (filter, ctx) => {
    requireUser(ctx, 'audit_view');
    return ctx.repos.audit.list(filter);
  },

  'audit.verify': (_p, ctx) => {
    requireUser(ctx, 'audit_view');
    const head = ctx.repos.audit.chainHead();
    return { entries: auditCount(ctx.db), brokenAt: verifyAuditChain(ctx.db), headSeq: head.seq, headHash: head.hash };
  },
};
