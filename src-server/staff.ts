import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import type { Permission, Role } from '../src-common/roles.js';
import type { RolePermissions, StaffMember } from '../src-common/sync/protocol.js';
import type { ServerDb } from './db/db.js';
import { takeVersions } from './catalog.js';
import { HttpError } from './errors.js';

/**
 * The PIN hash as the till computes it (src-main/domain/pin.ts): scrypt N=2^14, r=8, p=1, 32 bytes,
 * a 16-byte salt, the PIN NFKC-normalised. A test logs in at a till with a PIN set here.
 */
export function hashPinForTills(pin: string, salt: Buffer = randomBytes(16)): { pinHash: string; pinSalt: string } {
  const hash = scryptSync(pin.normalize('NFKC'), salt, 32, { N: 1 << 14, r: 8, p: 1 });
  return { pinHash: hash.toString('hex'), pinSalt: salt.toString('hex') };
}

/** Add a person, or change one (a new PIN, another role, deactivated), with the next version. */
export async function putStaff(
  db: ServerDb,
  s: { id?: string; name: string; role: Role; pin?: string; active?: boolean; storeId?: string | null },
  now: number,
): Promise<StaffMember & { storeId: string | null }> {
  return db.transaction(async (tx) => {
    if (s.storeId) {
      const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [s.storeId]);
      if (store.length === 0) throw new HttpError(404, 'not_found', 'no such store');
    }
    const [existing] = s.id ? await tx.query<{ data: StaffMember; store_id: string | null }>('SELECT data, store_id FROM staff WHERE id = $1 FOR UPDATE', [s.id]) : [];
    if (s.id && !existing) throw new HttpError(404, 'not_found', 'no such person');
    if (!existing && !s.pin) throw new HttpError(400, 'bad_request', 'a new person needs a PIN');
    const pin = s.pin ? hashPinForTills(s.pin) : { pinHash: existing!.data.pinHash, pinSalt: existing!.data.pinSalt };
    const member: StaffMember = { id: s.id ?? randomUUID(), name: s.name, role: s.role, ...pin, active: s.active ?? true };
    const storeId = s.storeId === undefined ? (existing?.store_id ?? null) : s.storeId;
    const version = await takeVersions(tx, 1);
    await tx.query(
      'INSERT INTO staff (id, store_id, data, version) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, data = excluded.data, version = excluded.version',
      [member.id, storeId, JSON.stringify(member), version],
    );
    await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'users', $2, $3, $4::jsonb, $5)`, [version, storeId, member.id, JSON.stringify(member), now]);
    // Moved to another store: the one it left learns it may no longer log in there.
    if (existing && existing.store_id !== null && existing.store_id !== storeId) {
      const gone = await takeVersions(tx, 1);
      await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'users', $2, $3, $4::jsonb, $5)`, [
        gone,
        existing.store_id,
        member.id,
        JSON.stringify({ ...member, active: false }),
        now,
      ]);
    }
    return { ...member, storeId };
  });
}

/** What a role may do, chain-wide. */
export async function setRolePermissions(db: ServerDb, r: RolePermissions, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    const version = await takeVersions(tx, 1);
    const data = JSON.stringify({ role: r.role, permissions: [...new Set<Permission>(r.permissions)].sort() });
    await tx.query('INSERT INTO role_matrix (role, permissions, version) VALUES ($1, $2::jsonb, $3) ON CONFLICT (role) DO UPDATE SET permissions = excluded.permissions, version = excluded.version', [
      r.role,
      data,
      version,
    ]);
    await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'roles', NULL, $2, $3::jsonb, $4)`, [version, r.role, data, now]);
  });
}

