import { PERMISSIONS, type Permission, type Role } from '../../../src-common/rpc/schemas.js';
import type { Db } from '../open.js';
import { onRollback } from './settings.js';

const ROLES: readonly Role[] = ['owner', 'manager', 'senior_cashier', 'cashier', 'stock_clerk'];

/**
 * The permission matrix, stored as data (role_permissions) and checked by the backend for every
 * command. Read on every command, so held in memory; a change made in a transaction that rolls
 * back is undone in memory too.
 */
export class PermissionsRepo {
  private readonly s;
  private grants: Map<Role, Set<Permission>> | null = null;

  constructor(private readonly db: Db) {
    this.s = {
      all: db.prepare('SELECT role, permission FROM role_permissions'),
      grant: db.prepare('INSERT OR IGNORE INTO role_permissions (role, permission) VALUES (?, ?)'),
      revoke: db.prepare('DELETE FROM role_permissions WHERE role = ? AND permission = ?'),
    };
  }

  can(role: Role, permission: Permission): boolean {
    return this.load().get(role)?.has(permission) ?? false;
  }

  matrix(): { role: Role; permissions: Permission[] }[] {
    const g = this.load();
    return ROLES.map((role) => ({ role, permissions: PERMISSIONS.filter((p) => g.get(role)?.has(p)) }));
  }

  /** The matrix was written elsewhere (the head office's roles, applied by sync): read it again. */
  invalidate(): void {
    this.grants = null;
  }

  /** Grant or revoke inside the caller's transaction. */
  set(role: Role, permission: Permission, granted: boolean): boolean {
    const changed = (granted ? this.s.grant.run(role, permission) : this.s.revoke.run(role, permission)).changes === 1;
    this.grants = null;
    onRollback(this.db, () => {
      this.grants = null;
    });
    return changed;
  }

  private load(): Map<Role, Set<Permission>> {
    if (this.grants) return this.grants;
    const g = new Map<Role, Set<Permission>>();
    for (const r of this.s.all.all() as { role: Role; permission: Permission }[]) {
      let set = g.get(r.role);
      if (!set) g.set(r.role, (set = new Set()));
      set.add(r.permission);
    }
    this.grants = g;
    return g;
  }
}
