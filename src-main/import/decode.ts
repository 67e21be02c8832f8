import { ImportFileError } from './errors.js';

export type TextEncoding = 'utf-8' | 'windows-1251';

const SAMPLE = 64 * 1024;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * Refuse what is not 8-bit text before decoding it: UTF-16/32 (with or without a byte-order mark)
 * is an encoding we do not read, NUL bytes anywhere else mean a binary file.
 */
export function assertEightBitText(bytes: Uint8Array, what: string): void {
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
    throw new ImportFileError('file_encoding', `${what} is in UTF-32: save it as UTF-8 or Windows-1251`, { detected: 'utf-32' });
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new ImportFileError('file_encoding', `${what} is in UTF-16 ("Unicode text"): save it as UTF-8 or Windows-1251`, { detected: 'utf-16' });
  }
  const n = Math.min(bytes.length, SAMPLE);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const nul = evenNul + oddNul;
  if (nul === 0) return;
  // UTF-16 without a BOM: every ASCII character (digits, separators, line ends) has its NUL on the
  // same side of the pair; a binary file has them anywhere.
  if (nul >= 4 && Math.max(evenNul, oddNul) >= nul * 0.9) {
    throw new ImportFileError('file_encoding', `${what} looks like UTF-16 text: save it as UTF-8 or Windows-1251`, { detected: 'utf-16' });
  }
  throw new ImportFileError('file_format', `${what} is not a text file`, { detected: 'binary' });
}

/** The file's own declaration wins; otherwise valid UTF-8 is UTF-8 and anything else is taken as Windows-1251. */
export function detectEncoding(bytes: Uint8Array): TextEncoding {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1251';
  }
}

export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  const text = new TextDecoder(encoding, { fatal: encoding === 'utf-8' }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Text that decoded but is full of control characters is a binary file that happened to have no
 * NUL byte in the sample (a PDF, an image): say so rather than produce garbage rows.
 */
export function assertPlausibleText(text: string, what: string): void {
  const n = Math.min(text.length, SAMPLE);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) control++;
  }
  if (control > Math.max(8, n / 100)) throw new ImportFileError('file_format', `${what} is not a text file`, { detected: 'binary' });
}
