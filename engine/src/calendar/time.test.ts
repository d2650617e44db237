import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, formatDay, isoWeekday, parseClock, parseInstant, parseOffset } from './time';

describe('time parsing', () => {
  it('round-trips day numbers and agrees with Date on the date and weekday', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (day) => {
        const { y, m, d } = civilFromDays(day);
        expect(daysFromCivil(y, m, d)).toBe(day);
        const date = new Date(day * 86_400_000);
        expect(formatDay(day)).toBe(date.toISOString().slice(0, 10));
        expect(isoWeekday(day)).toBe(((date.getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it('reads offsets, Z, and local forms in the given offset', () => {
    expect(parseInstant('2026-03-06T09:00:00+08:00', 0)?.ms).toBe(Date.UTC(2026, 2, 6, 1));
    expect(parseInstant('2026-03-06T09:00:00Z', 480)?.ms).toBe(Date.UTC(2026, 2, 6, 9));
    expect(parseInstant('2026-03-06T09:00', 480)?.ms).toBe(Date.UTC(2026, 2, 6, 1));
    expect(parseInstant('2026-03-06', 480)).toEqual({ ms: Date.UTC(2026, 2, 5, 16), dateOnly: true });
    expect(parseInstant('2026-03-06T09:00:00.123456Z', 0)?.ms).toBe(Date.UTC(2026, 2, 6, 9, 0, 0, 123));
    expect(parseInstant('0050-01-01T00:00:00Z', 0)?.ms).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it.each(['2026-02-29', '2026-13-01', '2026-1-5', '2026-03-06T24:00', '2026-03-06T09:60', '2026-03-06 09:00', '2026-03-06T09:00+8', 'now', ''])(
    'refuses %j',
    (s) => {
      expect(parseInstant(s, 480)).toBeNull();
    },
  );

  it('reads clock times and offsets', () => {
    expect(parseClock('24:00')).toBe(86_400_000);
    expect(parseClock('24:01')).toBeNull();
    expect(parseClock('9:00')).toBeNull();
    expect(parseOffset('-05:30')).toBe(-330);
    expect(parseOffset('+14:01')).toBeNull();
  });
});
