import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CalendarError,
  addDuration,
  cnMainlandCalendar as cn,
  isWorkingDay,
  isWorkingTime,
  slaDeadlines,
  tryAddDuration,
  workingClock,
  workingMsBetween,
  workingMsPerDay,
  type BusinessCalendar,
} from './index';

const H = 3_600_000;

/** Beijing local time → the UTC ISO string the calendar functions return. */
function bj(local: string): string {
  return new Date(`${local}+08:00`).toISOString();
}

const lunch: BusinessCalendar = {
  id: 'lunch-break',
  name: { 'zh-CN': '午休日历', en: 'Calendar with lunch break' },
  utcOffset: '+08:00',
  weekdays: [1, 2, 3, 4, 5],
  workingHours: [
    { start: '13:00', end: '17:00' },
    { start: '09:00', end: '12:00' },
  ],
  holidays: [],
  workdays: [],
};

describe('isWorkingDay / isWorkingTime', () => {
  it('follows weekends, holidays and make-up working days', () => {
    expect(isWorkingDay(cn, '2026-03-06')).toBe(true); // Friday
    expect(isWorkingDay(cn, '2026-03-07')).toBe(false); // Saturday
    expect(isWorkingDay(cn, '2026-02-16')).toBe(false); // Monday in the Spring Festival holiday
    expect(isWorkingDay(cn, '2026-02-14')).toBe(true); // Saturday, make-up working day
    expect(isWorkingDay(cn, '2026-02-28')).toBe(true); // Saturday, make-up working day
    expect(isWorkingDay(cn, '2026-03-01')).toBe(false); // ordinary Sunday
  });

  it('takes the date of an instant in the calendar offset, not in UTC', () => {
    // 2026-02-13T17:30Z is Saturday 01:30 in Beijing: the make-up working day.
    expect(isWorkingDay(cn, '2026-02-13T17:30:00Z')).toBe(true);
    // 2026-02-14T16:30Z is Sunday 00:30 in Beijing, inside the holiday.
    expect(isWorkingDay(cn, '2026-02-14T16:30:00Z')).toBe(false);
    expect(isWorkingDay(cn, new Date('2026-02-14T02:00:00Z'))).toBe(true);
  });

  it('counts span starts as working time and span ends as not', () => {
    expect(isWorkingTime(cn, bj('2026-03-06T09:00:00'))).toBe(true);
    expect(isWorkingTime(cn, bj('2026-03-06T16:59:59'))).toBe(true);
    expect(isWorkingTime(cn, bj('2026-03-06T17:00:00'))).toBe(false);
    expect(isWorkingTime(cn, bj('2026-03-07T10:00:00'))).toBe(false);
    expect(isWorkingTime(lunch, bj('2026-03-06T12:30:00'))).toBe(false);
    expect(isWorkingTime(lunch, bj('2026-03-06T13:00:00'))).toBe(true);
  });

  it('refuses a date that does not exist with a coded error', () => {
    expect(() => isWorkingDay(cn, '2026-02-30')).toThrow(CalendarError);
    try {
      isWorkingDay(cn, '2026/02/14');
    } catch (e) {
      expect((e as CalendarError).code).toBe('calendar.instant.invalid');
    }
  });
});

describe('addDuration in working time', () => {
  it('carries working hours across a weekend', () => {
    // Friday 15:00 + 4 working hours: 2 h on Friday, 2 h on Monday.
    expect(addDuration(cn, bj('2026-03-06T15:00:00'), 'PT4H', 'working')).toBe(bj('2026-03-09T11:00:00'));
  });

  it('works on the make-up Saturday before the Spring Festival and skips the holiday', () => {
    // Friday 13 February 16:00 + 4 h: 1 h Friday, 3 h on Saturday 14 February (make-up day).
    expect(addDuration(cn, bj('2026-02-13T16:00:00'), 'PT4H', 'working')).toBe(bj('2026-02-14T12:00:00'));
    // Saturday 14 February 16:00 + 4 h: 1 h that Saturday, then 15–23 February off, 3 h on Tuesday 24th.
    expect(addDuration(cn, bj('2026-02-14T16:00:00'), 'PT4H', 'working')).toBe(bj('2026-02-24T12:00:00'));
  });

  it('counts P7D as seven working days at the same clock time, including the make-up Saturday 28 February', () => {
    // Working days after Thursday 12 Feb: 13, 14 (Sat, make-up), 24, 25, 26, 27, 28 (Sat, make-up).
    expect(addDuration(cn, bj('2026-02-12T10:00:00'), 'P7D', 'working')).toBe(bj('2026-02-28T10:00:00'));
    expect(addDuration(cn, bj('2026-03-02T10:00:00'), 'P7D', 'working')).toBe(bj('2026-03-11T10:00:00'));
  });

  it('counts P1W as one working week (five working days)', () => {
    expect(addDuration(cn, bj('2026-03-02T10:00:00'), 'P1W', 'working')).toBe(bj('2026-03-09T10:00:00'));
    expect(addDuration(cn, bj('2026-03-02T10:00:00'), 'P1W', 'calendar')).toBe(bj('2026-03-09T10:00:00'));
  });

  it('starts counting at the next start of working time when the start is outside working hours', () => {
    expect(addDuration(cn, bj('2026-03-07T12:00:00'), 'PT4H', 'working')).toBe(bj('2026-03-09T13:00:00'));
    expect(addDuration(cn, bj('2026-03-09T07:30:00'), 'PT1H', 'working')).toBe(bj('2026-03-09T10:00:00'));
    expect(addDuration(cn, bj('2026-03-09T18:00:00'), 'PT1H', 'working')).toBe(bj('2026-03-10T10:00:00'));
    expect(addDuration(cn, bj('2026-03-07T12:00:00'), 'P1D', 'working')).toBe(bj('2026-03-10T09:00:00'));
  });

  it('keeps the clock time of a start at close of business for day counts', () => {
    expect(addDuration(cn, bj('2026-03-09T17:00:00'), 'P1D', 'working')).toBe(bj('2026-03-10T17:00:00'));
  });

  it('ends a duration that exactly fills the day at close of business, not next morning', () => {
    expect(addDuration(cn, bj('2026-03-09T09:00:00'), 'PT8H', 'working')).toBe(bj('2026-03-09T17:00:00'));
  });

  it('adds days then hours for P1DT2H', () => {
    // Friday 16:00 + 1 working day = Monday 16:00; + 2 working hours = Tuesday 10:00.
    expect(addDuration(cn, bj('2026-03-06T16:00:00'), 'P1DT2H', 'working')).toBe(bj('2026-03-10T10:00:00'));
  });

  it('skips the lunch break of a two-span calendar', () => {
    expect(addDuration(lunch, bj('2026-03-09T11:00:00'), 'PT2H', 'working')).toBe(bj('2026-03-09T14:00:00'));
    expect(addDuration(lunch, bj('2026-03-09T09:00:00'), 'PT7H', 'working')).toBe(bj('2026-03-09T17:00:00'));
    expect(addDuration(lunch, bj('2026-03-09T09:00:00'), 'PT8H', 'working')).toBe(bj('2026-03-10T10:00:00'));
    expect(addDuration(lunch, bj('2026-03-09T12:30:00'), 'PT30M', 'working')).toBe(bj('2026-03-09T13:30:00'));
    expect(addDuration(lunch, bj('2026-03-09T12:00:00'), 'P1D', 'working')).toBe(bj('2026-03-10T12:00:00'));
    expect(addDuration(lunch, bj('2026-03-09T12:30:00'), 'P1D', 'working')).toBe(bj('2026-03-10T13:00:00'));
    expect(workingMsBetween(lunch, bj('2026-03-09T11:00:00'), bj('2026-03-09T14:00:00'))).toBe(2 * H);
    expect(workingMsPerDay(lunch)).toBe(7 * H);
  });
});

describe('T+n', () => {
  it('T+1 on a Friday is close of business on Monday', () => {
    expect(addDuration(cn, bj('2026-03-06T10:00:00'), 'T+1', 'working')).toBe(bj('2026-03-09T17:00:00'));
  });

  it('T+1 after close on a Friday counts from Monday', () => {
    expect(addDuration(cn, bj('2026-03-06T18:00:00'), 'T+1', 'working')).toBe(bj('2026-03-10T17:00:00'));
  });

  it('T+1 on the day before National Day is close of business after the holiday', () => {
    expect(addDuration(cn, bj('2026-09-30T10:00:00'), 'T+1', 'working')).toBe(bj('2026-10-08T17:00:00'));
  });

  it('T+0 is close of business today, or of the next working day after close', () => {
    expect(addDuration(cn, bj('2026-09-30T10:00:00'), 'T+0', 'working')).toBe(bj('2026-09-30T17:00:00'));
    expect(addDuration(cn, bj('2026-09-30T17:30:00'), 'T+0', 'working')).toBe(bj('2026-10-08T17:00:00'));
    expect(addDuration(cn, bj('2026-02-14T10:00:00'), 'T+1', 'working')).toBe(bj('2026-02-24T17:00:00'));
  });

  it('in calendar mode is close of business n days later whatever the day', () => {
    expect(addDuration(cn, bj('2026-03-06T10:00:00'), 'T+1', 'calendar')).toBe(bj('2026-03-07T17:00:00'));
    expect(addDuration(cn, bj('2026-09-30T10:00:00'), 'T+0', 'calendar')).toBe(bj('2026-09-30T17:00:00'));
  });
});

describe('addDuration in calendar time', () => {
  it('is plain elapsed time', () => {
    expect(addDuration(cn, '2026-03-06T07:00:00Z', 'PT72H', 'calendar')).toBe('2026-03-09T07:00:00.000Z');
    expect(addDuration(cn, '2026-03-06T07:00:00.250Z', 'PT1.5H', 'calendar')).toBe('2026-03-06T08:30:00.250Z');
    expect(addDuration(cn, '2026-02-13T08:00:00Z', 'P7D', 'calendar')).toBe('2026-02-20T08:00:00.000Z');
  });

  it('reads a start without offset in the calendar offset', () => {
    expect(addDuration(cn, '2026-03-06T10:00:00', 'PT1H', 'calendar')).toBe(bj('2026-03-06T11:00:00'));
    expect(addDuration(cn, '2026-03-06', 'PT9H', 'calendar')).toBe(bj('2026-03-06T09:00:00'));
  });

  it('refuses bad input with a coded error, and tryAddDuration returns it', () => {
    expect(() => addDuration(cn, 'tomorrow', 'PT1H', 'calendar')).toThrow(CalendarError);
    expect(tryAddDuration(cn, '2026-03-06T10:00:00Z', 'P1M', 'working')).toMatchObject({ ok: false, code: 'calendar.duration.unit.unsupported' });
    expect(tryAddDuration(cn, '2026-03-06T10:00:00Z', 'PT1H', 'business' as 'working')).toMatchObject({ ok: false, code: 'calendar.mode.invalid' });
    expect(tryAddDuration(cn, '9999-12-31T00:00:00Z', 'P2D', 'calendar')).toMatchObject({ ok: false, code: 'calendar.instant.out-of-range' });
  });

  it('refuses an invalid calendar', () => {
    const broken = { ...cn, workingHours: [{ start: '17:00', end: '09:00' }] };
    expect(tryAddDuration(broken, '2026-03-06T10:00:00Z', 'PT1H', 'working')).toMatchObject({ ok: false, code: 'calendar.invalid' });
  });

  it('reports a calendar that has no working day at all instead of searching forever', () => {
    const never: BusinessCalendar = { ...lunch, id: 'never', weekdays: [], workdays: ['2026-01-03'] };
    // Without working weekdays the calendar is invalid (make-up days alone run out), so it is refused up front.
    expect(tryAddDuration(never, '2026-03-06T10:00:00Z', 'PT1H', 'working')).toMatchObject({ ok: false, code: 'calendar.invalid' });
  });
});

describe('workingMsBetween', () => {
  it('counts only working time across weekends and holidays', () => {
    expect(workingMsBetween(cn, bj('2026-03-06T15:00:00'), bj('2026-03-09T11:00:00'))).toBe(4 * H);
    // 13, 14 (make-up) and 24 February are the only working days in this stretch.
    expect(workingMsBetween(cn, bj('2026-02-13T09:00:00'), bj('2026-02-25T09:00:00'))).toBe(24 * H);
    expect(workingMsBetween(cn, bj('2026-02-16T09:00:00'), bj('2026-02-16T17:00:00'))).toBe(0);
  });

  it('is 0 when the end is not after the start', () => {
    expect(workingMsBetween(cn, bj('2026-03-09T11:00:00'), bj('2026-03-06T15:00:00'))).toBe(0);
    expect(workingMsBetween(cn, bj('2026-03-09T11:00:00'), bj('2026-03-09T11:00:00'))).toBe(0);
  });

  it('gives 248 working days for 2026 and for the provisional 2027 (13 statutory holidays)', () => {
    for (const year of [2026, 2027]) {
      const ms = workingMsBetween(cn, bj(`${year}-01-01T00:00:00`), bj(`${year + 1}-01-01T00:00:00`));
      expect(ms / (8 * H)).toBe(248);
    }
  });
});

describe('slaDeadlines', () => {
  const start = bj('2026-03-06T13:00:00'); // Friday

  it('warns before the due time in working time', () => {
    expect(slaDeadlines(cn, start, { duration: 'PT8H', mode: 'working', warnBefore: 'PT2H' })).toEqual({
      dueAt: bj('2026-03-09T13:00:00'),
      warnAt: bj('2026-03-09T11:00:00'),
    });
  });

  it('warns before the due time across the lunch break and the night', () => {
    const due = addDuration(lunch, bj('2026-03-09T09:00:00'), 'PT8H', 'working');
    expect(due).toBe(bj('2026-03-10T10:00:00'));
    expect(slaDeadlines(lunch, bj('2026-03-09T09:00:00'), { duration: 'PT8H', mode: 'working', warnBefore: 'PT2H' }).warnAt).toBe(
      bj('2026-03-09T16:00:00'),
    );
    // Five working hours before Tuesday 10:00 is the lunch break boundary: 12:00 and 13:00 are the
    // same point in working time, and the warning fires when work resumes.
    expect(slaDeadlines(lunch, bj('2026-03-09T09:00:00'), { duration: 'PT8H', mode: 'working', warnBefore: 'PT5H' }).warnAt).toBe(
      bj('2026-03-09T13:00:00'),
    );
  });

  it('warns a working day before a day-count limit, at the same clock time', () => {
    expect(slaDeadlines(cn, bj('2026-02-12T10:00:00'), { duration: 'P7D', mode: 'working', warnBefore: 'P1D' })).toEqual({
      dueAt: bj('2026-02-28T10:00:00'),
      warnAt: bj('2026-02-27T10:00:00'),
    });
  });

  it('places warnAt at a fraction of the working time', () => {
    expect(slaDeadlines(cn, start, { duration: 'PT8H', mode: 'working', warnAt: 0.5 })).toEqual({
      dueAt: bj('2026-03-09T13:00:00'),
      warnAt: bj('2026-03-06T17:00:00'),
    });
  });

  it('places warnAt at a fraction of elapsed time in calendar mode (the default)', () => {
    expect(slaDeadlines(cn, bj('2026-03-02T10:00:00'), { duration: 'PT72H', warnAt: 0.75 })).toEqual({
      dueAt: bj('2026-03-05T10:00:00'),
      warnAt: bj('2026-03-04T16:00:00'),
    });
  });

  it('moves a warning that would fall before the start to the start', () => {
    expect(slaDeadlines(cn, start, { duration: 'PT1H', warnBefore: 'PT2H' }).warnAt).toBe(start);
  });

  it('gives no warning when none is asked for', () => {
    expect(slaDeadlines(cn, start, { duration: 'T+1', mode: 'working' })).toEqual({ dueAt: bj('2026-03-09T17:00:00') });
  });

  it('refuses T+n as warnBefore and a warnAt outside 0..1', () => {
    expect(() => slaDeadlines(cn, start, { duration: 'P2D', warnBefore: 'T+1' })).toThrow(
      expect.objectContaining({ code: 'calendar.sla.warn-before.invalid' }),
    );
    expect(() => slaDeadlines(cn, start, { duration: 'P2D', warnAt: 1.5 })).toThrow(expect.objectContaining({ code: 'calendar.sla.warn-at.invalid' }));
  });
});

describe('speed', () => {
  it('computes deadlines ten years away without walking day by day', () => {
    const t0 = Date.now();
    for (let i = 0; i < 500; i++) {
      addDuration(cn, '2026-03-06T02:00:00Z', 'P3650D', 'working');
      addDuration(lunch, '2026-03-06T02:00:00Z', 'PT87600H', 'working');
      workingMsBetween(cn, '1990-01-01T00:00:00Z', '2090-01-01T00:00:00Z');
    }
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('gets a ten-year working-day deadline right', () => {
    const due = addDuration(cn, bj('2026-03-06T10:00:00'), 'P3650D', 'working');
    expect(workingMsBetween(cn, bj('2026-03-06T10:00:00'), due)).toBe(3650 * 8 * H);
    expect(isWorkingTime(cn, due)).toBe(true);
  });
});

describe('properties', () => {
  const startArb = fc.integer({ min: Date.UTC(2025, 10, 1), max: Date.UTC(2028, 0, 1) }).map((ms) => new Date(ms).toISOString());
  const calArb = fc.constantFrom(cn, lunch);

  it('workingMsBetween(start, addDuration(start, d)) gives back an hour-based duration', () => {
    fc.assert(
      fc.property(calArb, startArb, fc.integer({ min: 0, max: 60 * 8 * 400 }), (cal, start, minutes) => {
        const end = addDuration(cal, start, `PT${minutes}M`, 'working');
        expect(workingMsBetween(cal, start, end)).toBe(minutes * 60_000);
      }),
    );
  });

  it('is monotonic in the duration', () => {
    fc.assert(
      fc.property(calArb, startArb, fc.nat(5000), fc.nat(5000), fc.nat(40), fc.nat(40), (cal, start, m1, m2, d1, d2) => {
        const [a, b] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(addDuration(cal, start, `PT${a}M`, 'working') <= addDuration(cal, start, `PT${b}M`, 'working')).toBe(true);
        const [x, y] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addDuration(cal, start, `P${x}D`, 'working') <= addDuration(cal, start, `P${y}D`, 'working')).toBe(true);
        const [p, q] = [Math.min(x, 30), Math.min(y, 30)];
        expect(addDuration(cal, start, `T+${p}`, 'working') <= addDuration(cal, start, `T+${q}`, 'working')).toBe(true);
      }),
    );
  });

  it('agrees with a minute-by-minute count', () => {
    fc.assert(
      fc.property(
        calArb,
        fc.integer({ min: Date.UTC(2026, 0, 25) / 60_000, max: Date.UTC(2026, 2, 5) / 60_000 }),
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        (cal, startMinute, length) => {
          let count = 0;
          for (let m = startMinute; m < startMinute + length; m++) {
            if (isWorkingTime(cal, new Date(m * 60_000).toISOString())) count++;
          }
          const a = new Date(startMinute * 60_000).toISOString();
          const b = new Date((startMinute + length) * 60_000).toISOString();
          expect(workingMsBetween(cal, a, b)).toBe(count * 60_000);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('puts the warning between start and due, exactly warnBefore of working time before due', () => {
    fc.assert(
      fc.property(calArb, startArb, fc.integer({ min: 1, max: 60 * 80 }), fc.integer({ min: 1, max: 60 * 80 }), (cal, start, total, before) => {
        const { dueAt, warnAt } = slaDeadlines(cal, start, { duration: `PT${total}M`, mode: 'working', warnBefore: `PT${before}M` });
        expect(warnAt).toBeDefined();
        const w = warnAt as string;
        expect(w <= dueAt).toBe(true);
        expect(new Date(w).getTime()).toBeGreaterThanOrEqual(new Date(start).getTime());
        if (before <= total) expect(workingMsBetween(cal, w, dueAt)).toBe(before * 60_000);
      }),
    );
  });
});

describe('workingClock', () => {
  it('gives the working time between two instants as a difference of two readings', () => {
    const clock = workingClock(cn);
    // Across the 2026 Spring Festival holiday and its make-up Saturday (14 Feb).
    const a = bj('2026-02-13T15:30:00');
    const b = bj('2026-02-24T10:00:00');
    expect(clock(Date.parse(b)) - clock(Date.parse(a))).toBe(workingMsBetween(cn, a, b));
    // A Sunday and the night count nothing: the clock stands still.
    expect(clock(Date.parse(bj('2026-03-08T12:00:00')))).toBe(clock(Date.parse(bj('2026-03-07T23:00:00'))));
  });

  it.each([cn, lunch])('agrees with workingMsBetween on any pair of instants ($id)', (cal) => {
    const clock = workingClock(cal);
    const lo = Date.parse('2020-01-01T00:00:00Z');
    const hi = Date.parse('2030-12-31T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), fc.integer({ min: 0, max: 400 * 86_400_000 }), (start, length) => {
        const a = new Date(start).toISOString();
        const b = new Date(start + length).toISOString();
        expect(clock(start + length) - clock(start)).toBe(workingMsBetween(cal, a, b));
      }),
      { numRuns: 2000 },
    );
  });
});
