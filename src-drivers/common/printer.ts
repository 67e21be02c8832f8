import type { PrintDocument } from '../../src-common/print-document.js';

/** A printer as the print queue sees it (src-main/devices/print-queue.ts). */
export interface DocumentPrinter {
  readonly deviceId: string;
  /**
   * Print the document. Throws before sending anything when the printer cannot start (offline,
   * paper out, cover open); once sent, waits out a paper-out in the middle (calling `waiting`)
   * while the printer holds the rest, and resolves when it reports the job printed.
   */
  print(doc: PrintDocument, hooks: { waiting(reason: string): void }): Promise<void>;
  /** Called when the printer may be able to print again (reconnected, paper back). */
  onReady(cb: () => void): () => void;
  /**
   * Ask the printer for its sensors now, where it can report them (ESC/POS real-time status):
   * the drawer switch and the paper-low sensor; null where it does not say.
   */
  readSensors?(): Promise<PrinterSensors>;
}

export interface PrinterSensors {
  drawerOpen: boolean | null;
  paperNearEnd: boolean | null;
}
