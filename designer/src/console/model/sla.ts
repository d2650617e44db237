/**
 * Time left on a task's time limit, counted the way the limit was set: in working time on the
 * flow's business calendar (evenings, weekends, public holidays and the make-up working days
 * of the Chinese calendar taken into account) or, for limits stated in calendar time, elapsed.
 */
import { workingMsBetween, workingMsPerDay, type BusinessCalendar } from '@flowpath/engine';

export type SlaState = 'none' | 'ok' | 'warning' | 'breached';

export interface SlaCountdown {
  state: SlaState;
  /** How the time is counted. */
  mode: 'working' | 'calendar';
  /** Time left until the due time (0 once breached). */
  leftMs: number;
  /** Time past the due time (0 before it). */
  overdueMs: number;
  /** Length of one day in this count: a working day (8 h on 09:00–17:00) or 24 h. */
  dayMs: number;
}

const DAY_MS = 86_400_000;

/** Where a limit stands at `now`: amber from the warning time, red from the due time. */
export function slaCountdown(input: {
  dueAt: string | null;
  warnAt: string | null;
  now: string;
  calendar: BusinessCalendar;
  mode: 'working' | 'calendar';
}): SlaCountdown {
  const { dueAt, warnAt, now, calendar, mode } = input;
  const dayMs = mode === 'working' ? workingMsPerDay(calendar) : DAY_MS;
  if (!dueAt) return { state: 'none', mode, leftMs: 0, overdueMs: 0, dayMs };
  const t = Date.parse(now);
  const due = Date.parse(dueAt);
  const span = (a: string, b: string, ams: number, bms: number) => (mode === 'working' ? workingMsBetween(calendar, a, b) : Math.max(0, bms - ams));
  if (t >= due) return { state: 'breached', mode, leftMs: 0, overdueMs: span(dueAt, now, due, t), dayMs };
  const warned = warnAt !== null && t >= Date.parse(warnAt);
  return { state: warned ? 'warning' : 'ok', mode, leftMs: span(now, dueAt, t, due), overdueMs: 0, dayMs };
}

/** A duration split into days (of `dayMs`), hours and minutes; the two largest non-zero parts are kept. */
export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

export function durationParts(ms: number, dayMs: number): DurationParts {
  const totalMinutes = Math.floor(Math.max(0, ms) / 60_000);
  const minutesPerDay = Math.max(1, Math.round(dayMs / 60_000));
  const days = Math.floor(totalMinutes / minutesPerDay);
  const rest = totalMinutes - days * minutesPerDay;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  // Two units are enough to act on; "2 working days 3 h" rather than "2 d 3 h 17 min".
  if (days > 0) return { days, hours, minutes: 0 };
  return { days: 0, hours, minutes };
}
