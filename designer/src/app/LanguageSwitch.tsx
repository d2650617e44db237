import { useTranslation } from 'react-i18next';
import { asLang, LANGS, setLang } from '../i18n';

/** Switches every label, message and node name between Simplified Chinese and English. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span>{t('app.language')}</span>
      <select value={asLang(i18n.language)} onChange={(e) => void setLang(asLang(e.target.value))} aria-label={t('app.language')}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
