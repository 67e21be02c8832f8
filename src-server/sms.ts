import type { SmsDailyTurnResponse } from '../src-common/sync/loyalty.js';
import type { ServerDb } from './db/db.js';
import type { AuthenticatedTill } from './tills.js';

/**
 * Whose turn it is to send `day`'s scheduled SMS for the chain: the first till to ask takes it and is
 * told so again whenever it asks; every other till is told whose it is. A day held by a till since
 * revoked passes to the next one that asks (the revoked one will not send it).
 */
export async function takeDailyTurn(db: ServerDb, till: AuthenticatedTill, day: string, now: number): Promise<SmsDailyTurnResponse> {
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO sms_daily_turns (day, till_id, at) VALUES ($1, $2, $3)
       ON CONFLICT (day) DO UPDATE SET till_id = excluded.till_id, at = excluded.at
        WHERE sms_daily_turns.till_id <> excluded.till_id
          AND EXISTS (SELECT 1 FROM tills t WHERE t.id = sms_daily_turns.till_id AND t.revoked_at IS NOT NULL)`,
      [day, till.id, now],
    );
    const [row] = await tx.query<{ till_id: string }>('SELECT till_id FROM sms_daily_turns WHERE day = $1', [day]);
    const holder = row!.till_id;
    return { day, tillId: holder, mine: holder === till.id };
  });
}
