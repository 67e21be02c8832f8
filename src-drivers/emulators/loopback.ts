import type { Transport } from '../common/device.js';
import { Listeners } from '../transports/listeners.js';
import type { EmulatorCore } from './serve.js';

/**
 * A transport straight into an emulator in the same process: the demo till's "printer" with no
 * hardware and no port. Replies arrive asynchronously, as from a wire.
 */
export class LoopbackTransport implements Transport {
  private open_ = false;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();

  constructor(readonly core: EmulatorCore) {}

  async open(): Promise<void> {
    this.open_ = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new Error('loopback is closed');
    const reply = this.core.feed(bytes);
    if (reply.length > 0) setImmediate(() => this.data.emit(reply));
  }

  /** Deliver what the device says unasked (after a fault switch). */
  deliver(bytes: Uint8Array): void {
    if (bytes.length > 0) setImmediate(() => this.data.emit(bytes));
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
