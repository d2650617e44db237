/**
 * Business calendar arithmetic: working days, working hours, deadlines in working time.
 *
 * Everything is computed from counts rather than by walking day by day: the number of working
 * days in any range is a closed formula over the weekly pattern corrected by the (sorted)
 * holiday and make-up-day lists, so a deadline years away costs a few dozen operations.
 */
import type { LocalizedText, Sla } from '../model';
import { fail, parseDuration, type CalendarResult, type Duration } from './duration';
import {
  MAX_INSTANT_MS,
  MS_PER_DAY,
  formatInstant,
  isoWeekday,
  parseClock,
  parseDateOnly,
  parseInstant,
  parseOffset,
} from './time';
import { validateCalendar } from './validate-calendar';

/** Working days and hours of an organisation, with public holidays and make-up working days. */
export interface BusinessCalendar {
  id: string;
  name: LocalizedText;
  /** Fixed offset from UTC such as `+08:00` (mainland China has no daylight saving time). */
  utcOffset: string;
  /** ISO weekday numbers that are working days, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Working hours of a working day, e.g. one span 09:00–17:00, or two around a lunch break. */
  workingHours: { start: string; end: string }[];
  /** `YYYY-MM-DD` days off even when they fall on a working weekday. */
  holidays: string[];
  /** `YYYY-MM-DD` make-up working days (调休上班), working even on a weekend. */
  workdays: string[];
  /** Years (`YYYY`) whose holidays are listed; beyond them only the weekly pattern applies. */
  years?: string[];
  /** Years whose holiday data is not yet official and must be checked when it is published. */
  provisional?: string[];
}

export type DurationMode = 'calendar' | 'working';

/** A calendar computation that could not be done; `code` is stable, `params` fill its message. */
export class CalendarError extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;

  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CalendarError';
    this.code = code;
    this.params = params;
  }
}

interface Span {
  start: number;
  end: number;
}

/** A calendar prepared for arithmetic. */
interface Compiled {
  source: BusinessCalendar;
  holidaysRef: string[];
  workdaysRef: string[];
  hoursRef: BusinessCalendar['workingHours'];
  weekdaysRef: number[];
  offsetMs: number;
  spans: Span[];
  /** Working milliseconds of one working day. */
  dayMs: number;
  /** Close of business: end of the last working span. */
  closeMs: number;
  /** `weekdayOn[w]`: ISO weekday w is a regular working day. */
  weekdayOn: boolean[];
  /** Regular working days per week. */
  perWeek: number;
  /** `cycle[r]`: regular working days among the first r days of the 7-day cycle that starts on day 0. */
  cycle: number[];
  /** Days whose status differs from the weekly pattern, ascending, with +1 (make-up) or -1 (holiday). */
  specialDays: number[];
  /** `specialPrefix[i]`: sum of the corrections of `specialDays[0..i-1]`. */
  specialPrefix: number[];
  holidaySet: Set<number>;
  workdaySet: Set<number>;
}

const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  if (typeof cal !== 'object' || cal === null) {
    throw new CalendarError('calendar.invalid', 'no business calendar given', { calendar: null, issues: [] });
  }
  const cached = compiledCache.get(cal);
  // Calendars are treated as immutable values; the reference check catches the common
  // "replaced the list" edit without rehashing the lists on every call.
  if (
    cached &&
    cached.holidaysRef === cal.holidays &&
    cached.workdaysRef === cal.workdays &&
    cached.hoursRef === cal.workingHours &&
    cached.weekdaysRef === cal.weekdays &&
    cached.holidaysRef.length === cal.holidays.length &&
    cached.workdaysRef.length === cal.workdays.length
  ) {
    return cached;
  }
  const errors = validateCalendar(cal, '').filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new CalendarError('calendar.invalid', `business calendar "${String(cal?.id)}" is invalid: ${errors.map((e) => `${e.code} at ${e.path}`).join(', ')}`, {
      calendar: cal?.id,
      issues: errors,
    });
  }
  const offsetMs = (parseOffset(cal.utcOffset) as number) * 60_000;
  const spans = cal.workingHours
    .map((h) => ({ start: parseClock(h.start) as number, end: parseClock(h.end) as number }))
    .sort((a, b) => a.start - b.start);
  const weekdayOn = Array.from({ length: 8 }, (_, w) => cal.weekdays.includes(w));
  const cycle = [0];
  for (let r = 0; r < 7; r++) cycle.push((cycle[r] as number) + (weekdayOn[isoWeekday(r)] ? 1 : 0));
  const holidaySet = new Set(cal.holidays.map((d) => parseDateOnly(d) as number));
  const workdaySet = new Set(cal.workdays.map((d) => parseDateOnly(d) as number));
  const corrections = new Map<number, number>();
  for (const day of new Set([...holidaySet, ...workdaySet])) {
    const regular = weekdayOn[isoWeekday(day)] ? 1 : 0;
    // A day in both lists is rejected by validation; were it not, the holiday would win.
    const actual = holidaySet.has(day) ? 0 : 1;
    if (actual !== regular) corrections.set(day, actual - regular);
  }
  const specialDays = [...corrections.keys()].sort((a, b) => a - b);
  const specialPrefix = [0];
  specialDays.forEach((d, i) => specialPrefix.push((specialPrefix[i] as number) + (corrections.get(d) as number)));
  const compiled: Compiled = {
    source: cal,
    holidaysRef: cal.holidays,
    workdaysRef: cal.workdays,
    hoursRef: cal.workingHours,
    weekdaysRef: cal.weekdays,
    offsetMs,
    spans,
    dayMs: spans.reduce((sum, s) => sum + s.end - s.start, 0),
    closeMs: (spans[spans.length - 1] as Span).end,
    weekdayOn,
    perWeek: cycle[7] as number,
    cycle,
    specialDays,
    specialPrefix,
    holidaySet,
    workdaySet,
  };
  compiledCache.set(cal, compiled);
  return compiled;
}

// ---- day arithmetic ----

function isWorkingDayNumber(c: Compiled, day: number): boolean {
  if (c.holidaySet.has(day)) return false;
  if (c.workdaySet.has(day)) return true;
  return c.weekdayOn[isoWeekday(day)] === true;
}

/** Regular (weekly-pattern) working days among days [0, n) relative to day 0; n may be negative. */
function regularBefore(c: Compiled, n: number): number {
  const q = Math.floor(n / 7);
  return q * c.perWeek + (c.cycle[n - q * 7] as number);
}

/** Index of the first special day >= day. */
function lowerBound(list: number[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Working days in [from, to] (inclusive); 0 when to < from. */
function countWorkingDays(c: Compiled, from: number, to: number): number {
  if (to < from) return 0;
  const regular = regularBefore(c, to + 1) - regularBefore(c, from);
  const correction =
    (c.specialPrefix[lowerBound(c.specialDays, to + 1)] as number) - (c.specialPrefix[lowerBound(c.specialDays, from)] as number);
  return regular + correction;
}

/** How far to look for working days before concluding that the calendar has none. */
function searchHorizon(c: Compiled, n: number): number {
  return Math.ceil((n * 7) / Math.max(c.perWeek, 1)) * 2 + c.specialDays.length + 800;
}

function noWorkingTime(c: Compiled): CalendarError {
  return new CalendarError('calendar.no-working-time', `business calendar "${c.source.id}" has no working days in the period`, {
    calendar: c.source.id,
  });
}

/** The n-th working day after `day` (n >= 1). */
function nthWorkingDayAfter(c: Compiled, day: number, n: number): number {
  const horizon = searchHorizon(c, n);
  let span = Math.max(1, Math.ceil((n * 7) / Math.max(c.perWeek, 1)));
  while (countWorkingDays(c, day + 1, day + span) < n) {
    if (span > horizon) throw noWorkingTime(c);
    span *= 2;
  }
  // Smallest e in (day, day + span] with count(day + 1, e) >= n.
  let lo = day + 1;
  let hi = day + span;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (countWorkingDays(c, day + 1, mid) >= n) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The n-th working day before `day` (n >= 1). */
function nthWorkingDayBefore(c: Compiled, day: number, n: number): number {
  const horizon = searchHorizon(c, n);
  let span = Math.max(1, Math.ceil((n * 7) / Math.max(c.perWeek, 1)));
  while (countWorkingDays(c, day - span, day - 1) < n) {
    if (span > horizon) throw noWorkingTime(c);
    span *= 2;
  }
  // Largest e in [day - span, day) with count(e, day - 1) >= n.
  let lo = day - span;
  let hi = day - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countWorkingDays(c, mid, day - 1) >= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---- instants ----

interface Local {
  day: number;
  /** Milliseconds after local midnight. */
  t: number;
}

function toLocal(c: Compiled, ms: number): Local {
  const local = ms + c.offsetMs;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, t: local - day * MS_PER_DAY };
}

function fromLocal(c: Compiled, day: number, t: number): number {
  return day * MS_PER_DAY + t - c.offsetMs;
}

function parseAt(c: Compiled, iso: string, what: string): number {
  const p = typeof iso === 'string' ? parseInstant(iso, c.offsetMs / 60_000) : null;
  if (!p) throw new CalendarError('calendar.instant.invalid', `${what} is not an ISO 8601 date-time: ${String(iso)}`, { value: iso });
  return p.ms;
}

function output(ms: number): string {
  if (ms > MAX_INSTANT_MS) {
    throw new CalendarError('calendar.instant.out-of-range', 'the result lies beyond the year 9999', {});
  }
  return formatInstant(ms);
}

/** Working milliseconds of a working day inside [from, to) (times of day). */
function overlap(c: Compiled, from: number, to: number): number {
  let sum = 0;
  for (const s of c.spans) sum += Math.max(0, Math.min(to, s.end) - Math.max(from, s.start));
  return sum;
}

/** The instant `ms` of working time after `start`; `ms` of 0 gives the next working instant. */
function addWorkingMs(c: Compiled, start: number, ms: number): number {
  const { day, t } = toLocal(c, start);
  let rest = ms;
  if (isWorkingDayNumber(c, day)) {
    for (const s of c.spans) {
      if (t >= s.end) continue;
      const from = Math.max(t, s.start);
      const avail = s.end - from;
      if (rest <= avail) return fromLocal(c, day, from + rest);
      rest -= avail;
    }
  }
  const fullDays = rest <= 0 ? 0 : Math.ceil(rest / c.dayMs) - 1;
  rest -= fullDays * c.dayMs;
  const target = nthWorkingDayAfter(c, day, fullDays + 1);
  for (const s of c.spans) {
    const avail = s.end - s.start;
    if (rest <= avail) return fromLocal(c, target, s.start + rest);
    rest -= avail;
  }
  /* c8 ignore next */
  throw new Error('unreachable: rest exceeded one working day');
}

/** The instant `ms` of working time before `end`. */
function subtractWorkingMs(c: Compiled, end: number, ms: number): number {
  if (ms <= 0) return end;
  const { day, t } = toLocal(c, end);
  let rest = ms;
  if (isWorkingDayNumber(c, day)) {
    for (let i = c.spans.length - 1; i >= 0; i--) {
      const s = c.spans[i] as Span;
      if (t <= s.start) continue;
      const to = Math.min(t, s.end);
      const avail = to - s.start;
      if (rest <= avail) return fromLocal(c, day, to - rest);
      rest -= avail;
    }
  }
  const fullDays = Math.ceil(rest / c.dayMs) - 1;
  rest -= fullDays * c.dayMs;
  const target = nthWorkingDayBefore(c, day, fullDays + 1);
  for (let i = c.spans.length - 1; i >= 0; i--) {
    const s = c.spans[i] as Span;
    const avail = s.end - s.start;
    if (rest <= avail) return fromLocal(c, target, s.end - rest);
    rest -= avail;
  }
  /* c8 ignore next */
  throw new Error('unreachable: rest exceeded one working day');
}

function inSpanInclusive(c: Compiled, t: number): boolean {
  return c.spans.some((s) => t >= s.start && t <= s.end);
}

/**
 * Moves n working days forward keeping the clock time. A start outside working hours first
 * moves to the next start of working time; a start exactly at the end of a span keeps its time
 * (Monday 17:00 + 1 working day = Tuesday 17:00).
 */
function addWorkingDays(c: Compiled, start: number, n: number): number {
  let { day, t } = toLocal(c, start);
  if (!(isWorkingDayNumber(c, day) && inSpanInclusive(c, t))) {
    const later = isWorkingDayNumber(c, day) ? c.spans.find((s) => s.start > t) : undefined;
    if (later) t = later.start;
    else {
      day = nthWorkingDayAfter(c, day, 1);
      t = (c.spans[0] as Span).start;
    }
  }
  return fromLocal(c, n === 0 ? day : nthWorkingDayAfter(c, day, n), t);
}

/** Mirror of `addWorkingDays`: a point outside working time first moves back to the last end of working time. */
function subtractWorkingDays(c: Compiled, end: number, n: number): number {
  let { day, t } = toLocal(c, end);
  if (!(isWorkingDayNumber(c, day) && inSpanInclusive(c, t))) {
    const earlier = isWorkingDayNumber(c, day) ? [...c.spans].reverse().find((s) => s.end < t) : undefined;
    if (earlier) t = earlier.end;
    else {
      day = nthWorkingDayBefore(c, day, 1);
      t = c.closeMs;
    }
  }
  return fromLocal(c, n === 0 ? day : nthWorkingDayBefore(c, day, n), t);
}

function workingDaysOf(c: Compiled, d: Extract<Duration, { kind: 'fixed' }>): number {
  // A week of working time is the calendar's working week (5 days Mon–Fri), not 7 working days.
  return d.weeks * (c.perWeek || 7) + d.days;
}

function addParsed(c: Compiled, start: number, d: Duration, mode: DurationMode): number {
  if (d.kind === 't-plus') {
    const { day, t } = toLocal(c, start);
    if (mode === 'calendar') return fromLocal(c, day + d.n, c.closeMs);
    // T is today when today is a working day and business has not closed, else the next working day.
    const tDay = isWorkingDayNumber(c, day) && t < c.closeMs ? day : nthWorkingDayAfter(c, day, 1);
    return fromLocal(c, d.n === 0 ? tDay : nthWorkingDayAfter(c, tDay, d.n), c.closeMs);
  }
  if (mode === 'calendar') return start + d.ms;
  const days = workingDaysOf(c, d);
  const afterDays = days > 0 ? addWorkingDays(c, start, days) : start;
  if (d.timeMs > 0 || days === 0) return addWorkingMs(c, afterDays, d.timeMs);
  return afterDays;
}

function subtractParsed(c: Compiled, end: number, d: Extract<Duration, { kind: 'fixed' }>, mode: DurationMode): number {
  if (mode === 'calendar') return end - d.ms;
  const days = workingDaysOf(c, d);
  const afterTime = d.timeMs > 0 ? subtractWorkingMs(c, end, d.timeMs) : end;
  return days > 0 ? subtractWorkingDays(c, afterTime, days) : afterTime;
}

function requireMode(mode: unknown): DurationMode {
  if (mode !== 'calendar' && mode !== 'working') {
    throw new CalendarError('calendar.mode.invalid', `mode must be "calendar" or "working", not ${String(mode)}`, { value: mode });
  }
  return mode;
}

function parseOrThrow(duration: string): Duration {
  const d = parseDuration(duration);
  if (!d.ok) throw new CalendarError(d.code, d.reason, d.params);
  return d.value;
}

// ---- public API ----

/**
 * True when the day is a working day: a make-up working day, or a regular working weekday that
 * is not a holiday. Accepts a date (`2026-02-14`, the calendar's local date) or an instant
 * (converted to the calendar's local date). Throws `CalendarError` on an invalid date.
 */
export function isWorkingDay(cal: BusinessCalendar, isoOrDate: string | Date): boolean {
  const c = compile(cal);
  const ms = isoOrDate instanceof Date ? isoOrDate.getTime() : parseAt(c, isoOrDate, 'date');
  if (!Number.isFinite(ms)) throw new CalendarError('calendar.instant.invalid', 'invalid Date', { value: String(isoOrDate) });
  return isWorkingDayNumber(c, toLocal(c, ms).day);
}

/** True when the instant falls in working hours of a working day (span start inclusive, end exclusive). */
export function isWorkingTime(cal: BusinessCalendar, iso: string): boolean {
  const c = compile(cal);
  const { day, t } = toLocal(c, parseAt(c, iso, 'time'));
  return isWorkingDayNumber(c, day) && c.spans.some((s) => t >= s.start && t < s.end);
}

/**
 * The instant `duration` after `startIso`. In `working` mode hours and minutes count working
 * time only, `PnD` counts working days at the same clock time, `PnW` counts working weeks, and
 * `T+n` is close of business on the n-th working day. In `calendar` mode the duration is
 * elapsed time and `T+n` is close of business n days later. Returns UTC ISO with milliseconds.
 * Throws `CalendarError` on an invalid calendar, start or duration.
 */
export function addDuration(cal: BusinessCalendar, startIso: string, duration: string, mode: DurationMode): string {
  const c = compile(cal);
  const start = parseAt(c, startIso, 'start');
  return output(addParsed(c, start, parseOrThrow(duration), requireMode(mode)));
}

/** `addDuration` that returns a result instead of throwing. */
export function tryAddDuration(cal: BusinessCalendar, startIso: string, duration: string, mode: DurationMode): CalendarResult<string> {
  try {
    return { ok: true, value: addDuration(cal, startIso, duration, mode) };
  } catch (e) {
    if (e instanceof CalendarError) return fail(e.code, e.message, e.params);
    throw e;
  }
}

/** Working milliseconds between two instants; 0 when `bIso` is not after `aIso`. */
export function workingMsBetween(cal: BusinessCalendar, aIso: string, bIso: string): number {
  const c = compile(cal);
  return workingMs(c, parseAt(c, aIso, 'from'), parseAt(c, bIso, 'to'));
}

function workingMs(c: Compiled, a: number, b: number): number {
  if (b <= a) return 0;
  const la = toLocal(c, a);
  const lb = toLocal(c, b);
  if (la.day === lb.day) return isWorkingDayNumber(c, la.day) ? overlap(c, la.t, lb.t) : 0;
  return (
    (isWorkingDayNumber(c, la.day) ? overlap(c, la.t, MS_PER_DAY) : 0) +
    countWorkingDays(c, la.day + 1, lb.day - 1) * c.dayMs +
    (isWorkingDayNumber(c, lb.day) ? overlap(c, 0, lb.t) : 0)
  );
}

/** Far enough back that every instant a case can carry lies after it (about 2,200 years before 1970). */
const CLOCK_ORIGIN_DAY = -800_000;

/**
 * The calendar's working time as a clock: working milliseconds from a fixed origin to the instant
 * `ms` (epoch milliseconds). For `a < b`, `clock(b) - clock(a)` equals `workingMsBetween(a, b)`
 * exactly, so figures over many instants measured against one moment (the age of every open case
 * now) take one subtraction each instead of parsing and walking every pair.
 */
export function workingClock(cal: BusinessCalendar): (ms: number) => number {
  const c = compile(cal);
  return (ms) => {
    const { day, t } = toLocal(c, ms);
    return countWorkingDays(c, CLOCK_ORIGIN_DAY, day - 1) * c.dayMs + (isWorkingDayNumber(c, day) ? overlap(c, 0, t) : 0);
  };
}

/** Working milliseconds in one working day of the calendar (8 h for 09:00–17:00). */
export function workingMsPerDay(cal: BusinessCalendar): number {
  return compile(cal).dayMs;
}

/**
 * Due time and warning time of an SLA started at `startIso`. `warnBefore` is subtracted from the
 * due time in the SLA's mode; `warnAt` is a fraction (0..1) of the limit, measured in the SLA's
 * mode. A warning that would fall before the start is moved to the start. Mode defaults to
 * `calendar`. Throws `CalendarError` on invalid input.
 */
export function slaDeadlines(cal: BusinessCalendar, startIso: string, sla: Sla): { dueAt: string; warnAt?: string } {
  const c = compile(cal);
  const start = parseAt(c, startIso, 'start');
  const mode = requireMode(sla.mode ?? 'calendar');
  const due = addParsed(c, start, parseOrThrow(sla.duration), mode);
  const dueAt = output(due);
  let warn: number | undefined;
  if (sla.warnBefore !== undefined) {
    const before = parseOrThrow(sla.warnBefore);
    if (before.kind !== 'fixed') {
      throw new CalendarError('calendar.sla.warn-before.invalid', 'warnBefore must be an ISO 8601 duration, not T+n', {
        value: sla.warnBefore,
      });
    }
    warn = subtractParsed(c, due, before, mode);
  } else if (sla.warnAt !== undefined) {
    const f = sla.warnAt;
    if (typeof f !== 'number' || !(f >= 0 && f <= 1)) {
      throw new CalendarError('calendar.sla.warn-at.invalid', 'warnAt must be a fraction from 0 to 1', { value: f });
    }
    warn = mode === 'calendar' ? start + Math.round(f * (due - start)) : addWorkingMs(c, start, Math.round(f * workingMs(c, start, due)));
    if (warn > due) warn = due;
  }
  if (warn === undefined) return { dueAt };
  return { dueAt, warnAt: output(Math.max(warn, start)) };
}
