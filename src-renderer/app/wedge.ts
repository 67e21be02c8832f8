/**
 * Tells a keyboard-wedge barcode scanner from a person typing: a scanner sends the whole code
 * as a burst ending in Enter. Characters come from `KeyboardEvent.code` (the physical key), so a
 * Russian layout cannot turn a code's Latin letters Cyrillic.
 *
 * The burst is judged as a whole: at least `minLength` characters, no gap longer than
 * `maxGapMs`, and an average gap of at most `maxMeanGapMs`. Scanners send a key every 1-10 ms;
 * people average 80 ms and more between keys even when fast, though two keys rolled over can
 * come 20 ms apart. Judging the average (rather than each gap against ~30 ms) keeps a scan whole
 * when a busy machine holds one key event back for a few tens of ms.
 */
export interface KeyInput {
  code: string;
  key: string;
  shiftKey: boolean;
  /** A chord (Ctrl+C, Alt+Tab) is a person at the keyboard, never part of a scan. */
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** Auto-repeat of a held key: a person leaning on it, also ~30 ms apart, never a scanner. */
  repeat?: boolean;
  timeStamp: number;
}

export interface WedgeOptions {
  /** Average gap between the keys of one scan (Enter included) may not exceed this. */
  maxMeanGapMs: number;
  /** A longer gap than this starts a new burst: what came before was typed by hand. */
  maxGapMs: number;
  /** Shortest code a scan may carry. */
  minLength: number;
}

const DEFAULTS: WedgeOptions = { maxMeanGapMs: 40, maxGapMs: 200, minLength: 6 };

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

const GS = '\u001d';
/** Scanners type ASCII 29 (GS, the GS1 separator) as Ctrl+]: part of the code, not a person's chord. */
function isGroupSeparator(k: KeyInput): boolean {
  return k.code === 'BracketRight' && k.ctrlKey === true && !k.altKey && !k.metaKey && !k.repeat;
}

export class WedgeDetector {
  private chars: string[] = [];
  private first = Number.NEGATIVE_INFINITY;
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
      const meanGap = (k.timeStamp - this.first) / Math.max(1, this.chars.length);
      const isScan = this.chars.length >= this.opts.minLength && gap <= this.opts.maxGapMs && meanGap <= this.opts.maxMeanGapMs;
      this.reset();
      return isScan ? code : null;
    }
    if (k.code.startsWith('Shift')) return null;
    const ch = isGroupSeparator(k) ? GS : k.ctrlKey || k.altKey || k.metaKey || k.repeat ? null : charOfKey(k);
    if (ch === null) {
      this.reset();
      return null;
    }
    if (gap > this.opts.maxGapMs) {
      this.chars = [];
      this.first = k.timeStamp;
    }
    this.chars.push(ch);
    this.last = k.timeStamp;
    return null;
  }

  reset(): void {
    this.chars = [];
    this.first = Number.NEGATIVE_INFINITY;
    this.last = Number.NEGATIVE_INFINITY;
  }
}
