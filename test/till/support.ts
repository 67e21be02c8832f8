import type { BackendConfig } from '../../src-main/host/backend.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { RpcError, type RpcClient } from '../../src-common/rpc/client.js';
import type { Permission, Role } from '../../src-common/rpc/schemas.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

export interface Till {
  t: TestBackend;
  c: RpcClient;
  /** Log this till's client in as the demo user with `role`. */
  as(role: Role): Promise<number>;
  userId(role: Role): number;
  /** A manager (or `role`) approves `action` with `binding` for whoever is logged in on `c`. */
  approve(action: Permission, binding: string, role?: Role): Promise<string>;
  rows(table: string): number;
  close(): void;
}

export function demoPin(role: Role): string {
  return DEMO_USERS.find((u) => u.role === role)!.pin;
}

/** A real backend on a real SQLite file, driven through the RPC dispatcher exactly as a window would. */
export function openTill(overrides: Partial<BackendConfig> = {}): Till {
  return tillOn(makeBackend(overrides));
}

/** A new window on a till's backend as it is now (after `t.restart()`, say). */
export function openTillOn(x: Till): Till {
  return tillOn(x.t);
}

function tillOn(t: TestBackend): Till {
  const c = inProcessClient(t.backend.dispatcher);
  const ids = new Map(t.backend.repos.users.list().map((u) => [u.role, u.id]));
  const till: Till = {
    t,
    c,
    async as(role) {
      await c.call('session.logout');
      await c.call('session.login', { userId: ids.get(role)!, pin: demoPin(role) });
      return ids.get(role)!;
    },
    userId: (role) => ids.get(role)!,
    async approve(action, binding, role = 'manager') {
      const r = await c.call('approvals.grant', { action, binding, userId: ids.get(role)!, pin: demoPin(role) });
      return r.approvalId;
    },
    rows: (table) => t.backend.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number,
    close() {
      c.close();
      t.dispose();
    },
  };
  return till;
}

/** The error a call fails with (code and details); throws if it succeeds. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return { code: e.code, details: (e.details ?? {}) as Record<string, unknown> };
    throw e;
  }
  throw new Error('expected the call to fail');
}
