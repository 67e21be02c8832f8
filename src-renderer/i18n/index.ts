import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { ru } from './ru.js';

export type Language = 'ru' | 'en';

const STORAGE_KEY = 'lavka.language';

export function storedLanguage(): Language | null {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'ru' || v === 'en' ? v : null;
}

export function initI18n(): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng: storedLanguage() ?? 'ru',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return i18next;
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

export const i18n = i18next;
