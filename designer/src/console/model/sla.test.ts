import { cnMainlandCalendar } from '@flowpath/engine';
import { describe, expect, it } from 'vitest';
import { durationParts, slaCountdown } from './sla';

const HOUR = 3_600_000;
const cal = cnMainlandCalendar;

describe('SLA countdown in working time', () => {
  it('skips the weekend: Friday 16:00 to Monday 11:00 is three working hours', () => {
    // given a limit due Monday 11:00 Beijing time, seen on Friday at 16:00
    const c = slaCountdown({ dueAt: '2026-03-09T03:00:00Z', warnAt: null, now: '2026-03-06T08:00:00Z', calendar: cal, mode: 'working' });
    // then one hour on Friday and two on Monday are left, not 67 hours
    expect(c).toMatchObject({ state: 'ok', leftMs: 3 * HOUR, overdueMs: 0, dayMs: 8 * HOUR });
  });

  it('skips the Spring Festival 2026 but counts its make-up Saturday', () => {
    // given Friday 13 February 16:00, a limit due Tuesday 24 February 10:00 (after 15–23 February off)
    const c = slaCountdown({ dueAt: '2026-02-24T02:00:00Z', warnAt: null, now: '2026-02-13T08:00:00Z', calendar: cal, mode: 'working' });
    // then Friday's last hour, Saturday 14 February (调休上班, 8 h) and Tuesday's first hour are left
    expect(c.leftMs).toBe(10 * HOUR);
    expect(durationParts(c.leftMs, c.dayMs)).toEqual({ days: 1, hours: 2, minutes: 0 });
  });

  it('turns amber at the warning time and red at the due time', () => {
    const base = { dueAt: '2026-03-09T09:00:00Z', warnAt: '2026-03-09T07:00:00Z', calendar: cal, mode: 'working' as const };
    expect(slaCountdown({ ...base, now: '2026-03-09T06:59:00Z' }).state).toBe('ok');
    expect(slaCountdown({ ...base, now: '2026-03-09T07:00:00Z' }).state).toBe('warning');
    expect(slaCountdown({ ...base, now: '2026-03-09T09:00:00Z' }).state).toBe('breached');
  });

  it('counts time overdue in working time too, across the holiday', () => {
    // given a limit due Friday 13 February 17:00, seen on Tuesday 24 February 11:00
    const c = slaCountdown({ dueAt: '2026-02-13T09:00:00Z', warnAt: null, now: '2026-02-24T03:00:00Z', calendar: cal, mode: 'working' });
    // then the make-up Saturday and two hours of Tuesday are overdue
    expect(c).toMatchObject({ state: 'breached', leftMs: 0, overdueMs: 10 * HOUR });
  });

  it('counts a limit set in calendar time as elapsed time, weekend or not', () => {
    // given a 30-minute calendar limit on a Saturday, 20 minutes before it is due
    const c = slaCountdown({ dueAt: '2026-03-07T04:30:00Z', warnAt: null, now: '2026-03-07T04:10:00Z', calendar: cal, mode: 'calendar' });
    expect(c).toMatchObject({ state: 'ok', leftMs: 20 * 60_000, dayMs: 24 * HOUR });
  });

  it('has nothing to count without a due time', () => {
    expect(slaCountdown({ dueAt: null, warnAt: null, now: '2026-03-07T04:10:00Z', calendar: cal, mode: 'working' }).state).toBe('none');
  });
});

describe('duration parts', () => {
  it('keeps the two largest units', () => {
    expect(durationParts(2 * 8 * HOUR + 3 * HOUR + 17 * 60_000, 8 * HOUR)).toEqual({ days: 2, hours: 3, minutes: 0 });
    expect(durationParts(3 * HOUR + 17 * 60_000 + 59_000, 8 * HOUR)).toEqual({ days: 0, hours: 3, minutes: 17 });
    expect(durationParts(-5, 8 * HOUR)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});
