import { PullResponseSchema, SnapshotResponseSchema, SYNC_FEEDS, type SyncFeed } from '../../src-common/sync/protocol.js';
import type { CatalogStore } from './catalog-store.js';

/** A GET to the head office with the till's credential; throws `FeedGone` on 410 `resnapshot`, anything else as it comes. */
export type HeadOfficeGet = (path: string) => Promise<unknown>;

/** The head office no longer keeps the changes after this cursor: load a snapshot instead. */
export class FeedGone extends Error {
  override readonly name = 'FeedGone';
}

/** Staged rows that can go live (not waiting for something that has not come). */
export function usable(store: CatalogStore): number {
  return Object.values(store.pending()).reduce((n, f) => n + f.staged - f.problems, 0);
}

/** A basket in progress holds back the catalog, not the loyalty feeds: those go live now. */
export function loyaltyOnly(store: CatalogStore, now: number): boolean {
  const p = store.pending();
  if (p.customers.staged - p.customers.problems + p.coupons.staged - p.coupons.problems <= 0) return false;
  const a = store.activateLoyalty(now);
  return a.customers + a.coupons > 0;
}

/** Rows per page: big enough that a 1,000,000-product first load is a few hundred requests. */
export const PAGE = 5_000;

export interface PullProgress {
  feed: SyncFeed;
  /** Rows loaded so far in a snapshot, and how many there are (null: not known). */
  loaded: number;
  total: number | null;
}

/**
 * Brings the till's copy of the catalog and its store's prices up to the head office's: a snapshot
 * the first time (or when told the cursor is too old), then the change log from its cursor. Each
 * page is staged with its cursor in one transaction, so a crash or a dropped connection resumes
 * where it stopped; what is staged goes live only between baskets (`basketInProgress`), so a
 * cashier never sees a price change inside a basket.
 */
export class CatalogPuller {
  constructor(
    private readonly deps: {
      get: HeadOfficeGet;
      store: CatalogStore;
      /** A basket is being rung up now: wait for it to end before anything goes live. */
      basketInProgress(): boolean;
      now(): number;
      progress?(p: PullProgress): void;
      /** Rows per page (tests use small pages). */
      pageSize?: number;
    },
  ) {}

  /** Pull every feed to its end; then make it live if no basket is in progress. True when anything changed. */
  async run(): Promise<boolean> {
    let changed = false;
    for (const feed of SYNC_FEEDS) {
      try {
        changed = (await this.pullFeed(feed)) || changed;
      } catch (e) {
        if (!(e instanceof FeedGone)) throw e;
        this.deps.store.restartSnapshot(feed, this.deps.now());
        changed = (await this.pullFeed(feed)) || changed;
      }
    }
    this.activateIfIdle();
    return changed;
  }

  /** Make what is staged live, unless a basket is in progress (then the next call does). */
  activateIfIdle(): boolean {
    if (usable(this.deps.store) <= 0) return false;
    if (this.deps.basketInProgress()) return loyaltyOnly(this.deps.store, this.deps.now());
    const a = this.deps.store.activate(this.deps.now());
    return a.taxes + a.products + a.prices + a.roles + a.users + a.settings + a.stores + a.transfers + a.customers + a.coupons > 0;
  }

  private async pullFeed(feed: SyncFeed): Promise<boolean> {
    const store = this.deps.store;
    let changed = false;
    let state = store.state(feed);
    // A snapshot first: on a fresh till, or to finish one a restart interrupted.
    if (!state.loaded || state.snapshot) {
      let loaded = 0;
      let total = state.snapshot?.total ?? null;
      for (;;) {
        const after = state.snapshot?.key;
        const page = SnapshotResponseSchema.parse(await this.deps.get(`/v1/snapshot?feed=${feed}&limit=${this.deps.pageSize ?? PAGE}${after ? `&afterKey=${encodeURIComponent(after)}` : ''}`));
        store.stageSnapshot(feed, page.rows.map((r) => ({ key: r.key, data: r.data, version: page.asOf })), page, this.deps.now());
        loaded += page.rows.length;
        changed ||= page.rows.length > 0;
        state = store.state(feed);
        total ??= page.total;
        this.deps.progress?.({ feed, loaded, total });
        if (page.nextKey === null) break;
        this.activateIfIdle();
      }
    }
    for (;;) {
      const r = PullResponseSchema.parse(await this.deps.get(`/v1/pull?feed=${feed}&after=${state.version}&limit=${this.deps.pageSize ?? PAGE}`));
      if (r.changes.length === 0 && r.through === state.version) break;
      store.stageChanges(feed, r.changes.map((c) => ({ key: c.key, data: c.data, version: c.version })), r.through, this.deps.now());
      changed ||= r.changes.length > 0;
      state = store.state(feed);
      if (!r.more) break;
    }
    return changed;
  }
}
