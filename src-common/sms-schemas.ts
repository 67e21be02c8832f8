import { z } from 'zod';
import { isValidSenderName } from './sms.js';
import { MAX_MINOR } from './units.js';

/**
 * SMS to customers: the settings (one setting, `sms`), and the wire schemas of the `sms.*` methods.
 * Money in minor units, instants epoch ms. The API key is write-only: screens learn only whether
 * one is stored.
 */

/** Messages the till writes by itself, and campaigns written by hand. */
export const SMS_TRIGGER_KINDS = ['points', 'birthday', 'winback', 'survey'] as const;
export const SmsTriggerKindSchema = z.enum(SMS_TRIGGER_KINDS);
export type SmsTriggerKind = z.infer<typeof SmsTriggerKindSchema>;
export const SmsTextKindSchema = z.enum([...SMS_TRIGGER_KINDS, 'campaign']);
export type SmsTextKind = z.infer<typeof SmsTextKindSchema>;

export const SmsPurposeSchema = z.enum(['service', 'advertising']);
export type SmsPurpose = z.infer<typeof SmsPurposeSchema>;

/**
 * What each kind of text is, for the consent it needs and the quiet hours: points and the survey
 * are service messages about a purchase; the birthday coupon, win-back and campaigns advertise.
 */
export const SMS_PURPOSE_OF: Record<SmsTextKind, SmsPurpose> = {
  points: 'service',
  survey: 'service',
  birthday: 'advertising',
  winback: 'advertising',
  campaign: 'advertising',
};

/** The placeholders each kind of text may use: `{name}`, or `{name|fallback}` for a value that may be empty. */
export const SMS_PLACEHOLDERS: Record<SmsTextKind, readonly string[]> = {
  points: ['name', 'points', 'balance', 'store'],
  birthday: ['name', 'coupon', 'store'],
  winback: ['name', 'store'],
  survey: ['name', 'url', 'store'],
  campaign: ['name', 'store'],
};

export const SmsStateSchema = z.enum(['queued', 'sending', 'sent', 'delivered', 'failed', 'cancelled']);
export type SmsState = z.infer<typeof SmsStateSchema>;

export const MAX_SMS_TEXT = 1_000;

const TemplateSchema = z
  .object({ enabled: z.boolean(), text: z.string().max(MAX_SMS_TEXT) })
  .strict()
  .refine((t) => !t.enabled || t.text.trim() !== '', { message: 'an enabled message needs a text', path: ['text'] });

/** http(s), no spaces, no credentials: a link a customer can open (no URL global in src-common). */
function isHttpUrl(u: string): boolean {
  return /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i.test(u);
}

const SmsSettingsShape = {
  enabled: z.boolean(),
  provider: z.enum(['emulator', 'smsru']),
  /** The provider's API key. Never logged, never sent to a screen. */
  apiKey: z.string().max(200),
  /** The sender name (approved with the provider), or empty for the account's default. */
  sender: z.string().refine((s) => s === '' || isValidSenderName(s), { message: '1–11 Latin letters, digits, spaces and .-_, not digits only' }),
  /** Warn when the provider balance is below this (minor units; 0: never). */
  lowBalanceAlert: z.number().int().min(0).max(MAX_MINOR),
  /** A message longer than this many parts is not sent (each part is charged). */
  maxSegments: z.number().int().min(1).max(10),
  /** Local hours of the store's time zone: advertising waits from `from`:00 until `to`:00 (equal: no quiet hours). */
  quietHours: z.object({ from: z.number().int().min(0).max(23), to: z.number().int().min(0).max(23) }).strict(),
  templates: z.object({ points: TemplateSchema, birthday: TemplateSchema, winback: TemplateSchema, survey: TemplateSchema }).strict(),
  /** The satisfaction survey's link (`{url}`); empty: no survey messages. */
  surveyUrl: z
    .string()
    .trim()
    .max(300)
    .refine((u) => u === '' || isHttpUrl(u), { message: 'an http(s) link' }),
  /** The survey goes this long after the purchase (the customer has left the shop by then). */
  surveyDelayMinutes: z.number().int().min(0).max(7 * 24 * 60),
  /**
   * This till may send the day's scheduled messages (birthdays, win-back). Every till of a chain
   * knows every customer, so an enrolled till sends them only on the days the head office gives it
   * (one till of the chain, day after day); off: never from this till.
   */
  dailyTriggers: z.boolean(),
  /**
   * A customer has lapsed when their last purchase is older than the larger of `minDaysSinceLast`
   * and `factorOfUsualInterval` × their usual interval between purchases.
   */
  winback: z
    .object({ minDaysSinceLast: z.number().int().min(1).max(3_650), factorOfUsualInterval: z.number().min(1).max(10) })
    .strict(),
};

export const SmsSettingsSchema = z.object(SmsSettingsShape).strict();
export type SmsSettings = z.infer<typeof SmsSettingsSchema>;

export const DEFAULT_SMS_SETTINGS: SmsSettings = {
  enabled: false,
  provider: 'smsru',
  apiKey: '',
  sender: '',
  lowBalanceAlert: 10_000,
  maxSegments: 3,
  quietHours: { from: 21, to: 9 },
  templates: {
    points: { enabled: false, text: '{name|Здравствуйте}, вам начислено {points} б. Баланс: {balance} б. {store}' },
    birthday: { enabled: true, text: '{name|Здравствуйте}, с днём рождения! Ваш подарок — скидка по купону {coupon}. {store}' },
    winback: { enabled: true, text: '{name|Здравствуйте}, давно вас не видели! Будем рады снова вас встретить. {store}' },
    survey: { enabled: false, text: '{name|Здравствуйте}, спасибо за покупку! Оцените нас: {url}' },
  },
  surveyUrl: '',
  surveyDelayMinutes: 120,
  dailyTriggers: true,
  winback: { minDaysSinceLast: 60, factorOfUsualInterval: 2 },
};

/**
 * The stored setting as the till reads it: every field present (one added in a later version takes
 * its default); a stored value that no longer passes the schema turns sending off rather than crash.
 */
export function readSmsSettings(raw: unknown): SmsSettings {
  // Read on every sale with a customer: the settings repo hands back the same object until the
  // setting changes, so its checked form is kept for it.
  if (raw !== null && typeof raw === 'object') {
    const known = checkedSettings.get(raw);
    if (known) return known;
    const checked = checkSmsSettings(raw);
    checkedSettings.set(raw, checked);
    return checked;
  }
  return checkSmsSettings(raw);
}

const checkedSettings = new WeakMap<object, SmsSettings>();

function checkSmsSettings(raw: unknown): SmsSettings {
  if (raw === undefined || raw === null) return DEFAULT_SMS_SETTINGS;
  if (typeof raw !== 'object') return { ...DEFAULT_SMS_SETTINGS, enabled: false };
  const r = raw as Partial<SmsSettings>;
  const merged = {
    ...DEFAULT_SMS_SETTINGS,
    ...r,
    quietHours: { ...DEFAULT_SMS_SETTINGS.quietHours, ...r.quietHours },
    templates: { ...DEFAULT_SMS_SETTINGS.templates, ...r.templates },
    winback: { ...DEFAULT_SMS_SETTINGS.winback, ...r.winback },
  };
  const parsed = SmsSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : { ...DEFAULT_SMS_SETTINGS, enabled: false };
}

// ---- sms.settings / sms.saveSettings (loyalty_manage)

const { apiKey: _apiKey, ...PublicShape } = SmsSettingsShape;

/** What a screen sees: everything but the key, and whether a key is stored. */
export const SmsSettingsViewSchema = z.object({ ...PublicShape, apiKeySet: z.boolean() }).strict();
export type SmsSettingsView = z.infer<typeof SmsSettingsViewSchema>;

export const SmsSettingsSaveSchema = z
  .object({
    settings: z
      .object({
        ...PublicShape,
        /** A new key; absent keeps the stored one, '' removes it. Never sent back. */
        apiKey: z.string().trim().max(200).optional(),
      })
      .strict(),
  })
  .strict();
export type SmsSettingsSave = z.infer<typeof SmsSettingsSaveSchema>;

// ---- sms.preview (loyalty_manage)

const SampleSchema = z.record(z.string().regex(/^[a-z]+$/).max(20), z.string().max(200));

export const SmsPreviewParamsSchema = z
  .object({
    text: z.string().max(MAX_SMS_TEXT),
    kind: SmsTextKindSchema.default('campaign'),
    /** Values to show instead of the sample ones. */
    sample: SampleSchema.optional(),
  })
  .strict();

export const SmsPreviewSchema = z.object({
  /** The text as a customer would get it (an unknown placeholder is left as typed). */
  text: z.string(),
  /** Placeholders this kind of text does not know: the text cannot be saved or sent with them. */
  unknown: z.array(z.string()),
  encoding: z.enum(['gsm7', 'ucs2']),
  units: z.number().int(),
  segments: z.number().int(),
  perSegment: z.number().int(),
  remaining: z.number().int(),
  /** Characters that force UCS-2 (70 per message instead of 160). */
  nonGsm: z.array(z.string()),
  maxSegments: z.number().int(),
  /** No unknown placeholder, not empty, and within `maxSegments`. */
  fits: z.boolean(),
});
export type SmsPreview = z.infer<typeof SmsPreviewSchema>;

// ---- sms.log (sale)

export const SmsLogParamsSchema = z
  .object({
    state: SmsStateSchema.optional(),
    kind: z.string().trim().min(1).max(20).optional(),
    purpose: SmsPurposeSchema.optional(),
    customerId: z.string().min(1).max(64).optional(),
    campaignId: z.string().min(1).max(64).optional(),
    /** Messages older than this one (the previous page's `nextBefore`). */
    before: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict();

export const SmsLogItemSchema = z.object({
  id: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  /** Masked (+7 916 ***-**-67); null once the customer is erased. */
  phone: z.string().nullable(),
  purpose: SmsPurposeSchema,
  kind: z.string(),
  campaignId: z.string().nullable(),
  text: z.string(),
  segments: z.number().int(),
  state: SmsStateSchema,
  attempts: z.number().int(),
  /** A queued message: when it is tried next (quiet hours, back-off, delay); a sent one: when its delivery is asked next. */
  nextAttemptAt: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.number().int(),
  sentAt: z.number().int().nullable(),
  deliveredAt: z.number().int().nullable(),
});
export type SmsLogItem = z.infer<typeof SmsLogItemSchema>;

export const SmsLogSchema = z.object({
  items: z.array(SmsLogItemSchema),
  /** Messages per state under the same filters (state aside). */
  counts: z.record(SmsStateSchema, z.number().int()),
  nextBefore: z.string().nullable(),
});
export type SmsLog = z.infer<typeof SmsLogSchema>;

// ---- campaigns (loyalty_manage)

/** Who a campaign goes to: always only customers with advertising consent and a phone. */
export const SmsAudienceSchema = z
  .object({
    /** Only customers who have lapsed (the win-back rule). */
    lapsed: z.boolean().default(false),
    /** Only customers whose birthday is in the current month. */
    birthdayThisMonth: z.boolean().default(false),
    /** Only customers whose cumulative spend (as the loyalty tiers count it) is at least this. */
    minSpend: z.number().int().min(0).max(MAX_MINOR).nullable().default(null),
  })
  .strict();
export type SmsAudience = z.infer<typeof SmsAudienceSchema>;

export const SmsRecipientSchema = z.object({ customerId: z.string(), name: z.string().nullable(), phone: z.string() });
export type SmsRecipient = z.infer<typeof SmsRecipientSchema>;

export const SmsCampaignPreviewParamsSchema = z
  .object({ audience: SmsAudienceSchema, text: z.string().max(MAX_SMS_TEXT).optional() })
  .strict();
export const SmsCampaignPreviewSchema = z.object({
  count: z.number().int(),
  /** The first 20 recipients, phones masked. */
  sample: z.array(SmsRecipientSchema),
  /** The text as the first recipient would get it, when a text was given. */
  preview: SmsPreviewSchema.nullable(),
});
export type SmsCampaignPreview = z.infer<typeof SmsCampaignPreviewSchema>;

export const SmsCampaignSendParamsSchema = z
  .object({ name: z.string().trim().min(1).max(100), text: z.string().trim().min(1).max(MAX_SMS_TEXT), audience: SmsAudienceSchema })
  .strict();
export const SmsCampaignSentSchema = z.object({
  campaignId: z.string(),
  /** Messages queued. */
  recipients: z.number().int(),
  /** Audience members not queued (consent withdrawn meanwhile, text too long for them, …), by reason. */
  refused: z.record(z.string(), z.number().int()),
});
export type SmsCampaignSent = z.infer<typeof SmsCampaignSentSchema>;

// ---- sms.balance (loyalty_manage), sms.retry (loyalty_manage)

export const SmsBalanceSchema = z.object({
  /** The provider balance last read (minor units), and when; null: never read since the start. */
  balance: z.number().int().nullable(),
  at: z.number().int().nullable(),
  threshold: z.number().int(),
  low: z.boolean(),
  /** The last account problem the provider reported (wrong key, sender not approved, no money), until it sends again. */
  problem: z.object({ code: z.string(), message: z.string(), at: z.number().int() }).nullable(),
});
export type SmsBalance = z.infer<typeof SmsBalanceSchema>;

export const SmsRetryParamsSchema = z.object({ id: z.string().min(1).max(64) }).strict();

const NoParams = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

function query<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { kind: 'query' as const, params, result, public: false };
}
function command<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { kind: 'command' as const, params, result, public: false };
}

/**
 * The `sms.*` slice of the RPC contract, in its `MethodSpec` shape: spread into `contract`. Kept
 * here (not importing the contract) so the contract can import it without a cycle.
 */
export const smsMethods = {
  'sms.settings': query(NoParams, SmsSettingsViewSchema),
  'sms.saveSettings': command(SmsSettingsSaveSchema, Ok),
  'sms.preview': query(SmsPreviewParamsSchema, SmsPreviewSchema),
  'sms.log': query(SmsLogParamsSchema, SmsLogSchema),
  'sms.campaignPreview': query(SmsCampaignPreviewParamsSchema, SmsCampaignPreviewSchema),
  'sms.campaignSend': command(SmsCampaignSendParamsSchema, SmsCampaignSentSchema),
  'sms.balance': query(NoParams, SmsBalanceSchema),
  'sms.retry': command(SmsRetryParamsSchema, Ok),
};
export type SmsMethods = typeof smsMethods;
export type SmsMethodName = keyof SmsMethods;
export type SmsParams<M extends SmsMethodName> = z.output<SmsMethods[M]['params']>;
export type SmsParamsIn<M extends SmsMethodName> = z.input<SmsMethods[M]['params']>;
export type SmsResult<M extends SmsMethodName> = z.output<SmsMethods[M]['result']>;
