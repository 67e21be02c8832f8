import { gtinCheckDigit, isValidGtin } from './barcode.js';

/**
 * GS1 element strings as scanners deliver them: GS1 DataMatrix (Честный знак marking codes),
 * GS1-128, GS1 QR. A scanner sends the symbology identifier (`]d2`, `]C1`, `]Q3`) or not, FNC1
 * as the GS character (0x1D), as some text the scanner is set to send instead, or not at all (a
 * keyboard wedge drops it).
 *
 * With separators the reading is exact. With none at all, a variable-length element followed by
 * another cannot be told apart from a longer value: the parser then tries every split that makes
 * the whole string valid, Честный знак lengths first (serial 13/6/7, key 4, signature 44/88, tail
 * 4), and reports the code ambiguous rather than guess when more than one reading fits.
 */

export const GS = '\u001d';

export interface Gs1Element {
  ai: string;
  value: string;
}

export type Gs1Symbology = 'gs1-datamatrix' | 'gs1-128' | 'gs1-qr' | 'gs1-databar' | 'gs1-dotcode';

export type PlainKind = 'ean13' | 'ean8' | 'upca' | 'gtin14';

export interface Gs1Warning {
  code: 'separators_recovered' | 'separator_missing' | 'unknown_ai';
  message: string;
  ai?: string;
}

export interface Gs1Data {
  /** The input exactly as received. */
  raw: string;
  /** From the symbology identifier, when the scanner sent one. */
  symbology?: Gs1Symbology;
  /** Canonical form: no identifier, GS after every element that needs one but the last (what a registrar takes as tag 2000). */
  elementString: string;
  ais: Gs1Element[];
  sscc?: string;
  /** GTIN-14 with a valid check digit. */
  gtin?: string;
  /** AI 02: GTIN of the trade items contained. */
  content?: string;
  batch?: string;
  serial?: string;
  /** Dates as YYYY-MM-DD; a day of 00 is the last day of the month. */
  productionDate?: string;
  packDate?: string;
  bestBefore?: string;
  sellBy?: string;
  expiry?: string;
  /** AI 30 or 37. */
  count?: number;
  /** Net weight from 310n (kg) or 320n (lb), to the gram. */
  weightGrams?: number;
  /** Честный знак: AI 91 verification key id, 92 verification code, 93 crypto tail. */
  verificationKey?: string;
  verificationCode?: string;
  cryptoTail?: string;
  /** GTIN + serial + a crypto part (91 and 92, or 93): a Честный знак marking code. */
  isMarkingCode: boolean;
  warnings: Gs1Warning[];
}

export type Gs1ErrorCode =
  | 'empty'
  | 'too_long'
  | 'not_gs1'
  | 'unknown_ai'
  | 'truncated'
  | 'bad_value'
  | 'bad_check_digit'
  | 'bad_date'
  | 'value_too_long'
  | 'duplicate_ai'
  | 'ambiguous';

export interface Gs1Error {
  code: Gs1ErrorCode;
  message: string;
  /** Offset in the element string (identifier stripped, separators as GS). */
  at?: number;
  ai?: string;
  /** A plain retail barcode (not GS1), when that is what it is. */
  plain?: PlainKind;
  /** The GTIN when it could be read even though the rest could not (e.g. ambiguous after lost separators). */
  gtin?: string;
}

export type Gs1Result = { ok: true; value: Gs1Data } | { ok: false; error: Gs1Error };

export interface Gs1Options {
  /** What the scanner sends for FNC1 instead of GS (0x1D), e.g. `<GS>` or `~`. GS is always accepted. */
  fnc1Substitutes?: readonly string[];
  /**
   * The source is byte-exact (serial, HID POS), so a string without separators has none to lose:
   * read it the standard way and never report it ambiguous.
   */
  separatorsKept?: boolean;
  /** Честный знак serial lengths tried when separators are lost. */
  markingSerialLengths?: readonly number[];
  /** Year the two-digit years are read against (GS1 sliding century); defaults to this year. */
  referenceYear?: number;
}

/** Longest input looked at: Честный знак codes run to ~150 characters. */
export const GS1_MAX_INPUT = 512;
const DEFAULT_SERIAL_LENGTHS = [13, 7, 6] as const;
const MARKING_SIGNATURE_LENGTHS = [44, 88] as const;

interface AiDef {
  title: string;
  /** Fixed value length; otherwise `max`. */
  length?: number;
  max?: number;
  numeric?: boolean;
  /** The last digit is a GS1 check digit. */
  check?: boolean;
  date?: boolean;
  /** 310n-style: the last AI digit is the number of decimals (0-5). */
  decimals?: boolean;
}

const date = (title: string): AiDef => ({ title, length: 6, numeric: true, date: true });
const measure = (title: string): AiDef => ({ title, length: 6, numeric: true, decimals: true });
const gln = (title: string): AiDef => ({ title, length: 13, numeric: true, check: true });

const AI_DEFS: Readonly<Record<string, AiDef>> = {
  '00': { title: 'SSCC', length: 18, numeric: true, check: true },
  '01': { title: 'GTIN', length: 14, numeric: true, check: true },
  '02': { title: 'CONTENT', length: 14, numeric: true, check: true },
  '10': { title: 'BATCH/LOT', max: 20 },
  '11': date('PROD DATE'),
  '12': date('DUE DATE'),
  '13': date('PACK DATE'),
  '15': date('BEST BEFORE'),
  '16': date('SELL BY'),
  '17': date('USE BY'),
  '20': { title: 'VARIANT', length: 2, numeric: true },
  '21': { title: 'SERIAL', max: 20 },
  '22': { title: 'CPV', max: 20 },
  '240': { title: 'ADDITIONAL ID', max: 30 },
  '241': { title: 'CUST. PART No.', max: 30 },
  '250': { title: 'SECONDARY SERIAL', max: 30 },
  '251': { title: 'REF. TO SOURCE', max: 30 },
  '30': { title: 'VAR. COUNT', max: 8, numeric: true },
  '37': { title: 'COUNT', max: 8, numeric: true },
  '400': { title: 'ORDER NUMBER', max: 30 },
  '410': gln('SHIP TO LOC'),
  '411': gln('BILL TO'),
  '412': gln('PURCHASE FROM'),
  '413': gln('SHIP FOR LOC'),
  '414': gln('LOC No.'),
  '422': { title: 'ORIGIN', length: 3, numeric: true },
  '7003': { title: 'EXPIRY TIME', length: 10, numeric: true },
  '8005': { title: 'PRICE PER UNIT', length: 6, numeric: true },
  '90': { title: 'INTERNAL', max: 30 },
  '91': { title: 'INTERNAL (ЧЗ key id)', max: 90 },
  '92': { title: 'INTERNAL (ЧЗ verification code)', max: 90 },
  '93': { title: 'INTERNAL (ЧЗ crypto tail)', max: 90 },
  '94': { title: 'INTERNAL', max: 90 },
  '95': { title: 'INTERNAL', max: 90 },
  '96': { title: 'INTERNAL', max: 90 },
  '97': { title: 'INTERNAL', max: 90 },
  '98': { title: 'INTERNAL', max: 90 },
  '99': { title: 'INTERNAL', max: 90 },
};

const MEASURES: Readonly<Record<string, string>> = {
  '310': 'NET WEIGHT (kg)',
  '311': 'LENGTH (m)',
  '312': 'WIDTH (m)',
  '313': 'HEIGHT (m)',
  '314': 'AREA (m2)',
  '315': 'NET VOLUME (l)',
  '316': 'NET VOLUME (m3)',
  '320': 'NET WEIGHT (lb)',
  '330': 'GROSS WEIGHT (kg)',
};

/**
 * Element strings whose length the GS1 General Specifications fix by their first two digits:
 * no FNC1 follows them. Every other element needs one unless it is last.
 */
const PREDEFINED: Readonly<Record<string, number>> = {
  '00': 18, '01': 14, '02': 14, '03': 14, '04': 16,
  '11': 6, '12': 6, '13': 6, '14': 6, '15': 6, '16': 6, '17': 6, '18': 6, '19': 6,
  '20': 2, '31': 6, '32': 6, '33': 6, '34': 6, '35': 6, '36': 6, '41': 13,
};

/** Digits in an AI, by its first two digits (GS1 General Specifications); null: unassigned. */
function aiLength(two: number): number | null {
  if (two <= 4 || (two >= 10 && two <= 22) || two === 30 || two === 37 || two >= 90) return 2;
  if ((two >= 23 && two <= 25) || (two >= 40 && two <= 42) || two === 71) return 3;
  if ((two >= 31 && two <= 36) || two === 39 || two === 43 || two === 70 || two === 72 || (two >= 80 && two <= 82)) return 4;
  return null;
}

const isPredefined = (ai: string): boolean => PREDEFINED[ai.slice(0, 2)] !== undefined;

/** GS1 character set 82 (alphanumeric AI values). */
const CSET82 = /^[!"%-?A-Z_a-z]+$/;
const DIGITS = /^\d+$/;

function interpreted(ai: string): AiDef | undefined {
  const m = ai.length === 4 ? MEASURES[ai.slice(0, 3)] : undefined;
  return AI_DEFS[ai] ?? (m ? measure(m) : undefined);
}

type AiHead = { ai: string; def: AiDef; known: boolean } | { error: Gs1Error };

function readAi(s: string, at: number): AiHead {
  const two = s.slice(at, at + 2);
  if (!/^\d\d$/.test(two)) {
    return { error: { code: 'bad_value', at, message: `expected an application identifier (digits) at ${at}, found ${JSON.stringify(s.slice(at, at + 4))}` } };
  }
  const len = aiLength(Number(two));
  const ai = len === null ? two : s.slice(at, at + len);
  if (len === null || ai.length < len || !DIGITS.test(ai)) {
    return { error: { code: 'unknown_ai', at, ai, message: `${ai} at ${at} is not a GS1 application identifier` } };
  }
  const def = interpreted(ai);
  if (def) return { ai, def, known: true };
  const fixed = PREDEFINED[two];
  // Assigned by the specifications but not interpreted here: read by the structure alone.
  return { ai, def: fixed !== undefined ? { title: 'UNKNOWN', length: fixed } : { title: 'UNKNOWN', max: 90 }, known: false };
}

function daysInMonth(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** GS1 sliding century: a year more than 50 ahead is last century's, more than 49 back next century's. */
function fullYear(yy: number, referenceYear: number): number {
  const ref = referenceYear % 100;
  const century = referenceYear - ref;
  const diff = yy - ref;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** YYMMDD → YYYY-MM-DD, or null when it is not a date. */
export function gs1Date(yymmdd: string, referenceYear = new Date().getUTCFullYear()): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = fullYear(Number(yymmdd.slice(0, 2)), referenceYear);
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return null;
  const last = daysInMonth(year, month);
  if (day === 0) day = last;
  if (day > last) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function checkValue(ai: string, def: AiDef, value: string, at: number): Gs1Error | null {
  const where = { at, ai };
  if (value.length === 0) return { code: 'bad_value', ...where, message: `AI ${ai} (${def.title}) is empty` };
  if (def.numeric ? !DIGITS.test(value) : !CSET82.test(value)) {
    const bad = [...value].find((c) => !(def.numeric ? /\d/.test(c) : CSET82.test(c))) ?? '';
    const hint = /[\u0400-\u04ff]/.test(bad) ? ' (a Cyrillic letter: the code was typed with the Russian layout active)' : '';
    return { code: 'bad_value', ...where, message: `AI ${ai} (${def.title}) may not contain ${JSON.stringify(bad)}${hint}` };
  }
  if (def.check && gtinCheckDigit(value.slice(0, -1)) !== Number(value.slice(-1))) {
    return { code: 'bad_check_digit', ...where, message: `AI ${ai} (${def.title}) ${value}: wrong check digit` };
  }
  // Whether 29 February exists depends on the century, which only the reference year settles.
  if (def.date && gs1Date(value, 2000) === null && gs1Date(value, 2050) === null) {
    return { code: 'bad_date', ...where, message: `AI ${ai} (${def.title}) ${value} is not a date (YYMMDD)` };
  }
  if (def.decimals && Number(ai.at(-1)) > 5) return { code: 'bad_value', ...where, message: `AI ${ai}: at most 5 decimals` };
  return null;
}

interface Parsed {
  elements: Gs1Element[];
  warnings: Gs1Warning[];
}

/**
 * The standard reading: a fixed-length value by its length, a variable-length one up to the next
 * separator or the end.
 */
function parseStrict(s: string): Parsed | Gs1Error {
  const elements: Parsed['elements'] = [];
  const warnings: Gs1Warning[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === GS) {
      i++;
      continue;
    }
    const head = readAi(s, i);
    if ('error' in head) return head.error;
    const { ai, def } = head;
    if (!head.known) warnings.push({ code: 'unknown_ai', ai, message: `AI ${ai} is not interpreted; its value is kept as is` });
    const v = i + ai.length;
    let value: string;
    if (def.length !== undefined) {
      if (v + def.length > s.length || s.slice(v, v + def.length).includes(GS)) {
        return { code: 'truncated', at: i, ai, message: `AI ${ai} (${def.title}) needs ${def.length} characters` };
      }
      value = s.slice(v, v + def.length);
      i = v + def.length;
      if (!isPredefined(ai) && i < s.length && s[i] !== GS) {
        warnings.push({ code: 'separator_missing', ai, message: `no separator after AI ${ai}; its fixed length tells where it ends` });
      }
    } else {
      const g = s.indexOf(GS, v);
      const end = g < 0 ? s.length : g;
      value = s.slice(v, end);
      const max = def.max ?? 90;
      if (value.length > max) {
        return {
          code: 'value_too_long',
          at: i,
          ai,
          message: `AI ${ai} (${def.title}) is ${value.length} characters, at most ${max}: a separator after it is missing`,
        };
      }
      i = end;
    }
    const bad = checkValue(ai, def, value, v);
    if (bad) return bad;
    elements.push({ ai, value });
  }
  return { elements, warnings };
}

const CAP = 2;
const LB_GRAMS = 453.59237;
type Reading = Gs1Element[];

/**
 * Every reading of a separator-free string (up to CAP): a variable-length value may end anywhere
 * the rest still reads as valid elements. Interpreted AIs only: an unknown one could be anything.
 */
function allReadings(s: string): Reading[] {
  const memo = new Map<number, Reading[]>();
  const from = (p: number): Reading[] => {
    if (p === s.length) return [[]];
    const hit = memo.get(p);
    if (hit) return hit;
    const out: Reading[] = [];
    memo.set(p, out);
    const head = readAi(s, p);
    if ('error' in head || !head.known) return out;
    const { ai, def } = head;
    const v = p + ai.length;
    if (def.length !== undefined) {
      const value = s.slice(v, v + def.length);
      if (value.length !== def.length || checkValue(ai, def, value, v)) return out;
      for (const rest of from(v + def.length)) {
        out.push([{ ai, value }, ...rest]);
        if (out.length >= CAP) break;
      }
      return out;
    }
    const max = Math.min(def.max ?? 90, s.length - v);
    const allowed = def.numeric ? DIGITS : CSET82;
    for (let k = 1; k <= max && out.length < CAP; k++) {
      if (!allowed.test(s.charAt(v + k - 1))) break; // a bad character stays in every longer value
      const value = s.slice(v, v + k);
      for (const rest of from(v + k)) {
        out.push([{ ai, value }, ...rest]);
        if (out.length >= CAP) break;
      }
    }
    return out;
  };
  return from(0);
}

/**
 * Честный знак layouts: 01 GTIN, 21 serial (13, 7 or 6), then 91 key (4) + 92 code (44 or 88), or
 * [8005 price (6)] + 93 tail (4); whatever follows must read one way only.
 */
function markingReadings(s: string, serialLengths: readonly number[]): Reading[] {
  if (!/^01\d{14}21/.test(s) || !isValidGtin(s.slice(2, 16))) return [];
  const gtin = { ai: '01', value: s.slice(2, 16) };
  const serialAt = 18;
  const found = new Map<string, Reading>();
  const tailOk = (rest: string): Reading | null => {
    if (rest.length === 0) return [];
    const r = allReadings(rest);
    return r.length === 1 ? (r[0] ?? null) : null;
  };
  const add = (r: Reading): void => {
    found.set(r.map((e) => `${e.ai}\u0000${e.value}`).join('\u0001'), r);
  };
  for (const len of new Set(serialLengths)) {
    const serial = s.slice(serialAt, serialAt + len);
    if (serial.length !== len || !CSET82.test(serial)) continue;
    const head = [gtin, { ai: '21', value: serial }];
    let p = serialAt + len;
    const price: Reading = [];
    if (s.startsWith('8005', p) && /^\d{6}$/.test(s.slice(p + 4, p + 10))) {
      price.push({ ai: '8005', value: s.slice(p + 4, p + 10) });
      p += 10;
    }
    if (s.startsWith('93', p)) {
      const tail = s.slice(p + 2, p + 6);
      const rest = tail.length === 4 && CSET82.test(tail) ? tailOk(s.slice(p + 6)) : null;
      if (rest) add([...head, ...price, { ai: '93', value: tail }, ...rest]);
    } else if (price.length === 0 && s.startsWith('91', p) && s.startsWith('92', p + 6)) {
      const key = s.slice(p + 2, p + 6);
      if (!CSET82.test(key)) continue;
      for (const sigLen of MARKING_SIGNATURE_LENGTHS) {
        const sig = s.slice(p + 8, p + 8 + sigLen);
        if (sig.length !== sigLen || !CSET82.test(sig)) continue;
        const rest = tailOk(s.slice(p + 8 + sigLen));
        if (rest) add([...head, { ai: '91', value: key }, { ai: '92', value: sig }, ...rest]);
      }
    }
  }
  return [...found.values()];
}

/** FNC1 first in the symbol may come as a leading GS; a trailing one ends nothing. */
function trimSeparators(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === GS) a++;
  while (b > a && s[b - 1] === GS) b--;
  return s.slice(a, b);
}

const GS1_IDENTIFIERS: Readonly<Record<string, Gs1Symbology>> = {
  ']C1': 'gs1-128',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']Q4': 'gs1-qr',
  ']e0': 'gs1-databar',
  ']J1': 'gs1-dotcode',
};

const PLAIN_NAMES: Readonly<Record<PlainKind, string>> = { ean13: 'EAN-13', ean8: 'EAN-8', upca: 'UPC-A', gtin14: 'GTIN-14 (ITF-14)' };

/** The human-readable form `(01)04600000000015(21)ABC`: typed by a person; brackets delimit every element. */
function parseHri(s: string): Reading | Gs1Error {
  if (!/^(\(\d{2,4}\)[^()]+)+$/.test(s)) return { code: 'not_gs1', message: 'brackets that do not form (AI)value groups' };
  const out: Reading = [];
  for (const m of s.matchAll(/\((\d{2,4})\)([^()]+)/g)) {
    const [, ai = '', value = ''] = m;
    const head = readAi(ai, 0);
    if ('error' in head) return head.error;
    if (head.ai !== ai) return { code: 'unknown_ai', ai, message: `(${ai}) is not a GS1 application identifier` };
    const { def } = head;
    if (def.length !== undefined && value.length !== def.length) {
      return { code: 'truncated', ai, message: `AI ${ai} (${def.title}) needs ${def.length} characters, has ${value.length}` };
    }
    if (def.max !== undefined && value.length > def.max) return { code: 'value_too_long', ai, message: `AI ${ai} (${def.title}) is longer than ${def.max}` };
    const bad = checkValue(ai, def, value, m.index ?? 0);
    if (bad) return bad;
    out.push({ ai, value });
  }
  return out;
}

/** A plain retail barcode: digits only, a GTIN length, a valid check digit. */
export function plainGtinKind(code: string): PlainKind | null {
  if (!isValidGtin(code)) return null;
  switch (code.length) {
    case 8:
      return 'ean8';
    case 12:
      return 'upca';
    case 13:
      return 'ean13';
    default:
      return 'gtin14';
  }
}

/** The EAN-13 of a GTIN-14 with indicator digit 0 (a consumer unit); null for cases and pallets (1-9). */
export function gtinToEan13(gtin14: string): string | null {
  if (gtin14.length !== 14 || gtin14[0] !== '0' || !isValidGtin(gtin14)) return null;
  return gtin14.slice(1);
}

/** Forms a catalog may keep this GTIN-14 under, most likely first: EAN-13, UPC-A, EAN-8, GTIN-14. */
export function gtinLookupKeys(gtin14: string): string[] {
  if (!/^\d{14}$/.test(gtin14) || !isValidGtin(gtin14)) return [];
  const keys: string[] = [];
  if (gtin14.startsWith('0')) keys.push(gtin14.slice(1));
  if (gtin14.startsWith('00')) keys.push(gtin14.slice(2));
  if (gtin14.startsWith('000000')) keys.push(gtin14.slice(6));
  keys.push(gtin14);
  return keys;
}

/** Cheap test for "worth parsing as GS1": an identifier, a separator, or a leading AI 00/01/02 with a valid number. */
export function looksLikeGs1(code: string): boolean {
  if (/^\][CdQeJ]/.test(code) || code.includes(GS)) return true;
  if (/^0[12]\d{14}/.test(code)) return code.length > 16 || isValidGtin(code.slice(2, 16));
  return /^00\d{18}/.test(code);
}

function canonical(elements: readonly Gs1Element[]): string {
  return elements.map((e, i) => e.ai + e.value + (i < elements.length - 1 && !isPredefined(e.ai) ? GS : '')).join('');
}

function describeAmbiguity(readings: Reading[]): string {
  const [a, b] = readings;
  if (!a || !b) return 'more than one reading fits';
  const i = a.findIndex((e, k) => e.ai !== b[k]?.ai || e.value !== b[k]?.value);
  const e = a[i];
  const f = b[i];
  if (!e || !f || e.ai !== f.ai) return 'more than one reading fits';
  const def = interpreted(e.ai);
  const name = def ? ` (${def.title})` : '';
  return `AI ${e.ai}${name} has no fixed length and no separator ends it (the GS was lost): it reads as ${JSON.stringify(e.value)} or ${JSON.stringify(f.value)}`;
}

function build(raw: string, symbology: Gs1Symbology | undefined, elements: readonly Gs1Element[], warnings: Gs1Warning[], referenceYear: number): Gs1Result {
  const out: Gs1Data = { raw, elementString: canonical(elements), ais: elements.map(({ ai, value }) => ({ ai, value })), isMarkingCode: false, warnings };
  if (symbology) out.symbology = symbology;
  const seen = new Map<string, string>();
  for (const { ai, value } of elements) {
    const before = seen.get(ai);
    if (before !== undefined && before !== value) {
      return { ok: false, error: { code: 'duplicate_ai', ai, message: `AI ${ai} appears twice with different values` } };
    }
    seen.set(ai, value);
    const day = (): string => gs1Date(value, referenceYear) ?? value;
    switch (ai) {
      case '00':
        out.sscc = value;
        break;
      case '01':
        out.gtin = value;
        break;
      case '02':
        out.content = value;
        break;
      case '10':
        out.batch = value;
        break;
      case '11':
        out.productionDate = day();
        break;
      case '13':
        out.packDate = day();
        break;
      case '15':
        out.bestBefore = day();
        break;
      case '16':
        out.sellBy = day();
        break;
      case '17':
        out.expiry = day();
        break;
      case '21':
        out.serial = value;
        break;
      case '30':
      case '37':
        out.count = Number(value);
        break;
      case '91':
        out.verificationKey = value;
        break;
      case '92':
        out.verificationCode = value;
        break;
      case '93':
        out.cryptoTail = value;
        break;
      default:
        if (ai.length === 4 && ai.startsWith('310')) out.weightGrams = Math.round(Number(value) * 10 ** (3 - Number(ai[3])));
        else if (ai.length === 4 && ai.startsWith('320') && out.weightGrams === undefined) {
          out.weightGrams = Math.round((Number(value) / 10 ** Number(ai[3])) * LB_GRAMS);
        }
    }
  }
  out.isMarkingCode = Boolean(out.gtin && out.serial && (out.cryptoTail || (out.verificationKey && out.verificationCode)));
  return { ok: true, value: out };
}

/** Parse what a scanner delivered as a GS1 element string. Never throws. */
export function parseGs1(input: string, opts: Gs1Options = {}): Gs1Result {
  const fail = (error: Gs1Error): Gs1Result => ({ ok: false, error });
  if (input.length === 0) return fail({ code: 'empty', message: 'nothing was scanned' });
  if (input.length > GS1_MAX_INPUT) return fail({ code: 'too_long', message: `${input.length} characters: longer than any GS1 code` });
  const referenceYear = opts.referenceYear ?? new Date().getUTCFullYear();
  let s = input.replace(/[\r\n]+$/, '');
  let symbology: Gs1Symbology | undefined;
  const id = /^\][A-Za-z][0-9A-Za-z]/.exec(s)?.[0];
  if (id) {
    symbology = GS1_IDENTIFIERS[id];
    s = s.slice(3);
    if (!symbology) {
      const plain = plainGtinKind(s);
      return fail({ code: 'not_gs1', message: `symbology identifier ${id} is not a GS1 one (no FNC1)`, ...(plain ? { plain } : {}) });
    }
  }
  for (const sub of opts.fnc1Substitutes ?? []) if (sub.length > 0) s = s.split(sub).join(GS);
  s = trimSeparators(s);
  if (!symbology) {
    const plain = plainGtinKind(s);
    if (plain) return fail({ code: 'not_gs1', plain, message: `a plain ${PLAIN_NAMES[plain]} barcode, not a GS1 element string` });
  }
  if (s.startsWith('(')) {
    const hri = parseHri(s);
    if ('code' in hri) return fail(hri);
    return build(input, symbology, hri, [], referenceYear);
  }
  if (s.length === 0) return fail({ code: 'empty', message: 'only separators were scanned' });
  if (!/^\d\d/.test(s)) return fail({ code: 'not_gs1', message: 'does not start with an application identifier' });

  const strict = parseStrict(s);
  const fromStrict = (): Gs1Result => ('code' in strict ? fail(strict) : build(input, symbology, strict.elements, strict.warnings, referenceYear));
  if (s.includes(GS) || opts.separatorsKept) return fromStrict();

  // No separator anywhere: the string may have lost them (a keyboard wedge does).
  const recovered: Gs1Warning = { code: 'separators_recovered', message: 'no separators in the code: element boundaries taken from the known lengths' };
  const gtinOf = (r: Reading[]): string | undefined => {
    const g = r[0]?.[0];
    return g?.ai === '01' && r.every((x) => x[0]?.value === g.value) ? g.value : undefined;
  };
  const ambiguous = (r: Reading[]): Gs1Result => {
    const gtin = gtinOf(r);
    return fail({ code: 'ambiguous', message: describeAmbiguity(r), ...(gtin ? { gtin } : {}) });
  };
  /** A reading the standard one agrees with needs no warning of its own. */
  const warningsFor = (r: Reading): Gs1Warning[] => {
    if ('code' in strict) return [recovered];
    const same = strict.elements.length === r.length && strict.elements.every((e, i) => e.ai === r[i]?.ai && e.value === r[i]?.value);
    return same ? strict.warnings : [recovered];
  };

  const marking = markingReadings(s, opts.markingSerialLengths ?? DEFAULT_SERIAL_LENGTHS);
  if (marking.length > 1) return ambiguous(marking);
  const [onlyMarking] = marking;
  if (onlyMarking) return build(input, symbology, onlyMarking, warningsFor(onlyMarking), referenceYear);

  const readings = allReadings(s);
  if (readings.length > 1) return ambiguous(readings);
  const [only] = readings;
  if (only) return build(input, symbology, only, warningsFor(only), referenceYear);
  // Nothing reads: a character no GS1 code can hold says more than "too long" does.
  const chars = [...s];
  const stray = chars.findIndex((c) => !CSET82.test(c));
  if ('code' in strict && stray >= 0) {
    const c = chars[stray] ?? '';
    const hint = /[\u0400-\u04ff]/.test(c) ? ': a Cyrillic letter, the code was typed with the Russian layout active' : '';
    return fail({ code: 'bad_value', at: stray, message: `${JSON.stringify(c)} cannot be part of a GS1 code${hint}` });
  }
  return fromStrict();
}
