import type { DeviceConnection } from '../common/connection.js';
import { encodeText, type CodePageId } from '../escpos/codepage.js';

/** A customer-facing pole display: two short lines the customer reads. */
export interface CustomerDisplay {
  show(top: string, bottom: string): Promise<void>;
  clear(): Promise<void>;
}

export interface Cd5220Options {
  /** Characters per line (20 on the common 2×20 VFD). */
  width?: number;
  /** The display's Cyrillic table, and the `ESC t n` that selects it (models differ; null: leave as is). */
  codePage?: CodePageId;
  codeTableN?: number | null;
}

const ESC = 0x1b;
const CR = 0x0d;

/** Fit `text` to the display width: cut, or padded with spaces so a shorter line wipes the old one. */
export function fitLine(text: string, width: number): string {
  const t = text.length > width ? text.slice(0, width) : text;
  return t + ' '.repeat(width - t.length);
}

/** A line with `left` and `right` at the two ends of the display (an item and its price, ИТОГО and the total). */
export function displayPair(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  if (room <= 0) return fitLine(right, width);
  const l = left.length > room ? left.slice(0, room) : left;
  return l + ' '.repeat(width - l.length - right.length) + right;
}

/**
 * The CD5220 command set (Partner Tech and its many clones, 2×20 VFD over serial, write-only):
 * `ESC @` initialise, `ESC Q A … CR` the upper line, `ESC Q B … CR` the lower line (string mode),
 * `FF` clear. Text goes in the display's code page.
 */
export class Cd5220Display implements CustomerDisplay {
  private readonly width: number;
  private readonly cp: CodePageId;
  private initialised = false;

  constructor(
    private readonly conn: DeviceConnection,
    private readonly opts: Cd5220Options = {},
  ) {
    this.width = opts.width ?? 20;
    this.cp = opts.codePage ?? 'cp866';
    conn.onStatus((s) => {
      if (s.status !== 'connected') this.initialised = false;
    });
  }

  /** The bytes that show these two lines (initialising first when needed). */
  encode(top: string, bottom: string, init: boolean): Uint8Array {
    const out: number[] = [];
    if (init) {
      out.push(ESC, 0x40);
      if (this.opts.codeTableN != null) out.push(ESC, 0x74, this.opts.codeTableN);
    }
    out.push(ESC, 0x51, 0x41, ...encodeText(fitLine(top, this.width), this.cp), CR);
    out.push(ESC, 0x51, 0x42, ...encodeText(fitLine(bottom, this.width), this.cp), CR);
    return Uint8Array.from(out);
  }

  async show(top: string, bottom: string): Promise<void> {
    const bytes = this.encode(top, bottom, !this.initialised);
    await this.conn.write(bytes);
    this.initialised = true;
  }

  async clear(): Promise<void> {
    await this.conn.write(Uint8Array.of(0x0c));
  }
}
