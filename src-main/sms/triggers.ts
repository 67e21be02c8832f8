import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { birthdayCouponCode, birthdayYear, type Programme } from '../../src-common/loyalty.js';
import {
  SMS_PURPOSE_OF,
  type SmsAudience,
  type SmsCampaignPreview,
  type SmsCampaignSent,
  type SmsRecipient,
  type SmsSettings,
  type SmsTriggerKind,
} from '../../src-common/sms-schemas.js';
import type { EpochMs } from '../../src-common/units.js';
import type { AdRecipient, SmsRepo } from '../db/repos/sms.js';
import { maskPhone, queueSms, type QueueSms, type SmsRefusal } from './outbox.js';
import { placeholdersIn, previewSms, renderSms, unknownPlaceholders, type SmsValues } from './templates.js';

/**
 * The messages the till decides to send by itself. Each function runs inside the caller's
 * transaction (a sale's completion, the daily run, a campaign command), queues through
 * `queueSms` (consent, erasure, length, dedupe all checked there) and returns how many it queued.
 * The sender is kicked after the commit.
 */
export interface TriggerDeps {
  repo: SmsRepo;
  settings: SmsSettings;
  /** `store.name`: the `{store}` placeholder. */
  storeName: string;
  /** `loyalty.programme`: the birthday window and coupon. */
  programme: Programme;
  now: EpochMs;
}

const DAY_MS = 86_400_000;

/** Days since 1970 of a business day (YYYY-MM-DD). */
function dayNumber(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return Number.NaN;
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

/**
 * Render a trigger's template, or null when it cannot be sent as it stands: the template has an
 * unknown placeholder (the settings screen refuses those, a hand-edited store may not), or it uses
 * a placeholder that has no value here (a birthday text with `{coupon}` when the programme gives
 * none). A trigger never throws into the sale that started it.
 */
function render(t: TriggerDeps, kind: SmsTriggerKind, values: SmsValues): string | null {
  const text = t.settings.templates[kind].text;
  if (unknownPlaceholders(text, kind).length > 0) return null;
  return renderSms(text, kind, values);
}

function queue(t: TriggerDeps, m: Omit<QueueSms, 'now'>): boolean {
  return queueSms({ repo: t.repo, settings: t.settings }, { ...m, now: t.now }).queued;
}

/** A completed sale with a customer: its customer, else null. */
function saleCustomer(t: TriggerDeps, receiptId: string): string | null {
  const r = t.repo.receipt(receiptId);
  return r && r.state === 'completed' && r.kind === 'sale' && r.customerId ? r.customerId : null;
}

/** After a completed sale with a customer: the points it earned and the balance, when that message is on and points were earned. */
export function pointsEarned(t: TriggerDeps, receiptId: string): number {
  const tpl = t.settings.templates.points;
  if (!t.settings.enabled || !tpl.enabled) return 0;
  const customerId = saleCustomer(t, receiptId);
  if (!customerId) return 0;
  const points = t.repo.pointsEarned(receiptId);
  if (points <= 0) return 0;
  const c = t.repo.customer(customerId);
  const text = render(t, 'points', { name: c?.name ?? null, points, balance: t.repo.pointsBalance(customerId), store: t.storeName });
  if (text === null) return 0;
  return queue(t, { customerId, purpose: SMS_PURPOSE_OF.points, kind: 'points', text, dedupeKey: `points:${receiptId}` }) ? 1 : 0;
}

/** After a completed sale with a customer: the satisfaction survey link, `surveyDelayMinutes` later. */
export function survey(t: TriggerDeps, receiptId: string): number {
  const s = t.settings;
  if (!s.enabled || !s.templates.survey.enabled || s.surveyUrl === '') return 0;
  const customerId = saleCustomer(t, receiptId);
  if (!customerId) return 0;
  const c = t.repo.customer(customerId);
  const text = render(t, 'survey', { name: c?.name ?? null, url: s.surveyUrl, store: t.storeName });
  if (text === null) return 0;
  const notBefore = (t.now + s.surveyDelayMinutes * 60_000) as EpochMs;
  return queue(t, { customerId, purpose: SMS_PURPOSE_OF.survey, kind: 'survey', text, dedupeKey: `survey:${receiptId}`, notBefore }) ? 1 : 0;
}

/** Both messages a completed sale may bring: call in the sale's transaction, kick the sender after the commit. */
export function afterSale(t: TriggerDeps, receiptId: string): number {
  return pointsEarned(t, receiptId) + survey(t, receiptId);
}

/**
 * Customers whose birthday window (the programme's days before and after) holds `today`: the
 * birthday coupon's code, once per customer and birthday year. Only customers with advertising
 * consent are looked at (queueSms checks again).
 */
export function birthdays(t: TriggerDeps, today: string): number {
  const tpl = t.settings.templates.birthday;
  if (!t.settings.enabled || !tpl.enabled || !t.programme.enabled) return 0;
  // A text offering a coupon when the programme gives none would promise what the till refuses.
  if (t.programme.birthday.coupon === null && placeholdersIn(tpl.text).includes('coupon')) return 0;
  let n = 0;
  for (const c of t.repo.adRecipients()) {
    const year = birthdayYear(t.programme, c.birthday, today);
    if (year === null) continue;
    const coupon = t.programme.birthday.coupon === null ? null : birthdayCouponCode(c.id, year);
    const text = render(t, 'birthday', { name: c.name, coupon, store: t.storeName });
    if (text === null) return n;
    if (queue(t, { customerId: c.id, purpose: SMS_PURPOSE_OF.birthday, kind: 'birthday', text, dedupeKey: `birthday:${c.id}:${year}` })) n++;
  }
  return n;
}

export interface Lapse {
  /** The last business day with a purchase. */
  last: string;
  daysSince: number;
  /** Days after which this customer counts as lapsed. */
  thresholdDays: number;
  /** Their usual interval (days, the median gap between purchase days); null with fewer than two. */
  usualDays: number | null;
}

/**
 * Has a customer with these purchase days (distinct business days, oldest first) lapsed by `today`?
 * Lapsed: no purchase for longer than the larger of `minDaysSinceLast` and `factorOfUsualInterval`
 * × their usual interval. The usual interval is the median gap between purchase days, so one long
 * holiday does not make a weekly customer look like a monthly one (a mean would); it needs two
 * purchases at least, else `minDaysSinceLast` alone decides. Null when not lapsed (or never bought).
 */
export function lapse(days: readonly string[], today: string, rule: SmsSettings['winback']): Lapse | null {
  const nums = [...new Set(days.map(dayNumber).filter(Number.isFinite))].sort((a, b) => a - b);
  const last = nums[nums.length - 1];
  if (last === undefined) return null;
  const gaps = nums.slice(1).map((d, i) => d - (nums[i] as number));
  let usualDays: number | null = null;
  if (gaps.length > 0) {
    const sorted = [...gaps].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    usualDays = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  }
  const thresholdDays = Math.max(rule.minDaysSinceLast, usualDays === null ? 0 : rule.factorOfUsualInterval * usualDays);
  const daysSince = dayNumber(today) - last;
  if (!(daysSince > thresholdDays)) return null;
  const lastDay = new Date(last * DAY_MS).toISOString().slice(0, 10);
  return { last: lastDay, daysSince, thresholdDays, usualDays };
}

/** Lapsed customers (advertising consent): a win-back message, once per lapse (keyed by the day of their last purchase). */
export function winback(t: TriggerDeps, today: string): number {
  const tpl = t.settings.templates.winback;
  if (!t.settings.enabled || !tpl.enabled) return 0;
  let n = 0;
  for (const c of t.repo.adRecipients()) {
    const l = lapse(t.repo.purchaseDays(c.id), today, t.settings.winback);
    if (!l) continue;
    const text = render(t, 'winback', { name: c.name, store: t.storeName });
    if (text === null) return n;
    if (queue(t, { customerId: c.id, purpose: SMS_PURPOSE_OF.winback, kind: 'winback', text, dedupeKey: `winback:${c.id}:${l.last}` })) n++;
  }
  return n;
}

/** The daily run (once per business day, in one transaction): birthdays and win-back. */
export function daily(t: TriggerDeps, today: string): { birthdays: number; winback: number } {
  return { birthdays: birthdays(t, today), winback: winback(t, today) };
}

/**
 * Who a campaign goes to: every customer with advertising consent and a phone, narrowed by the
 * filters (lapsed by the win-back rule; birthday in this month; cumulative spend at least so much).
 */
export function campaignAudience(t: TriggerDeps, audience: SmsAudience, today: string): AdRecipient[] {
  let list = t.repo.adRecipients();
  if (audience.birthdayThisMonth) {
    const month = today.slice(5, 7);
    list = list.filter((c) => c.birthday !== null && c.birthday.slice(5, 7) === month);
  }
  if (audience.minSpend !== null) {
    const min = audience.minSpend;
    list = list.filter((c) => t.repo.spend(c.id) >= min);
  }
  if (audience.lapsed) {
    list = list.filter((c) => lapse(t.repo.purchaseDays(c.id), today, t.settings.winback) !== null);
  }
  return list;
}

function recipientView(c: AdRecipient): SmsRecipient {
  return { customerId: c.id, name: c.name, phone: maskPhone(c.phone) };
}

/** How many a campaign would reach and the first 20 of them; nothing is queued. */
export function campaignPreview(t: TriggerDeps, audience: SmsAudience, today: string, text?: string): SmsCampaignPreview {
  const list = campaignAudience(t, audience, today);
  const first = list[0];
  const preview =
    text === undefined ? null : previewSms(text, 'campaign', { name: first?.name ?? null, store: t.storeName }, t.settings.maxSegments);
  return { count: list.length, sample: list.slice(0, 20).map(recipientView), preview };
}

/**
 * Send a campaign: recorded in sms_campaigns, one advertising message queued per recipient (each
 * with its name filled in; one whose text comes out too long is counted, not sent), and the count
 * and time recorded. Throws `validation` when SMS are off, `template_invalid` for an unknown placeholder.
 */
export function sendCampaign(
  t: TriggerDeps,
  c: { name: string; text: string; audience: SmsAudience; createdBy: number | null; today: string },
): SmsCampaignSent {
  if (!t.settings.enabled) throw new AppError('validation', 'SMS are switched off', { field: 'enabled', reason: 'disabled' });
  const unknown = unknownPlaceholders(c.text, 'campaign');
  if (unknown.length > 0) {
    throw new AppError('template_invalid', `unknown placeholders: ${unknown.map((u) => `{${u}}`).join(', ')}`, { kind: 'campaign', reason: 'unknown', unknown: unknown.join(',') });
  }
  const campaignId = newId();
  t.repo.addCampaign({ id: campaignId, name: c.name, text: c.text, audience: c.audience, createdBy: c.createdBy, createdAt: t.now });
  const refused: Partial<Record<SmsRefusal, number>> = {};
  let recipients = 0;
  for (const r of campaignAudience(t, c.audience, c.today)) {
    const text = renderSms(c.text, 'campaign', { name: r.name, store: t.storeName });
    const q = queueSms(
      { repo: t.repo, settings: t.settings },
      { customerId: r.id, purpose: SMS_PURPOSE_OF.campaign, kind: 'campaign', text, dedupeKey: `campaign:${campaignId}:${r.id}`, campaignId, now: t.now },
    );
    if (q.queued) recipients++;
    else refused[q.reason] = (refused[q.reason] ?? 0) + 1;
  }
  t.repo.finishCampaign(campaignId, recipients, t.now);
  return { campaignId, recipients, refused };
}
