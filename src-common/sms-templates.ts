import { SMS_PLACEHOLDERS, type SmsTextKind } from './sms-schemas.js';

/**
 * The rules of an SMS template, one copy for the backend (which sends) and the editor (which counts
 * as the owner types): `{name}` or `{name|what to write when the value is empty}`.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}\r\n]*))?\}/g;

/** The values a text is filled with (numbers are written as plain digits). */
export type SmsValues = Readonly<Partial<Record<string, string | number | null>>>;

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
 * A value as it may go into a message: control and format characters (line breaks, bidi overrides,
 * zero-width joiners) become spaces, runs of spaces one, trimmed. A customer's name typed at the
 * till cannot break a message or smuggle text direction changes into it.
 */
export function cleanValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return String(v)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The text with its placeholders filled (an empty value takes the fallback), those in `keep` left as typed; trimmed. */
export function fillPlaceholders(text: string, values: SmsValues, keep: ReadonlySet<string> = new Set()): string {
  return text
    .replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
      if (keep.has(name)) return whole;
      const v = cleanValue(values[name]);
      return v !== '' ? v : cleanValue(fallback);
    })
    .trim();
}

/**
 * Values that look like a real customer's, for previews and for checking a template's length on
 * save: the editor counts with the same ones, so its live count and the save agree.
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
