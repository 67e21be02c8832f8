import { DeviceError, type DeviceStatus, type Transport } from './device.js';
import { Listeners } from '../transports/listeners.js';

export interface ConnectionOptions {
  /** First retry after this long, doubling up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface StatusChange {
  status: DeviceStatus;
  message?: string;
}

/**
 * Keeps a device's transport open: connects, and after any loss reconnects with back-off
 * (250 ms doubling to 5 s). A disconnect is a status change, never an exception thrown at the
 * caller's feet; writes while down fail with `DeviceError('offline')` at once.
 */
export class DeviceConnection {
  private transport: Transport | null = null;
  private current: DeviceStatus = 'init';
  private message: string | undefined;
  private delay: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly statusListeners = new Listeners<StatusChange>();
  private readonly dataListeners = new Listeners<Uint8Array>();
  private detach: (() => void)[] = [];

  constructor(
    private readonly makeTransport: () => Transport,
    private readonly opts: ConnectionOptions = {},
  ) {
    this.delay = opts.minDelayMs ?? 250;
  }

  get status(): DeviceStatus {
    return this.current;
  }

  get lastMessage(): string | undefined {
    return this.message;
  }

  onStatus(cb: (s: StatusChange) => void): () => void {
    return this.statusListeners.add(cb);
  }

  /** Bytes from whichever transport is connected now. */
  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.dataListeners.add(cb);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.transport || this.current !== 'connected') throw new DeviceError('offline', this.message ?? 'not connected');
    await this.transport.write(data);
  }

  /** Resolves once connected, or rejects after `timeoutMs`. */
  async waitConnected(timeoutMs: number): Promise<void> {
    if (this.current === 'connected') return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        off();
        reject(new DeviceError('offline', this.message ?? 'not connected'));
      }, timeoutMs);
      const off = this.onStatus((s) => {
        if (s.status !== 'connected') return;
        clearTimeout(t);
        off();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const t = this.transport;
    this.transport = null;
    for (const d of this.detach) d();
    this.detach = [];
    if (t) await t.close().catch(() => undefined);
    this.set('disconnected', 'stopped');
  }

  private set(status: DeviceStatus, message?: string): void {
    if (status === this.current && message === this.message) return;
    this.current = status;
    this.message = message;
    this.statusListeners.emit(message === undefined ? { status } : { status, message });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.set('connecting', this.message);
    const t = this.makeTransport();
    try {
      await t.open();
    } catch (e) {
      this.set('disconnected', e instanceof Error ? e.message : String(e));
      this.retry();
      return;
    }
    if (this.stopped) {
      await t.close().catch(() => undefined);
      return;
    }
    this.transport = t;
    this.delay = this.opts.minDelayMs ?? 250;
    this.detach = [
      t.onData((chunk) => this.dataListeners.emit(chunk)),
      t.onClose((reason) => {
        if (this.transport !== t) return;
        this.transport = null;
        for (const d of this.detach) d();
        this.detach = [];
        this.set('disconnected', reason);
        this.retry();
      }),
    ];
    this.set('connected');
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.opts.maxDelayMs ?? 5_000);
  }
}
