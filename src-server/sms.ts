import type { SmsDailyTurnResponse } from '../src-common/sync/loyalty.js';
import type { ServerDb, Sql } from './db/db.js';
import type { AuthenticatedTill } from './tills.js';

/** A sender silent for this many days (it asked for none of them) gives way to the next till that asks. */
export const SENDER_SILENT_DAYS = 2;

/**
 * Whose turn it is to send `day`'s scheduled SMS for the chain. One till sends them day after day:
 * its own outbox is what keeps a birthday message from going out again on the next day of the
 * customer's window, so the days must not wander between tills. The first till ever to ask becomes
 * the sender; every later day is the sender's while it is enrolled and keeps asking. A till asking
 * for a day the sender has not claimed takes the chain over when the sender is revoked or has not
 * asked for SENDER_SILENT_DAYS days (its customers in a window may then get one message twice).
 */
export async function takeDailyTurn(db: ServerDb, till: AuthenticatedTill, day: string, now: number): Promise<SmsDailyTurnResponse> {
  return db.transaction(async (tx) => {
    // One question at a time: two tills asking at once for a new day must get one answer.
    await tx.query('LOCK TABLE sms_daily_turns IN EXCLUSIVE MODE');
    const [row] = await tx.query<{ till_id: string; claimed: boolean }>('SELECT till_id, claimed FROM sms_daily_turns WHERE day = $1', [day]);
    let holder: string;
    if (row) {
      holder = row.till_id;
      if (holder === till.id) {
        if (!row.claimed) await tx.query('UPDATE sms_daily_turns SET claimed = true, at = $2 WHERE day = $1', [day, now]);
      } else if (!row.claimed && (await givesWay(tx, holder, day))) {
        holder = till.id;
        await tx.query('UPDATE sms_daily_turns SET till_id = $2, claimed = true, at = $3 WHERE day = $1', [day, till.id, now]);
      }
    } else {
      const [prev] = await tx.query<{ till_id: string }>('SELECT till_id FROM sms_daily_turns WHERE day < $1 ORDER BY day DESC LIMIT 1', [day]);
      const sender = prev?.till_id ?? till.id;
      holder = sender !== till.id && (await givesWay(tx, sender, day)) ? till.id : sender;
      await tx.query('INSERT INTO sms_daily_turns (day, till_id, at, claimed) VALUES ($1, $2, $3, $4)', [day, holder, now, holder === till.id]);
    }
    return { day, tillId: holder, mine: holder === till.id };
  });
}

/** The sender gives way: revoked, or it claimed none of the SENDER_SILENT_DAYS days before `day`. */
async function givesWay(tx: Sql, sender: string, day: string): Promise<boolean> {
  const [r] = await tx.query<{ gone: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM tills WHERE id = $1 AND revoked_at IS NOT NULL)
         OR NOT EXISTS (SELECT 1 FROM sms_daily_turns WHERE till_id = $1 AND claimed
                          AND day < $2 AND day >= to_char($2::date - $3::int, 'YYYY-MM-DD')) AS gone`,
    [sender, day, SENDER_SILENT_DAYS],
  );
  return r?.gone === true;
}
