import type { BusinessCalendar } from '@flowpath/engine';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { durationParts, slaCountdown, type SlaCountdown } from '../model/sla';
import { formatTime } from './format';

/** "1 working day 2 h", "3 h 20 min", "< 1 min" in the UI language. */
export function formatSpan(ms: number, c: Pick<SlaCountdown, 'dayMs' | 'mode'>, t: TFunction): string {
  const p = durationParts(ms, c.dayMs);
  const parts: string[] = [];
  if (p.days > 0) parts.push(t(c.mode === 'working' ? 'console.sla.workingDays' : 'console.sla.days', { count: p.days }));
  if (p.hours > 0) parts.push(t('console.sla.hours', { count: p.hours }));
  if (p.minutes > 0 && p.days === 0) parts.push(t('console.sla.minutes', { count: p.minutes }));
  return parts.length ? parts.join(' ') : t('console.sla.underMinute');
}

/** The words of a countdown: time left, or time overdue, in its count. */
export function countdownText(c: SlaCountdown, t: TFunction): string {
  if (c.state === 'none') return t('console.sla.none');
  if (c.state === 'breached') return t(c.mode === 'working' ? 'console.sla.overdueWorking' : 'console.sla.overdue', { time: formatSpan(c.overdueMs, c, t) });
  return t(c.mode === 'working' ? 'console.sla.leftWorking' : 'console.sla.left', { time: formatSpan(c.leftMs, c, t) });
}

/**
 * Time left on a limit, green, amber from the warning time, red once breached, counted in
 * working time on the flow's calendar when the limit is in working time. Until the calendar
 * is known it shows the due time itself.
 */
export function SlaBadge({
  dueAt,
  warnAt,
  now,
  calendar,
  mode,
}: {
  dueAt: string | null;
  warnAt: string | null;
  now: string;
  calendar: BusinessCalendar | null;
  mode: 'working' | 'calendar';
}) {
  const { t, i18n } = useTranslation();
  if (!dueAt) return <span className="sla sla-none">{t('console.sla.none')}</span>;
  const due = formatTime(dueAt, i18n.language);
  if (!calendar) return <span className="sla">{t('console.sla.dueAt', { time: due })}</span>;
  const c = slaCountdown({ dueAt, warnAt, now, calendar, mode });
  const text = countdownText(c, t);
  const calendarName = calendar.name?.[i18n.language === 'en' ? 'en' : 'zh-CN'] ?? calendar.id;
  return (
    <span className={`sla sla-${c.state}`} data-sla={c.state} title={t('console.sla.title', { time: due, calendar: calendarName })}>
      <span className="sla-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
