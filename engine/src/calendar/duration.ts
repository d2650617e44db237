/**
 * Durations as analysts write them: ISO 8601 (`PT4H`, `P7D`, `P1DT2H`, `P2W`) or `T+n`
 * (close of business on the n-th working day, the way Chinese banks state turnaround).
 */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './time';

/** Longest duration the engine computes with; longer limits are almost certainly typing errors. */
export const MAX_DURATION_DAYS = 3650;
/** Largest n accepted in `T+n`. */
export const MAX_T_PLUS = 30;

/**
 * A parsed duration. `fixed` is an ISO 8601 duration: `ms` is its length in elapsed (calendar)
 * time, and `weeks`, `days`, `timeMs` keep the parts apart because working time counts days and
 * hours differently. `t-plus` is `T+n`.
 */
export type Duration =
  | { kind: 'fixed'; text: string; weeks: number; days: number; timeMs: number; ms: number }
  | { kind: 't-plus'; text: string; n: number };

/** Why a calendar computation was refused: a stable code, its params, and an English reason. */
export interface CalendarFailure {
  ok: false;
  code: string;
  reason: string;
  params: Record<string, unknown>;
}

export type CalendarResult<T> = { ok: true; value: T } | CalendarFailure;

export function fail(code: string, reason: string, params: Record<string, unknown>): CalendarFailure {
  return { ok: false, code, reason, params };
}

const ISO_RE = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const T_PLUS_RE = /^T\+(\d+)$/;

/**
 * Parses `PT4H`, `PT30M`, `P7D`, `P1DT2H`, `P2W`, `T+0`…`T+30`. Years and months are refused
 * (a month is not a fixed length), as are negative, empty and longer-than-ten-year durations.
 * Never throws.
 */
export function parseDuration(s: string): CalendarResult<Duration> {
  if (typeof s !== 'string') return fail('calendar.duration.invalid', 'a duration must be a string', { value: s });
  const tPlus = T_PLUS_RE.exec(s);
  if (tPlus) {
    const n = Number(tPlus[1]);
    if (n > MAX_T_PLUS) {
      return fail('calendar.duration.t-plus.range', `T+n accepts n from 0 to ${MAX_T_PLUS}`, { value: s, max: MAX_T_PLUS });
    }
    return { ok: true, value: { kind: 't-plus', text: s, n } };
  }
  if (s.startsWith('-') || s.startsWith('T-')) {
    return fail('calendar.duration.negative', 'a time limit cannot be negative', { value: s });
  }
  const unit = /^P(?:\d+(?:\.\d+)?[YMWD])*\d+(?:\.\d+)?([YM])/.exec(s);
  if (unit) {
    return fail('calendar.duration.unit.unsupported', 'years and months have no fixed length; write days or weeks', {
      value: s,
      unit: unit[1],
    });
  }
  const m = ISO_RE.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) {
    return fail('calendar.duration.invalid', 'not an ISO 8601 duration (PT4H, P7D, P1DT2H, P2W) or T+n', { value: s });
  }
  const [, w, d, h, min, sec] = m;
  // ISO 8601 allows a decimal fraction on the smallest unit only.
  const fractional = [h, min, sec].findIndex((p) => p !== undefined && p.includes('.'));
  if (fractional !== -1 && [h, min, sec].slice(fractional + 1).some((p) => p !== undefined)) {
    return fail('calendar.duration.invalid', 'only the last unit of a duration may have a fraction', { value: s });
  }
  const weeks = Number(w ?? 0);
  const days = Number(d ?? 0);
  const timeMs = Math.round(Number(h ?? 0) * MS_PER_HOUR + Number(min ?? 0) * MS_PER_MINUTE + Number(sec ?? 0) * 1000);
  const ms = (weeks * 7 + days) * MS_PER_DAY + timeMs;
  if (!Number.isFinite(ms) || ms > MAX_DURATION_DAYS * MS_PER_DAY) {
    return fail('calendar.duration.too-long', `a time limit may be at most ${MAX_DURATION_DAYS} days`, {
      value: s,
      limitDays: MAX_DURATION_DAYS,
    });
  }
  return { ok: true, value: { kind: 'fixed', text: s, weeks, days, timeMs, ms } };
}
