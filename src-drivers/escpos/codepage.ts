/**
 * Single-byte code pages for ESC/POS text. CP866 and Windows-1251 come from Node's own
 * TextDecoder tables (full ICU ships with Node 20), turned around once at load, so there is no
 * table here to get wrong and no dependency. Node has no decoder for PC437: its upper half is
 * the one literal below (its box-drawing block 0xB0-0xDF is shared with CP866, which a test checks).
 *
 * Bytes 0x00-0x1F and 0x7F are commands on a printer, so text never encodes to them: a control
 * character in a product name becomes '?', never an ESC/POS command.
 */
export type CodePageId = 'cp866' | 'cp1251' | 'cp437';

export const CODE_PAGE_IDS: readonly CodePageId[] = ['cp866', 'cp1251', 'cp437'];

/** What replaces a character the code page lacks and has no fallback for. */
export const MISSING_CHAR = '?';

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

interface Table {
  /** byte 0x80-0xFF → character, '' where the code page has a hole */
  readonly high: readonly string[];
  /** code point → byte, printable characters only */
  readonly reverse: ReadonlyMap<number, number>;
}

function highHalfFromDecoder(label: string): string[] {
  const bytes = new Uint8Array(128);
  for (let i = 0; i < 128; i++) bytes[i] = 0x80 + i;
  const text = new TextDecoder(label).decode(bytes);
  const chars = [...text];
  if (chars.length !== 128) throw new Error(`TextDecoder(${label}) did not give 128 characters`);
  // Holes decode to C1 controls (U+0080-U+009F) or U+FFFD: not printable characters.
  return chars.map((c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp === 0xfffd || (cp >= 0x80 && cp <= 0x9f) ? '' : c;
  });
}

function buildTable(high: readonly string[]): Table {
  const reverse = new Map<number, number>();
  for (let b = 0x20; b < 0x7f; b++) reverse.set(b, b);
  high.forEach((c, i) => {
    const cp = c.codePointAt(0);
    if (cp !== undefined && !reverse.has(cp)) reverse.set(cp, 0x80 + i);
  });
  return { high, reverse };
}

const TABLES: Readonly<Record<CodePageId, Table>> = {
  cp866: buildTable(highHalfFromDecoder('ibm866')),
  cp1251: buildTable(highHalfFromDecoder('windows-1251')),
  cp437: buildTable([...CP437_HIGH]),
};

/**
 * Typographic characters a till's strings carry (ru-RU number formatting, «quotes», №, ₽) and what
 * to print instead when the code page lacks them, best first. No-break spaces always become a
 * plain space: some printers draw 0xFF/0xA0 as a glyph.
 */
const FALLBACKS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['\u00a0', [' ']],
  ['\u202f', [' ']],
  ['\u2007', [' ']],
  ['\u2009', [' ']],
  ['\t', [' ']],
  ['«', ['«', '"']],
  ['»', ['»', '"']],
  ['„', ['„', '"']],
  ['“', ['“', '"']],
  ['”', ['”', '"']],
  ['‘', ['‘', "'"]],
  ['’', ['’', "'"]],
  ['‚', ['‚', "'"]],
  ['–', ['–', '-']],
  ['—', ['—', '-']],
  ['‒', ['-']],
  ['−', ['-']],
  ['‐', ['-']],
  ['…', ['…', '...']],
  ['№', ['№', 'No']],
  ['₽', ['₽', 'р.', 'RUB']],
  ['€', ['€', 'EUR']],
  ['×', ['×', 'x']],
  ['•', ['•', '∙', '·', '*']],
  ['±', ['±', '+-']],
]);

/** Characters that never pass through as themselves, whatever the code page has. */
const ALWAYS_REPLACED = new Set(['\u00a0', '\u202f', '\u2007', '\u2009', '\t']);

function fits(table: Table, s: string): boolean {
  for (const c of s) if (!table.reverse.has(c.codePointAt(0) ?? -1)) return false;
  return true;
}

/** The printable string a character becomes in this code page (one or more characters). */
function substitute(table: Table, ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (!ALWAYS_REPLACED.has(ch) && table.reverse.has(cp)) return ch;
  const options = FALLBACKS.get(ch);
  if (options) {
    for (const o of options) if (fits(table, o)) return o;
  }
  // é → e, й stays й (it is in both Cyrillic pages): strip accents only as a last resort.
  const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (bare !== ch && bare.length > 0 && fits(table, bare)) return bare;
  return MISSING_CHAR;
}

/** The text exactly as the printer will show it: fallbacks applied, missing characters as '?'. */
export function printableText(text: string, cp: CodePageId): string {
  const table = TABLES[cp];
  let out = '';
  for (const ch of text) out += substitute(table, ch);
  return out;
}

/** Encode text for the printer. Never produces a byte below 0x20 or 0x7F (those are commands). */
export function encodeText(text: string, cp: CodePageId): Uint8Array {
  const table = TABLES[cp];
  const out: number[] = [];
  for (const ch of printableText(text, cp)) {
    out.push(table.reverse.get(ch.codePointAt(0) ?? 0) ?? MISSING_CHAR.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

/** One printable byte (0x20-0xFF) as a character; holes in the code page come back as U+FFFD. */
export function decodeByte(byte: number, cp: CodePageId): string {
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  if (byte >= 0x80 && byte <= 0xff) return TABLES[cp].high[byte - 0x80] || '\ufffd';
  return '\ufffd';
}

export function decodeText(bytes: Uint8Array, cp: CodePageId): string {
  let out = '';
  for (const b of bytes) out += decodeByte(b, cp);
  return out;
}

/** Whether the code page has this character as itself (no fallback). */
export function hasChar(ch: string, cp: CodePageId): boolean {
  return TABLES[cp].reverse.has(ch.codePointAt(0) ?? -1);
}
