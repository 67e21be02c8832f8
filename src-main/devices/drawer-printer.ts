import type { PrintDocument } from '../../src-common/print-document.js';
import type { DeviceConnection } from '../../src-drivers/common/connection.js';
import type { DocumentPrinter } from './print-queue.js';

/** What the till needs of a cash drawer on its own line. */
export interface OpenableDrawer {
  open(): Promise<void>;
}

/**
 * A drawer on its own line, seen by the print queue as a printer that can only kick: drawer kicks go
 * through the same persisted queue as printer kicks, with the same rule (now or never: a kick that
 * cannot be sent within its time-to-live is dropped, never replayed later).
 */
export class DrawerPrinter implements DocumentPrinter {
  constructor(
    readonly deviceId: string,
    private readonly drawer: OpenableDrawer,
    private readonly conn: DeviceConnection,
  ) {}

  async print(doc: PrintDocument): Promise<void> {
    for (const b of doc.blocks) {
      if (b.t === 'drawer') await this.drawer.open();
    }
  }

  onReady(cb: () => void): () => void {
    return this.conn.onStatus((s) => {
      if (s.status === 'connected') cb();
    });
  }
}
