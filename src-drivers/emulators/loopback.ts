import type { Transport } from '../common/device.js';
import { Listeners } from '../transports/listeners.js';
import type { EmulatorCore } from './serve.js';

export interface LoopbackOptions {
  /** Cut each answer into chunks of these sizes (cycled), as a serial line delivers it. */
  chunkSizes?: number[];
  /** Rewrite each answer on its way to the till (noise on the line). */
  onTheLine?: (answer: Uint8Array) => Uint8Array;
}

/**
 * A transport wired straight to an emulator core in the same process, no port: the demo till's
 * devices with no hardware, and fast property tests of a driver. Answers arrive asynchronously,
 * optionally in chunks and with noise, as they would from a wire.
 */
export class LoopbackTransport implements Transport {
  private open_ = false;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();
  private chunkIndex = 0;

  constructor(
    readonly core: EmulatorCore,
    private readonly opts: LoopbackOptions = {},
  ) {}

  async open(): Promise<void> {
    this.open_ = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.open_) throw new Error('loopback is closed');
    let answer = this.core.feed(data);
    if (this.opts.onTheLine) answer = this.opts.onTheLine(answer);
    const sizes = this.opts.chunkSizes?.length ? this.opts.chunkSizes : [answer.length || 1];
    for (let at = 0; at < answer.length; ) {
      const n = Math.max(1, sizes[this.chunkIndex++ % sizes.length] ?? 1);
      const part = answer.slice(at, at + n);
      at += n;
      setImmediate(() => {
        if (this.open_) this.data.emit(part);
      });
    }
  }

  /** Deliver what the device says unasked (after a fault switch). */
  deliver(bytes: Uint8Array): void {
    if (bytes.length > 0) setImmediate(() => this.open_ && this.data.emit(bytes));
  }

  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.data.add(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    return this.closed.add(cb);
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.closed.emit('closed');
  }
}
