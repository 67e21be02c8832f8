import type { SmsPurpose, SmsState } from '../../../src-common/sms-schemas.js';
import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';
import { LoyaltyRepo } from './loyalty.js';

/** A sent message whose delivery is no longer asked about (kept in `next_attempt_at`, which is NOT NULL). */
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface SmsRow {
  id: string;
  customerId: string | null;
  phone: string | null;
  purpose: SmsPurpose;
  kind: string;
  campaignId: string | null;
  text: string;
  segments: number;
  state: SmsState;
  attempts: number;
  nextAttemptAt: number;
  providerId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  dedupeKey: string | null;
}

export interface NewSms {
  id: string;
  customerId: string;
  phone: string;
  purpose: SmsPurpose;
  kind: string;
  campaignId: string | null;
  text: string;
  segments: number;
  nextAttemptAt: number;
  createdAt: number;
  dedupeKey: string | null;
}

/** A customer as the SMS rules see them: where to write, what they agreed to. */
export interface SmsCustomer {
  id: string;
  name: string | null;
  phone: string | null;
  birthday: string | null;
  erased: boolean;
  service: boolean;
  advertising: boolean;
}

/** A customer who may get advertising (not erased, a phone, consent in force). */
export interface AdRecipient {
  id: string;
  name: string | null;
  phone: string;
  birthday: string | null;
}

export interface SmsLogFilter {
  state?: SmsState | undefined;
  kind?: string | undefined;
  purpose?: SmsPurpose | undefined;
  customerId?: string | undefined;
  campaignId?: string | undefined;
  before?: string | undefined;
}

const COLUMNS = `id, customer_id AS customerId, phone, purpose, kind, campaign_id AS campaignId, text, segments, state, attempts,
  next_attempt_at AS nextAttemptAt, provider_id AS providerId, error_code AS errorCode, error_message AS errorMessage,
  created_at AS createdAt, sent_at AS sentAt, delivered_at AS deliveredAt, dedupe_key AS dedupeKey`;

/** The consent in force for a purpose: the latest answer (none given: no). */
const CONSENT = (purpose: 'service' | 'advertising', customer: string) =>
  `COALESCE((SELECT granted FROM customer_consents WHERE customer_id = ${customer} AND purpose = '${purpose}' ORDER BY id DESC LIMIT 1), 0)`;

/**
 * The SMS outbox and campaigns, and the reads the SMS rules need (consents, purchases, points).
 * All SQL of the SMS feature lives here; writes run inside the caller's transaction.
 */
export class SmsRepo {
  private readonly s;
  /** Points and spend as the loyalty rules count them (one definition of the balance). */
  private readonly loyalty: LoyaltyRepo;

  constructor(private readonly db: Db) {
    this.loyalty = new LoyaltyRepo(db);
    this.s = {
      insert: db.prepare(
        `INSERT INTO sms_outbox (id, customer_id, phone, purpose, kind, campaign_id, text, segments, state, attempts, next_attempt_at, created_at, dedupe_key)
         VALUES (@id, @customerId, @phone, @purpose, @kind, @campaignId, @text, @segments, 'queued', 0, @nextAttemptAt, @createdAt, @dedupeKey)
         ON CONFLICT (dedupe_key) DO NOTHING`,
      ),
      keyTaken: db.prepare('SELECT 1 FROM sms_outbox WHERE dedupe_key = ?').pluck(),
      byId: db.prepare(`SELECT ${COLUMNS} FROM sms_outbox WHERE id = ?`),
      customer: db.prepare(
        `SELECT id, name, phone, birthday, erased_at IS NOT NULL AS erased, ${CONSENT('service', 'c.id')} AS service, ${CONSENT('advertising', 'c.id')} AS advertising
         FROM customers c WHERE id = ?`,
      ),
      adRecipients: db.prepare(
        `SELECT id, name, phone, birthday FROM customers c
         WHERE erased_at IS NULL AND phone IS NOT NULL AND ${CONSENT('advertising', 'c.id')} = 1
         ORDER BY name_key IS NULL, name_key, id`,
      ),
      nextDue: db.prepare(`SELECT ${COLUMNS} FROM sms_outbox WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1`),
      nextPoll: db.prepare(
        `SELECT ${COLUMNS} FROM sms_outbox WHERE state = 'sent' AND provider_id IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1`,
      ),
      earliest: db
        .prepare(`SELECT MIN(next_attempt_at) FROM sms_outbox WHERE (state = 'queued' OR (state = 'sent' AND provider_id IS NOT NULL)) AND next_attempt_at < ${NEVER}`)
        .pluck(),
      sending: db.prepare(`UPDATE sms_outbox SET state = 'sending' WHERE id = ? AND state = 'queued'`),
      sent: db.prepare(
        `UPDATE sms_outbox SET state = 'sent', attempts = attempts + 1, provider_id = ?, sent_at = ?, next_attempt_at = ?, error_code = NULL, error_message = NULL WHERE id = ?`,
      ),
      requeue: db.prepare(
        `UPDATE sms_outbox SET state = 'queued', attempts = attempts + ?, next_attempt_at = ?, error_code = ?, error_message = ? WHERE id = ?`,
      ),
      defer: db.prepare(`UPDATE sms_outbox SET next_attempt_at = ? WHERE id = ? AND state IN ('queued', 'sent')`),
      fail: db.prepare(`UPDATE sms_outbox SET state = 'failed', attempts = attempts + ?, error_code = ?, error_message = ?, next_attempt_at = ${NEVER} WHERE id = ?`),
      cancel: db.prepare(
        `UPDATE sms_outbox SET state = 'cancelled', error_code = ?, error_message = ?, next_attempt_at = ${NEVER} WHERE id = ? AND state IN ('queued', 'sending')`,
      ),
      delivered: db.prepare(`UPDATE sms_outbox SET state = 'delivered', delivered_at = ?, next_attempt_at = ${NEVER} WHERE id = ?`),
      undelivered: db.prepare(
        `UPDATE sms_outbox SET state = 'failed', error_code = 'undelivered', error_message = ?, next_attempt_at = ${NEVER} WHERE id = ?`,
      ),
      recover: db.prepare(
        `UPDATE sms_outbox SET state = 'queued', attempts = attempts + 1, next_attempt_at = ?, error_code = 'interrupted',
           error_message = 'the till stopped while handing it to the provider' WHERE state = 'sending'`,
      ),
      retry: db.prepare(
        `UPDATE sms_outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, error_code = NULL, error_message = NULL WHERE id = ? AND state = 'failed'`,
      ),
      forgetQueued: db.prepare(
        `UPDATE sms_outbox SET state = 'cancelled', error_code = 'erased', error_message = 'the customer was erased', next_attempt_at = ${NEVER}
         WHERE customer_id = ? AND state IN ('queued', 'sending')`,
      ),
      // The text may hold the name: it goes with the number.
      forgetPhone: db.prepare(`UPDATE sms_outbox SET phone = NULL, text = '' WHERE customer_id = ?`),
      receipt: db.prepare(
        `SELECT id, customer_id AS customerId, state, kind, completed_at AS completedAt, business_day AS businessDay FROM receipts WHERE id = ?`,
      ),
      earned: db.prepare(`SELECT COALESCE(SUM(points), 0) FROM loyalty_ledger WHERE receipt_id = ? AND kind = 'earn'`).pluck(),
      // This till's purchases and the chain's latest ones (the customers feed), as one set of days:
      // two index lookups per customer, so the daily run over many customers never builds a map of all.
      purchaseDays: db.prepare(
        `SELECT business_day FROM loyalty_ledger WHERE customer_id = @id AND kind = 'earn' AND reason = 'purchase'
         UNION SELECT j.value FROM customer_balances b, json_each(b.purchase_days) j WHERE b.customer_id = @id
         ORDER BY 1`,
      ).pluck(),
      addCampaign: db.prepare(
        'INSERT INTO sms_campaigns (id, name, text, audience, created_by, created_at) VALUES (@id, @name, @text, @audience, @createdBy, @createdAt)',
      ),
      finishCampaign: db.prepare('UPDATE sms_campaigns SET recipients = ?, sent_at = ? WHERE id = ?'),
      names: db.prepare(`SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?))`),
    };
  }

  // ---- the outbox

  /** False when a message with this dedupe key exists already (nothing is written). */
  insert(m: NewSms): boolean {
    return this.s.insert.run(m).changes === 1;
  }
  keyTaken(key: string): boolean {
    return this.s.keyTaken.get(key) !== undefined;
  }
  byId(id: string): SmsRow | null {
    return (this.s.byId.get(id) as SmsRow | undefined) ?? null;
  }
  /** The queued message to try first among those due. */
  nextDue(now: number): SmsRow | null {
    return (this.s.nextDue.get(now) as SmsRow | undefined) ?? null;
  }
  /** The sent message whose delivery is to be asked first among those due. */
  nextPoll(now: number): SmsRow | null {
    return (this.s.nextPoll.get(now) as SmsRow | undefined) ?? null;
  }
  /** When the next message is due to be tried or asked about (null: nothing waits). */
  earliest(): number | null {
    return (this.s.earliest.get() as number | null) ?? null;
  }
  /** Claim a queued message for sending (false: it is no longer queued). */
  markSending(id: string): boolean {
    return this.s.sending.run(id).changes === 1;
  }
  markSent(id: string, providerId: string, at: EpochMs, pollAt: number): void {
    this.s.sent.run(providerId, at, pollAt, id);
  }
  /** Back to the queue, tried again at `at`; `attempt` counts the try (an offline one does not). */
  requeue(id: string, at: number, attempt: boolean, code: string | null, message: string | null): void {
    this.s.requeue.run(attempt ? 1 : 0, at, code, message?.slice(0, 500) ?? null, id);
  }
  /** Try (or ask about) it later, without counting anything (quiet hours). */
  defer(id: string, at: number): void {
    this.s.defer.run(at, id);
  }
  markFailed(id: string, attempt: boolean, code: string, message: string): void {
    this.s.fail.run(attempt ? 1 : 0, code, message.slice(0, 500), id);
  }
  markCancelled(id: string, code: string, message: string): void {
    this.s.cancel.run(code, message.slice(0, 500), id);
  }
  markDelivered(id: string, at: EpochMs): void {
    this.s.delivered.run(at, id);
  }
  markUndelivered(id: string, message: string): void {
    this.s.undelivered.run(message.slice(0, 500), id);
  }
  /** Start-up: messages a crash caught mid-hand-over go back to the queue (counted as an attempt). */
  recoverSending(now: EpochMs): number {
    return this.s.recover.run(now).changes;
  }
  /** A failed message, queued again from scratch (false: it is in another state). */
  retry(id: string, now: EpochMs): boolean {
    return this.s.retry.run(now, id).changes === 1;
  }
  /** Erasing a customer (call inside the erasure's transaction): nothing more goes to them, and their number is dropped from the log. */
  forgetCustomer(customerId: string): void {
    this.s.forgetQueued.run(customerId);
    this.s.forgetPhone.run(customerId);
  }

  log(f: SmsLogFilter, limit: number): SmsRow[] {
    const { where, args } = this.where(f, true);
    return this.db.prepare(`SELECT ${COLUMNS} FROM sms_outbox ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit) as SmsRow[];
  }
  /** Messages per state under the filter (its state and page cursor aside). */
  counts(f: SmsLogFilter): Record<SmsState, number> {
    const { where, args } = this.where({ ...f, state: undefined, before: undefined }, false);
    const out: Record<SmsState, number> = { queued: 0, sending: 0, sent: 0, delivered: 0, failed: 0, cancelled: 0 };
    for (const r of this.db.prepare(`SELECT state, COUNT(*) AS n FROM sms_outbox ${where} GROUP BY state`).all(...args) as { state: SmsState; n: number }[]) {
      out[r.state] = r.n;
    }
    return out;
  }
  /** Customer names for a page of the log (an erased customer has none). */
  names(ids: string[]): Map<string, string | null> {
    const rows = this.s.names.all(JSON.stringify([...new Set(ids)])) as { id: string; name: string | null }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private where(f: SmsLogFilter, paged: boolean): { where: string; args: string[] } {
    const parts: string[] = [];
    const args: string[] = [];
    const eq = (column: string, v: string | undefined) => {
      if (v === undefined) return;
      parts.push(`${column} = ?`);
      args.push(v);
    };
    eq('state', f.state);
    eq('kind', f.kind);
    eq('purpose', f.purpose);
    eq('customer_id', f.customerId);
    eq('campaign_id', f.campaignId);
    if (paged && f.before !== undefined) {
      parts.push('id < ?');
      args.push(f.before);
    }
    return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
  }

  // ---- customers, purchases, points

  customer(id: string): SmsCustomer | null {
    const r = this.s.customer.get(id) as
      | { id: string; name: string | null; phone: string | null; birthday: string | null; erased: number; service: number; advertising: number }
      | undefined;
    return r ? { ...r, erased: r.erased === 1, service: r.service === 1, advertising: r.advertising === 1 } : null;
  }
  /** Everyone advertising may go to, by name. */
  adRecipients(): AdRecipient[] {
    return this.s.adRecipients.all() as AdRecipient[];
  }
  receipt(id: string): { id: string; customerId: string | null; state: string; kind: string; completedAt: number | null; businessDay: string | null } | null {
    return (this.s.receipt.get(id) as ReturnType<SmsRepo['receipt']> | undefined) ?? null;
  }
  /** Points a receipt earned (from the ledger). */
  pointsEarned(receiptId: string): number {
    return this.s.earned.get(receiptId) as number;
  }
  /** The balance as the till knows it: the head office's plus this till's entries it does not count yet. */
  pointsBalance(customerId: string): number {
    return this.loyalty.points(customerId).points;
  }
  /** Cumulative spend as the tiers count it (the head office's plus this till's entries after it). */
  spend(customerId: string): number {
    return this.loyalty.points(customerId).spend;
  }
  /** Business days with a completed sale to the customer (here, and anywhere in the chain by the feed), oldest first. */
  purchaseDays(customerId: string): string[] {
    return this.s.purchaseDays.all({ id: customerId }) as string[];
  }

  // ---- campaigns

  addCampaign(c: { id: string; name: string; text: string; audience: unknown; createdBy: number | null; createdAt: EpochMs }): void {
    this.s.addCampaign.run({ ...c, audience: JSON.stringify(c.audience) });
  }
  finishCampaign(id: string, recipients: number, at: EpochMs): void {
    this.s.finishCampaign.run(recipients, at, id);
  }
}

const repos = new WeakMap<Db, SmsRepo>();

/** The SMS repository of a store (statements prepared once per connection). */
export function smsRepo(db: Db): SmsRepo {
  let r = repos.get(db);
  if (!r) {
    r = new SmsRepo(db);
    repos.set(db, r);
  }
  return r;
}
