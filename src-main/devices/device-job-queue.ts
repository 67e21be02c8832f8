/** A printer a queue sends jobs to: it says when it is ready again after a fault. */
export interface JobDevice {
  readonly deviceId: string;
  /** Calls `cb` whenever the device becomes ready; returns the unsubscribe. */
  onReady(cb: () => void): () => void;
}

/** Back-off between tries while a device says nothing: doubling from `firstMs` up to `maxMs`. */
export interface RetryDelays {
  firstMs: number;
  maxMs: number;
}

/**
 * The scheduling a persisted device queue runs on: one job at a time per device, in the order the
 * queue's store hands them out. A job that cannot print waits with its reason and is tried again
 * when the device says it is ready, when the queue is kicked, or on the back-off timer. Once
 * stopped (the till is closing, its store with it) nothing more is written: a job caught mid-print
 * stays as it is and the queue's `recover()` puts it back after the restart.
 *
 * What a job is, where it is stored and which failures are final are the queue's own rules, in the
 * abstract hooks.
 */
export abstract class DeviceJobQueue<D extends JobDevice, J> {
  private readonly devices = new Map<string, { device: D; off: () => void }>();
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly delays = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  protected constructor(private readonly backoff: RetryDelays) {}

  /** The job to print next on this device; null when none waits. */
  protected abstract nextJob(deviceId: string): J | null;
  /** Sends the job, resolving once the device has printed it; `waiting` reports a stop on the way. */
  protected abstract print(device: D, job: J, hooks: { waiting(reason: string): void }): Promise<void>;
  protected abstract markPrinting(job: J): void;
  protected abstract markDone(job: J): void;
  protected abstract markWaiting(job: J, reason: string): void;
  /**
   * The print failed: true when this settles the job for good (the queue goes on to the next);
   * false, and the job waits with `reason` and is tried again later.
   */
  protected abstract failsForGood(job: J, error: unknown, reason: string): boolean;
  /** A job that must no longer print is settled here instead (true: go on to the next). */
  protected expired?(job: J): boolean;

  attach(device: D): void {
    this.detach(device.deviceId);
    const off = device.onReady(() => this.kick(device.deviceId));
    this.devices.set(device.deviceId, { device, off });
    this.kick(device.deviceId);
  }

  detach(deviceId: string): void {
    this.devices.get(deviceId)?.off();
    this.devices.delete(deviceId);
  }

  kick(deviceId?: string): void {
    if (this.stopped) return;
    for (const id of deviceId ? [deviceId] : [...this.devices.keys()]) {
      const t = this.timers.get(id);
      if (t) clearTimeout(t);
      this.timers.delete(id);
      if (this.busy.has(id) || !this.devices.has(id)) continue;
      const p = this.drain(id).finally(() => this.running.delete(p));
      this.running.add(p);
    }
  }

  /** A job is printing on this device now (a status poll must not cut into it). */
  isBusy(deviceId: string): boolean {
    return this.busy.has(deviceId);
  }

  /** Resolves when no device is working on a job right now. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const { off } of this.devices.values()) off();
  }

  private async drain(deviceId: string): Promise<void> {
    this.busy.add(deviceId);
    try {
      for (;;) {
        const entry = this.devices.get(deviceId);
        const job = this.nextJob(deviceId);
        if (!entry || !job || this.stopped) return;
        if (this.expired?.(job)) continue;
        this.markPrinting(job);
        try {
          await this.print(entry.device, job, { waiting: (reason) => !this.stopped && this.markWaiting(job, reason) });
          // Stopped meanwhile: the job stays as it is and is printed again after the restart.
          if (this.stopped) return;
          this.markDone(job);
          this.delays.delete(deviceId);
        } catch (e) {
          if (this.stopped) return;
          const reason = e instanceof Error ? e.message : String(e);
          if (this.failsForGood(job, e, reason)) continue;
          this.markWaiting(job, reason);
          this.retryLater(deviceId);
          return;
        }
      }
    } finally {
      this.busy.delete(deviceId);
    }
  }

  private retryLater(deviceId: string): void {
    if (this.stopped) return;
    const delay = this.delays.get(deviceId) ?? this.backoff.firstMs;
    this.delays.set(deviceId, Math.min(delay * 2, this.backoff.maxMs));
    this.timers.set(
      deviceId,
      setTimeout(() => {
        this.timers.delete(deviceId);
        this.kick(deviceId);
      }, delay),
    );
  }
}
