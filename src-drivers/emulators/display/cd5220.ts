import { decodeText, type CodePageId } from '../../escpos/codepage.js';
import type { EmulatorCore } from '../serve.js';

const ESC = 0x1b;
const CR = 0x0d;
const FF = 0x0c;
/** A string-mode line longer than this is cut off: the display shows 20, a runaway stream is not kept. */
const MAX_LINE = 64;

/**
 * A CD5220 pole display: keeps the two lines it shows. Parses `ESC @`, `FF`, `ESC t n`, and
 * `ESC Q A|B text CR`, byte by byte (any chunking); anything else is skipped. Never throws.
 */
export class Cd5220Emulator implements EmulatorCore {
  readonly lines: [string, string];
  /** Every pair of lines shown, in order. */
  readonly history: [string, string][] = [];
  private state: 'text' | 'esc' | 'escQ' | 'line' | 'escT' = 'text';
  private target: 0 | 1 = 0;
  private buf: number[] = [];

  constructor(
    readonly width = 20,
    private readonly codePage: CodePageId = 'cp866',
  ) {
    this.lines = [' '.repeat(width), ' '.repeat(width)];
  }

  feed(bytes: Uint8Array): Uint8Array {
    for (const b of bytes) this.byte(b);
    return new Uint8Array(0);
  }

  private byte(b: number): void {
    switch (this.state) {
      case 'esc':
        if (b === 0x40) this.clear();
        this.state = b === 0x51 ? 'escQ' : b === 0x74 ? 'escT' : 'text';
        return;
      case 'escT':
        this.state = 'text';
        return;
      case 'escQ':
        if (b === 0x41 || b === 0x42) {
          this.target = b === 0x41 ? 0 : 1;
          this.buf = [];
          this.state = 'line';
        } else this.state = 'text';
        return;
      case 'line':
        if (b === CR) {
          this.setLine(this.target, decodeText(Uint8Array.from(this.buf), this.codePage));
          this.state = 'text';
        } else if (b === ESC) {
          this.state = 'esc'; // a command interrupts the line; what came so far is dropped
        } else if (this.buf.length < MAX_LINE) this.buf.push(b);
        return;
      default:
        if (b === ESC) this.state = 'esc';
        else if (b === FF) this.clear();
    }
  }

  private setLine(i: 0 | 1, text: string): void {
    const t = text.length > this.width ? text.slice(0, this.width) : text.padEnd(this.width);
    this.lines[i] = t;
    if (i === 1) this.history.push([this.lines[0], this.lines[1]]);
  }

  private clear(): void {
    this.lines[0] = ' '.repeat(this.width);
    this.lines[1] = ' '.repeat(this.width);
  }
}
