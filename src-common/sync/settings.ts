import { z } from 'zod';
import { ProgrammeSchema } from '../loyalty.js';
import { PositiveMinorSchema, ReceiptTemplateSchema } from '../rpc/schemas.js';

/** An IANA time zone this runtime knows (Europe/Moscow, Asia/Yekaterinburg …). */
const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'not a known time zone');

/**
 * The settings a head office may set for the whole chain or for one store, each with the shape its
 * value must have. Everything else stays the till's own: its devices, its name, fiscal mode and the
 * registrar's details (they belong to the registered cash register), the language on its screen.
 * A setting the head office sets is then the head office's: the till refuses to change it locally
 * (`setting_managed`) until the head office lets it go.
 */
export const HEAD_OFFICE_SETTINGS = {
  'store.name': z.string().trim().min(1).max(100),
  timeZone: TimeZoneSchema,
  'receipt.template': ReceiptTemplateSchema,
  'tender.quickCash': z.array(PositiveMinorSchema.min(1)).max(8),
  'cash.tolerance': PositiveMinorSchema,
  /** 54-ФЗ caps a shift at 24 hours; a chain may close earlier. */
  'shift.maxHours': z.number().int().min(1).max(24),
  'shift.warnMinutes': z.number().int().min(0).max(600),
  'discount.maxBpWithoutApproval': z.number().int().min(0).max(10_000),
  'session.autoLockMinutes': z.number().int().min(0).max(240),
  'marking.offlinePolicy': z.enum(['allow', 'refuse']),
  /** The loyalty programme's rules (src-common/loyalty.ts): one programme for the chain, or a store's own. */
  'loyalty.programme': ProgrammeSchema,
} as const;

export type HeadOfficeSettingKey = keyof typeof HEAD_OFFICE_SETTINGS;
export const HEAD_OFFICE_SETTING_KEYS = Object.keys(HEAD_OFFICE_SETTINGS) as HeadOfficeSettingKey[];

export function isHeadOfficeSetting(key: string): key is HeadOfficeSettingKey {
  return Object.hasOwn(HEAD_OFFICE_SETTINGS, key);
}

/** Chain-wide, or for the till's own store (a store's value goes over the chain's). */
export const SettingScopeSchema = z.enum(['chain', 'store']);
export type SettingScope = z.infer<typeof SettingScopeSchema>;

/**
 * One setting as the `settings` feed hands it down. `value: null` takes it back: the store falls
 * back to the chain's value, or, when neither is set, the till may set it again itself.
 */
export const SettingChangeSchema = z
  .object({
    key: z.string().min(1).max(64),
    scope: SettingScopeSchema,
    value: z.unknown().nullable(),
  })
  .strict();
export type SettingChange = z.infer<typeof SettingChangeSchema>;

/** The feed's key for a setting: a store's value and the chain's are two rows. */
export function settingFeedKey(scope: SettingScope, key: string): string {
  return `${scope}/${key}`;
}

/** The value checked against its setting's shape: the parsed value, or why it cannot be used. */
export function parseHeadOfficeSetting(key: string, value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  if (!isHeadOfficeSetting(key)) return { ok: false, problem: `"${key}" is not a setting the head office may set` };
  const r = HEAD_OFFICE_SETTINGS[key].safeParse(value);
  if (!r.success) return { ok: false, problem: `"${key}": ${r.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}` };
  return { ok: true, value: r.data };
}
