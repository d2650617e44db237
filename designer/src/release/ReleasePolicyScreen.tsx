import { useTranslation } from 'react-i18next';

/** Which version new cases get: default, pilots, percentage split. */
export function ReleasePolicyScreen({ flowKey }: { flowKey: string }) {
  const { t } = useTranslation();
  return (
    <main>
      <h1>
        {t('flows.release')} <code>{flowKey}</code>
      </h1>
    </main>
  );
}
