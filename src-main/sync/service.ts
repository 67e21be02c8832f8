import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src-common/clock.js';
import { SYNC_PROBLEMS, type SyncProblem, type SyncStatusView } from '../../src-common/rpc/schemas.js';
import { CustomerBalanceResponseSchema, SmsDailyTurnResponseSchema, type CustomerBalanceResponse } from '../../src-common/sync/loyalty.js';
import { MAX_BODY_BYTES, SYNC_CHANNELS, type PushEvent, type PushResponse, type SyncChannel } from '../../src-common/sync/protocol.js';
import type { EpochMs } from '../../src-common/units.js';
import type { Db } from '../db/open.js';
import type { AuditRepo, OutboxEvent, OutboxRepo } from '../db/repos/ledger.js';
import type { SyncHalt, SyncStateRepo, SyncStateRow } from '../db/repos/sync-state.js';
import type { Logger } from '../rpc/dispatcher.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { SyncRequestError, type SyncClient } from './client.js';
import { CatalogPuller, FeedGone, loyaltyOnly, usable, type PullProgress } from './catalog-pull.js';
import type { CatalogStore } from './catalog-store.js';
import type { CredentialStore } from './credentials.js';

export interface SyncOptions {
  /** Events per push (the protocol allows up to 500; a batch also stays under half the server's body limit). */
  batchSize: number;
  backoff: BackoffPolicy;
  /** A commit's kick waits this long, so a burst of sales goes out in one push. */
  kickDelayMs: number;
  /** `sync.state` goes out at most this often. */
  publishIntervalMs: number;
  random: () => number;
  /** The till's version, told to the head office at enrollment. */
  appVersion: string;
  /** How often an idle till asks the head office for catalog and price changes. */
  pullIntervalMs: number;
  /** How long a customer's balance is waited for from the head office. */
  confirmTimeoutMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  batchSize: 200,
  backoff: DEFAULT_BACKOFF,
  kickDelayMs: 200,
  publishIntervalMs: 250,
  random: Math.random,
  appVersion: '0.0.0',
  pullIntervalMs: 30_000,
  confirmTimeoutMs: 2_500,
};

export interface SyncServiceDeps {
  db: Db;
  outbox: OutboxRepo;
  state: SyncStateRepo;
  audit: AuditRepo;
  /** The till's name as the owner set it (proposed to the head office at enrollment). */
  tillName(): string;
  /** Settings the head office has set here (shown on the head-office panel). */
  managedSettings?(): string[];
  clock: Clock;
  log: Logger;
  client: SyncClient;
  credentials: CredentialStore;
  publish(status: SyncStatusView): void;
  /** The head office's catalog and prices on this till (downstream); absent: upstream only. */
  catalog?: CatalogStore;
  /** The head office answered with a customer's balance (kept, with when, in a transaction of its own). */
  customerConfirmed?(answer: CustomerBalanceResponse): void;
  /** The head office holds this till's loyalty entries up to this number (inside the reconcile's transaction). */
  ledgerFloor?(n: number): void;
  options?: Partial<SyncOptions>;
}

/** Why the till starts a new epoch (see startEpoch). */
type EpochReason = 'restored' | 'conflict' | 'reenrolled' | 'resend_impossible';

/** A failure of the till's own making or finding (not an HTTP answer). */
class SyncStop extends Error {
  constructor(
    readonly code: 'credential_missing' | 'no_progress',
    message: string,
  ) {
    super(message);
  }
}

const NETWORK_PROBLEMS = new Set<string>(['unreachable', 'timeout', 'tls', 'server_error']);

function toWire(e: OutboxEvent): PushEvent {
  return { seq: e.channelSeq, id: e.id, type: e.type, v: e.v, payload: e.payload, hash: e.hash, createdAt: e.createdAt };
}

function problemOf(e: unknown): SyncProblem {
  if (e instanceof SyncRequestError) return { code: e.code, message: e.message.slice(0, 300) };
  if (e instanceof SyncStop) return { code: e.code, message: e.message };
  return { code: 'internal', message: 'internal error' };
}

/**
 * Sends the outbox to the head office in the background. Nothing on the sale path waits for it: a
 * command appends to the outbox in its own transaction and, after commit, only `kick()`s this
 * service, which sets a timer. Per channel, the oldest events not yet acked go out in batches in
 * their sequence; what the head office acks is marked in one transaction with the answer.
 *
 * - No network, a 5xx, a timeout: exponential back-off with full jitter, reset by the next answer.
 *   A request that timed out may have been applied: sending it again is safe, the head office
 *   answers `duplicate` for an event id it already holds.
 * - `expected` (the head office is missing events before the batch): send again from there, acked
 *   rows included.
 * - 401 (revoked, unauthenticated): stop until enrolled again. 426: stop until the till is updated
 *   (or "sync now"); selling and queueing go on in both cases.
 * - `conflict` — see settle(): the event is never sent again as it is.
 * - Restored from an old backup — see reconcile() and startEpoch().
 */
export class SyncService {
  private readonly opts: SyncOptions;
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerDue = 0;
  /** The timer is a back-off after failures (a commit's kick does not cut it short; "sync now" does). */
  private backingOff = false;
  private failures = 0;
  private nextAttemptAt: number | null = null;
  private batchLimit: number;
  /** Ask the head office where it is before pushing (on start and after enrollment). */
  private needCursors = true;
  /** A new epoch is due (decided while pushing; done with the head office's epochs known). */
  private pendingEpoch: EpochReason | null = null;
  /** Per channel: send from this number (acked rows too) because the head office lacks them. */
  private readonly resendFrom = new Map<SyncChannel, number>();
  private readonly abort = new AbortController();
  private enrollment: SyncStatusView['enrollment'] = { state: 'idle', url: null, error: null };
  private enrollAbort: AbortController | null = null;
  private readonly enrollRequestIds = new Map<string, string>();
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPublished = 0;
  private lastLogged: string | null = null;
  /** Bumped by each enrollment: the outcome of a push sent with the credential before it is ignored. */
  private generation = 0;
  /** A catalog snapshot being loaded (first load, or after `resnapshot`), for the status. */
  private catalogLoad: PullProgress | null = null;
  /** When the feeds were last pulled to their end (monotonic: a pull interval is elapsed time, not the business clock). */
  private lastPullAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: SyncServiceDeps) {
    this.opts = { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
    this.batchLimit = this.opts.batchSize;
  }

  /** Begin: a till stopped only for an old protocol tries again (this build may be newer). */
  start(): void {
    const st = this.deps.state.get();
    if (st.halted === 'update_required') this.deps.db.transaction(() => this.deps.state.setHalted(null))();
    if (st.enrolledAt !== null) this.schedule(0);
  }

  /** After a commit that appended to the outbox: push soon, unless waiting out a back-off. */
  kick(): void {
    if (this.stopped) return;
    // A till with no head office has no badge to update: no status read per sale.
    if (this.deps.state.get().enrolledAt === null) return;
    this.changed();
    if (this.backingOff) return;
    this.schedule(this.opts.kickDelayMs);
  }

  /** "Sync now": try at once, whatever stopped it (a halt, a back-off). */
  now(): void {
    if (this.stopped) return;
    if (this.deps.state.get().halted !== null) this.deps.db.transaction(() => this.deps.state.setHalted(null))();
    this.clearTimer();
    this.needCursors = true;
    this.schedule(0);
    this.changed();
  }

  /**
   * Enroll with a one-time code (the URL already checked). Runs after the command that asked for it
   * committed; the outcome is published as `sync.state` (enrollment pending, failed with a reason,
   * or enrolled). A newer request replaces one still under way.
   */
  enroll(url: string, code: string, userId: number | null): void {
    if (this.stopped) return;
    this.enrollAbort?.abort();
    const controller = new AbortController();
    this.enrollAbort = controller;
    this.enrollment = { state: 'pending', url, error: null };
    this.changed();
    void this.runEnroll(url, code, userId, controller);
  }

  /**
   * Ask the head office for a customer's balance now, briefly (a customer at the till does not
   * wait for it): the answer makes spending their points "online" for a while, without the offline
   * cap. No answer changes nothing: the cap applies.
   */
  confirmCustomer(customerId: string): Promise<boolean> {
    const st = this.deps.state.get();
    const credential = st.serverUrl !== null && st.enrolledAt !== null && !this.stopped ? this.deps.credentials.read() : null;
    if (st.serverUrl === null || credential === null) return Promise.resolve(false);
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.confirmTimeoutMs)]);
    return this.deps.client
      .get(st.serverUrl, credential, `/v1/customers/${encodeURIComponent(customerId)}`, signal)
      .then((body) => {
        const answer = CustomerBalanceResponseSchema.parse(body);
        if (this.stopped) return false;
        this.deps.customerConfirmed?.(answer);
        return true;
      })
      .catch((e: unknown) => {
        this.deps.log.info('the head office did not confirm a customer balance', { customerId, error: e instanceof Error ? e.message : String(e) });
        return false;
      });
  }

  /**
   * Whether this till sends `day`'s scheduled SMS for the chain (the head office keeps them with one
   * till, src-server/sms.ts): `mine` also for a till on its own (not enrolled); `unknown` when the
   * head office did not answer, to be asked again later (sending them from every till instead
   * would give each customer one message per till).
   */
  smsDailyTurn(day: string): Promise<'mine' | 'other' | 'unknown'> {
    const st = this.deps.state.get();
    if (st.serverUrl === null || st.enrolledAt === null) return Promise.resolve('mine');
    const credential = this.stopped ? null : this.deps.credentials.read();
    if (credential === null) return Promise.resolve('unknown');
    return this.deps.client.post(st.serverUrl, credential, '/v1/sms/daily-turn', { day }, SmsDailyTurnResponseSchema, this.abort.signal).then(
      (answer) => (answer.mine ? 'mine' : 'other'),
      (e: unknown) => {
        this.deps.log.info('the head office did not say which till sends the day\'s SMS', { day, error: e instanceof Error ? e.message : String(e) });
        return 'unknown' as const;
      },
    );
  }

  /** Resolves once no push is under way (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    this.abort.abort();
    this.enrollAbort?.abort();
  }

  status(): SyncStatusView {
    const st = this.deps.state.get();
    const queued = this.deps.outbox.queued();
    const channels = SYNC_CHANNELS.map((channel) => ({ channel, queued: queued.find((q) => q.channel === channel)?.queued ?? 0 }));
    const lastError =
      st.lastErrorCode !== null && st.lastErrorAt !== null
        ? { code: knownProblem(st.lastErrorCode), message: st.lastErrorMessage ?? '', at: st.lastErrorAt }
        : null;
    const offline = lastError !== null && NETWORK_PROBLEMS.has(lastError.code);
    return {
      enrolled: st.enrolledAt !== null,
      serverUrl: st.serverUrl,
      storeName: st.storeName,
      tillName: st.tillName,
      enrolledAt: st.enrolledAt,
      connection: offline ? 'offline' : st.lastSuccessAt !== null || lastError !== null ? 'online' : 'never',
      halted: st.halted,
      enrollment: this.enrollment,
      queued: { total: channels.reduce((n, c) => n + c.queued, 0), channels },
      lastAttemptAt: st.lastAttemptAt,
      lastSuccessAt: st.lastSuccessAt,
      lastError,
      nextAttemptAt: this.backingOff ? this.nextAttemptAt : null,
      clockOffsetMs: st.clockOffsetMs,
      epoch: st.epoch,
      conflicts: this.deps.outbox.conflicts(),
      managedSettings: this.deps.managedSettings?.() ?? [],
      catalog: this.catalogStatus(),
    };
  }

  private catalogStatus(): SyncStatusView['catalog'] {
    const catalog = this.deps.catalog;
    if (!catalog) return null;
    const pending = catalog.pending();
    return {
      version: catalog.state('catalog').version,
      pricesVersion: catalog.state('prices').version,
      waiting: Object.values(pending).reduce((n, f) => n + f.staged, 0),
      problems: Object.values(pending).reduce((n, f) => n + f.problems, 0),
      loading: this.catalogLoad ? { loaded: this.catalogLoad.loaded, total: this.catalogLoad.total } : null,
    };
  }

  // ---- scheduling -------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A sooner run replaces a later one (a sale's kick during the idle pull wait), never a back-off.
    if (this.timer && (this.backingOff || this.timerDue <= performance.now() + delayMs)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = performance.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.backingOff = false;
      this.run();
    }, delayMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.backingOff = false;
    this.nextAttemptAt = null;
  }

  private run(): void {
    if (this.stopped || this.running) return;
    const generation = this.generation;
    this.running = this.drain()
      .then(
        () => this.succeeded(),
        // A 401 for the credential an enrollment just replaced says nothing about the new one.
        (e: unknown) => (generation === this.generation ? this.failed(e) : undefined),
      )
      .finally(() => {
        this.running = null;
        this.changed();
        if (this.again) {
          this.again = false;
          if (!this.backingOff) this.schedule(0);
        } else if (!this.stopped && !this.backingOff && this.deps.catalog && this.deps.state.get().enrolledAt !== null) {
          // An idle till still hears of new prices: ask again after the pull interval.
          this.schedule(this.opts.pullIntervalMs);
        }
      });
  }

  /** Publish the status, at most once per interval (a burst of sales makes one event, not one each). */
  private changed(): void {
    if (this.stopped || this.publishTimer) return;
    const wait = Math.max(0, this.lastPublished + this.opts.publishIntervalMs - performance.now());
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      if (this.stopped) return;
      this.lastPublished = performance.now();
      try {
        this.deps.publish(this.status());
      } catch (e) {
        this.deps.log.error('sync status could not be read', { error: String(e) });
      }
    }, wait);
    this.publishTimer.unref?.();
  }

  // ---- pushing ----------------------------------------------------------------------------

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const st = this.deps.state.get();
      if (st.serverUrl === null || st.halted !== null) return;
      const credential = this.deps.credentials.read();
      if (credential === null) throw new SyncStop('credential_missing', 'the till is enrolled but its credential file is missing: enroll again');
      if (this.needCursors || this.pendingEpoch !== null) {
        await this.reconcile(st, st.serverUrl, credential);
        continue;
      }
      let worked = false;
      for (const channel of SYNC_CHANNELS) {
        if (this.stopped || this.pendingEpoch !== null) break;
        if (await this.pushBatch(st, st.serverUrl, credential, channel)) worked = true;
      }
      if (!worked && this.pendingEpoch === null) {
        // Sales first; then what the head office hands down (asked for at most every pull interval;
        // in between, what already came and waited for a basket to end goes live now).
        if (performance.now() - this.lastPullAt >= this.opts.pullIntervalMs) await this.pullFeeds(st.serverUrl, credential);
        else this.activateCatalog();
        return;
      }
    }
  }

  /**
   * Catalog and price changes from the head office, staged page by page and made live between
   * baskets. After a basket ends, `kick()` brings the service here again, so what waited goes live.
   */
  private activateCatalog(): void {
    const catalog = this.deps.catalog;
    if (!catalog) return;
    if (usable(catalog) <= 0) return;
    if (catalog.basketInProgress(this.deps.clock.now())) {
      if (loyaltyOnly(catalog, this.deps.clock.now())) this.changed();
      return;
    }
    catalog.activate(this.deps.clock.now());
    this.changed();
  }

  private async pullFeeds(url: string, credential: string): Promise<void> {
    const catalog = this.deps.catalog;
    if (!catalog || this.stopped) return;
    const puller = new CatalogPuller({
      get: async (path) => {
        try {
          return await this.deps.client.get(url, credential, path, this.abort.signal);
        } catch (e) {
          if (e instanceof SyncRequestError && e.code === 'resnapshot') throw new FeedGone(e.message);
          throw e;
        }
      },
      store: catalog,
      basketInProgress: () => catalog.basketInProgress(this.deps.clock.now()),
      now: () => this.deps.clock.now(),
      progress: (p) => {
        this.catalogLoad = p.total !== null && p.loaded >= p.total ? null : p;
        this.changed();
      },
    });
    try {
      if (await puller.run()) this.deps.log.info('head office catalog changes received', { pending: catalog.pending() });
      this.lastPullAt = performance.now();
    } finally {
      this.catalogLoad = null;
    }
  }

  /** One batch of one channel. True when something moved (acked, a new starting point, a new epoch due). */
  private async pushBatch(st: SyncStateRow, url: string, credential: string, channel: SyncChannel): Promise<boolean> {
    const epoch = st.epoch;
    const from = this.resendFrom.get(channel);
    const rows = from !== undefined ? this.deps.outbox.from(channel, epoch, from, this.batchLimit) : this.deps.outbox.unacked(channel, this.batchLimit);
    if (rows.length === 0) {
      this.resendFrom.delete(channel);
      return false;
    }
    const first = rows[0] as OutboxEvent;
    if (first.epoch !== epoch || (from !== undefined && first.channelSeq !== from)) {
      // Rows not where the numbering says they should be (events the head office asks for that this
      // store does not hold): a fresh epoch gives the head office a sequence it can apply.
      this.pendingEpoch = 'resend_impossible';
      return true;
    }
    const events = withinBodyLimit(rows);
    const sentAt = this.deps.clock.now();
    const res = await this.deps.client.push(url, credential, { channel, epoch, events: events.map(toWire) }, this.abort.signal);
    if (this.stopped) return false;
    const offset = res.serverTime - Math.round((sentAt + this.deps.clock.now()) / 2);
    return this.settle(channel, epoch, events, res, offset);
  }

  /**
   * Record the head office's answer to one batch, in one transaction.
   *
   * `conflict` means the head office already holds a *different* event under this id (or, with a
   * store restored from an old backup, another event under this number) and never overwrites it:
   * sending the same event again in the same epoch gets the same answer forever. Acking it at once
   * would be wrong when it is a number collision — it is a real sale the head office does not have.
   * So the first conflict keeps the event queued, remembers the epoch, and starts a new epoch: the
   * event is renumbered and sent again, and the head office (de-duplicating by id) either applies it
   * (it was a number collision) or answers `conflict` again. A conflict in a second epoch is a real
   * one (same id, different content): the event is settled as acked-with-conflict, an audit entry
   * records the alarm, the status counts it, and the channel moves on. The local row is kept as it
   * is for a person to reconcile with the head office's copy.
   */
  private settle(channel: SyncChannel, epoch: number, events: OutboxEvent[], res: PushResponse, offset: number): boolean {
    const { db, outbox, audit, state } = this.deps;
    const now = this.deps.clock.now();
    const first = (events[0] as OutboxEvent).channelSeq;
    if (res.expected !== null) {
      // The head office lacks events before this batch (it lost them, or was restored): from there again.
      if (res.expected < 1 || res.expected >= first) throw new SyncStop('no_progress', `the head office asked for event ${res.expected} of ${channel}`);
      this.resendFrom.set(channel, res.expected);
      db.transaction(() => state.succeeded(now, offset))();
      return true;
    }
    const status = new Map(res.results.map((r) => [r.id, r.status]));
    const settled = new Set<string>();
    let rotate: EpochReason | null = null;
    let alarms = 0;
    let acked = 0;
    db.transaction(() => {
      for (const e of events) {
        if (status.get(e.id) !== 'conflict') continue;
        if (e.conflictEpoch !== null && e.conflictEpoch !== epoch) {
          if (outbox.giveUpConflict(e.id, epoch, now)) {
            alarms++;
            audit.append(now, null, 'sync.conflict', e.id, { channel, type: e.type, epoch, seq: e.channelSeq, hash: e.hash });
          }
          settled.add(e.id);
          // The head office did not move past it: a new epoch, without it, lets the channel go on.
          if (res.ackedThrough < e.channelSeq) rotate = 'conflict';
        } else {
          outbox.markConflict(e.id, epoch);
          rotate = 'conflict';
        }
      }
      // Acked: the contiguous run from the batch's start that the head office holds as sent.
      let through = first - 1;
      for (const e of events) {
        if (e.channelSeq > res.ackedThrough) break;
        const s = status.get(e.id);
        if (s === 'applied' || s === 'duplicate' || s === 'parked' || settled.has(e.id)) through = e.channelSeq;
        else break;
      }
      acked = outbox.markAcked(channel, epoch, through, now);
      // The head office has seen numbers this store never gave in this epoch: restored from a backup.
      if (res.ackedThrough > outbox.maxChannelSeq(channel, epoch)) rotate ??= 'restored';
      if (this.resendFrom.has(channel)) {
        if (through >= first) this.resendFrom.set(channel, through + 1);
      }
      state.succeeded(now, offset);
      const advanced = through >= first;
      if (!advanced && rotate === null && alarms === 0) {
        throw new SyncStop('no_progress', `the head office took none of ${events.length} ${channel} events`);
      }
    })();
    if (alarms > 0) this.deps.log.error('the head office holds different events under the same ids', { channel, conflicts: alarms });
    if (rotate !== null) this.pendingEpoch = rotate;
    return acked > 0 || rotate !== null || alarms > 0 || this.resendFrom.has(channel);
  }

  /**
   * Ask the head office where it is (on start, after enrollment, before a new epoch). A store
   * restored from an old backup has forgotten events it sent, and would number new ones with
   * numbers the head office already holds for other events. Seen here as the head office being
   * ahead of everything this store ever numbered in its epoch (or knowing a later epoch of this
   * till): a new epoch starts. The other way round — the head office has less than this till saw
   * acked (it was restored itself) — the missing events are sent again.
   */
  private async reconcile(st: SyncStateRow, url: string, credential: string): Promise<void> {
    const sentAt = this.deps.clock.now();
    const c = await this.deps.client.cursors(url, credential, this.abort.signal);
    if (this.stopped) return;
    const now = this.deps.clock.now();
    const offset = c.serverTime - Math.round((sentAt + now) / 2);
    const { outbox } = this.deps;
    const serverEpoch = c.epochs.reduce((m, e) => Math.max(m, e.epoch), 0);
    let reason = this.pendingEpoch;
    // The credential beside the store belongs to another enrollment than the store remembers (a
    // store restored from before it): that identity must get only what is still queued.
    if (reason === null && st.tillId !== null && c.tillId !== st.tillId) reason = 'reenrolled';
    if (reason === null && serverEpoch > st.epoch) reason = 'restored';
    if (reason === null && c.epochs.some((e) => e.epoch === st.epoch && e.ackedThrough > outbox.maxChannelSeq(e.channel, st.epoch))) reason = 'restored';
    this.deps.db.transaction(() => {
      // A store restored from an old backup numbers its new loyalty entries after those it lost.
      if (c.loyaltyThrough > 0) this.deps.ledgerFloor?.(c.loyaltyThrough);
      if (reason === 'reenrolled') this.deps.state.setIdentity(c.tillId, c.storeId);
      if (reason !== null) {
        this.startEpoch(Math.max(st.epoch, serverEpoch) + 1, reason, st.epoch, now);
      } else {
        for (const channel of SYNC_CHANNELS) {
          const server = c.epochs.find((e) => e.epoch === st.epoch && e.channel === channel)?.ackedThrough ?? 0;
          if (server < outbox.maxAcked(channel, st.epoch)) this.resendFrom.set(channel, server + 1);
        }
      }
      this.deps.state.succeeded(now, offset);
    })();
    this.needCursors = false;
    this.pendingEpoch = null;
  }

  /**
   * Start epoch `epoch` (inside the caller's transaction): every event not yet acked is renumbered
   * into it from 1 per channel, in the order it was written. The head office applies each epoch's
   * sequence on its own and de-duplicates by event id across epochs, so an event it already holds
   * under an old number comes back as `duplicate` — never counted twice — and one it lacks is
   * applied. Acked events keep their old epoch and numbers.
   */
  private startEpoch(epoch: number, reason: EpochReason, from: number, at: EpochMs): void {
    const renumbered = this.deps.outbox.renumberInto(epoch);
    this.deps.state.setEpoch(epoch);
    this.deps.audit.append(at, null, 'sync.epoch', null, { from, to: epoch, reason, renumbered });
    this.resendFrom.clear();
    this.deps.log.info('sync: new epoch', { from, to: epoch, reason, renumbered });
  }

  // ---- outcomes ---------------------------------------------------------------------------

  private succeeded(): void {
    if (this.stopped) return;
    if (this.failures > 0 || this.lastLogged !== null) this.deps.log.info('head office sync working again', {});
    this.failures = 0;
    this.nextAttemptAt = null;
    this.lastLogged = null;
  }

  private failed(e: unknown): void {
    if (this.stopped) return;
    const problem = problemOf(e);
    let halt: SyncHalt | null = null;
    if (e instanceof SyncRequestError && (e.code === 'revoked' || e.code === 'unauthenticated')) halt = e.code;
    else if (e instanceof SyncRequestError && e.code === 'update_required') halt = 'update_required';
    if (e instanceof SyncRequestError && e.code === 'payload_too_large') this.batchLimit = Math.max(1, Math.floor(this.batchLimit / 2));
    const retry = halt === null && !(e instanceof SyncStop && e.code === 'credential_missing');
    if (!(e instanceof SyncRequestError) && !(e instanceof SyncStop)) {
      this.deps.log.error('head office sync failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    } else if (this.lastLogged !== problem.code) {
      // Once per kind of failure, not once per attempt through a long outage.
      this.deps.log.info('head office sync failed', { code: problem.code, message: problem.message });
    }
    this.lastLogged = problem.code;
    const now = this.deps.clock.now();
    try {
      const before = this.deps.state.get().halted;
      this.deps.db.transaction(() => {
        this.deps.state.failed(now, problem.code, problem.message, null);
        if (halt !== null) {
          this.deps.state.setHalted(halt);
          if (before !== halt) this.deps.audit.append(now, null, 'sync.halted', null, { reason: halt, message: problem.message });
        }
      })();
    } catch (err) {
      this.deps.log.error('sync failure could not be recorded', { error: String(err) });
    }
    if (!retry) return;
    this.failures++;
    const delay = backoffDelay(this.failures, this.opts.backoff, this.opts.random);
    this.clearTimer();
    this.nextAttemptAt = now + delay;
    this.backingOff = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.backingOff = false;
      this.run();
    }, delay);
    this.timer.unref?.();
  }

  // ---- enrollment -------------------------------------------------------------------------

  /**
   * One request id per server and code, kept while the till runs: asking again with the same code
   * after an answer was lost (a timeout, a dropped connection) gets the credential instead of "used".
   */
  private enrollRequestId(url: string, code: string): string {
    const key = `${url} ${code.toUpperCase().replace(/[\s-]/g, '')}`;
    let id = this.enrollRequestIds.get(key);
    if (!id) {
      id = randomBytes(16).toString('hex');
      this.enrollRequestIds.set(key, id);
    }
    return id;
  }

  private async runEnroll(url: string, code: string, userId: number | null, controller: AbortController): Promise<void> {
    const { client, credentials, db, state, audit, clock, log } = this.deps;
    const current = (): boolean => !this.stopped && this.enrollAbort === controller;
    try {
      const signal = AbortSignal.any([controller.signal, this.abort.signal]);
      const res = await client.enroll(url, { code, till: { name: this.deps.tillName(), appVersion: this.opts.appVersion }, requestId: this.enrollRequestId(url, code) }, signal);
      if (!current()) return;
      const before = state.get();
      const now = clock.now();
      // The credential first: a state that says "enrolled" with no credential beside it is worse
      // than a credential nobody uses (the next enrollment replaces it).
      credentials.write(res.credential);
      db.transaction(() => {
        state.enrolled({ serverUrl: url, tillId: res.tillId, tillName: res.tillName, storeId: res.storeId, storeName: res.storeName, at: now });
        // Another identity at the head office holds none of this till's numbers, and must not get
        // what the old one already has (it would count those sales twice): what is still queued
        // starts a new epoch from 1, the rest stays acked.
        if (before.tillId !== null && before.tillId !== res.tillId) this.startEpoch(before.epoch + 1, 'reenrolled', before.epoch, now);
        audit.append(now, userId, 'sync.enrolled', res.tillId, { url, tillId: res.tillId, tillName: res.tillName, storeId: res.storeId, storeName: res.storeName });
      })();
      log.info('enrolled with the head office', { url, tillId: res.tillId, storeId: res.storeId });
      this.generation++;
      this.enrollment = { state: 'idle', url: null, error: null };
      this.enrollAbort = null;
      this.failures = 0;
      this.lastLogged = null;
      this.needCursors = true;
      this.clearTimer();
      this.schedule(0);
    } catch (e) {
      if (!current()) return;
      this.enrollAbort = null;
      const problem = problemOf(e);
      if (!(e instanceof SyncRequestError)) log.error('enrollment failed', { error: e instanceof Error ? e.message : String(e) });
      else log.info('enrollment refused or failed', { url, code: problem.code });
      this.enrollment = { state: 'failed', url, error: problem };
      try {
        db.transaction(() => audit.append(clock.now(), userId, 'sync.enroll_failed', null, { url, code: problem.code }))();
      } catch (err) {
        log.error('enrollment failure could not be recorded', { error: String(err) });
      }
    }
    this.changed();
  }
}

/** The head office's body limit is for the whole request: keep a batch under half of it. */
function withinBodyLimit(rows: OutboxEvent[]): OutboxEvent[] {
  let bytes = 0;
  const out: OutboxEvent[] = [];
  for (const r of rows) {
    bytes += r.payload.length * 2 + 300;
    if (out.length > 0 && bytes > MAX_BODY_BYTES / 2) break;
    out.push(r);
  }
  return out;
}

function knownProblem(code: string): SyncProblem['code'] {
  return (SYNC_PROBLEMS as readonly string[]).includes(code) ? (code as SyncProblem['code']) : 'internal';
}
