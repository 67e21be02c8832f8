import type { PrintDocument } from '../../src-common/print-document.js';
import type { DocumentPrinter } from '../../src-main/devices/print-queue.js';

/** A printer the test breaks and mends: it fails while `fault` is set; `back()` clears it and says it is ready, as a reconnect does. */
export class FakeDevice {
  fault: Error | null = null;
  private readonly ready = new Set<() => void>();
  constructor(readonly deviceId: string) {}

  onReady(cb: () => void): () => void {
    this.ready.add(cb);
    return () => this.ready.delete(cb);
  }

  back(): void {
    this.fault = null;
    for (const cb of this.ready) cb();
  }
}

/** A receipt printer: the documents it printed, in order. */
export class FakeReceiptPrinter extends FakeDevice implements DocumentPrinter {
  printed: PrintDocument[] = [];

  async print(d: PrintDocument): Promise<void> {
    if (this.fault) throw this.fault;
    this.printed.push(d);
  }
}
