import type { HandlerCtx, Services } from '../../src-main/app/context.js';
import { smsHandlers, type SmsAppDeps, type SmsHandlers } from '../../src-main/app/sms.js';
import { smsMethods, type SmsMethodName, type SmsParamsIn, type SmsResult } from '../../src-common/sms-schemas.js';
import type { Role } from '../../src-common/rpc/schemas.js';
import type { Till } from './support.js';

/** A handler's context as the dispatcher gives it to `role` on till `x`; after-commit work goes to `after`. */
export function handlerCtx(x: Till, role: Role, after: (() => void)[]): HandlerCtx {
  return {
    db: x.t.backend.db,
    repos: x.t.backend.repos,
    services: {} as Services,
    clock: x.t.clock,
    conn: { id: 1, session: { userId: x.userId(role), name: role, role } },
    emit: () => undefined,
    afterCommit: (fn) => after.push(fn),
  };
}

/**
 * The `sms.*` handlers called as the dispatcher would: params parsed, a command in a transaction,
 * after-commit work run, the result checked against its schema; as `role` on till `x`.
 */
export function smsCaller(x: Till, deps: SmsAppDeps): <M extends SmsMethodName>(role: Role, method: M, raw: SmsParamsIn<M>) => SmsResult<M> {
  const handlers: SmsHandlers = smsHandlers(deps);
  const db = x.t.backend.db;
  return <M extends SmsMethodName>(role: Role, method: M, raw: SmsParamsIn<M>): SmsResult<M> => {
    const after: (() => void)[] = [];
    const ctx = handlerCtx(x, role, after);
    const spec = smsMethods[method];
    const params = spec.params.parse(raw);
    const handler = handlers[method] as (p: unknown, c: HandlerCtx) => SmsResult<M>;
    const result = spec.kind === 'command' ? db.transaction(() => handler(params, ctx))() : handler(params, ctx);
    for (const fn of after) fn();
    return spec.result.parse(result) as SmsResult<M>;
  };
}
