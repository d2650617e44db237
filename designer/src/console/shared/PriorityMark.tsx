import { useTranslation } from 'react-i18next';

/** Priority from which a case counts as green channel (strategic clients, private banking: 80 and up in the templates). */
export const GREEN_CHANNEL_FROM = 80;
/** Priority from which a case is marked as prioritised ahead of ordinary work. */
export const PRIORITY_FROM = 60;

export type PriorityBand = 'green' | 'high' | 'normal';

/** Which marker a priority gets. */
export function priorityBand(priority: number): PriorityBand {
  if (priority >= GREEN_CHANNEL_FROM) return 'green';
  if (priority >= PRIORITY_FROM) return 'high';
  return 'normal';
}

/** The green-channel or priority marker with the number beside it. */
export function PriorityMark({ priority }: { priority: number }) {
  const { t } = useTranslation();
  const band = priorityBand(priority);
  const label = band === 'green' ? t('console.priority.green') : band === 'high' ? t('console.priority.high') : t('console.priority.normal');
  return (
    <span className={`priority priority-${band}`} title={t('console.priority.title', { priority })}>
      {band !== 'normal' && <span className="priority-label">{label}</span>}
      <span className="priority-number" aria-label={t('console.priority.title', { priority })}>
        {priority}
      </span>
    </span>
  );
}
