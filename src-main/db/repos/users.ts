import type { Role } from '../../../src-common/rpc/schemas.js';
import type { Db } from '../open.js';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  pin_hash: Buffer;
  pin_salt: Buffer;
  active: number;
  failed_attempts: number;
  locked_until: number;
}

export class UsersRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      list: db.prepare('SELECT id, name, role FROM users WHERE active = 1 ORDER BY id'),
      byId: db.prepare('SELECT * FROM users WHERE id = ?'),
      insert: db.prepare('INSERT INTO users (name, role, pin_hash, pin_salt) VALUES (?, ?, ?, ?)'),
      failures: db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?'),
      all: db.prepare('SELECT id, name, role, active, locked_until FROM users ORDER BY active DESC, name'),
      update: db.prepare('UPDATE users SET name = ?, role = ?, active = ? WHERE id = ?'),
      setPin: db.prepare('UPDATE users SET pin_hash = ?, pin_salt = ?, failed_attempts = 0, locked_until = 0 WHERE id = ?'),
    };
  }
  list(): { id: number; name: string; role: Role }[] {
    return this.s.list.all() as { id: number; name: string; role: Role }[];
  }
  byId(id: number): UserRow | null {
    return (this.s.byId.get(id) as UserRow | undefined) ?? null;
  }
  insert(name: string, role: Role, hash: Buffer, salt: Buffer): number {
    return Number(this.s.insert.run(name, role, hash, salt).lastInsertRowid);
  }
  setFailures(id: number, attempts: number, lockedUntil: number): void {
    this.s.failures.run(attempts, lockedUntil, id);
  }
  /** Every user including deactivated ones, for the admin screen. */
  all(): { id: number; name: string; role: Role; active: number; locked_until: number }[] {
    return this.s.all.all() as { id: number; name: string; role: Role; active: number; locked_until: number }[];
  }
  update(id: number, name: string, role: Role, active: boolean): void {
    this.s.update.run(name, role, active ? 1 : 0, id);
  }
  setPin(id: number, hash: Buffer, salt: Buffer): void {
    this.s.setPin.run(hash, salt, id);
  }
}
