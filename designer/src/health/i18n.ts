/**
 * The health screens' texts, a namespace of their own (`health`) so the shared catalogues stay
 * untouched. Components read them with `useHealthT()`.
 */
import { useTranslation } from 'react-i18next';
import { asLang, i18n, type Lang } from '../i18n';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

export const HEALTH_NS = 'health';

export const healthCatalogues = { 'zh-CN': zhCN, en } as const;

for (const [lang, bundle] of Object.entries(healthCatalogues)) {
  if (!i18n.hasResourceBundle(lang, HEALTH_NS)) i18n.addResourceBundle(lang, HEALTH_NS, bundle, true, true);
}

/** The health namespace's translate function and the UI language. */
export function useHealthT(): { tr: (key: string, params?: Record<string, unknown>) => string; lang: Lang } {
  const { t, i18n: instance } = useTranslation(HEALTH_NS);
  return { tr: (key, params) => t(key, params ?? {}), lang: asLang(instance.language) };
}
