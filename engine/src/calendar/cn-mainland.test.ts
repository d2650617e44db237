import { describe, expect, it } from 'vitest';
import { isWorkingDay } from './business-calendar';
import { calendars, cnMainlandCalendar as cn } from './cn-mainland';
import { daysFromCivil, formatDay, isoWeekday, parseDateOnly } from './time';

function daysOf(year: number): string[] {
  const out: string[] = [];
  for (let d = daysFromCivil(year, 1, 1); d < daysFromCivil(year + 1, 1, 1); d++) out.push(formatDay(d));
  return out;
}

describe('mainland China calendar', () => {
  it('is the built-in calendar with id cn-mainland', () => {
    expect(calendars['cn-mainland']).toBe(cn);
    expect(cn).toMatchObject({ utcOffset: '+08:00', weekdays: [1, 2, 3, 4, 5], workingHours: [{ start: '09:00', end: '17:00' }] });
    expect(cn.name['zh-CN']).toBe('中国大陆工作日历');
  });

  it('has the 2026 holidays and make-up days of the State Council notice', () => {
    const off2026 = daysOf(2026).filter((d) => !isWorkingDay(cn, d) && ![6, 7].includes(isoWeekday(parseDateOnly(d) as number)));
    // Weekdays off: 元旦 1–2 Jan, 春节 16–20 and 23 Feb, 清明 6 Apr, 劳动节 1, 4, 5 May, 端午 19 Jun, 中秋 25 Sep, 国庆 1, 2, 5, 6, 7 Oct.
    expect(off2026).toEqual([
      '2026-01-01', '2026-01-02',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23',
      '2026-04-06',
      '2026-05-01', '2026-05-04', '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
    const weekendWork = daysOf(2026).filter((d) => isWorkingDay(cn, d) && [6, 7].includes(isoWeekday(parseDateOnly(d) as number)));
    expect(weekendWork).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  it('has 248 working days in 2026 and in 2027 (365 days − 104 weekend days − 13 statutory holidays)', () => {
    for (const year of [2026, 2027]) expect(daysOf(year).filter((d) => isWorkingDay(cn, d))).toHaveLength(248);
  });

  it('lists only weekend days as make-up working days', () => {
    for (const d of cn.workdays) expect([6, 7]).toContain(isoWeekday(parseDateOnly(d) as number));
  });

  it('marks 2027 as provisional', () => {
    expect(cn.provisional).toEqual(['2027']);
    expect(cn.years).toEqual(['2026', '2027']);
    expect(isWorkingDay(cn, '2027-02-08')).toBe(false); // 正月初三 (Monday)
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(cn)).toBe(true);
    expect(Object.isFrozen(cn.holidays)).toBe(true);
    expect(() => (cn.holidays as string[]).push('2026-03-02')).toThrow();
  });
});
