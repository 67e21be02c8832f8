import type { MonoBitmap } from '../../escpos/bitmap.js';
import type { CodePageId } from '../../escpos/codepage.js';

/**
 * The emulator's document model: what the printer put on paper (nodes) and what it was asked to
 * answer or act on at once (controls). Tests assert on these.
 */
export type Align = 'left' | 'center' | 'right';

export interface RunStyle {
  bold: boolean;
  underline: 0 | 1 | 2;
  width: number;
  height: number;
  font: 'A' | 'B';
  reverse: boolean;
}

export interface TextRun {
  text: string;
  style: RunStyle;
  /** null: `ESC t n` selected a table the profile does not know; its upper half prints as U+FFFD. */
  codePage: CodePageId | null;
}

export type BarcodeSymbology =
  | 'UPC-A'
  | 'UPC-E'
  | 'EAN13'
  | 'EAN8'
  | 'CODE39'
  | 'ITF'
  | 'CODABAR'
  | 'CODE93'
  | 'CODE128'
  | 'GS1-128'
  | 'GS1-DATABAR'
  | 'OTHER';

export type DocNode =
  /** One printed line; `wrapped` when it ended because it reached the paper width, not at LF. */
  | { type: 'line'; text: string; runs: TextRun[]; align: Align; wrapped: boolean }
  | { type: 'feed'; dots: number }
  | { type: 'barcode'; symbology: BarcodeSymbology; data: string; valid: boolean; height: number; moduleWidth: number; hri: number }
  | { type: 'qr'; data: string; bytes: Uint8Array; size: number; ecc: 'L' | 'M' | 'Q' | 'H'; model: number }
  /** `align`: the `ESC a` justification in force, which printers apply to raster images as to text. */
  | { type: 'image'; bitmap: MonoBitmap; command: 'GS v 0' | 'ESC *'; align: Align }
  | { type: 'cut'; partial: boolean; feed: number }
  | { type: 'drawer'; pin: 2 | 5; onMs: number; offMs: number; realtime: boolean }
  | { type: 'codepage'; n: number; codePage: CodePageId | null }
  | { type: 'init' }
  | { type: 'unknown'; bytes: Uint8Array; reason: 'unknown-command' | 'invalid-parameter' | 'oversized' };

export type Control =
  /** `DLE EOT n`; `inData` when found inside another command's data (profiles with `realtimeInData`). */
  | { type: 'status-query'; n: 1 | 2 | 3 | 4; inData: boolean }
  /** `DLE ENQ n`: 1 recover and go on, 2 recover and clear the buffers */
  | { type: 'recover'; n: number }
  /** `GS r n`, answered in sequence (after everything before it was printed) */
  | { type: 'transmit-status'; n: number }
  /** `GS ( H` fn 48, answered in sequence with `37 22 d1 d2 d3 d4 00` */
  | { type: 'process-id'; id: Uint8Array }
  /** `GS a n` */
  | { type: 'asb'; mask: number };

/** `offset`: bytes of the stream consumed when the event completed (its last byte included). */
export type ParseEvent = { kind: 'node'; node: DocNode; offset: number } | { kind: 'control'; control: Control; offset: number };
