import { AppError } from '../../src-common/errors.js';
import { smsSegments } from '../../src-common/sms.js';
import { SMS_TRIGGER_KINDS, type SmsPreview, type SmsSettings, type SmsTextKind } from '../../src-common/sms-schemas.js';
import { fillPlaceholders, sampleValues, unknownPlaceholders, type SmsValues } from '../../src-common/sms-templates.js';

export { DEFAULT_SMS_SETTINGS, readSmsSettings, SmsSettingsSchema, type SmsSettings } from '../../src-common/sms-schemas.js';

export { cleanValue, placeholdersIn, sampleValues, unknownPlaceholders, type SmsValues } from '../../src-common/sms-templates.js';

/**
 * The text with its placeholders filled. An unknown placeholder is an error listing them all
 * (`template_invalid`, details.unknown), never sent as typed.
 */
export function renderSms(text: string, kind: SmsTextKind, values: SmsValues): string {
  const unknown = unknownPlaceholders(text, kind);
  if (unknown.length > 0) {
    throw new AppError('template_invalid', `unknown placeholders: ${unknown.map((u) => `{${u}}`).join(', ')}`, { kind, unknown: unknown.join(',') });
  }
  return fillPlaceholders(text, values);
}

/** Does a (rendered) text fit the parts allowed? An empty one does not. */
export function fitsSegments(text: string, maxSegments: number): boolean {
  const s = smsSegments(text);
  return s.segments >= 1 && s.segments <= maxSegments;
}

/**
 * The text as a customer would get it with `sample` values, and what it costs: the encoding and the
 * parts (src-common/sms.ts). An unknown placeholder is listed and left as typed, so an editor still
 * shows the count while the owner types.
 */
export function previewSms(text: string, kind: SmsTextKind, sample: SmsValues, maxSegments: number): SmsPreview {
  const unknown = unknownPlaceholders(text, kind);
  const rendered = fillPlaceholders(text, sample, new Set(unknown));
  const seg = smsSegments(rendered);
  return {
    text: rendered,
    unknown,
    encoding: seg.encoding,
    units: seg.units,
    segments: seg.segments,
    perSegment: seg.perSegment,
    remaining: seg.remaining,
    nonGsm: seg.nonGsm,
    maxSegments,
    fits: unknown.length === 0 && seg.segments >= 1 && seg.segments <= maxSegments,
  };
}

/**
 * Settings about to be saved: every enabled template knows its placeholders and, with sample
 * values, fits `maxSegments` (a real name may still make one message longer: that one is then not
 * sent, and the log says why). Throws `template_invalid` naming the template.
 */
export function checkTemplates(s: SmsSettings, storeName: string): void {
  const sample = sampleValues(storeName, s.surveyUrl);
  for (const kind of SMS_TRIGGER_KINDS) {
    const t = s.templates[kind];
    const p = previewSms(t.text, kind, sample, s.maxSegments);
    if (p.unknown.length > 0) {
      throw new AppError('template_invalid', `unknown placeholders in the ${kind} message: ${p.unknown.map((u) => `{${u}}`).join(', ')}`, {
        kind,
        reason: 'unknown',
        unknown: p.unknown.join(','),
      });
    }
    if (t.enabled && !p.fits) {
      throw new AppError('template_invalid', `the ${kind} message takes ${p.segments} parts, more than ${s.maxSegments}`, {
        kind,
        reason: 'too_long',
        segments: p.segments,
        max: s.maxSegments,
      });
    }
  }
  if (s.templates.survey.enabled && s.surveyUrl === '') {
    throw new AppError('template_invalid', 'the survey message needs the survey link', { kind: 'survey', reason: 'no_url' });
  }
}
