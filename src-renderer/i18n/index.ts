import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ErrorCode } from '../../src-common/errors.js';
import type { SyncProblem } from '../../src-common/rpc/schemas.js';
import { en } from './en.js';
import { ru } from './ru.js';

export type Language = 'ru' | 'en';
export const LANGUAGES: readonly Language[] = ['ru', 'en'];

// Every error code the backend can send has a sentence in every language: a missing one fails typecheck.
type MissingErrorMessages = Exclude<ErrorCode, keyof typeof en.errors>;
const everyErrorTranslated: [MissingErrorMessages] extends [never] ? true : MissingErrorMessages = true;
void everyErrorTranslated;
// …and so has every reason sync with the head office may give (src-common SYNC_PROBLEMS).
type MissingSyncProblems = Exclude<SyncProblem['code'], keyof typeof en.sync.problems>;
const everySyncProblemTranslated: [MissingSyncProblems] extends [never] ? true : MissingSyncProblems = true;
void everySyncProblemTranslated;

const STORAGE_KEY = 'lavka.language';
/** Set while a choice made here has not reached the backend yet (made logged out, or offline). */
const PENDING_KEY = 'lavka.language.pending';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: the choice lasts until reload */
  }
}

/** The language this browser last showed: the first paint uses it, before system.info answers. */
export function storedLanguage(): Language | null {
  const v = read(STORAGE_KEY);
  return v === 'ru' || v === 'en' ? v : null;
}

/** A choice the cashier made here that system.setLanguage has not stored yet; it beats system.info. */
export function pendingLanguage(): Language | null {
  return read(PENDING_KEY) === '1' ? storedLanguage() : null;
}

export function initI18n(): typeof i18next {
  const lng = storedLanguage() ?? 'ru';
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i18next;
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'ru';
}

/** Show the UI in `lang` (the store's setting from system.info) and remember it for the next first paint. */
export function applyLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  write(STORAGE_KEY, lang);
  if (i18next.language !== lang) void i18next.changeLanguage(lang);
}

/** The cashier picked a language: show it now, and keep it pending until the backend has it. */
export function chooseLanguage(lang: Language): void {
  applyLanguage(lang);
  write(PENDING_KEY, '1');
}

/** system.setLanguage succeeded: from now on system.info carries the choice. */
export function languageSynced(): void {
  write(PENDING_KEY, null);
}

export const i18n = i18next;
