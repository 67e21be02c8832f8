import { smsSegments, type SmsEncoding } from '../../../src-common/sms.js';
import { SMS_PURPOSE_OF, type SmsPurpose, type SmsTextKind } from '../../../src-common/sms-schemas.js';
import { fillPlaceholders, unknownPlaceholders } from '../../../src-common/sms-templates.js';

/**
 * An SMS text as the editor sees it while the owner types: the text a customer would get with
 * sample values, and what it costs (encoding and parts, by src-common/sms.ts). The filling rules are
 * the backend's (src-common/sms-templates.ts); `sms.preview` stays the authority, this is the live count.
 */
export { placeholdersIn, sampleValues, unknownPlaceholders } from '../../../src-common/sms-templates.js';

/** The text with its known placeholders filled from `values` (an empty value takes the fallback); unknown ones left as typed. */
export function renderSample(text: string, kind: SmsTextKind, values: Readonly<Record<string, string>>): string {
  return fillPlaceholders(text, values, new Set(unknownPlaceholders(text, kind)));
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
