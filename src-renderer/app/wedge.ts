/**
 * Tells a keyboard-wedge barcode scanner from a person typing: a scanner sends the whole code
 * as a burst (a few ms between keys) ending in Enter. Characters come from `KeyboardEvent.code`
 * (the physical key), so a Russian layout cannot turn a code's Latin letters Cyrillic.
 */
export interface KeyInput {
  code: string;
  key: string;
  shiftKey: boolean;
  timeStamp: number;
}

export interface WedgeOptions {
  /** Longest gap between two keys of one scan. */
  maxGapMs: number;
  /** Shortest code a scan may carry. */
  minLength: number;
}

const DEFAULTS: WedgeOptions = { maxGapMs: 35, minLength: 6 };

const PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  Period: ['.', '>'],
  Comma: [',', '<'],
  Slash: ['/', '?'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** The character a physical key stands for on a US layout, or null for keys that are not characters. */
export function charOfKey(k: Pick<KeyInput, 'code' | 'shiftKey'>): string | null {
  const { code, shiftKey } = k;
  if (code.startsWith('Digit') && code.length === 6) {
    const d = Number(code[5]);
    return shiftKey ? (SHIFTED_DIGITS[d] ?? null) : String(d);
  }
  if (code.startsWith('Numpad') && code.length === 7 && /\d/.test(code[6] ?? '')) return code[6] ?? null;
  if (code.startsWith('Key') && code.length === 4) {
    const letter = code[3] ?? '';
    return shiftKey ? letter.toUpperCase() : letter.toLowerCase();
  }
  const p = PUNCTUATION[code];
  return p ? (shiftKey ? p[1] : p[0]) : null;
}

export class WedgeDetector {
  private chars: string[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private readonly opts: WedgeOptions;

  constructor(opts: Partial<WedgeOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Feed every keydown. Returns the scanned code on the Enter that ends a burst, else null. */
  feed(k: KeyInput): string | null {
    const gap = k.timeStamp - this.last;
    if (k.code === 'Enter' || k.code === 'NumpadEnter') {
      const code = this.chars.join('');
      const isScan = this.chars.length >= this.opts.minLength && gap <= this.opts.maxGapMs;
      this.reset();
      return isScan ? code : null;
    }
    if (k.code.startsWith('Shift')) return null;
    const ch = charOfKey(k);
    if (ch === null) {
      this.reset();
      return null;
    }
    if (gap > this.opts.maxGapMs) this.chars = [];
    this.chars.push(ch);
    this.last = k.timeStamp;
    return null;
  }

  /** True while keys are arriving fast enough to be a scan in progress. */
  inBurst(now: number): boolean {
    return this.chars.length > 1 && now - this.last <= this.opts.maxGapMs;
  }

  reset(): void {
    this.chars = [];
    this.last = Number.NEGATIVE_INFINITY;
  }
}
