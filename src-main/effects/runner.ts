import type { Clock } from '../../src-common/clock.js';
import type { Db } from '../db/open.js';
import type { EffectKind, EffectRow, EffectsRepo } from '../db/repos/effects.js';
import type { Logger } from '../rpc/dispatcher.js';

export type EffectOutcome = { state: 'done'; result?: string } | { state: 'skipped'; reason: string };

/** Performs one kind of side effect for a completed receipt; throws to be retried later. */
export type EffectConsumer = (effect: EffectRow) => EffectOutcome | Promise<EffectOutcome>;

const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;

/**
 * Works off the persisted post-commit effects (print, drawer, later fiscalize and notify).
 * Runs after each sale commits and once at start-up, so a crash between commit and effect
 * leaves the effect pending, never lost; failures stay visible and are retried with back-off.
 */
export class EffectsRunner {
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly repo: EffectsRepo,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly consumers: Record<EffectKind, EffectConsumer>,
    private readonly onChange: (receiptId: string) => void,
  ) {}

  /** Ask for a run soon; concurrent asks coalesce into one more pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolve when the queue has been worked off as far as it can be right now. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private async drain(): Promise<void> {
    // Yield a macrotask first: the command that kicked us answers its caller before we print.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.stopped) return;
    let failed = false;
    for (const effect of this.repo.due()) {
      if (this.stopped) return;
      const consumer = this.consumers[effect.kind];
      try {
        const outcome = await consumer(effect);
        this.db.transaction(() => {
          if (outcome.state === 'done') this.repo.settle(effect.id, 'done', null, outcome.result ?? null, this.clock.now());
          else this.repo.settle(effect.id, 'skipped', outcome.reason, null, this.clock.now());
        })();
      } catch (e) {
        failed = true;
        const message = e instanceof Error ? e.message : String(e);
        this.log.error('effect failed', { id: effect.id, kind: effect.kind, error: message });
        try {
          this.repo.settle(effect.id, 'failed', message.slice(0, 500), null, this.clock.now());
        } catch (writeError) {
          this.log.error('could not record effect failure', { error: String(writeError) });
        }
      }
      this.onChange(effect.receiptId);
    }
    if (failed) this.scheduleRetry();
    else this.failures = 0;
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.failures++;
    const delay = Math.min(RETRY_BASE_MS * 2 ** (this.failures - 1), RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
    this.retryTimer.unref?.();
  }
}
