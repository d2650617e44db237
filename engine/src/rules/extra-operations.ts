/**
 * Flowpath's extra rule operations: named lists and business time. Each receives the
 * evaluation context and its evaluated arguments. Bad input (a date that is not a date, an
 * unknown duration) gives null rather than an error, so a rule over incomplete case data still
 * evaluates and the audit trail shows what it saw.
 */
import {
  CalendarError,
  cnMainlandCalendar,
  isWorkingDay,
  tryAddDuration,
  workingMsBetween,
  workingMsPerDay,
  type BusinessCalendar,
} from '../calendar';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, civilFromDays, formatInstant, parseInstant, parseOffset } from '../calendar/time';

/** What the runtime tells a rule about the world outside the case data. */
export interface RuleContext {
  /** Time of the current step (ISO 8601). */
  now?: string;
  /** Business calendar for working-time operations (default: the built-in mainland China calendar). */
  calendar?: BusinessCalendar;
  /** Membership in the bank's named lists (whitelists, blacklists, high-risk lists). */
  isInList?: (list: string, value: unknown) => boolean;
}

function calendarOf(ctx: RuleContext): BusinessCalendar {
  return ctx.calendar ?? cnMainlandCalendar;
}

/** Epoch ms of an ISO date or date-time, reading local forms in the calendar's offset; null if invalid. */
function instant(ctx: RuleContext, v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const offset = parseOffset(calendarOf(ctx).utcOffset);
  if (offset === null) return null;
  return parseInstant(v, offset)?.ms ?? null;
}

/** Runs a calendar computation; an invalid input (CalendarError) gives null, a bug still throws. */
function orNull<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalendarError) return null;
    throw e;
  }
}

function signedWorkingMs(ctx: RuleContext, a: unknown, b: unknown): number | null {
  const ma = instant(ctx, a);
  const mb = instant(ctx, b);
  if (ma === null || mb === null) return null;
  const cal = calendarOf(ctx);
  return orNull(() => (ma <= mb ? workingMsBetween(cal, a as string, b as string) : -workingMsBetween(cal, b as string, a as string)));
}

type ExtraOperation = (ctx: RuleContext, ...args: unknown[]) => unknown;

export const extraOperations: Record<string, ExtraOperation> = {
  inList(ctx, list, value) {
    if (typeof list !== 'string' || !ctx.isInList) return false;
    return ctx.isInList(list, value) === true;
  },

  now(ctx) {
    const ms = instant(ctx, ctx.now);
    return ms === null ? null : formatInstant(ms);
  },

  addDuration(ctx, date, duration, mode = 'calendar') {
    if (typeof date !== 'string' || typeof duration !== 'string') return null;
    if (mode !== 'calendar' && mode !== 'working') return null;
    const r = tryAddDuration(calendarOf(ctx), date, duration, mode);
    return r.ok ? r.value : null;
  },

  workingHoursBetween(ctx, a, b) {
    const ms = signedWorkingMs(ctx, a, b);
    return ms === null ? null : ms / MS_PER_HOUR;
  },

  workingDaysBetween(ctx, a, b) {
    const ms = signedWorkingMs(ctx, a, b);
    if (ms === null) return null;
    const perDay = orNull(() => workingMsPerDay(calendarOf(ctx)));
    return perDay ? ms / perDay : null;
  },

  hoursBetween(ctx, a, b) {
    const ma = instant(ctx, a);
    const mb = instant(ctx, b);
    return ma === null || mb === null ? null : (mb - ma) / MS_PER_HOUR;
  },

  daysBetween(ctx, a, b) {
    const ma = instant(ctx, a);
    const mb = instant(ctx, b);
    return ma === null || mb === null ? null : (mb - ma) / MS_PER_DAY;
  },

  isWorkingDay(ctx, date) {
    if (typeof date !== 'string' || instant(ctx, date) === null) return null;
    return orNull(() => isWorkingDay(calendarOf(ctx), date));
  },

  ageInYears(ctx, birthDate) {
    const birth = instant(ctx, birthDate);
    const now = instant(ctx, ctx.now);
    if (birth === null || now === null || birth > now) return null;
    const offset = (parseOffset(calendarOf(ctx).utcOffset) ?? 0) * MS_PER_MINUTE;
    const b = civilFromDays(Math.floor((birth + offset) / MS_PER_DAY));
    const n = civilFromDays(Math.floor((now + offset) / MS_PER_DAY));
    // Someone born on 29 February becomes a year older on 1 March in common years.
    const beforeBirthday = n.m < b.m || (n.m === b.m && n.d < b.d);
    return n.y - b.y - (beforeBirthday ? 1 : 0);
  },
};
