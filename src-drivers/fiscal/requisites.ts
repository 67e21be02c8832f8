import { FiscalError, type FiscalCorrection, type FiscalReceipt, type IndustryRequisite } from './registrar.js';

/**
 * Correction (tags 1173/1174) and industry (tag 1260) requisites: what every driver checks before a
 * receipt reaches its registrar, and the date forms both emulators read back. Lengths from the
 * vendor's TLV table (shtrih-m/javapos_shtrih, Source/Core/src/com/shtrih/fiscalprinter/TLVTags.java):
 * 1173 byte; 1174 STLV of 1178 (UnixTime, 4 bytes) and 1179 (string ≤ 32); 1260 STLV of 1262
 * (string 3), 1263 (string 10, "DD.MM.YYYY"), 1264 (string ≤ 32), 1265 (string; the table says
 * 265, the ФФД 256: the smaller is used).
 */

/** Tag 1173: 0 self-initiated, 1 by the tax authority's instruction. */
export const TAG_1173: Readonly<Record<FiscalCorrection['type'], number>> = { self: 0, instruction: 1 };

export const MAX_1179 = 32;
export const MAX_1264 = 32;
export const MAX_1265 = 256;

export interface DayDate {
  year: number;
  month: number;
  day: number;
}

function validDay(year: number, month: number, day: number): DayDate | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Tag 1263 as the ФНС order prints it: DD.MM.YYYY, a real calendar day; null otherwise. */
export function parseRequisiteDate(s: string): DayDate | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  return m ? validDay(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

/** YYYY.MM.DD (ATOL's date form) → the day; null when malformed. */
export function parseDottedYmd(s: string): DayDate | null {
  const m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(s);
  return m ? validDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** The day as ISO "YYYY-MM-DD": how the emulators record a date the ФН keeps without a time. */
export const isoDay = (d: DayDate): string => `${d.year}-${p2(d.month)}-${p2(d.day)}`;

/** The local calendar day of an instant, in a clock `tzOffsetMin` east of UTC. */
export function localDay(ms: number, tzOffsetMin: number): DayDate {
  const d = new Date(ms + tzOffsetMin * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function bad(message: string): FiscalError {
  return new FiscalError('bad_data', message);
}

export function checkCorrection(c: FiscalCorrection): void {
  if (c.type !== 'self' && c.type !== 'instruction') throw bad(`correction type "${String(c.type)}" is neither self nor instruction`);
  if (!Number.isSafeInteger(c.baseDate) || c.baseDate <= 0) throw bad('the correction needs the date of the settlement it corrects (tag 1178)');
  if (typeof c.baseNumber !== 'string' || c.baseNumber.length > MAX_1179) throw bad(`the instruction number (tag 1179) is longer than ${MAX_1179} characters`);
  if (c.type === 'instruction' && c.baseNumber.trim() === '') throw bad('a correction by instruction needs the instruction number (tag 1179)');
}

export function checkIndustry(req: IndustryRequisite, line: string): void {
  if (!/^\d{3}$/.test(req.foiv)) throw bad(`line "${line}": the ФОИВ id (tag 1262) must be three digits, got "${req.foiv}"`);
  if (parseRequisiteDate(req.date) === null) throw bad(`line "${line}": the document date (tag 1263) must be DD.MM.YYYY, got "${req.date}"`);
  if (req.number.length === 0 || req.number.length > MAX_1264) throw bad(`line "${line}": the document number (tag 1264) must be 1-${MAX_1264} characters`);
  if (req.value.length === 0 || req.value.length > MAX_1265) throw bad(`line "${line}": the requisite value (tag 1265) must be 1-${MAX_1265} characters`);
}

/** The receipt's correction and industry requisites, checked before anything is sent. */
export function checkRequisites(r: FiscalReceipt): void {
  if (r.correction !== undefined) checkCorrection(r.correction);
  for (const l of r.lines) if (l.industry !== undefined) checkIndustry(l.industry, l.name);
}
