import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open.js';

/**
 * The worker's whole program (CommonJS, run with `eval`): its own connection to the store, and a
 * PASSIVE checkpoint on each tick. In WAL mode a checkpoint on another connection runs beside the
 * till's writes (it never takes the writer's lock), so no sale waits for pages to be copied or for
 * the database file's fsync.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const closed = new Int32Array(workerData.closed);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
    return;
  }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ ok: true, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e && e.message ? e.message : e) });
  }
});
`;

export interface CheckpointResult {
  /** WAL frames, and how many of them are in the database file now. */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointerOptions {
  /** How often to look whether the commands have paused. */
  everyMs: number;
  /** A checkpoint once commits have paused this long (a till is idle most of the time). */
  quietMs: number;
  /** Where the worker loads better-sqlite3 from (default: resolved from here; tests break it on purpose). */
  sqliteModule?: string;
}

const DEFAULTS: WalCheckpointerOptions = { everyMs: 100, quietMs: 250 };

/**
 * Checkpoints the till's WAL while the till is quiet, so a sale rarely pays for it. SQLite's
 * automatic checkpoint runs inside whichever commit crosses its threshold (4000 pages here, see
 * open.ts): that sale waits while the pages are copied and the database file is synced, and a
 * completion, writing the most pages, is the likeliest to cross it. A worker thread with its own
 * connection checkpoints once the commands have paused for `quietMs` (between customers, between
 * scans), so the WAL seldom gets near the threshold. Under a stream with no pause at all (a bench,
 * never a cashier) the automatic checkpoint still bounds the WAL; checkpointing beside such a
 * stream instead, on a clock or a count, made every commit near it slower at p99 (the database
 * file's fsync competing with theirs), and letting the WAL grow further made its growth cost more.
 * If the worker cannot start or fails, the automatic checkpoint simply does all the work again.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;
  /** Set to 1 by the worker once its connection is closed (stop waits for it). */
  private closed: Int32Array | null = null;
  /** Commits since the last checkpoint was asked for, and when the last one was. */
  private pending = 0;
  private lastCommitAt = 0;
  /** Checkpoints the worker has finished (tests, diagnostics). */
  done = 0;
  private waiters: ((r: CheckpointResult | null) => void)[] = [];
  private readonly o: WalCheckpointerOptions;

  constructor(
    private readonly db: Db,
    private readonly log: { error(msg: string, data?: Record<string, unknown>): void },
    options: Partial<WalCheckpointerOptions> = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
  }

  start(): void {
    if (this.worker || this.db.memory || this.db.readonly) return;
    try {
      const sqlite = this.o.sqliteModule ?? createRequire(import.meta.url).resolve('better-sqlite3');
      this.closed = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.db.name, sqlite, closed: this.closed.buffer } });
      worker.unref();
      worker.on('message', (m: { ok: boolean; log?: number; checkpointed?: number; error?: string }) => {
        this.inFlight = false;
        if (m.ok) this.done++;
        else this.log.error('wal checkpoint failed', { error: m.error });
        const r = m.ok ? { log: m.log ?? 0, checkpointed: m.checkpointed ?? 0 } : null;
        for (const w of this.waiters.splice(0)) w(r);
      });
      worker.on('error', (e) => this.fail(e));
      this.worker = worker;
      this.timer = setInterval(() => this.maybe(), this.o.everyMs);
      this.timer.unref();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Checkpoint now (tests; the bench's pause between customers); resolves with the result, or null when there is no worker or it failed. */
  checkpointNow(): Promise<CheckpointResult | null> {
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.inFlight) this.tick();
    });
  }

  /** Whether checkpoints run in the worker (false: the till's connection does them itself). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Stop before the till's connection closes: the worker's connection is closed when this returns
   * (it finishes a checkpoint under way first, waited for up to 2 s), so the store's files are the
   * till's alone again: its close folds the WAL in and removes it, and a test may delete them.
   */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const w = this.worker;
    this.worker = null;
    for (const r of this.waiters.splice(0)) r(null);
    if (!w || !this.closed) return;
    w.postMessage('stop');
    Atomics.wait(this.closed, 0, 0, 2_000);
    void w.terminate();
  }

  /** A command committed (Dispatcher `committed`): counted, nothing else on the sale path. */
  committed(): void {
    this.pending++;
    this.lastCommitAt = performance.now();
  }

  private maybe(): void {
    if (this.pending === 0 || this.inFlight) return;
    if (performance.now() - this.lastCommitAt < this.o.quietMs) return;
    this.pending = 0;
    this.tick();
  }

  private tick(): void {
    if (!this.worker || this.inFlight) return;
    this.inFlight = true;
    this.worker.postMessage('checkpoint');
  }

  private fail(e: unknown): void {
    this.log.error('wal checkpointer stopped; the automatic checkpoint does all the work', { error: e instanceof Error ? e.message : String(e) });
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.worker = null;
    this.inFlight = false;
    for (const w of this.waiters.splice(0)) w(null);
  }
}
