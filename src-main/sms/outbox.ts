import { newId } from '../../src-common/ids.js';
import { smsSegments } from '../../src-common/sms.js';
import type { SmsPurpose, SmsSettings } from '../../src-common/sms-schemas.js';
import type { EpochMs } from '../../src-common/units.js';
import type { SmsCustomer, SmsRepo } from '../db/repos/sms.js';

/** Why a message was not queued: the caller counts these, nothing is thrown. */
export type SmsRefusal =
  /** SMS are switched off in the settings. */
  | 'disabled'
  /** A message with this dedupe key exists (this birthday, this receipt): nothing to do. */
  | 'duplicate'
  | 'no_customer'
  | 'erased'
  | 'no_phone'
  /** The customer has not agreed to (or has withdrawn) messages of this purpose. */
  | 'no_consent'
  | 'empty'
  /** Longer than the parts allowed (`maxSegments`). */
  | 'too_long';

export interface QueueSms {
  customerId: string;
  purpose: SmsPurpose;
  /** points, birthday, winback, survey, campaign, … */
  kind: string;
  /** Rendered already (templates.ts). */
  text: string;
  /** One message per key ever (`points:<receiptId>`, `birthday:<customerId>:<year>`); null: no such rule. */
  dedupeKey: string | null;
  campaignId?: string | null;
  now: EpochMs;
  /** Not before this instant (a survey waits until the customer has left); default now. */
  notBefore?: EpochMs;
}

export type QueueResult = { queued: true; id: string; segments: number } | { queued: false; reason: SmsRefusal };

export interface OutboxDeps {
  repo: SmsRepo;
  settings: SmsSettings;
}

/**
 * Whether a customer may be written to for a purpose now: not erased, a phone, and the consent in
 * force for exactly that purpose (service messages need `service`, advertising needs `advertising`;
 * the loyalty consent alone allows neither). Null when they may.
 */
export function refusalFor(c: SmsCustomer | null, purpose: SmsPurpose): SmsRefusal | null {
  if (!c) return 'no_customer';
  if (c.erased) return 'erased';
  if (c.phone === null) return 'no_phone';
  if (!(purpose === 'service' ? c.service : c.advertising)) return 'no_consent';
  return null;
}

/**
 * Queue one message to a customer in the caller's transaction (it exists only if that commits; the
 * sender is kicked after the commit). Refused, with the reason, when SMS are off, the key was used,
 * the customer cannot or did not agree to be written to, or the text is empty or too long.
 */
export function queueSms(o: OutboxDeps, m: QueueSms): QueueResult {
  if (!o.settings.enabled) return { queued: false, reason: 'disabled' };
  if (m.dedupeKey !== null && o.repo.keyTaken(m.dedupeKey)) return { queued: false, reason: 'duplicate' };
  const c = o.repo.customer(m.customerId);
  const refused = refusalFor(c, m.purpose);
  if (refused) return { queued: false, reason: refused };
  const text = m.text.trim();
  const seg = smsSegments(text);
  if (seg.segments === 0) return { queued: false, reason: 'empty' };
  if (seg.segments > o.settings.maxSegments) return { queued: false, reason: 'too_long' };
  const id = newId();
  const inserted = o.repo.insert({
    id,
    customerId: m.customerId,
    phone: (c as SmsCustomer).phone as string,
    purpose: m.purpose,
    kind: m.kind,
    campaignId: m.campaignId ?? null,
    text,
    segments: seg.segments,
    nextAttemptAt: Math.max(m.now, m.notBefore ?? m.now),
    createdAt: m.now,
    dedupeKey: m.dedupeKey,
  });
  return inserted ? { queued: true, id, segments: seg.segments } : { queued: false, reason: 'duplicate' };
}

/** A phone as screens listing many customers show it: +7 916 ***-**-67 (others: the code, stars, the last two digits). */
export function maskPhone(phone: string): string {
  const ru = /^\+7(\d{3})\d{5}(\d{2})$/.exec(phone);
  if (ru) return `+7 ${ru[1]} ***-**-${ru[2]}`;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '***';
  return `+${digits.slice(0, 2)} ${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}
