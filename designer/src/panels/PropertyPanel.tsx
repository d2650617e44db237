import { useTranslation } from 'react-i18next';

/** Configuration of the selected node or edge. */
export function PropertyPanel() {
  const { t } = useTranslation();
  return <section aria-label={t('editor.tab.properties')} />;
}
