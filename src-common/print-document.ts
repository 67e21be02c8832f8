/**
 * What is printed, independent of the printer: the receipt template produces it, each printer
 * driver turns it into its own bytes (ESC/POS with its model's code page, a raster fallback, a
 * label language). Stored with the print job, so a reprint can go to another printer.
 */
export type Align = 'left' | 'center' | 'right';

export type PrintBlock =
  | { t: 'text'; text: string; align?: Align; bold?: boolean; underline?: boolean; size?: 1 | 2 }
  /** Left and right text on one line, padded to the paper width (an item and its amount). */
  | { t: 'pair'; left: string; right: string; bold?: boolean; size?: 1 | 2 }
  | { t: 'rule' }
  | { t: 'feed'; lines: number }
  | { t: 'barcode'; symbology: 'ean13' | 'code128'; data: string; hri?: boolean }
  | { t: 'qr'; data: string; size?: number }
  /** A monochrome image (the store's logo): rows of `width / 8` bytes, MSB leftmost, 1 = black; base64. */
  | { t: 'image'; width: number; height: number; bits: string; align?: Align }
  | { t: 'cut' }
  /** Kick the cash drawer on this pin (2 or 5). */
  | { t: 'drawer'; pin: 2 | 5 };

export interface PrintDocument {
  blocks: PrintBlock[];
}

/** Split `text` into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      let w = word;
      while (w.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

/** `left` and `right` on one line of `width` characters; when they do not fit, left wraps above. */
export function pairLines(left: string, right: string, width: number): string[] {
  if (left.length + 1 + right.length <= width) return [left + ' '.repeat(width - left.length - right.length) + right];
  const lines = wrap(left, width);
  const last = lines[lines.length - 1] ?? '';
  if (last.length + 1 + right.length <= width) {
    lines[lines.length - 1] = last + ' '.repeat(width - last.length - right.length) + right;
    return lines;
  }
  return [...lines, right.padStart(width)];
}

/** The document as plain text lines at `width` characters: what a text-only printer or the screen shows. */
export function documentText(doc: PrintDocument, width: number): string[] {
  const out: string[] = [];
  for (const b of doc.blocks) {
    switch (b.t) {
      case 'text': {
        const w = b.size === 2 ? Math.floor(width / 2) : width;
        for (const l of wrap(b.text, w)) {
          const pad = b.align === 'center' ? Math.floor((w - l.length) / 2) : b.align === 'right' ? w - l.length : 0;
          out.push(' '.repeat(Math.max(0, pad)) + l);
        }
        break;
      }
      case 'pair':
        out.push(...pairLines(b.left, b.right, b.size === 2 ? Math.floor(width / 2) : width));
        break;
      case 'rule':
        out.push('-'.repeat(width));
        break;
      case 'feed':
        for (let i = 0; i < b.lines; i++) out.push('');
        break;
      default:
        break;
    }
  }
  return out;
}
