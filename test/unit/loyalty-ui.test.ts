// The loyalty screens' pure helpers (src-renderer/features/loyalty): what the forms parse, check and
// show, in the screen's language, with no browser. The SMS editor's live count is compared with the
// backend's own preview, so the two cannot drift apart unnoticed.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME } from '../../src-common/loyalty.js';
import type { CouponView, SystemInfo } from '../../src-common/rpc/schemas.js';
import { DEFAULT_SMS_SETTINGS, SMS_PLACEHOLDERS, SmsStateSchema, type SmsSettingsView, type SmsTextKind } from '../../src-common/sms-schemas.js';
import type { SmsRefusal } from '../../src-main/sms/outbox.js';
import type { SmsErrorCode } from '../../src-main/sms/provider.js';
import { previewSms, sampleValues as backendSample } from '../../src-main/sms/templates.js';
import { moneyInput } from '../../src-renderer/app/format.js';
import { couponDraft, couponFromDraft, NEW_COUPON } from '../../src-renderer/features/loyalty/coupon-draft.js';
import { issueText, pathKey } from '../../src-renderer/features/loyalty/form-issues.js';
import {
  birthdayText,
  couponValueText,
  maskCard,
  maskPhone,
  parseBirthday,
  parsePercentBp,
  parseWhole,
  percentInput,
  percentText,
  phoneText,
  pointsText,
} from '../../src-renderer/features/loyalty/loyalty-format.js';
import { fromDraft, kindOf, toDraft, type Formats } from '../../src-renderer/features/loyalty/programme-draft.js';
import {
  audienceFromDraft,
  NEW_AUDIENCE,
  parseDecimal,
  saveErrorFields,
  smsFromDraft,
  toSmsDraft,
  type SmsDraft,
} from '../../src-renderer/features/loyalty/sms-draft.js';
import { countSms, insertPlaceholder, placeholdersIn, renderSample, sampleValues, unknownPlaceholders } from '../../src-renderer/features/loyalty/sms-text.js';
import { campaignKey, canRetry, logParams, NO_FILTER, refusedList, reloadLimit, smsBanners } from '../../src-renderer/features/loyalty/sms-view.js';
import { en } from '../../src-renderer/i18n/en.js';
import { ru } from '../../src-renderer/i18n/ru.js';

const RUB = { currency: 'RUB', minorDigits: 2 } as SystemInfo;
const f: Formats = { money: (n) => moneyInput(n, RUB, 'ru'), percent: (bp) => percentInput(bp, 'ru'), minorDigits: 2 };
/** Intl writes narrow no-break spaces: compare with plain ones. */
const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

let t: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { ru: { translation: ru } }, lng: 'ru', interpolation: { escapeValue: false }, showSupportNotice: false });
  t = i18n.t.bind(i18n);
});

describe('loyalty-format', () => {
  it('masks a card and a phone down to their last digits, and writes a stored phone the Russian way', () => {
    expect(maskCard('2900000000015')).toBe('•••• 0015');
    expect(maskCard(null)).toBe('');
    expect(maskPhone('+79161234567')).toBe('+7 ••• •••-45-67');
    expect(maskPhone('+4930123456')).toBe('•••-34-56');
    expect(maskPhone(null)).toBe('');
    expect(phoneText('+79161234567')).toBe('+7 916 123-45-67');
    expect(phoneText('+4930123456')).toBe('+4930123456');
  });

  it('writes points and percentages for reading and for typing back', () => {
    expect(plain(pointsText(1250, 'ru'))).toBe('1 250');
    expect(pointsText(1250, 'en')).toBe('1,250');
    expect(percentText(1250, 'ru')).toBe('12,5');
    expect(percentInput(1250, 'ru')).toBe('12,5');
    expect(percentInput(1205, 'en')).toBe('12.05');
    expect(percentInput(300, 'ru')).toBe('3');
    for (const bp of [0, 1, 50, 300, 1205, 1250, 10_000]) expect(parsePercentBp(percentInput(bp, 'ru'))).toBe(bp);
  });

  it('reads percentages 0–100 with two decimals at most, and whole numbers', () => {
    expect(parsePercentBp('12,5')).toBe(1250);
    expect(parsePercentBp('5 %')).toBe(500);
    expect(parsePercentBp('100,01')).toBeNull();
    expect(parsePercentBp('1,234')).toBeNull();
    expect(parsePercentBp('abc')).toBeNull();
    expect(parseWhole('1 000')).toBe(1000);
    expect(parseWhole('-5')).toBeNull();
    expect(parseWhole('−5', true)).toBe(-5);
    expect(parseWhole('+50', true)).toBe(50);
    expect(parseWhole('')).toBeNull();
  });

  it('reads a birthday with or without the year, and writes it back', () => {
    expect(parseBirthday('07.03')).toBe('0004-03-07');
    expect(parseBirthday('7/3/1990')).toBe('1990-03-07');
    expect(parseBirthday('1990-03-07')).toBe('1990-03-07');
    expect(parseBirthday('29.02')).toBe('0004-02-29');
    expect(parseBirthday('  ')).toBeUndefined();
    expect(parseBirthday('31.02')).toBeNull();
    expect(parseBirthday('29.02.1990')).toBeNull();
    expect(parseBirthday(`01.01.${new Date().getFullYear() + 1}`)).toBeNull();
    expect(birthdayText('0004-03-07')).toBe('07.03');
    expect(birthdayText('1990-03-07')).toBe('07.03.1990');
    expect(birthdayText(null)).toBe('');
  });

  it('says what a coupon takes off', () => {
    expect(couponValueText({ kind: 'percent', bp: 1000 }, RUB, 'ru')).toBe('−10 %');
    expect(plain(couponValueText({ kind: 'amount', amount: 30000 }, RUB, 'ru'))).toBe('−300,00 ₽');
  });
});

describe('form-issues', () => {
  it('names a field by its schema path and says a bound as the manager types it', () => {
    expect(pathKey(['tiers', 0, 'minSpend'])).toBe('tiers.0.minSpend');
    const small = { code: 'too_small', origin: 'number', minimum: 100, inclusive: true, path: [], message: '', input: 0 } as never;
    expect(issueText(small, 'money', t, (_k, n) => f.money(n))).toBe('Не меньше 1,00');
    const long = { code: 'too_big', origin: 'string', maximum: 40, inclusive: true, path: [], message: '', input: '' } as never;
    expect(issueText(long, 'int', t, (_k, n) => String(n))).toBe('Не длиннее 40 символов');
  });
});

describe('programme-draft', () => {
  it('the default programme goes through the form unchanged', () => {
    const d = toDraft(DEFAULT_PROGRAMME, f);
    expect(d.earn).toBe('3');
    expect(d.pointValue).toBe('1,00');
    expect(fromDraft(d, f, t)).toEqual({ programme: DEFAULT_PROGRAMME });
  });

  it('refuses what the schema refuses, each field with its own message in Russian', () => {
    const d = toDraft(DEFAULT_PROGRAMME, f);
    const r = fromDraft({ ...d, earn: '150', welcomePoints: 'много' }, f, t);
    expect(r).toEqual({ errors: { earnBp: 'Введите процент от 0 до 100 (не больше двух знаков после запятой)', welcomePoints: 'Введите целое число' } });
    const tiers = fromDraft(
      {
        ...d,
        tiers: [
          { name: 'Золото', minSpend: '500', earn: '7', discount: '0' },
          { name: 'Серебро', minSpend: '100', earn: '5', discount: '0' },
        ],
      },
      f,
      t,
    );
    expect(tiers).toEqual({ errors: { tiers: 'Каждый следующий уровень — от большей суммы, чем предыдущий' } });
  });

  it('knows how each field is typed', () => {
    expect(kindOf('pointValue')).toBe('money');
    expect(kindOf('tiers.1.minSpend')).toBe('money');
    expect(kindOf('earnBp')).toBe('percent');
    expect(kindOf('birthday.coupon.bp')).toBe('percent');
    expect(kindOf('welcomePoints')).toBe('int');
  });
});

describe('coupon-draft', () => {
  it('a new coupon typed in the form becomes the coupon the backend takes', () => {
    const r = couponFromDraft({ ...NEW_COUPON, code: 'SPRING10', value: '10', minTotal: '500', maxUses: '100' }, f, t);
    expect(r).toEqual({
      coupon: { code: 'SPRING10', value: { kind: 'percent', bp: 1000 }, maxUses: 100, oncePerCustomer: false, validFrom: null, validTo: null, minTotal: 50000, active: true },
    });
  });

  it('says what is wrong with a code, a value and the dates', () => {
    expect(couponFromDraft({ ...NEW_COUPON, code: 'a', value: '10' }, f, t)).toEqual({ errors: { code: 'От 3 до 40 букв, цифр, - или _' } });
    expect(couponFromDraft({ ...NEW_COUPON, code: 'ABC', kind: 'amount', value: 'x' }, f, t)).toEqual({ errors: { 'value.amount': 'Введите сумму, например 1,50' } });
    expect(couponFromDraft({ ...NEW_COUPON, code: 'ABC', value: '10', validFrom: '2026-05-02', validTo: '2026-05-01' }, f, t)).toEqual({
      errors: { validTo: 'Купон заканчивается раньше, чем начинается' },
    });
  });

  it('an existing coupon opens in the form as it is and saves back the same', () => {
    const view: CouponView = { code: 'GIFT300', value: { kind: 'amount', amount: 30000 }, maxUses: null, oncePerCustomer: true, validFrom: '2026-01-01', validTo: null, minTotal: 0, active: true, used: 3, origin: 'local' };
    const d = couponDraft(view, f);
    expect(d).toMatchObject({ existing: true, value: '300,00', minTotal: '', maxUses: '' });
    expect(couponFromDraft(d, f, t)).toEqual({
      coupon: { code: 'GIFT300', value: { kind: 'amount', amount: 30000 }, maxUses: null, oncePerCustomer: true, validFrom: '2026-01-01', validTo: null, minTotal: 0, active: true },
    });
  });
});

describe('sms-text: the editor\u2019s placeholders and live count', () => {
  it('finds placeholders once each, and those a kind does not know', () => {
    expect(placeholdersIn('{name|Здравствуйте}, {points} б. {name}')).toEqual(['name', 'points']);
    expect(unknownPlaceholders('{name} {coupon} {bonus}', 'points')).toEqual(['coupon', 'bonus']);
    expect(unknownPlaceholders('{name} {coupon}', 'birthday')).toEqual([]);
  });

  it('fills the sample: a fallback for an empty value, an unknown placeholder left as typed, values made single-line', () => {
    expect(renderSample('{name|Здравствуйте}, {points} б.', 'points', { name: '', points: '5' })).toBe('Здравствуйте, 5 б.');
    expect(renderSample('{name}: {bonus}', 'points', { name: 'Анна' })).toBe('Анна: {bonus}');
    expect(renderSample('  Hi {name}  ', 'campaign', { name: 'A\nB\u202e C' })).toBe('Hi A B C');
  });

  it('counts GSM-7 in 160 and 153, extension characters twice', () => {
    expect(countSms('a'.repeat(160), 'campaign', {}, 3)).toMatchObject({ encoding: 'gsm7', units: 160, perSegment: 160, segments: 1, remaining: 0, tooLong: false });
    expect(countSms('a'.repeat(161), 'campaign', {}, 3)).toMatchObject({ encoding: 'gsm7', units: 161, perSegment: 153, segments: 2, remaining: 145 });
    expect(countSms('€'.repeat(80), 'campaign', {}, 3)).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(countSms('a'.repeat(470), 'campaign', {}, 3)).toMatchObject({ segments: 4, tooLong: true, maxSegments: 3 });
    expect(countSms('', 'campaign', {}, 3)).toMatchObject({ segments: 0, tooLong: false });
  });

  it('counts UCS-2 in 70 and 67 once one character is outside GSM-7, and names it', () => {
    expect(countSms('я'.repeat(70), 'points', {}, 3)).toMatchObject({ encoding: 'ucs2', units: 70, perSegment: 70, segments: 1, purpose: 'service' });
    const c = countSms(`${'a'.repeat(70)}ё`, 'birthday', {}, 1);
    expect(c).toMatchObject({ encoding: 'ucs2', units: 71, perSegment: 67, segments: 2, tooLong: true, nonGsm: ['ё'], purpose: 'advertising' });
    // The sample name is Cyrillic: a Latin text with {name} is UCS-2 as the customer gets it.
    expect(countSms('Hello {name}', 'campaign', sampleValues('Lavka', ''), 3)).toMatchObject({ encoding: 'ucs2', rendered: 'Hello Анастасия', units: 15 });
  });

  it('agrees with the backend: the same sample values and the same count as sms.preview', () => {
    expect(sampleValues('Лавка', '')).toEqual(backendSample('Лавка', ''));
    expect(sampleValues('Лавка', 'https://lavka.example/s')).toEqual(backendSample('Лавка', 'https://lavka.example/s'));
    const sample = sampleValues('Лавка у дома', 'https://lavka.example/s');
    const texts: [string, SmsTextKind][] = [
      ...Object.entries(DEFAULT_SMS_SETTINGS.templates).map(([kind, tpl]) => [tpl.text, kind] as [string, SmsTextKind]),
      ['Sale -10% {store} [today] €', 'campaign'],
      ['{name|Dear customer}, {unknown} {points}', 'points'],
      ['x'.repeat(500), 'campaign'],
    ];
    for (const [text, kind] of texts) {
      const mine = countSms(text, kind, sample, 3);
      const theirs = previewSms(text, kind, sample, 3);
      expect({ text: mine.rendered, encoding: mine.encoding, units: mine.units, segments: mine.segments, perSegment: mine.perSegment, unknown: mine.unknown }).toEqual({
        text: theirs.text,
        encoding: theirs.encoding,
        units: theirs.units,
        segments: theirs.segments,
        perSegment: theirs.perSegment,
        unknown: theirs.unknown,
      });
    }
  });

  it('a chip goes in at the caret or over the selection, and the caret ends after it', () => {
    expect(insertPlaceholder('Hi !', 3, 3, 'name')).toEqual({ text: 'Hi {name}!', caret: 9 });
    expect(insertPlaceholder('Hi you!', 3, 6, 'name')).toEqual({ text: 'Hi {name}!', caret: 9 });
    expect(insertPlaceholder('Hi', 99, 99, 'store')).toEqual({ text: 'Hi{store}', caret: 9 });
  });
});

describe('sms-draft: the settings form', () => {
  const view: SmsSettingsView = (() => {
    const { apiKey: _key, ...rest } = DEFAULT_SMS_SETTINGS;
    return { ...rest, enabled: true, provider: 'emulator', sender: 'Lavka', apiKeySet: false };
  })();
  const sample = sampleValues('Лавка', '');
  const save = (patch: Partial<SmsDraft>) => smsFromDraft({ ...toSmsDraft(view, f, 'ru'), ...patch }, f, t, sample);

  it('the settings go through the form unchanged; the key is not sent unless a new one is typed', () => {
    const d = toSmsDraft(view, f, 'ru');
    expect(d).toMatchObject({ lowBalanceAlert: '100,00', winbackFactor: '2', apiKey: '', removeKey: false });
    const { apiKeySet: _set, ...settings } = view;
    expect(save({})).toEqual({ settings });
    expect(save({ apiKey: ' new-key ' })).toEqual({ settings: { ...settings, apiKey: 'new-key' } });
    expect(save({ apiKeySet: true, removeKey: true })).toEqual({ settings: { ...settings, apiKey: '' } });
  });

  it('reads amounts, whole numbers and the factor as typed in Russian', () => {
    expect(save({ lowBalanceAlert: '50', winbackFactor: '1,5', maxSegments: '2' })).toMatchObject({ settings: { lowBalanceAlert: 5000, winback: { factorOfUsualInterval: 1.5 }, maxSegments: 2 } });
    expect(save({ lowBalanceAlert: '' })).toMatchObject({ settings: { lowBalanceAlert: 0 } });
    expect(parseDecimal('2')).toBe(2);
    expect(parseDecimal('1.25')).toBe(1.25);
    expect(parseDecimal('1,234')).toBeNull();
  });

  it('says in Russian what the backend would refuse, under the field', () => {
    expect(save({ sender: 'Лавка' })).toEqual({ errors: { sender: 'От 1 до 11 латинских букв, цифр, пробелов и . - _; не только цифры' } });
    expect(save({ sender: '12345' })).toEqual({ errors: { sender: 'От 1 до 11 латинских букв, цифр, пробелов и . - _; не только цифры' } });
    expect(save({ lowBalanceAlert: 'много', winbackFactor: 'x' })).toEqual({
      errors: { lowBalanceAlert: 'Введите сумму, например 1,50', 'winback.factorOfUsualInterval': 'Введите число от 1 до 10, например 2 или 1,5' },
    });
    expect(save({ winbackFactor: '11' })).toEqual({ errors: { 'winback.factorOfUsualInterval': 'Не больше 10' } });
    expect(save({ maxSegments: '0' })).toEqual({ errors: { maxSegments: 'Не меньше 1' } });
    expect(save({ surveyUrl: 'lavka.ru/s' })).toEqual({ errors: { surveyUrl: 'Ссылка должна начинаться с http:// или https://' } });
  });

  it('checks the templates as sms.saveSettings does: known placeholders, the parts allowed, a text when on, the survey link, the key', () => {
    const d = toSmsDraft(view, f, 'ru');
    const tpl = (kind: keyof SmsDraft['templates'], text: string, enabled = true) => ({ templates: { ...d.templates, [kind]: { enabled, text } } });
    expect(save(tpl('points', '{name}, {coupon}'))).toEqual({ errors: { 'templates.points.text': 'Неизвестные подстановки: {coupon}' } });
    // Unknown placeholders are refused even in a message that is off; length only in one that is on.
    expect(save(tpl('winback', '{url}', false))).toEqual({ errors: { 'templates.winback.text': 'Неизвестные подстановки: {url}' } });
    expect(save(tpl('winback', 'я'.repeat(300), false))).toHaveProperty('settings');
    expect(save(tpl('birthday', 'я'.repeat(300)))).toEqual({ errors: { 'templates.birthday.text': 'Сообщение займёт 5 SMS — больше разрешённых 3' } });
    expect(save(tpl('points', '  '))).toEqual({ errors: { 'templates.points.text': 'Включённому сообщению нужен текст' } });
    expect(save(tpl('survey', '{name}, оцените нас: {url}'))).toEqual({ errors: { surveyUrl: 'Для опроса нужна ссылка' } });
    expect(save({ ...tpl('survey', '{name}, оцените нас: {url}'), surveyUrl: 'https://lavka.example/s' })).toHaveProperty('settings');
    expect(save({ provider: 'smsru' })).toEqual({ errors: { apiKey: 'Для SMS.ru нужен API-ключ' } });
    expect(save({ provider: 'smsru', apiKeySet: true })).toHaveProperty('settings');
    expect(save({ provider: 'smsru', apiKeySet: true, removeKey: true })).toEqual({ errors: { apiKey: 'Для SMS.ru нужен API-ключ' } });
    expect(save({ provider: 'smsru', enabled: false })).toHaveProperty('settings');
    // Everything wrong is said at once, the schema's and the templates'.
    expect(save({ provider: 'smsru', sender: '12345', ...tpl('points', '{coupon}') })).toEqual({
      errors: {
        sender: 'От 1 до 11 латинских букв, цифр, пробелов и . - _; не только цифры',
        apiKey: 'Для SMS.ru нужен API-ключ',
        'templates.points.text': 'Неизвестные подстановки: {coupon}',
      },
    });
    // A wrong maximum does not make every template too long.
    expect(save({ maxSegments: 'x' })).toEqual({ errors: { maxSegments: 'Введите целое число' } });
  });

  it('puts a refusal of sms.saveSettings under its field', () => {
    expect(saveErrorFields('template_invalid', { kind: 'birthday', reason: 'too_long', segments: 4, max: 3 }, t)).toEqual({ 'templates.birthday.text': 'Сообщение займёт 4 SMS — больше разрешённых 3' });
    expect(saveErrorFields('template_invalid', { kind: 'points', reason: 'unknown', unknown: 'a,b' }, t)).toEqual({ 'templates.points.text': 'Неизвестные подстановки: {a}, {b}' });
    expect(saveErrorFields('template_invalid', { kind: 'survey', reason: 'no_url' }, t)).toEqual({ surveyUrl: 'Для опроса нужна ссылка' });
    expect(saveErrorFields('validation', { field: 'apiKey', reason: 'required' }, t)).toEqual({ apiKey: 'Для SMS.ru нужен API-ключ' });
    expect(saveErrorFields('template_invalid', { field: 'logo' }, t)).toBeNull();
    expect(saveErrorFields('forbidden', {}, t)).toBeNull();
  });

  it('reads a campaign audience, the spend as money', () => {
    expect(audienceFromDraft(NEW_AUDIENCE, 2)).toEqual({ lapsed: false, birthdayThisMonth: false, minSpend: null });
    expect(audienceFromDraft({ lapsed: true, birthdayThisMonth: true, minSpend: '1 000' }, 2)).toEqual({ lapsed: true, birthdayThisMonth: true, minSpend: 100000 });
    expect(audienceFromDraft({ ...NEW_AUDIENCE, minSpend: 'много' }, 2)).toBeNull();
  });
});

describe('sms-view: banners, campaign, send log', () => {
  const balance = { balance: 9300, at: 1, threshold: 10000, low: true, problem: null };

  it('shows a banner for a low balance and for an account problem, from the alert or from the balance', () => {
    expect(smsBanners(null, null)).toEqual([]);
    expect(smsBanners({ ...balance, low: false }, null)).toEqual([]);
    expect(smsBanners(balance, null)).toEqual([{ kind: 'low_balance', balance: 9300, threshold: 10000 }]);
    expect(smsBanners({ ...balance, low: false, problem: { code: 'bad_auth', message: '200: wrong key', at: 2 } }, null)).toEqual([{ kind: 'account', code: 'bad_auth', message: '200: wrong key' }]);
    expect(smsBanners(null, { kind: 'account', code: 'bad_sender', message: '204' })).toEqual([{ kind: 'account', code: 'bad_sender', message: '204' }]);
    expect(smsBanners({ ...balance, low: false }, { kind: 'low_balance', balance: 5000, threshold: 10000 })).toEqual([{ kind: 'low_balance', balance: 5000, threshold: 10000 }]);
  });

  it('offers a campaign send only for what was previewed, and sums up what was not queued', () => {
    const a = { lapsed: false, birthdayThisMonth: false, minSpend: null };
    expect(campaignKey('Весна', 'Текст ', a)).toBe(campaignKey(' Весна', 'Текст', a));
    expect(campaignKey('Весна', 'Текст', a)).not.toBe(campaignKey('Весна', 'Текст', { ...a, birthdayThisMonth: true }));
    expect(campaignKey('Весна', 'Текст', a)).not.toBe(campaignKey('Весна', 'Текст!', a));
    expect(refusedList({ too_long: 1, no_consent: 2, duplicate: 0 }, (r, n) => `${r}: ${n}`)).toBe('no_consent: 2, too_long: 1');
    expect(refusedList({}, (r, n) => `${r}: ${n}`)).toBe('');
  });

  it('asks the log for the filters set, a page at a time, and reloads as many rows as are shown', () => {
    expect(logParams(NO_FILTER, 50)).toEqual({ limit: 50 });
    expect(logParams({ state: 'failed', kind: 'points', purpose: 'service' }, 500, 'id-9')).toEqual({ state: 'failed', kind: 'points', purpose: 'service', before: 'id-9', limit: 200 });
    expect(reloadLimit(0, 50)).toBe(50);
    expect(reloadLimit(120, 50)).toBe(120);
    expect(reloadLimit(999, 50)).toBe(200);
    expect(canRetry('failed')).toBe(true);
    for (const s of ['queued', 'sending', 'sent', 'delivered', 'cancelled'] as const) expect(canRetry(s)).toBe(false);
  });
});

describe('the Messages screens say everything the backend may report, in both languages', () => {
  // Typed records: a code the backend adds fails to compile here until it is listed (and translated).
  const ERROR_CODES: Record<SmsErrorCode | 'undelivered' | 'interrupted' | 'no_consent' | 'erased' | 'no_phone' | 'no_customer', true> = {
    bad_auth: true,
    bad_sender: true,
    too_long: true,
    bad_number: true,
    blocked_number: true,
    no_balance: true,
    rate_limited: true,
    unavailable: true,
    network: true,
    bad_response: true,
    undelivered: true,
    interrupted: true,
    no_consent: true,
    erased: true,
    no_phone: true,
    no_customer: true,
  };
  const REFUSALS: Record<SmsRefusal, true> = { disabled: true, duplicate: true, no_customer: true, erased: true, no_phone: true, no_consent: true, empty: true, too_long: true };

  it('every state, kind, placeholder, error code and refusal has its words', () => {
    for (const m of [en, ru]) {
      const s = m.loyalty.sms;
      for (const state of SmsStateSchema.options) expect(s.states[state]).toBeTruthy();
      for (const kind of Object.keys(SMS_PLACEHOLDERS) as SmsTextKind[]) {
        expect(s.kinds[kind]).toBeTruthy();
        for (const p of SMS_PLACEHOLDERS[kind]) expect(s.placeholders[p as keyof typeof s.placeholders]).toBeTruthy();
      }
      for (const code of Object.keys(ERROR_CODES)) expect(s.errorCodes[code as keyof typeof s.errorCodes]).toBeTruthy();
      for (const reason of Object.keys(REFUSALS)) expect(s.refusals[reason as keyof typeof s.refusals]).toBeTruthy();
      for (const code of ['bad_auth', 'bad_sender', 'no_balance'] as const) expect(s.alerts.fix[code]).toBeTruthy();
    }
  });
});
