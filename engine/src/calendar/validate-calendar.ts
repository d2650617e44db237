/** Static checks of a business calendar, returned as issues with JSON Pointer paths. */
import type { Issue } from '../model';
import { isoWeekday, parseClock, parseDateOnly, parseOffset } from './time';

const ID_RE = /^[a-z0-9][a-z0-9-]*$/;
const YEAR_RE = /^\d{4}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a business calendar: id, bilingual name, fixed UTC offset, working weekdays, working
 * hours (valid, ordered, not overlapping) and the holiday and make-up working-day lists.
 * `path` is the JSON Pointer of the calendar in its document ('' for a calendar file).
 */
export function validateCalendar(cal: unknown, path: string): Issue[] {
  const issues: Issue[] = [];
  const err = (code: string, at: string, params: Record<string, unknown> = {}): void => {
    issues.push({ code, severity: 'error', path: at, params });
  };
  const warn = (code: string, at: string, params: Record<string, unknown> = {}): void => {
    issues.push({ code, severity: 'warning', path: at, params });
  };
  if (!isRecord(cal)) {
    err('calendar.invalid', path);
    return issues;
  }

  if (typeof cal.id !== 'string' || !ID_RE.test(cal.id)) err('calendar.id.invalid', `${path}/id`, { value: cal.id });

  const name = cal.name;
  if (!isRecord(name) || typeof name['zh-CN'] !== 'string' || typeof name.en !== 'string' || !name['zh-CN'] || !name.en) {
    err('calendar.name.invalid', `${path}/name`);
  }

  if (typeof cal.utcOffset !== 'string' || parseOffset(cal.utcOffset) === null) {
    err('calendar.offset.invalid', `${path}/utcOffset`, { value: cal.utcOffset });
  }

  const weekdays = cal.weekdays;
  if (!Array.isArray(weekdays)) {
    err('calendar.weekdays.invalid', `${path}/weekdays`, { value: weekdays });
  } else {
    const seen = new Set<unknown>();
    weekdays.forEach((w, i) => {
      if (!Number.isInteger(w) || (w as number) < 1 || (w as number) > 7 || seen.has(w)) {
        err('calendar.weekdays.invalid', `${path}/weekdays/${i}`, { value: w });
      }
      seen.add(w);
    });
  }

  const hours = cal.workingHours;
  if (!Array.isArray(hours) || hours.length === 0) {
    err('calendar.hours.missing', `${path}/workingHours`);
  } else {
    const spans: { start: number; end: number; i: number }[] = [];
    hours.forEach((h, i) => {
      const at = `${path}/workingHours/${i}`;
      if (!isRecord(h)) {
        err('calendar.hours.invalid', at, { value: h });
        return;
      }
      const start = typeof h.start === 'string' ? parseClock(h.start) : null;
      const end = typeof h.end === 'string' ? parseClock(h.end) : null;
      if (start === null) err('calendar.hours.invalid', `${at}/start`, { value: h.start });
      if (end === null) err('calendar.hours.invalid', `${at}/end`, { value: h.end });
      if (start === null || end === null) return;
      if (start >= end) {
        err('calendar.hours.order', at, { start: h.start, end: h.end });
        return;
      }
      spans.push({ start, end, i });
    });
    spans.sort((a, b) => a.start - b.start);
    for (let k = 1; k < spans.length; k++) {
      const prev = spans[k - 1];
      const cur = spans[k];
      if (prev && cur && cur.start < prev.end) {
        err('calendar.hours.overlap', `${path}/workingHours/${cur.i}`, { other: prev.i });
      }
    }
  }

  const dayLists: Record<'holidays' | 'workdays', Map<number, number>> = { holidays: new Map(), workdays: new Map() };
  for (const key of ['holidays', 'workdays'] as const) {
    const list = cal[key];
    if (!Array.isArray(list)) {
      err('calendar.dates.invalid', `${path}/${key}`);
      continue;
    }
    list.forEach((d, i) => {
      const day = typeof d === 'string' ? parseDateOnly(d) : null;
      if (day === null) {
        err('calendar.date.invalid', `${path}/${key}/${i}`, { value: d });
        return;
      }
      if (dayLists[key].has(day)) warn('calendar.date.duplicate', `${path}/${key}/${i}`, { date: d });
      else dayLists[key].set(day, i);
    });
  }
  const regular = Array.isArray(weekdays) ? new Set(weekdays) : new Set();
  for (const [day, i] of dayLists.workdays) {
    const date = (cal.workdays as string[])[i];
    if (dayLists.holidays.has(day)) {
      err('calendar.date.conflict', `${path}/workdays/${i}`, { date });
    } else if (regular.has(isoWeekday(day))) {
      // A make-up day is by nature a weekend day; a regular weekday here is most likely a typo.
      warn('calendar.workday.redundant', `${path}/workdays/${i}`, { date });
    }
  }

  // Make-up working days alone run out: after the last one no working-time deadline exists.
  if (Array.isArray(weekdays) && weekdays.length === 0) {
    err('calendar.weekdays.empty', `${path}/weekdays`);
  }

  for (const key of ['provisional', 'years'] as const) {
    const list = cal[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      err('calendar.year.invalid', `${path}/${key}`, { value: list });
      continue;
    }
    list.forEach((y, i) => {
      if (typeof y !== 'string' || !YEAR_RE.test(y)) err('calendar.year.invalid', `${path}/${key}/${i}`, { value: y });
    });
  }
  return issues;
}
