/**
 * Strict ISO 8601 date and time parsing without the JavaScript `Date` parser, whose handling of
 * strings without an offset depends on the machine's time zone. The engine must give the same
 * answer on every machine, so a date or time without an offset is read in the calendar's offset.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Latest instant the engine computes with (`toISOString` switches to 6-digit years after it). */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Earliest instant accepted (`0001-01-01T00:00:00Z`). */
export const MIN_INSTANT_MS = -62_135_596_800_000;

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const OFFSET_RE = /^([+-])(\d{2}):(\d{2})$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_RE = /^(\d{2}):(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (inverse of `daysFromCivil`). */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Minutes east of UTC of `+08:00` / `-05:30`; null when malformed or beyond ±14:00. */
export function parseOffset(s: string): number | null {
  const m = OFFSET_RE.exec(s);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (min > 59 || h * 60 + min > 14 * 60) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/** Day number of a `YYYY-MM-DD` date; null when malformed or not a real date. */
export function parseDateOnly(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return validDate(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/** Milliseconds after midnight of `HH:MM` (`24:00` allowed as the end of a day); null when malformed. */
export function parseClock(s: string): number | null {
  const m = CLOCK_RE.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * MS_PER_HOUR + min * MS_PER_MINUTE;
}

export interface ParsedInstant {
  /** Milliseconds since the epoch (UTC). */
  ms: number;
  /** True when the text was a date without a time (`2026-02-14`). */
  dateOnly: boolean;
}

/**
 * Parses an ISO 8601 date or date-time. A date alone means local midnight, and a date-time
 * without `Z` or an offset is local time, both in `defaultOffsetMinutes`. Returns null when the
 * text is not a real date and time (`2026-02-30`, `25:00`, `2026-1-5`).
 */
export function parseInstant(s: string, defaultOffsetMinutes: number): ParsedInstant | null {
  const m = INSTANT_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validDate(y, mo, d)) return null;
  const dateOnly = m[4] === undefined;
  const h = dateOnly ? 0 : Number(m[4]);
  const min = dateOnly ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23 || min > 59 || sec > 59) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offset = defaultOffsetMinutes;
  if (m[8] !== undefined) {
    if (m[8] === 'Z') offset = 0;
    else {
      const o = parseOffset(m[8]);
      if (o === null) return null;
      offset = o;
    }
  }
  const ms =
    daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + min * MS_PER_MINUTE + sec * 1000 + fraction - offset * MS_PER_MINUTE;
  if (ms < MIN_INSTANT_MS || ms > MAX_INSTANT_MS) return null;
  return { ms, dateOnly };
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO 8601 weekday (1 = Monday … 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** UTC ISO string with milliseconds, exactly as `Date.prototype.toISOString` writes it. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
