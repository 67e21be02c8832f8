import { businessDay, type Clock } from '../../src-common/clock.js';
import type { SmsBalance, SmsSettings, SmsState } from '../../src-common/sms-schemas.js';
import type { EpochMs } from '../../src-common/units.js';
import type { Db } from '../db/open.js';
import { NEVER, type SmsRow, type SmsRepo } from '../db/repos/sms.js';
import type { Logger } from '../rpc/dispatcher.js';
import { backoffDelay, type BackoffPolicy } from '../sync/backoff.js';
import { refusalFor } from './outbox.js';
import { SmsProviderError, SmsRuProvider, type SmsErrorCode, type SmsProvider } from './provider.js';

/** Timers the sender arms (tests pass ones driven by their clock). */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Something the owner must hear about (the app publishes it; the SMS screen shows it). */
export type SmsAlert =
  | { kind: 'low_balance'; balance: number; threshold: number }
  /** The account refuses everything until the owner acts: a wrong key, a sender not approved, no money. */
  | { kind: 'account'; code: SmsErrorCode; message: string };

export interface SmsSenderOptions {
  /** Tries that got an answer (an offline one does not count) before a message fails for good. */
  maxAttempts: number;
  /** Between tries of one message the provider refused for now (rate limit, unavailable, unreadable answer). */
  retry: BackoffPolicy;
  /** Between looks at the provider while the till is offline (nothing is sent meanwhile). */
  offline: BackoffPolicy;
  balanceEveryMs: number;
  /** How soon to ask again whose turn the day's messages are, when the head office did not answer. */
  dailyRetryMs: number;
  /** A sent message's delivery is asked about for this long, then left as sent. */
  followForMs: number;
  pollMinMs: number;
  pollMaxMs: number;
}

export const DEFAULT_SENDER_OPTIONS: SmsSenderOptions = {
  maxAttempts: 8,
  retry: { baseMs: 30_000, maxMs: 3_600_000, minMs: 10_000 },
  offline: { baseMs: 15_000, maxMs: 15 * 60_000, minMs: 5_000 },
  balanceEveryMs: 3_600_000,
  dailyRetryMs: 5 * 60_000,
  followForMs: 72 * 3_600_000,
  pollMinMs: 30_000,
  pollMaxMs: 3_600_000,
};

export interface SmsSenderDeps {
  db: Db;
  repo: SmsRepo;
  clock: Clock;
  log: Logger;
  /** Read on every pass: a save takes effect at the next `wake()`. */
  settings(): SmsSettings;
  /** The store's time zone (`timeZone`): quiet hours and the business day. */
  timeZone(): string;
  /** The provider for the settings now (SmsProviders.current); null: none usable (no key). */
  provider(): SmsProvider | null;
  /** A message changed state (after the write commits). */
  changed?(id: string, state: SmsState): void;
  alert?(a: SmsAlert): void;
  /**
   * Once per business day (and at start): queue the day's messages (triggers.daily) and return how
   * many. Called inside a transaction the sender opens.
   */
  daily?(today: string): number;
  /**
   * Whether this till sends `today`'s scheduled messages for the chain (SyncService.smsDailyTurn);
   * absent: always. `unknown` (the head office did not answer) is asked again after `dailyRetryMs`.
   */
  dailyTurn?(today: string): Promise<'mine' | 'other' | 'unknown'>;
  timers?: Timers;
  /** [0, 1) for the back-off jitter. */
  random?: () => number;
  options?: Partial<SmsSenderOptions>;
}

/** Errors about the account, not the message: every other message would meet them too. */
const ACCOUNT_PROBLEMS = new Set<SmsErrorCode>(['bad_auth', 'bad_sender', 'no_balance']);

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** Local hour, minute and second of an instant in a time zone. */
function localTime(at: number, timeZone: string): { h: number; m: number; s: number } {
  let f = partsFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partsFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { h: Number(p.hour) % 24, m: Number(p.minute), s: Number(p.second) };
}

/** Milliseconds from `at` to the next local `hour`:00:00 (a whole day when it is that instant now). */
function msUntilLocalHour(at: number, timeZone: string, hour: number): number {
  const t = localTime(at, timeZone);
  const secondsNow = t.h * 3600 + t.m * 60 + t.s;
  let seconds = (((hour * 3600 - secondsNow) % 86_400) + 86_400) % 86_400;
  if (seconds === 0) seconds = 86_400;
  return seconds * 1000 - (((at % 1000) + 1000) % 1000);
}

/**
 * When the quiet hours around `at` end, or null when `at` is not in them. Hours in the store's time
 * zone; `from` > `to` spans midnight (21 → 9); equal hours mean no quiet hours. (Computed as
 * a wall-clock distance: on a daylight-saving change the end may be an hour off, and a message
 * sent then is only looked at again.)
 */
export function quietUntil(at: number, timeZone: string, q: { from: number; to: number }): EpochMs | null {
  if (q.from === q.to) return null;
  const { h } = localTime(at, timeZone);
  const quiet = q.from < q.to ? h >= q.from && h < q.to : h >= q.from || h < q.to;
  return quiet ? ((at + msUntilLocalHour(at, timeZone, q.to)) as EpochMs) : null;
}

/**
 * The SMS outbox worker. One message at a time: oldest due first, marked `sending`, handed to the
 * provider, then `sent` with the provider's id (and its delivery asked about with back-off until
 * `delivered` or `failed`, for at most three days).
 *
 * - A refusal for now (rate limit, unavailable, unreadable answer) tries the message again with
 *   exponential back-off, up to `maxAttempts`, then `failed`. A refusal for good (bad number,
 *   blocked, too long) fails it at once with the provider's code.
 * - An account problem (wrong key, sender not approved, no money) fails that message and holds the
 *   rest: they wait until the settings change or `wake()` (a retry from the log), or, for no money,
 *   until the balance goes up; the owner is alerted.
 * - Offline (no answer): the message goes back unchanged (not counted as a try) and nothing is
 *   sent until the back-off ends; messages wait as long as it takes, in the database.
 * - Advertising due in quiet hours waits until they end; service messages go at any hour.
 * - Before sending, the customer is looked at again: erased, or the consent withdrawn since the
 *   message was queued, cancels it.
 * - A crash (or a stop) while a message is being handed over leaves it `sending`; `start()` queues
 *   it again. The provider may have taken it before the crash, so the customer may get it twice:
 *   chosen over losing it, because the provider offers no idempotency key to ask with and the
 *   window is one HTTP request. (The log shows such a message with `interrupted`.)
 *
 * The balance is read every `balanceEveryMs`; crossing below the alert threshold raises one
 * `low_balance` alert (again only after it has been above). `kick()` after a commit that queued
 * messages; `wake()` after a settings save (it also ends a hold or an offline wait).
 */
export class SmsSender {
  private readonly o: SmsSenderOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private stopped = false;
  private offlineFailures = 0;
  private pausedUntil = 0;
  /**
   * After an account problem nothing is sent until the settings change or `wake()`; after
   * `no_balance` also until a balance read shows more money than the first read after it.
   */
  private held: { code: SmsErrorCode; settings: string; balance: number | null } | null = null;
  private problem: { code: SmsErrorCode; message: string; at: number } | null = null;
  private nextBalanceAt = 0;
  private lastBalance: { balance: number; at: number } | null = null;
  private lowAlerted = false;
  private lastDailyDay: string | null = null;
  /** When to ask again whose turn the day is (the head office did not answer); 0: not waiting. */
  private dailyRetryAt = 0;

  constructor(private readonly d: SmsSenderDeps) {
    this.o = { ...DEFAULT_SENDER_OPTIONS, ...d.options };
    this.timers = d.timers ?? realTimers;
    this.random = d.random ?? Math.random;
  }

  /** At start-up: messages a crash caught mid-hand-over go back in the queue; then work. */
  start(): void {
    const n = this.d.db.transaction(() => this.d.repo.recoverSending(this.now()))();
    if (n > 0) this.d.log.info('sms interrupted by a restart are queued again', { messages: n });
    this.kick();
  }

  /** Look for due work soon; asks during a pass coalesce into one more pass. An offline wait or a hold is kept. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Try now whatever waits (an offline back-off, a hold after an account problem, the balance). */
  wake(): void {
    this.pausedUntil = 0;
    this.held = null;
    this.nextBalanceAt = 0;
    this.kick();
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** The balance as last read, and the account problem in force (for `sms.balance`). */
  balance(): SmsBalance {
    const threshold = this.d.settings().lowBalanceAlert;
    const b = this.lastBalance;
    return {
      balance: b?.balance ?? null,
      at: b?.at ?? null,
      threshold,
      low: b !== null && threshold > 0 && b.balance < threshold,
      problem: this.problem,
    };
  }

  private now(): EpochMs {
    return this.d.clock.now();
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private async pass(): Promise<void> {
    // Yield first: the command that kicked us answers its caller before any network.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.stopped) return;
    this.clearTimer();
    try {
      await this.work();
    } catch (e) {
      this.d.log.error('sms sender pass failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.schedule();
    }
  }

  private async work(): Promise<void> {
    const s = this.d.settings();
    if (!s.enabled) return;
    const provider = this.d.provider();
    // Only a till that can send asks for the day's messages (in a chain, the first to ask becomes the sender).
    if (!provider) return;
    if (s.dailyTriggers) await this.runDaily();
    if (this.now() >= this.nextBalanceAt && this.now() >= this.pausedUntil) await this.checkBalance(provider);
    while (!this.stopped && this.d.db.open && !this.waiting(this.d.settings())) {
      const m = this.d.repo.nextDue(this.now());
      if (!m) break;
      await this.sendOne(provider, m, this.d.settings());
    }
    while (!this.stopped && this.d.db.open && !this.waiting(this.d.settings())) {
      const m = this.d.repo.nextPoll(this.now());
      if (!m) break;
      await this.pollOne(provider, m);
    }
  }

  /** Offline, or held after an account problem: nothing goes to the provider now. */
  private waiting(s: SmsSettings): boolean {
    const now = this.now();
    if (now < this.pausedUntil) return true;
    if (this.held) {
      if (JSON.stringify(s) === this.held.settings) return true;
      this.held = null;
    }
    return false;
  }

  private async runDaily(): Promise<void> {
    if (!this.d.daily) return;
    const today = businessDay(this.now(), this.d.timeZone());
    if (today === this.lastDailyDay || this.now() < this.dailyRetryAt) return;
    const turn = this.d.dailyTurn ? await this.d.dailyTurn(today) : 'mine';
    if (this.stopped || !this.d.db.open) return;
    this.dailyRetryAt = turn === 'unknown' ? this.now() + this.o.dailyRetryMs : 0;
    if (turn === 'unknown') return;
    if (turn === 'other') {
      this.lastDailyDay = today;
      this.d.log.info('another till sends the day\'s sms', { day: today });
      return;
    }
    try {
      const n = this.d.db.transaction(() => this.d.daily!(today))();
      this.lastDailyDay = today;
      if (n > 0) this.d.log.info('daily sms queued', { day: today, messages: n });
    } catch (e) {
      this.d.log.error('daily sms failed', { day: today, error: e instanceof Error ? e.message : String(e) });
      this.lastDailyDay = today;
    }
  }

  /**
   * Write after an await: only while the store is open (a stop closes it; the message stays as it
   * was and the restart recovers it). A failed write ends the pass (the timer tries again).
   */
  private write(fn: () => void, id: string, state: SmsState | null): void {
    if (!this.d.db.open) return;
    try {
      this.d.db.transaction(fn)();
    } catch (e) {
      this.d.log.error('sms state could not be written', { id, error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    if (state !== null) this.d.changed?.(id, state);
  }

  private async sendOne(provider: SmsProvider, m: SmsRow, s: SmsSettings): Promise<void> {
    const repo = this.d.repo;
    const now = this.now();
    if (m.purpose === 'advertising') {
      const until = quietUntil(now, this.d.timeZone(), s.quietHours);
      if (until !== null) {
        this.d.db.transaction(() => repo.defer(m.id, until))();
        return;
      }
    }
    const refused = m.customerId === null ? null : refusalFor(repo.customer(m.customerId), m.purpose);
    if (refused !== null || m.phone === null) {
      const why = refused ?? 'no_phone';
      this.write(() => repo.markCancelled(m.id, why, `not sent: ${why.replace('_', ' ')} since it was queued`), m.id, 'cancelled');
      return;
    }
    if (!this.d.db.transaction(() => repo.markSending(m.id))()) return;
    this.d.changed?.(m.id, 'sending');
    let providerId: string;
    try {
      ({ providerId } = await provider.send(m.phone, m.text, s.sender));
    } catch (e) {
      this.sendFailed(m, e instanceof SmsProviderError ? e : new SmsProviderError('bad_response', e instanceof Error ? e.message : String(e)));
      return;
    }
    this.offlineFailures = 0;
    this.problem = null;
    const at = this.now();
    this.write(() => repo.markSent(m.id, providerId, at, at + this.o.pollMinMs), m.id, 'sent');
  }

  private sendFailed(m: SmsRow, e: SmsProviderError): void {
    const repo = this.d.repo;
    const now = this.now();
    if (e.code === 'network') {
      // The till is offline: the message waits as it was (not counted), and so does everything else.
      this.goOffline(now);
      this.write(() => repo.requeue(m.id, this.pausedUntil, false, e.code, e.message), m.id, 'queued');
      return;
    }
    this.offlineFailures = 0;
    if (ACCOUNT_PROBLEMS.has(e.code)) {
      this.write(() => repo.markFailed(m.id, true, e.code, e.message), m.id, 'failed');
      this.accountProblem(e);
      return;
    }
    const attempts = m.attempts + 1;
    if (e.retryable && attempts < this.o.maxAttempts) {
      const at = now + backoffDelay(attempts, this.o.retry, this.random);
      this.write(() => repo.requeue(m.id, at, true, e.code, e.message), m.id, 'queued');
      return;
    }
    this.d.log.error('sms failed', { id: m.id, code: e.code, attempts });
    this.write(() => repo.markFailed(m.id, true, e.code, e.message), m.id, 'failed');
  }

  private goOffline(now: number): void {
    this.offlineFailures++;
    this.pausedUntil = now + backoffDelay(this.offlineFailures, this.o.offline, this.random);
  }

  private accountProblem(e: SmsProviderError): void {
    this.problem = { code: e.code, message: e.message, at: this.now() };
    this.held = { code: e.code, settings: JSON.stringify(this.d.settings()), balance: null };
    // Out of money: read the balance soon, to see later whether it was topped up.
    if (e.code === 'no_balance') this.nextBalanceAt = this.now();
    this.d.log.error('sms account problem: sending held', { code: e.code, message: e.message });
    this.d.alert?.({ kind: 'account', code: e.code, message: e.message });
  }

  /** How long until the next delivery question: half the message's age, within the bounds. */
  private pollDelay(age: number): number {
    return Math.min(this.o.pollMaxMs, Math.max(this.o.pollMinMs, Math.floor(age / 2)));
  }

  private async pollOne(provider: SmsProvider, m: SmsRow): Promise<void> {
    const repo = this.d.repo;
    const age = this.now() - (m.sentAt ?? this.now());
    if (age > this.o.followForMs) {
      // Never heard of it again: it stays `sent` (the operator's word is what is missing).
      this.d.db.transaction(() => repo.defer(m.id, NEVER))();
      return;
    }
    try {
      const status = await provider.status(m.providerId as string);
      this.offlineFailures = 0;
      const now = this.now();
      if (status === 'delivered') this.write(() => repo.markDelivered(m.id, now), m.id, 'delivered');
      else if (status === 'failed') this.write(() => repo.markUndelivered(m.id, 'the operator could not deliver it'), m.id, 'failed');
      else this.write(() => repo.defer(m.id, now + this.pollDelay(now - (m.sentAt ?? now))), m.id, null);
    } catch (e) {
      const err = e instanceof SmsProviderError ? e : new SmsProviderError('bad_response', String(e));
      const now = this.now();
      if (err.code === 'network') this.goOffline(now);
      else if (ACCOUNT_PROBLEMS.has(err.code)) this.accountProblem(err);
      const at = Math.max(this.pausedUntil, now + this.pollDelay(age));
      this.write(() => repo.defer(m.id, at), m.id, null);
    }
  }

  private async checkBalance(provider: SmsProvider): Promise<void> {
    this.nextBalanceAt = this.now() + this.o.balanceEveryMs;
    let balance: number;
    try {
      balance = await provider.balance();
    } catch (e) {
      const err = e instanceof SmsProviderError ? e : new SmsProviderError('bad_response', String(e));
      if (err.code === 'network') this.goOffline(this.now());
      else if (ACCOUNT_PROBLEMS.has(err.code)) this.accountProblem(err);
      else this.d.log.error('sms balance could not be read', { code: err.code, message: err.message });
      return;
    }
    this.offlineFailures = 0;
    this.lastBalance = { balance, at: this.now() };
    if (this.held?.code === 'no_balance') {
      if (this.held.balance === null) this.held.balance = balance;
      else if (balance > this.held.balance) this.held = null;
    }
    const threshold = this.d.settings().lowBalanceAlert;
    const low = threshold > 0 && balance < threshold;
    if (low && !this.lowAlerted) {
      this.d.log.error('sms balance is low', { balance, threshold });
      this.d.alert?.({ kind: 'low_balance', balance, threshold });
    }
    this.lowAlerted = low;
  }

  /** Arm the one timer for the earliest of: a message due, the balance read, the next business day. */
  private schedule(): void {
    if (this.stopped || !this.d.db.open) return;
    this.clearTimer();
    try {
      this.arm();
    } catch (e) {
      this.d.log.error('sms sender could not schedule', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private arm(): void {
    const s = this.d.settings();
    if (!s.enabled) return; // a save that turns SMS on calls wake()
    const now = this.now();
    const wakes: number[] = [];
    if (this.d.daily && s.dailyTriggers) wakes.push(this.dailyRetryAt > now ? this.dailyRetryAt : now + msUntilLocalHour(now, this.d.timeZone(), 0));
    if (this.d.provider()) {
      const due = this.d.repo.earliest();
      if (due !== null && !this.held) wakes.push(Math.max(due, this.pausedUntil));
      wakes.push(Math.max(this.nextBalanceAt, this.pausedUntil));
    }
    if (wakes.length === 0) return;
    // At least a second (never a busy loop), at most an hour (a clock that jumps is caught up with).
    const delay = Math.min(3_600_000, Math.max(1_000, Math.min(...wakes) - now));
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.kick();
    }, delay);
  }
}

/** The key the emulated provider is started with (browser-mode demo, tests). */
export const EMULATOR_API_KEY = 'lavka-emulator';

/**
 * The provider for the settings as they are now, built again only when they change. SMS.ru needs
 * its key; the emulator needs its address (the host starts one in demo mode).
 */
export class SmsProviders {
  private cached: { key: string; provider: SmsProvider | null } | null = null;

  constructor(
    private readonly o: { emulatorUrl: () => string | null; smsRuUrl?: string; timeoutMs?: number; fetch?: typeof fetch },
  ) {}

  current(s: SmsSettings): SmsProvider | null {
    const baseUrl = s.provider === 'emulator' ? this.o.emulatorUrl() : (this.o.smsRuUrl ?? 'https://sms.ru');
    const apiId = s.provider === 'emulator' ? EMULATOR_API_KEY : s.apiKey;
    const key = JSON.stringify([s.provider, baseUrl, apiId]);
    if (this.cached?.key !== key) {
      const usable = baseUrl !== null && apiId !== '';
      this.cached = {
        key,
        provider: usable
          ? new SmsRuProvider({ baseUrl, apiId, timeoutMs: this.o.timeoutMs ?? 10_000, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) })
          : null,
      };
    }
    return this.cached.provider;
  }
}
