import { afterEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src-common/clock.js';
import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import { birthdayCouponCode, DEFAULT_PROGRAMME, type Programme } from '../../src-common/loyalty.js';
import { DEFAULT_SMS_SETTINGS, type SmsSettings } from '../../src-common/sms-schemas.js';
import { smsAfterSale, type SmsAppDeps } from '../../src-main/app/sms.js';
import type { Db } from '../../src-main/db/open.js';
import { smsRepo, type SmsRow } from '../../src-main/db/repos/sms.js';
import type { SmsProvider } from '../../src-main/sms/provider.js';
import { SmsSender, type SmsSenderDeps, type Timers } from '../../src-main/sms/sender.js';
import { birthdays, daily, pointsEarned, survey, winback, type TriggerDeps } from '../../src-main/sms/triggers.js';
import { handlerCtx, smsCaller } from './sms-handlers.js';
import { openTill, type Till } from './support.js';

const SETTINGS: SmsSettings = {
  ...DEFAULT_SMS_SETTINGS,
  enabled: true,
  provider: 'emulator',
  templates: {
    points: { enabled: true, text: '{name|Здравствуйте}, +{points} б. Баланс: {balance} б. {store}' },
    birthday: { enabled: true, text: '{name}, с днём рождения! Купон {coupon}' },
    winback: { enabled: true, text: '{name}, ждём вас снова! {store}' },
    survey: { enabled: true, text: 'Оцените покупку: {url}' },
  },
  surveyUrl: 'https://example.ru/s',
  surveyDelayMinutes: 120,
  winback: { minDaysSinceLast: 14, factorOfUsualInterval: 2 },
};

interface Rig {
  x: Till;
  db: Db;
  clock: ManualClock;
  settings: SmsSettings;
  programme: Programme;
  t(): TriggerDeps;
  customer(o: { name?: string | null; birthday?: string | null; service?: boolean; advertising?: boolean }): string;
  sale(customerId: string | null, day: string, o?: { points?: number; kind?: 'sale' | 'return' }): string;
  rows(kind?: string): SmsRow[];
}

const tills: Till[] = [];
const senders: SmsSender[] = [];
afterEach(async () => {
  for (const s of senders.splice(0)) {
    s.stop();
    await s.idle();
  }
  for (const t of tills.splice(0)) t.close();
});

let phones = 0;

function rig(): Rig {
  const x = openTill();
  tills.push(x);
  const db = x.t.backend.db;
  const clock = x.t.clock;
  const cashier = x.userId('cashier');
  const r: Rig = {
    x,
    db,
    clock,
    settings: SETTINGS,
    programme: DEFAULT_PROGRAMME,
    t: () => ({ repo: smsRepo(db), settings: r.settings, storeName: 'Лавка', programme: r.programme, now: clock.now() }),
    customer({ name = 'Анна', birthday = null, service = false, advertising = false }) {
      const id = newId();
      const repo = x.t.backend.repos.customers;
      repo.add({ id, cardNo: null, phone: `+7916${String(1_000_000 + ++phones).slice(-7)}`, name, birthday, at: clock.now(), userId: cashier });
      repo.recordConsent(id, 'loyalty', true, clock.now(), 'till-1', cashier);
      repo.recordConsent(id, 'service', service, clock.now(), 'till-1', cashier);
      repo.recordConsent(id, 'advertising', advertising, clock.now(), 'till-1', cashier);
      return id;
    },
    sale(customerId, day, { points = 0, kind = 'sale' } = {}) {
      const id = newId();
      const number = db.prepare('SELECT COALESCE(MAX(number), 0) + 1 FROM receipts').pluck().get() as number;
      const at = Date.parse(`${day}T12:00:00+03:00`);
      db.prepare(
        `INSERT INTO receipts (id, state, number, cashier_id, opened_at, completed_at, business_day, kind, customer_id, total) VALUES (?, 'completed', ?, ?, ?, ?, ?, ?, ?, 10000)`,
      ).run(id, number, cashier, at, at, day, kind, customerId);
      // As the completion writes it: every sale with a customer has its purchase entry (points or not).
      if (customerId && kind === 'sale') {
        db.prepare(
          `INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, reason, receipt_id, at, business_day) VALUES (?, ?, 'earn', ?, 10000, 'purchase', ?, ?, ?)`,
        ).run(newId(), customerId, points, id, at, day);
      }
      return id;
    },
    rows(kind) {
      const all = db.prepare('SELECT id FROM sms_outbox ORDER BY id').pluck().all() as string[];
      return all.map((id) => smsRepo(db).byId(id)!).filter((m) => kind === undefined || m.kind === kind);
    },
  };
  return r;
}

function tx<T>(r: Rig, fn: () => T): T {
  return r.db.transaction(fn)();
}

describe('messages after a sale', () => {
  it('points earned and the balance (service consent), once per receipt; only when that message is on and points were earned', () => {
    const r = rig();
    const anna = r.customer({ service: true });
    r.db.prepare('INSERT INTO customer_balances (customer_id, points, spend, seen_through) VALUES (?, 100, 0, 0)').run(anna);
    const receipt = r.sale(anna, '2026-11-22', { points: 12 });
    expect(tx(r, () => pointsEarned(r.t(), receipt))).toBe(1);
    expect(tx(r, () => pointsEarned(r.t(), receipt))).toBe(0);
    expect(r.rows('points')).toEqual([
      expect.objectContaining({ purpose: 'service', text: 'Анна, +12 б. Баланс: 112 б. Лавка', dedupeKey: `points:${receipt}`, state: 'queued' }),
    ]);
    // No points earned, no customer, a return, advertising-only consent, the message switched off: nothing.
    expect(tx(r, () => pointsEarned(r.t(), r.sale(anna, '2026-11-22')))).toBe(0);
    expect(tx(r, () => pointsEarned(r.t(), r.sale(null, '2026-11-22', { points: 5 })))).toBe(0);
    expect(tx(r, () => pointsEarned(r.t(), r.sale(anna, '2026-11-22', { points: 5, kind: 'return' })))).toBe(0);
    const adOnly = r.customer({ advertising: true });
    expect(tx(r, () => pointsEarned(r.t(), r.sale(adOnly, '2026-11-22', { points: 5 })))).toBe(0);
    r.settings = { ...SETTINGS, templates: { ...SETTINGS.templates, points: { ...SETTINGS.templates.points, enabled: false } } };
    expect(tx(r, () => pointsEarned(r.t(), r.sale(anna, '2026-11-22', { points: 5 })))).toBe(0);
    expect(r.rows('points')).toHaveLength(1);
  });

  it('the survey link goes later (the customer has left), once per receipt; not without a link', () => {
    const r = rig();
    const anna = r.customer({ service: true });
    const receipt = r.sale(anna, '2026-11-22');
    expect(tx(r, () => survey(r.t(), receipt))).toBe(1);
    expect(tx(r, () => survey(r.t(), receipt))).toBe(0);
    expect(r.rows('survey')).toEqual([
      expect.objectContaining({ text: 'Оцените покупку: https://example.ru/s', nextAttemptAt: r.clock.now() + 120 * 60_000, dedupeKey: `survey:${receipt}` }),
    ]);
    r.settings = { ...SETTINGS, surveyUrl: '' };
    expect(tx(r, () => survey(r.t(), r.sale(anna, '2026-11-22')))).toBe(0);
  });

  it('smsAfterSale (for checkout) queues both in the sale transaction and kicks the sender after the commit', () => {
    const r = rig();
    const anna = r.customer({ service: true });
    const receipt = r.sale(anna, '2026-11-22', { points: 7 });
    let kicks = 0;
    const after: (() => void)[] = [];
    const deps: SmsAppDeps = {
      settings: () => r.settings,
      saveSettings: () => undefined,
      worker: () => ({ kick: () => void kicks++, wake: () => undefined, balance: () => ({ balance: null, at: null, threshold: 0, low: false, problem: null }) }),
    };
    const ctx = handlerCtx(r.x, 'cashier', after);
    expect(tx(r, () => smsAfterSale(ctx, deps, receipt))).toBe(2);
    expect(kicks).toBe(0);
    for (const fn of after) fn();
    expect(kicks).toBe(1);
    // A broken template (a store edited by hand) never fails the sale: nothing is queued.
    r.settings = { ...SETTINGS, templates: { ...SETTINGS.templates, points: { enabled: true, text: '{nope}' }, survey: { enabled: true, text: '{nope}' } } };
    expect(tx(r, () => smsAfterSale(ctx, deps, r.sale(anna, '2026-11-22', { points: 7 })))).toBe(0);
  });
});

describe('birthday messages', () => {
  it('inside the programme window around the birthday (3 days before to 7 after), with that year\'s coupon, once a year; advertising consent only', () => {
    const r = rig();
    const soon = r.customer({ name: 'Вера', birthday: '1990-11-25', advertising: true }); // 3 days ahead
    const weekAgo = r.customer({ birthday: '1990-11-15', advertising: true }); // 7 days ago
    const tooLate = r.customer({ birthday: '1990-11-14', advertising: true }); // 8 days ago
    const tooEarly = r.customer({ birthday: '1990-11-26', advertising: true }); // 4 days ahead
    r.customer({ birthday: '1990-11-22', service: true }); // today, but no advertising consent
    r.customer({ birthday: null, advertising: true });
    expect(tx(r, () => birthdays(r.t(), '2026-11-22'))).toBe(2);
    const sent = r.rows('birthday');
    expect(sent.map((m) => m.customerId).sort()).toEqual([soon, weekAgo].sort());
    expect(sent.find((m) => m.customerId === soon)).toMatchObject({
      purpose: 'advertising',
      text: `Вера, с днём рождения! Купон ${birthdayCouponCode(soon, 2026)}`,
      dedupeKey: `birthday:${soon}:2026`,
    });
    // The next days of the same window: nothing new. The next day brings the one 4 days ahead.
    expect(tx(r, () => birthdays(r.t(), '2026-11-22'))).toBe(0);
    expect(tx(r, () => birthdays(r.t(), '2026-11-23'))).toBe(1);
    expect(r.rows('birthday').map((m) => m.customerId)).toContain(tooEarly);
    expect(r.rows('birthday').map((m) => m.customerId)).not.toContain(tooLate);
  });

  it('a late-December birthday seen in January belongs to last year; no coupon in the programme means no coupon text', () => {
    const r = rig();
    const dec = r.customer({ birthday: '1985-12-29', advertising: true });
    expect(tx(r, () => birthdays(r.t(), '2027-01-03'))).toBe(1);
    expect(r.rows('birthday')[0]).toMatchObject({ dedupeKey: `birthday:${dec}:2026`, text: expect.stringContaining(birthdayCouponCode(dec, 2026)) });
    r.customer({ birthday: '1985-01-03', advertising: true });
    r.programme = { ...DEFAULT_PROGRAMME, birthday: { ...DEFAULT_PROGRAMME.birthday, coupon: null } };
    expect(tx(r, () => birthdays(r.t(), '2027-01-03'))).toBe(0);
    r.settings = { ...SETTINGS, templates: { ...SETTINGS.templates, birthday: { enabled: true, text: '{name}, с днём рождения!' } } };
    expect(tx(r, () => birthdays(r.t(), '2027-01-03'))).toBe(1);
  });
});

describe('win-back messages', () => {
  it('lapsed against each customer\'s own rhythm, once per lapse; a new purchase starts a new one', () => {
    const r = rig();
    const weekly = r.customer({ name: 'Еженедельная', advertising: true });
    for (const d of ['2026-10-11', '2026-10-18', '2026-10-25', '2026-11-01']) r.sale(weekly, d); // last 21 days ago, usual 7
    const monthly = r.customer({ name: 'Ежемесячная', advertising: true });
    for (const d of ['2026-08-12', '2026-09-11', '2026-10-11']) r.sale(monthly, d); // last 42 days ago, usual 30: 60 needed
    const once = r.customer({ name: 'Однажды', advertising: true });
    r.sale(once, '2026-11-05'); // 17 days ago, one purchase: the 14-day minimum
    const recent = r.customer({ name: 'Недавно', advertising: true });
    r.sale(recent, '2026-11-12'); // 10 days ago
    const noConsent = r.customer({ name: 'Без согласия', service: true });
    r.sale(noConsent, '2026-01-01');
    r.customer({ name: 'Ничего не купила', advertising: true });
    const returned = r.customer({ name: 'Только возврат', advertising: true });
    r.sale(returned, '2026-01-01', { kind: 'return' });

    expect(tx(r, () => winback(r.t(), '2026-11-22'))).toBe(2);
    expect(r.rows('winback').map((m) => [m.customerId, m.dedupeKey]).sort()).toEqual(
      [
        [weekly, `winback:${weekly}:2026-11-01`],
        [once, `winback:${once}:2026-11-05`],
      ].sort(),
    );
    expect(r.rows('winback')[0]).toMatchObject({ purpose: 'advertising', text: expect.stringMatching(/, ждём вас снова! Лавка$/) });
    // Still lapsed the next day: not again.
    expect(tx(r, () => winback(r.t(), '2026-11-23'))).toBe(0);
    // The monthly customer lapses after more than 60 days (2 × 30), the recent one after 14.
    expect(tx(r, () => winback(r.t(), '2026-12-10'))).toBe(1); // recent (28 days); monthly: exactly 60
    expect(tx(r, () => winback(r.t(), '2026-12-11'))).toBe(1); // monthly (61 days)
    // The weekly customer comes back, then lapses again: a new message.
    r.sale(weekly, '2026-12-01');
    expect(tx(r, () => winback(r.t(), '2026-12-11'))).toBe(0);
    expect(tx(r, () => winback(r.t(), '2026-12-25'))).toBe(1);
    expect(r.rows('winback').filter((m) => m.customerId === weekly).map((m) => m.dedupeKey)).toEqual([
      `winback:${weekly}:2026-11-01`,
      `winback:${weekly}:2026-12-01`,
    ]);
  });
});

/** A sender on the rig's store (a provider that takes everything) whose daily run queues the day's messages and notes the day in `days`. */
function dailySender(r: Rig, days: string[], deps: Partial<SmsSenderDeps>): SmsSender {
  const sender = new SmsSender({
    db: r.db,
    repo: smsRepo(r.db),
    clock: r.clock,
    log: { info: () => undefined, error: () => undefined },
    settings: () => r.settings,
    timeZone: () => 'Europe/Moscow',
    provider: () => ({ send: async () => ({ providerId: newId() }), status: async () => 'delivered', balance: async () => 100_000 }),
    daily: (today) => {
      days.push(today);
      const n = daily(r.t(), today);
      return n.birthdays + n.winback;
    },
    ...deps,
  });
  senders.push(sender);
  return sender;
}

describe('the daily run through the sender', () => {
  it('runs once per business day at the store\'s midnight; birthday messages queued at night wait for the morning', async () => {
    const r = rig();
    const vera = r.customer({ name: 'Вера', birthday: '1990-11-26', advertising: true }); // enters the window on the 23rd
    const sent: string[] = [];
    const provider: SmsProvider = {
      send: async (to) => (sent.push(to), { providerId: `p-${sent.length}` }),
      status: async () => 'delivered',
      balance: async () => 100_000,
    };
    const pending = new Map<number, { at: number; fn: () => void }>();
    let seq = 0;
    const timers: Timers = {
      set: (fn, ms) => (pending.set(++seq, { at: r.clock.now() + ms, fn }), seq),
      clear: (h) => void pending.delete(h as number),
    };
    const days: string[] = [];
    const sender = dailySender(r, days, { provider: () => provider, timers, random: () => 0.5 });
    const fireUntil = async (until: number) => {
      for (;;) {
        const next = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > until) return;
        pending.delete(next[0]);
        if (next[1].at > r.clock.now()) r.clock.advance(next[1].at - r.clock.now());
        next[1].fn();
        await sender.idle();
      }
    };
    sender.start();
    await sender.idle();
    expect(days).toEqual(['2026-11-22']);
    expect(r.rows('birthday')).toHaveLength(0);
    const midnight = Date.UTC(2026, 10, 22, 21, 0); // 00:00 on the 23rd in Moscow
    await fireUntil(midnight);
    expect(days).toEqual(['2026-11-22', '2026-11-23']);
    expect(r.rows('birthday')).toEqual([expect.objectContaining({ customerId: vera, state: 'queued', nextAttemptAt: Date.UTC(2026, 10, 23, 6, 0) })]);
    await fireUntil(Date.UTC(2026, 10, 23, 6, 0) - 1);
    expect(sent).toHaveLength(0);
    await fireUntil(Date.UTC(2026, 10, 23, 6, 0));
    expect(r.rows('birthday')[0]).toMatchObject({ state: 'sent', sentAt: Date.UTC(2026, 10, 23, 6, 0) });
    await fireUntil(Date.UTC(2026, 10, 23, 6, 1));
    expect(r.rows('birthday')[0]).toMatchObject({ state: 'delivered' });
    expect(sent).toHaveLength(1);
    expect(days).toEqual(['2026-11-22', '2026-11-23']);
  });

  it('in a chain it runs only when the head office gives it the day: unanswered, it asks again a few minutes on; another till\'s day, it leaves it', async () => {
    const r = rig();
    r.customer({ name: 'Вера', birthday: '1990-11-22', advertising: true });
    const turns: ('mine' | 'other' | 'unknown')[] = ['unknown', 'other', 'mine'];
    const asked: string[] = [];
    const days: string[] = [];
    const sender = dailySender(r, days, {
      dailyTurn: async (today) => (asked.push(today), turns.shift()!),
      timers: { set: () => 0, clear: () => undefined },
      options: { dailyRetryMs: 5 * 60_000 },
    });
    const pass = async () => {
      sender.kick();
      await sender.idle();
    };
    await pass();
    // No answer: nothing queued, and not asked again before five minutes have passed.
    expect(days).toEqual([]);
    await pass();
    expect(asked).toHaveLength(1);
    r.clock.advance(5 * 60_000);
    await pass();
    // Another till's day: left to it, and not asked again today.
    expect(asked).toHaveLength(2);
    r.clock.advance(60 * 60_000);
    await pass();
    expect(asked).toHaveLength(2);
    expect(days).toEqual([]);
    expect(r.rows('birthday')).toHaveLength(0);
    // The next day is this till's: it runs.
    r.clock.advance(24 * 3_600_000);
    await pass();
    expect(asked).toHaveLength(3);
    expect(days).toHaveLength(1);
  });

  it('a till that cannot send (no provider key) does not take the day from one that can', async () => {
    const r = rig();
    const asked: string[] = [];
    const days: string[] = [];
    const sender = dailySender(r, days, { provider: () => null, dailyTurn: async (today) => (asked.push(today), 'mine'), timers: { set: () => 0, clear: () => undefined } });
    sender.kick();
    await sender.idle();
    expect(asked).toEqual([]);
    expect(days).toEqual([]);
  });
});

// ---- campaigns through the handlers

function harness(r: Rig) {
  let kicks = 0;
  const call = smsCaller(r.x, {
    settings: () => r.settings,
    saveSettings: () => undefined,
    worker: () => ({ kick: () => void kicks++, wake: () => undefined, balance: () => ({ balance: null, at: null, threshold: 0, low: false, problem: null }) }),
  });
  return { call, kicks: () => kicks };
}

function refusal(fn: () => unknown): { code: string; details: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('campaigns', () => {
  it('a preview counts and lists (phones masked) without queueing; sending queues one per recipient with consent and records the campaign', () => {
    const r = rig();
    const { call, kicks } = harness(r);
    const anna = r.customer({ name: 'Анна', advertising: true });
    const boris = r.customer({ name: 'Борис', advertising: true, birthday: '1980-11-03' });
    const vera = r.customer({ name: null, advertising: true });
    r.customer({ name: 'Галина', service: true });
    const erased = r.customer({ name: 'Дмитрий', advertising: true });
    r.db.prepare('UPDATE customers SET erased_at = ?, phone = NULL, name = NULL, name_key = NULL WHERE id = ?').run(r.clock.now(), erased);

    const preview = call('manager', 'sms.campaignPreview', { audience: {}, text: '{name|Друзья}, у нас распродажа! {store}' });
    expect(preview.count).toBe(3);
    expect(preview.sample.map((s) => s.customerId)).toEqual([anna, boris, vera]);
    expect(preview.sample[0]).toEqual({ customerId: anna, name: 'Анна', phone: expect.stringMatching(/^\+7 916 \*\*\*-\*\*-\d\d$/) });
    expect(preview.preview).toMatchObject({ text: 'Анна, у нас распродажа! Лавка', fits: true });
    expect(r.x.rows('sms_outbox')).toBe(0);
    expect(r.x.rows('sms_campaigns')).toBe(0);

    const sent = call('manager', 'sms.campaignSend', { name: 'Распродажа', text: '{name|Друзья}, у нас распродажа! {store}', audience: {} });
    expect(sent).toMatchObject({ recipients: 3, refused: {} });
    expect(kicks()).toBe(1);
    expect(r.rows('campaign').map((m) => [m.customerId, m.text, m.campaignId, m.purpose])).toEqual([
      [anna, 'Анна, у нас распродажа! Лавка', sent.campaignId, 'advertising'],
      [boris, 'Борис, у нас распродажа! Лавка', sent.campaignId, 'advertising'],
      [vera, 'Друзья, у нас распродажа! Лавка', sent.campaignId, 'advertising'],
    ]);
    expect(r.db.prepare('SELECT name, recipients, sent_at AS sentAt, created_by AS createdBy, audience FROM sms_campaigns').get()).toEqual({
      name: 'Распродажа',
      recipients: 3,
      sentAt: r.clock.now(),
      createdBy: r.x.userId('manager'),
      audience: JSON.stringify({ lapsed: false, birthdayThisMonth: false, minSpend: null }),
    });
    expect((call('cashier', 'sms.log', { campaignId: sent.campaignId })).items).toHaveLength(3);

    // Narrowed: birthday this month; cumulative spend; lapsed.
    expect(call('manager', 'sms.campaignPreview', { audience: { birthdayThisMonth: true } }).sample.map((s) => s.customerId)).toEqual([boris]);
    r.db.prepare('INSERT INTO customer_balances (customer_id, points, spend, seen_through) VALUES (?, 0, 500000, 0)').run(anna);
    r.sale(vera, '2026-11-20', { points: 1 }); // spend 10 000 from the ledger
    expect(call('manager', 'sms.campaignPreview', { audience: { minSpend: 10_000 } }).sample.map((s) => s.customerId)).toEqual([anna, vera]);
    expect(call('manager', 'sms.campaignPreview', { audience: { minSpend: 100_000 } }).count).toBe(1);
    r.sale(boris, '2026-09-01');
    expect(call('manager', 'sms.campaignPreview', { audience: { lapsed: true } }).sample.map((s) => s.customerId)).toEqual([boris]);
  });

  it('refused: for cashiers, with SMS off, with an unknown placeholder; a text too long for one recipient is counted, not sent', () => {
    const r = rig();
    const { call } = harness(r);
    r.customer({ name: 'Анна', advertising: true });
    r.customer({ name: 'Ж'.repeat(150), advertising: true });
    expect(refusal(() => call('cashier', 'sms.campaignPreview', { audience: {} }))).toMatchObject({ code: 'forbidden' });
    expect(refusal(() => call('manager', 'sms.campaignSend', { name: 'x', text: 'Привет {coupon}', audience: {} }))).toMatchObject({
      code: 'template_invalid',
      details: { unknown: 'coupon' },
    });
    expect(r.x.rows('sms_campaigns')).toBe(0);
    r.settings = { ...SETTINGS, maxSegments: 1 };
    expect(call('manager', 'sms.campaignSend', { name: 'x', text: '{name}, скидки!', audience: {} })).toMatchObject({ recipients: 1, refused: { too_long: 1 } });
    r.settings = { ...SETTINGS, enabled: false };
    expect(refusal(() => call('manager', 'sms.campaignSend', { name: 'x', text: 'Скидки!', audience: {} }))).toMatchObject({
      code: 'validation',
      details: { reason: 'disabled' },
    });
  });
});
