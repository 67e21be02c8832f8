import type { TFunction } from 'i18next';
import { parseMoney } from '../../../src-common/money.js';
import {
  SMS_TRIGGER_KINDS,
  SmsAudienceSchema,
  SmsSettingsSaveSchema,
  type SmsAudience,
  type SmsCampaignPreview,
  type SmsSettingsSave,
  type SmsSettingsView,
  type SmsTriggerKind,
} from '../../../src-common/sms-schemas.js';
import { issueText, pathKey, type NumberKind } from './form-issues.js';
import { parseWhole } from './loyalty-format.js';
import type { Formats } from './programme-draft.js';
import { countSms } from './sms-text.js';

export interface TemplateDraft {
  enabled: boolean;
  text: string;
}

/** The SMS settings as the form holds them: numbers as typed; the API key only ever typed, never shown. */
export interface SmsDraft {
  enabled: boolean;
  /** This till sends the day's birthday and win-back messages (one till of a chain should). */
  dailyTriggers: boolean;
  provider: 'emulator' | 'smsru';
  /** A key is stored (the screen never learns which). */
  apiKeySet: boolean;
  /** A new key typed to replace the stored one ('' keeps it). */
  apiKey: string;
  /** Remove the stored key on save. */
  removeKey: boolean;
  sender: string;
  lowBalanceAlert: string;
  maxSegments: string;
  quietFrom: number;
  quietTo: number;
  templates: Record<SmsTriggerKind, TemplateDraft>;
  surveyUrl: string;
  surveyDelay: string;
  winbackDays: string;
  winbackFactor: string;
}

export type SmsSaveSettings = SmsSettingsSave['settings'];

function decimalText(n: number, minorDigits: number, lang: 'ru' | 'en'): string {
  const s = String(Number(n.toFixed(minorDigits)));
  return lang === 'ru' ? s.replace('.', ',') : s;
}

export function toSmsDraft(v: SmsSettingsView, f: Formats, lang: 'ru' | 'en'): SmsDraft {
  return {
    enabled: v.enabled,
    dailyTriggers: v.dailyTriggers,
    provider: v.provider,
    apiKeySet: v.apiKeySet,
    apiKey: '',
    removeKey: false,
    sender: v.sender,
    lowBalanceAlert: f.money(v.lowBalanceAlert),
    maxSegments: String(v.maxSegments),
    quietFrom: v.quietHours.from,
    quietTo: v.quietHours.to,
    templates: {
      points: { ...v.templates.points },
      birthday: { ...v.templates.birthday },
      winback: { ...v.templates.winback },
      survey: { ...v.templates.survey },
    },
    surveyUrl: v.surveyUrl,
    surveyDelay: String(v.surveyDelayMinutes),
    winbackDays: String(v.winback.minDaysSinceLast),
    winbackFactor: decimalText(v.winback.factorOfUsualInterval, 2, lang),
  };
}

/** "2", "1,5", "1.25" → a number (two decimals at most); null otherwise. */
export function parseDecimal(text: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

/** How a settings field is typed, by its path (for the bounds in a message). */
function kindOf(path: string): NumberKind {
  return path === 'lowBalanceAlert' ? 'money' : 'int';
}

/** The key the editor shows an error under for a template's text. */
export function templateKey(kind: SmsTriggerKind): string {
  return `templates.${kind}.text`;
}

/**
 * What `sms.saveSettings` would refuse, found before sending: unknown placeholders in any
 * template, an enabled one longer than the parts allowed (with the sample values, as the backend
 * counts), the survey switched on with no link, SMS.ru switched on with no key.
 */
function templateProblems(d: SmsDraft, settings: SmsSaveSettings, sample: Readonly<Record<string, string>>, t: TFunction, checkLength: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const kind of SMS_TRIGGER_KINDS) {
    const tpl = d.templates[kind];
    const c = countSms(tpl.text, kind, sample, settings.maxSegments);
    if (c.unknown.length > 0) errors[templateKey(kind)] = t('loyalty.sms.errors.unknown', { list: c.unknown.map((u) => `{${u}}`).join(', ') });
    else if (checkLength && tpl.enabled && c.tooLong) errors[templateKey(kind)] = t('loyalty.sms.errors.tooLong', { segments: c.segments, max: settings.maxSegments });
  }
  if (d.templates.survey.enabled && settings.surveyUrl === '') errors.surveyUrl = t('loyalty.sms.errors.surveyNeedsUrl');
  const keyAfterSave = settings.apiKey === undefined ? d.apiKeySet : settings.apiKey !== '';
  if (settings.enabled && settings.provider === 'smsru' && !keyAfterSave) errors.apiKey = t('loyalty.sms.errors.keyRequired');
  return errors;
}

/**
 * The draft as `sms.saveSettings` params, checked by the backend's own schema and template rules:
 * either the settings, or a translated message per field path.
 */
export function smsFromDraft(
  d: SmsDraft,
  f: Formats,
  t: TFunction,
  sample: Readonly<Record<string, string>>,
): { settings: SmsSaveSettings } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const int = (path: string, text: string): number => {
    const n = parseWhole(text);
    if (n === null) {
      errors[path] = t('loyalty.form.int');
      return 0;
    }
    return n;
  };
  const low = parseMoney(d.lowBalanceAlert.trim() === '' ? '0' : d.lowBalanceAlert, f.minorDigits);
  if (low === null) errors.lowBalanceAlert = t('loyalty.form.money');
  const factor = parseDecimal(d.winbackFactor);
  if (factor === null) errors['winback.factorOfUsualInterval'] = t('loyalty.sms.errors.factor');
  const newKey = d.apiKey.trim();
  const candidate: SmsSaveSettings = {
    enabled: d.enabled,
    dailyTriggers: d.dailyTriggers,
    provider: d.provider,
    ...(d.removeKey ? { apiKey: '' } : newKey !== '' ? { apiKey: newKey } : {}),
    sender: d.sender.trim(),
    lowBalanceAlert: low ?? 0,
    maxSegments: int('maxSegments', d.maxSegments),
    quietHours: { from: d.quietFrom, to: d.quietTo },
    templates: {
      points: { ...d.templates.points },
      birthday: { ...d.templates.birthday },
      winback: { ...d.templates.winback },
      survey: { ...d.templates.survey },
    },
    surveyUrl: d.surveyUrl.trim(),
    surveyDelayMinutes: int('surveyDelayMinutes', d.surveyDelay),
    winback: { minDaysSinceLast: int('winback.minDaysSinceLast', d.winbackDays), factorOfUsualInterval: factor ?? 0 },
  };
  const parsed = SmsSettingsSaveSchema.safeParse({ settings: candidate });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = pathKey(issue.path.slice(1));
      if (errors[key]) continue;
      if (key === 'sender') errors[key] = t('loyalty.sms.errors.sender');
      else if (key === 'surveyUrl' && issue.code === 'custom') errors[key] = t('loyalty.sms.errors.url');
      else if (key.startsWith('templates.') && issue.code === 'custom') errors[key] = t('loyalty.sms.errors.empty');
      else errors[key] = issueText(issue, kindOf(key), t, (k, n) => (k === 'money' ? f.money(n) : String(n)));
    }
  }
  // Every problem at once: the template rules too, even while another field is wrong.
  const settings = parsed.success ? parsed.data.settings : candidate;
  const problems = templateProblems(d, settings, sample, t, errors.maxSegments === undefined);
  for (const [key, text] of Object.entries(problems)) errors[key] ??= text;
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  return { settings: parsed.data.settings };
}

/**
 * A refusal of `sms.saveSettings` as a message under its field (a template the backend found too
 * long with a store name longer than expected, the key SMS.ru needs); null when it belongs to no field.
 */
export function saveErrorFields(code: string, details: Readonly<Record<string, unknown>>, t: TFunction): Record<string, string> | null {
  if (code === 'template_invalid' && typeof details.kind === 'string' && (SMS_TRIGGER_KINDS as readonly string[]).includes(details.kind)) {
    const kind = details.kind as SmsTriggerKind;
    if (details.reason === 'no_url') return { surveyUrl: t('loyalty.sms.errors.surveyNeedsUrl') };
    if (details.reason === 'too_long') return { [templateKey(kind)]: t('loyalty.sms.errors.tooLong', { segments: Number(details.segments), max: Number(details.max) }) };
    const list = typeof details.unknown === 'string' ? details.unknown.split(',').map((u) => `{${u}}`).join(', ') : '';
    return { [templateKey(kind)]: t('loyalty.sms.errors.unknown', { list }) };
  }
  if (code === 'validation' && details.field === 'apiKey') return { apiKey: t('loyalty.sms.errors.keyRequired') };
  return null;
}

/** A campaign's audience as the form holds it (the spend as typed). */
export interface AudienceDraft {
  lapsed: boolean;
  birthdayThisMonth: boolean;
  minSpend: string;
}

export const NEW_AUDIENCE: AudienceDraft = { lapsed: false, birthdayThisMonth: false, minSpend: '' };

/** The audience for `sms.campaignPreview` / `sms.campaignSend`, or null when the spend is not an amount. */
export function audienceFromDraft(d: AudienceDraft, minorDigits: number): SmsAudience | null {
  const spend = d.minSpend.trim() === '' ? null : parseMoney(d.minSpend, minorDigits);
  if (spend === null && d.minSpend.trim() !== '') return null;
  const parsed = SmsAudienceSchema.safeParse({ lapsed: d.lapsed, birthdayThisMonth: d.birthdayThisMonth, minSpend: spend });
  return parsed.success ? parsed.data : null;
}

/** A campaign being written: kept by the Messages panel, so a look at the log does not lose it. */
export interface CampaignDraft {
  name: string;
  text: string;
  audience: AudienceDraft;
  /** The last preview, and what it was asked for (see sms-view `campaignKey`). */
  preview: { key: string; result: SmsCampaignPreview } | null;
}

export const NEW_CAMPAIGN: CampaignDraft = { name: '', text: '', audience: NEW_AUDIENCE, preview: null };
