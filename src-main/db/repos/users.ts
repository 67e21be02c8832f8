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
}
