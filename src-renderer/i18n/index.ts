import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ErrorCode } from '../../src-common/errors.js';
import { en } from './en.js';
import { ru } from './ru.js';

export type Language = 'ru' | 'en';
export const LANGUAGES: readonly Language[] = ['ru', 'en'];

// Every error code the backend can send has a sentence in every language: a missing one fails typecheck.
type MissingErrorMessages = Exclude<ErrorCode, keyof typeof en.errors>;
const everyErrorTranslated: [MissingErrorMessages] extends [never] ? true : MissingErrorMessages = true;
void everyErrorTranslated;

const STORAGE_KEY = 'lavka.language';

/** The language this browser chose explicitly, if any. */
export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'ru' || v === 'en' ? v : null;
  } catch {
    return null;
  }
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

/** Show the UI in `lang` without remembering it (the store's default from system.info). */
export function applyLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  if (i18next.language !== lang) void i18next.changeLanguage(lang);
}

/** The cashier picked a language: remember it in this browser. */
export function chooseLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts until reload */
  }
  applyLanguage(lang);
}

export const i18n = i18next;
