import { AppError } from '../../src-common/errors.js';
import { EnrollmentCodeSchema } from '../../src-common/sync/protocol.js';
import { checkServerUrl } from '../sync/url.js';
import { requireUser, type Handlers } from './context.js';

/**
 * The till's link to the head office. Handlers run inside a SQLite transaction and cannot wait
 * for the network: `sync.enroll` checks what it can here and hands the request to the sync
 * service after the command commits; the outcome arrives as a `sync.state` event (the status's
 * `enrollment` is `pending`, then `failed` with a reason, or the till is enrolled).
 */
export const syncHandlers: Handlers<'sync.status' | 'sync.enroll' | 'sync.now'> = {
  'sync.status': (_p, ctx) => {
    requireUser(ctx);
    return ctx.services.sync.status();
  },

  'sync.enroll': ({ url, code }, ctx) => {
    const me = requireUser(ctx, 'settings');
    const checked = checkServerUrl(url);
    if ('problem' in checked) {
      throw new AppError('validation', checked.problem === 'tls_required' ? 'the head office address must be https:// (http:// only to this machine)' : 'not a web address', {
        field: 'url',
        reason: checked.problem,
      });
    }
    const parsed = EnrollmentCodeSchema.safeParse(code);
    if (!parsed.success) throw new AppError('validation', 'an enrollment code is 12 letters and digits', { field: 'code', reason: 'code_format' });
    // The code is a one-time secret until used: the audit log keeps that an enrollment was asked for, and where.
    ctx.repos.audit.append(ctx.clock.now(), me.userId, 'sync.enroll', null, { url: checked.url });
    ctx.afterCommit(() => ctx.services.sync.enroll(checked.url, parsed.data, me.userId));
    return { started: true };
  },

  'sync.now': (_p, ctx) => {
    requireUser(ctx);
    if (!ctx.services.sync.status().enrolled) throw new AppError('sync_not_enrolled', 'this till is not enrolled with a head office');
    ctx.afterCommit(() => ctx.services.sync.now());
    return { ok: true };
  },
};
