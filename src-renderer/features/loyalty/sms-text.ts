import { smsSegments, type SmsEncoding } from '../../../src-common/sms.js';
import { SMS_PLACEHOLDERS, SMS_PURPOSE_OF, type SmsPurpose, type SmsTextKind } from '../../../src-common/sms-schemas.js';

/**
 * An SMS text as the editor sees it while the owner types: its placeholders, the text a customer
 * would get with sample values, and what it costs (encoding and parts, by src-common/sms.ts). The
 * filling rules are the backend's (src-main/sms/templates.ts): `{name}` or `{name|fallback}`, an
 * unknown placeholder left as typed; `sms.preview` stays the authority, this is the live count.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}\r\n]*))?\}/g;

/** Placeholders a text uses, each once, in order. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Placeholders this kind of text does not know (it cannot be saved or sent with them). */
export function unknownPlaceholders(text: string, kind: SmsTextKind): string[] {
  const known = SMS_PLACEHOLDERS[kind];
  return placeholdersIn(text).filter((p) => !known.includes(p));
}

/**
 * The backend's sample values (templates.ts `sampleValues`): a template that fits with these is
 * what `sms.saveSettings` accepts, so the live count and the save agree.
 */
export function sampleValues(storeName: string, surveyUrl: string): Record<string, string> {
  return {
    name: 'Анастасия',
    points: '125',
    balance: '1480',
    coupon: 'BDAY-2026-01J9Z3K8QX',
    store: storeName,
    url: surveyUrl.trim() !== '' ? surveyUrl.trim() : 'https://example.ru/survey',
  };
}

/** A value as it goes into a message: control and format characters become spaces, runs of spaces one. */
function cleanValue(v: string | undefined): string {
  if (v === undefined) return '';
  return v
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The text with its known placeholders filled from `values` (an empty value takes the fallback). */
export function renderSample(text: string, kind: SmsTextKind, values: Readonly<Record<string, string>>): string {
  const unknown = new Set(unknownPlaceholders(text, kind));
  return text
    .replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
      if (unknown.has(name)) return whole;
      const v = cleanValue(values[name]);
      return v !== '' ? v : cleanValue(fallback);
    })
    .trim();
}

export interface SmsCount {
  /** The text as the sample customer gets it. */
  rendered: string;
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  units: number;
  /** 160/153 (GSM-7) or 70/67 (UCS-2): what one part holds. */
  perSegment: number;
  segments: number;
  /** Left in the last part before another is needed. */
  remaining: number;
  /** Characters that forced UCS-2. */
  nonGsm: string[];
  unknown: string[];
  maxSegments: number;
  /** More parts than the settings allow: the message would not be sent. */
  tooLong: boolean;
  purpose: SmsPurpose;
}

/** The live counter under an SMS editor. */
export function countSms(text: string, kind: SmsTextKind, values: Readonly<Record<string, string>>, maxSegments: number): SmsCount {
  const rendered = renderSample(text, kind, values);
  const s = smsSegments(rendered);
  return {
    rendered,
    encoding: s.encoding,
    units: s.units,
    perSegment: s.perSegment,
    segments: s.segments,
    remaining: s.remaining,
    nonGsm: s.nonGsm,
    unknown: unknownPlaceholders(text, kind),
    maxSegments,
    tooLong: s.segments > maxSegments,
    purpose: SMS_PURPOSE_OF[kind],
  };
}

/** A placeholder chip clicked: `{name}` replaces the selection (or goes at the caret); the caret ends after it. */
export function insertPlaceholder(text: string, start: number, end: number, name: string): { text: string; caret: number } {
  const a = Math.max(0, Math.min(start, text.length));
  const b = Math.max(a, Math.min(end, text.length));
  const chip = `{${name}}`;
  return { text: text.slice(0, a) + chip + text.slice(b), caret: a + chip.length };
}
