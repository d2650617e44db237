import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import consoleEn from './console.en.json';
import consoleZhCN from './console.zh-CN.json';
import en from './en.json';
import zhCN from './zh-CN.json';

/** The two product languages. */
export type Lang = 'zh-CN' | 'en';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'flowpath.lang';

/** The language the user chose last time, or Simplified Chinese. */
export function storedLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Switches the whole UI and remembers the choice. */
export async function setLang(lang: Lang): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be disabled (private mode); the switch still applies to this page
  }
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

/** Narrows i18next's language string to a product language. */
export function asLang(language: string | undefined): Lang {
  return language === 'en' ? 'en' : 'zh-CN';
}

// The operations console keeps its texts in files of its own, under the `console.` prefix.
export const resources = {
  'zh-CN': { translation: { ...zhCN, console: consoleZhCN } },
  en: { translation: { ...en, console: consoleEn } },
} as const;

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLang(),
  fallbackLng: 'zh-CN',
  supportedLngs: ['zh-CN', 'en'],
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
  returnNull: false,
});
