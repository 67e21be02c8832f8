import type { PriceTag } from '../../src-common/price-tag.js';
import { DeviceError, type DeviceErrorCode, type DeviceStatus } from './device.js';

/** What a label printer reported about itself, in either language; null where its answer does not say. */
export interface LabelStatus {
  headOpen: boolean | null;
  paperOut: boolean | null;
  ribbonOut: boolean | null;
  paperJam: boolean | null;
  coverOpen: boolean | null;
  paused: boolean | null;
  /** TSPL: printing now. */
  printing: boolean | null;
  /** ZPL: labels of the current batch still to print. */
  labelsRemaining: number | null;
  /** ZPL: formats received and not printed yet. */
  formatsInBuffer: number | null;
}

export const UNKNOWN_LABEL_STATUS: LabelStatus = {
  headOpen: null,
  paperOut: null,
  ribbonOut: null,
  paperJam: null,
  coverOpen: null,
  paused: null,
  printing: null,
  labelsRemaining: null,
  formatsInBuffer: null,
};

/** Why a label printer cannot print; 'offline' = not connected, 'no_answer' = connected but silent. */
export type LabelFault = 'head_open' | 'cover_open' | 'paper_jam' | 'paper_out' | 'ribbon_out' | 'paused' | 'offline' | 'no_answer';

export const LABEL_FAULT_TEXT: Readonly<Record<LabelFault, string>> = {
  head_open: 'print head open',
  cover_open: 'cover open',
  paper_jam: 'paper jam',
  paper_out: 'out of labels',
  ribbon_out: 'out of ribbon',
  paused: 'paused',
  offline: 'not connected',
  no_answer: 'does not answer',
};

/** A label printer as the till sees it: price tags in, a state out. */
export interface LabelPrinter {
  readonly deviceId: string;
  /**
   * Print the tags (each with its copies). Reads the printer's status first and sends nothing to one
   * that cannot print: throws `LabelPrinterError` with the reason. Once sent, waits until the printer
   * reports the batch done, calling `waiting` when it stops on the way (out of labels, head opened),
   * and resolves when it has finished.
   */
  print(tags: readonly PriceTag[], hooks: { waiting(reason: string): void }): Promise<void>;
  /** Ask the printer now. Never throws: an unreachable printer is a state too. */
  status(): Promise<LabelPrinterState>;
  /** Called when the printer may be able to print again (reconnected). */
  onReady(cb: () => void): () => void;
}

export interface LabelPrinterState {
  /** The link, as published for `device.status`. */
  connection: DeviceStatus;
  /** What the printer reported; null when it is not connected or did not answer in time. */
  report: LabelStatus | null;
  /** What stops it printing now; null when it can print. */
  fault: LabelFault | null;
  /** It is still printing something it was sent. */
  busy: boolean;
}

const CODE: Readonly<Record<LabelFault, DeviceErrorCode>> = {
  head_open: 'cover_open',
  cover_open: 'cover_open',
  paper_jam: 'paper_out',
  paper_out: 'paper_out',
  ribbon_out: 'paper_out',
  paused: 'busy',
  offline: 'offline',
  no_answer: 'timeout',
};

/** A label job refused or lost; `reason` says exactly why, `code` is the device-wide category. */
export class LabelPrinterError extends DeviceError {
  constructor(
    readonly reason: LabelFault | 'timeout',
    message?: string,
  ) {
    super(reason === 'timeout' ? 'timeout' : CODE[reason], message ?? (reason === 'timeout' ? 'the label printer did not finish in time' : `label printer: ${LABEL_FAULT_TEXT[reason]}`));
  }
}
