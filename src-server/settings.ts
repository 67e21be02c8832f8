import { isHeadOfficeSetting, parseHeadOfficeSetting, settingFeedKey, type SettingChange, type SettingScope } from '../src-common/sync/settings.js';
import type { ServerDb, Sql } from './db/db.js';
import { takeVersions } from './catalog.js';
import { HttpError } from './errors.js';

/** The settings table's scope for chain-wide values (a store's rows carry its id). */
export const CHAIN = '*';

export interface SettingInput {
  key: string;
  /** The new value, or null to take the setting back. */
  value: unknown;
}

/**
 * Set (or take back, `value: null`) settings for the whole chain (`storeId` null) or one store, each
 * checked against its shape first: one bad value refuses them all and nothing changes. Each change
 * gets its version and a change-log row the store's tills pull.
 */
export async function putSettings(db: ServerDb, storeId: string | null, input: readonly SettingInput[], now: number): Promise<{ changed: number }> {
  const checked = input.map((s) => {
    if (!isHeadOfficeSetting(s.key)) throw new HttpError(400, 'bad_request', `"${s.key}" is not a setting the head office may set`);
    if (s.value === null) return { key: s.key, value: null };
    const r = parseHeadOfficeSetting(s.key, s.value);
    if (!r.ok) throw new HttpError(400, 'bad_request', r.problem);
    return { key: s.key, value: r.value };
  });
  const unique = [...new Map(checked.map((s) => [s.key, s])).values()];
  if (unique.length === 0) return { changed: 0 };
  return db.transaction(async (tx) => {
    if (storeId !== null) {
      const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
      if (store.length === 0) throw new HttpError(404, 'not_found', 'no such store');
    }
    await writeSettings(tx, storeId, unique, now);
    return { changed: unique.length };
  });
}

/** Inside the caller's transaction: the rows and their change-log entries. */
export async function writeSettings(tx: Sql, storeId: string | null, settings: readonly { key: string; value: unknown }[], now: number): Promise<void> {
  const scope: SettingScope = storeId === null ? 'chain' : 'store';
  const first = await takeVersions(tx, settings.length);
  for (const [i, s] of settings.entries()) {
    const version = first + i;
    if (s.value === null) await tx.query('DELETE FROM settings WHERE scope = $1 AND key = $2', [storeId ?? CHAIN, s.key]);
    else
      await tx.query(
        'INSERT INTO settings (scope, key, value, version) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, version = excluded.version',
        [storeId ?? CHAIN, s.key, JSON.stringify(s.value), version],
      );
    // The store's own row follows its name and time zone (the head office's reports count days in it).
    if (storeId !== null && s.value !== null && s.key === 'store.name') {
      await tx.query('UPDATE stores SET name = $1 WHERE id = $2', [s.value, storeId]);
      await logStore(tx, storeId, s.value as string, now);
    }
    if (storeId !== null && s.value !== null && s.key === 'timeZone') await tx.query('UPDATE stores SET time_zone = $1 WHERE id = $2', [s.value, storeId]);
    const change: SettingChange = { key: s.key, scope, value: s.value };
    await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'settings', $2, $3, $4::jsonb, $5)`, [
      version,
      storeId,
      settingFeedKey(scope, s.key),
      JSON.stringify(change),
      now,
    ]);
  }
}

/** The chain's settings, or one store's own (not merged: the owner sees what is set where). */
export async function listSettings(db: Sql, storeId: string | null): Promise<{ key: string; value: unknown }[]> {
  return db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings WHERE scope = $1 ORDER BY key', [storeId ?? CHAIN]);
}

/** Every till learns the chain's stores (where a transfer may go): a store made or renamed. */
export async function logStore(tx: Sql, storeId: string, name: string, now: number): Promise<void> {
  const version = await takeVersions(tx, 1);
  await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'stores', NULL, $2, $3::jsonb, $4)`, [
    version,
    storeId,
    JSON.stringify({ id: storeId, name }),
    now,
  ]);
}
