import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ENROLL_RETRY_MS, ENROLLMENT_CODE_ALPHABET, type EnrollResponse } from '../src-common/sync/protocol.js';
import type { ServerDb, Sql } from './db/db.js';
import { HttpError } from './errors.js';
import { writeSettings } from './settings.js';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Enrollment codes are good for a day unless the owner asks otherwise. */
export const DEFAULT_CODE_TTL_MS = 24 * 3_600_000;

export interface StoreRow {
  id: string;
  name: string;
  time_zone: string;
}

export interface AuthenticatedTill {
  id: string;
  name: string;
  storeId: string;
  timeZone: string;
}

/**
 * A store, and its name and time zone as settings of the store: its tills print the name the head
 * office knows and count business days in the same time zone as the head office's reports.
 */
export async function createStore(db: ServerDb, s: { name: string; timeZone?: string }, now: number): Promise<StoreRow> {
  return db.transaction(async (tx) => {
    const id = randomUUID();
    const timeZone = s.timeZone ?? 'Europe/Moscow';
    const [row] = await tx.query<StoreRow>('INSERT INTO stores (id, name, time_zone, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, time_zone', [id, s.name, timeZone, now]);
    await writeSettings(tx, id, [{ key: 'store.name', value: s.name }, { key: 'timeZone', value: timeZone }], now);
    return row as StoreRow;
  });
}

export async function createTill(db: Sql, t: { storeId: string; name: string }, now: number): Promise<{ id: string; storeId: string; name: string }> {
  const store = await db.query('SELECT 1 FROM stores WHERE id = $1', [t.storeId]);
  if (store.length === 0) throw new HttpError(404, 'not_found', 'no such store');
  const id = randomUUID();
  await db.query('INSERT INTO tills (id, store_id, name, created_at) VALUES ($1, $2, $3, $4)', [id, t.storeId, t.name, now]);
  return { id, storeId: t.storeId, name: t.name };
}

/** A readable one-time code: 12 characters, no 0/O/1/I, shown as XXXX-XXXX-XXXX. */
export function newEnrollmentCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += ENROLLMENT_CODE_ALPHABET[randomInt(ENROLLMENT_CODE_ALPHABET.length)];
  return code;
}

export const formatCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1-');

/** A new one-time code for a till (earlier unused codes for it stay valid until they expire). */
export async function issueEnrollmentCode(db: Sql, tillId: string, now: number, ttlMs = DEFAULT_CODE_TTL_MS): Promise<{ code: string; expiresAt: number }> {
  const till = await db.query('SELECT 1 FROM tills WHERE id = $1', [tillId]);
  if (till.length === 0) throw new HttpError(404, 'not_found', 'no such till');
  const code = newEnrollmentCode();
  await db.query('INSERT INTO enrollment_codes (code_hash, till_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [sha256(code), tillId, now + ttlMs, now]);
  return { code: formatCode(code), expiresAt: now + ttlMs };
}

/**
 * Exchange a one-time code for the till's own credential. The code is spent in the same
 * transaction that stores the credential's hash; a second use, an expired or unknown code is
 * refused, except by the same till asking again within ENROLL_RETRY_MS with the request id it sent
 * the first time (its answer was lost on the way): it gets a fresh credential, and the one it never
 * received stops working. Enrolling again (a reinstalled till) replaces the credential likewise.
 */
export async function enroll(db: ServerDb, req: { code: string; till: { name: string; appVersion: string }; requestId?: string | undefined }, now: number): Promise<EnrollResponse> {
  return db.transaction(async (tx) => {
    const [code] = await tx.query<{ till_id: string; expires_at: number; used_at: number | null; request_hash: string | null }>(
      'SELECT till_id, expires_at, used_at, request_hash FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE',
      [sha256(req.code)],
    );
    if (!code) throw new HttpError(401, 'enrollment_invalid', 'no such enrollment code');
    if (code.used_at !== null) {
      const sameTill = req.requestId !== undefined && code.request_hash === sha256(req.requestId) && now - Number(code.used_at) <= ENROLL_RETRY_MS;
      if (!sameTill) throw new HttpError(401, 'enrollment_used', 'this enrollment code was used already');
    } else if (code.expires_at <= now) throw new HttpError(401, 'enrollment_expired', 'this enrollment code has expired');
    const [till] = await tx.query<{ id: string; name: string; store_id: string; store_name: string; revoked_at: number | null }>(
      'SELECT t.id, t.name, t.store_id, s.name AS store_name, t.revoked_at FROM tills t JOIN stores s ON s.id = t.store_id WHERE t.id = $1',
      [code.till_id],
    );
    if (!till) throw new HttpError(401, 'enrollment_invalid', 'the till of this code is gone');
    if (till.revoked_at !== null) throw new HttpError(401, 'revoked', 'this till was revoked');
    const credential = randomBytes(32).toString('base64url');
    if (code.used_at === null) {
      await tx.query('UPDATE enrollment_codes SET used_at = $2, request_hash = $3 WHERE code_hash = $1', [sha256(req.code), now, req.requestId === undefined ? null : sha256(req.requestId)]);
    }
    await tx.query('UPDATE tills SET credential_hash = $2, enrolled_at = $3, app_version = $4 WHERE id = $1', [till.id, sha256(credential), now, req.till.appVersion]);
    return { tillId: till.id, tillName: till.name, storeId: till.store_id, storeName: till.store_name, credential, serverTime: now };
  });
}

export async function revokeTill(db: Sql, tillId: string, now: number): Promise<void> {
  const rows = await db.query('UPDATE tills SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [tillId, now]);
  if (rows.length === 0) {
    const exists = await db.query('SELECT 1 FROM tills WHERE id = $1', [tillId]);
    if (exists.length === 0) throw new HttpError(404, 'not_found', 'no such till');
  }
}

/** Who is calling, from the bearer credential alone. */
export async function authenticateTill(db: Sql, credential: string | null): Promise<AuthenticatedTill> {
  if (!credential) throw new HttpError(401, 'unauthenticated', 'no till credential');
  const [t] = await db.query<{ id: string; name: string; store_id: string; time_zone: string; revoked_at: number | null }>(
    'SELECT t.id, t.name, t.store_id, s.time_zone, t.revoked_at FROM tills t JOIN stores s ON s.id = t.store_id WHERE t.credential_hash = $1',
    [sha256(credential)],
  );
  if (!t) throw new HttpError(401, 'unauthenticated', 'unknown till credential');
  if (t.revoked_at !== null) throw new HttpError(401, 'revoked', 'this till was revoked');
  return { id: t.id, name: t.name, storeId: t.store_id, timeZone: t.time_zone };
}
