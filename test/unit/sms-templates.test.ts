import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-common/errors.js';
import { DEFAULT_SMS_SETTINGS, readSmsSettings, SmsSettingsSaveSchema, SmsSettingsSchema, type SmsSettings } from '../../src-common/sms-schemas.js';
import { maskPhone } from '../../src-main/sms/outbox.js';
import { quietUntil } from '../../src-main/sms/sender.js';
import { checkTemplates, cleanValue, fitsSegments, placeholdersIn, previewSms, renderSms, sampleValues } from '../../src-main/sms/templates.js';
import { lapse } from '../../src-main/sms/triggers.js';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const settings = (patch: Partial<SmsSettings> = {}): SmsSettings => ({ ...DEFAULT_SMS_SETTINGS, ...patch });

describe('SMS templates', () => {
  it('fills placeholders, with a fallback for an empty value; an unknown placeholder is an error naming every one', () => {
    expect(renderSms('{name|Здравствуйте}, вам {points} б. Баланс {balance}. {store}', 'points', { name: 'Анна', points: 12, balance: 1480, store: 'Лавка' })).toBe(
      'Анна, вам 12 б. Баланс 1480. Лавка',
    );
    expect(renderSms('{name|Здравствуйте}, спасибо!', 'survey', { name: null })).toBe('Здравствуйте, спасибо!');
    expect(renderSms('{name|Здравствуйте}, спасибо!', 'survey', { name: '   ' })).toBe('Здравствуйте, спасибо!');
    // Not a placeholder: left as typed.
    expect(renderSms('Скидка {10%} и {x y}', 'campaign', {})).toBe('Скидка {10%} и {x y}');
    const e = thrown(() => renderSms('{name}: {coupon} {bonus} {coupon}', 'winback', { name: 'Анна' }));
    expect(e.code).toBe('template_invalid');
    expect(e.details).toMatchObject({ unknown: 'coupon,bonus' });
    expect(placeholdersIn('{a}{b|x}{a}')).toEqual(['a', 'b']);
  });

  it('values never carry control or format characters into a message', () => {
    expect(cleanValue('Анна\nПетрова\u0007')).toBe('Анна Петрова');
    expect(cleanValue('Ann\u202Eevil\u200B')).toBe('Ann evil');
    expect(cleanValue('  a \t  b  ')).toBe('a b');
    expect(renderSms('Привет, {name}!', 'campaign', { name: 'Анна\r\nКупите всё\u0000' })).toBe('Привет, Анна Купите всё!');
  });

  it('a preview gives the text and its parts; Cyrillic is UCS-2 at 70 a message, 67 a part', () => {
    const p = previewSms('{name}, ждём вас! {store}', 'campaign', { name: 'Анна', store: 'Лавка' }, 3);
    expect(p).toMatchObject({ text: 'Анна, ждём вас! Лавка', unknown: [], encoding: 'ucs2', segments: 1, perSegment: 70, fits: true });
    const latin = previewSms('Hello {name}', 'campaign', { name: 'Ann' }, 1);
    expect(latin).toMatchObject({ encoding: 'gsm7', units: 9, segments: 1, perSegment: 160, fits: true });
    const long = previewSms('Ж'.repeat(71), 'campaign', {}, 1);
    expect(long).toMatchObject({ segments: 2, perSegment: 67, fits: false });
    // An unknown placeholder is listed and left in place, so the editor still counts.
    const bad = previewSms('Hi {nmae}', 'campaign', {}, 3);
    expect(bad).toMatchObject({ text: 'Hi {nmae}', unknown: ['nmae'], fits: false });
    expect(fitsSegments('', 3)).toBe(false);
    expect(fitsSegments('Ж'.repeat(201), 3)).toBe(true);
    expect(fitsSegments('Ж'.repeat(202), 3)).toBe(false);
  });

  it('the default texts fit their default limit with sample values; saving checks every template', () => {
    expect(() => checkTemplates({ ...DEFAULT_SMS_SETTINGS, surveyUrl: 'https://example.ru/s' }, 'Лавка у дома')).not.toThrow();
    for (const kind of ['points', 'birthday', 'winback', 'survey'] as const) {
      const p = previewSms(DEFAULT_SMS_SETTINGS.templates[kind].text, kind, sampleValues('Лавка у дома', 'https://example.ru/s'), 3);
      expect(p.fits, kind).toBe(true);
    }
    const unknown = thrown(() => checkTemplates(settings({ templates: { ...DEFAULT_SMS_SETTINGS.templates, winback: { enabled: false, text: '{coupon}' } } }), 'Лавка'));
    expect(unknown.details).toMatchObject({ kind: 'winback', reason: 'unknown', unknown: 'coupon' });
    const long = thrown(() => checkTemplates(settings({ maxSegments: 1, templates: { ...DEFAULT_SMS_SETTINGS.templates, birthday: { enabled: true, text: 'Ж'.repeat(80) } } }), 'Лавка'));
    expect(long.details).toMatchObject({ kind: 'birthday', reason: 'too_long', segments: 2, max: 1 });
    const noUrl = thrown(() => checkTemplates(settings({ templates: { ...DEFAULT_SMS_SETTINGS.templates, survey: { enabled: true, text: 'Оцените: {url}' } } }), 'Лавка'));
    expect(noUrl.details).toMatchObject({ kind: 'survey', reason: 'no_url' });
  });
});

describe('SMS settings', () => {
  it('the schema takes the defaults and refuses a sender name operators refuse, a bad link, an enabled empty text', () => {
    expect(SmsSettingsSchema.parse(DEFAULT_SMS_SETTINGS)).toEqual(DEFAULT_SMS_SETTINGS);
    expect(SmsSettingsSchema.safeParse(settings({ sender: 'Lavka' })).success).toBe(true);
    expect(SmsSettingsSchema.safeParse(settings({ sender: 'Лавка' })).success).toBe(false);
    expect(SmsSettingsSchema.safeParse(settings({ sender: '12345' })).success).toBe(false);
    expect(SmsSettingsSchema.safeParse(settings({ sender: 'TooLongSender' })).success).toBe(false);
    expect(SmsSettingsSchema.safeParse(settings({ surveyUrl: 'javascript:alert(1)' })).success).toBe(false);
    expect(SmsSettingsSchema.safeParse(settings({ surveyUrl: 'https://user:pw@example.ru/' })).success).toBe(false);
    expect(SmsSettingsSchema.safeParse(settings({ templates: { ...DEFAULT_SMS_SETTINGS.templates, points: { enabled: true, text: '  ' } } })).success).toBe(false);
    // The key is write-only: a screen never sends `apiKey` back as read, and `apiKeySet` is not accepted on save.
    const { apiKey: _k, ...view } = DEFAULT_SMS_SETTINGS;
    expect(SmsSettingsSaveSchema.safeParse({ settings: view }).success).toBe(true);
    expect(SmsSettingsSaveSchema.safeParse({ settings: { ...view, apiKeySet: true } }).success).toBe(false);
  });

  it('a stored value from an older version gets the new fields; one that no longer passes turns sending off', () => {
    expect(readSmsSettings(undefined)).toEqual(DEFAULT_SMS_SETTINGS);
    const { surveyDelayMinutes: _d, ...older } = settings({ enabled: true, apiKey: 'k' });
    expect(readSmsSettings(older)).toEqual(settings({ enabled: true, apiKey: 'k' }));
    expect(readSmsSettings({ ...older, maxSegments: 99 })).toMatchObject({ enabled: false, maxSegments: 3 });
    expect(readSmsSettings('nonsense').enabled).toBe(false);
  });
});

describe('quiet hours (store time zone)', () => {
  const q = { from: 21, to: 9 };
  const msk = (h: number, m = 0, day = 22) => Date.UTC(2026, 10, day, h - 3, m); // Moscow is UTC+3 all year

  it('from 21:00 to 9:00 local, across midnight; equal hours mean none', () => {
    expect(quietUntil(msk(12), 'Europe/Moscow', q)).toBeNull();
    expect(quietUntil(msk(20, 59), 'Europe/Moscow', q)).toBeNull();
    expect(quietUntil(msk(21), 'Europe/Moscow', q)).toBe(msk(9, 0, 23));
    expect(quietUntil(msk(22, 30), 'Europe/Moscow', q)).toBe(msk(9, 0, 23));
    expect(quietUntil(msk(8, 59), 'Europe/Moscow', q)).toBe(msk(9));
    expect(quietUntil(msk(9), 'Europe/Moscow', q)).toBeNull();
    expect(quietUntil(msk(3), 'Europe/Moscow', { from: 1, to: 6 })).toBe(msk(6));
    expect(quietUntil(msk(7), 'Europe/Moscow', { from: 1, to: 6 })).toBeNull();
    expect(quietUntil(msk(23), 'Europe/Moscow', { from: 0, to: 0 })).toBeNull();
    // The same instant is 23:30 in Vladivostok (UTC+10): quiet there.
    expect(quietUntil(Date.UTC(2026, 10, 22, 13, 30), 'Asia/Vladivostok', q)).toBe(Date.UTC(2026, 10, 22, 23, 0));
  });
});

describe('lapsed customers (win-back rule)', () => {
  const rule = { minDaysSinceLast: 14, factorOfUsualInterval: 2 };

  it('longer than the larger of the minimum and factor × the median gap between purchase days', () => {
    const weekly = ['2026-09-01', '2026-09-08', '2026-09-15', '2026-09-22'];
    expect(lapse(weekly, '2026-10-06', rule)).toBeNull(); // 14 days: not longer than 14
    expect(lapse(weekly, '2026-10-07', rule)).toEqual({ last: '2026-09-22', daysSince: 15, thresholdDays: 14, usualDays: 7 });
    const monthly = ['2026-06-01', '2026-07-01', '2026-07-31'];
    expect(lapse(monthly, '2026-09-15', rule)).toBeNull(); // 46 days < 2 × 30
    expect(lapse(monthly, '2026-10-01', rule)).toMatchObject({ daysSince: 62, thresholdDays: 60, usualDays: 30 });
    // One long holiday does not make a weekly customer a monthly one (the median, not the mean).
    const withHoliday = ['2026-05-01', '2026-05-08', '2026-05-15', '2026-08-15', '2026-08-22', '2026-08-29'];
    expect(lapse(withHoliday, '2026-09-13', rule)).toMatchObject({ usualDays: 7, thresholdDays: 14, daysSince: 15 });
    // Fewer than two purchase days: the minimum alone; several sales on one day are one purchase day.
    expect(lapse(['2026-09-01', '2026-09-01'], '2026-09-15', rule)).toBeNull();
    expect(lapse(['2026-09-01'], '2026-09-16', rule)).toMatchObject({ usualDays: null, thresholdDays: 14, daysSince: 15 });
    expect(lapse([], '2026-09-16', rule)).toBeNull();
    // A purchase dated after today (a till clock ahead) is not a lapse.
    expect(lapse(['2026-09-20'], '2026-09-16', rule)).toBeNull();
  });
});

describe('masked phones', () => {
  it('keeps the operator code and the last two digits', () => {
    expect(maskPhone('+79161234567')).toBe('+7 916 ***-**-67');
    expect(maskPhone('+4930123456789')).toBe('+49 *********89');
  });
});
