import { describe, expect, it } from 'vitest';
import { cnMainlandCalendar } from './cn-mainland';
import { validateCalendar } from './validate-calendar';

const base = {
  id: 'branch-sz',
  name: { 'zh-CN': '深圳分行', en: 'Shenzhen branch' },
  utcOffset: '+08:00',
  weekdays: [1, 2, 3, 4, 5],
  workingHours: [{ start: '09:00', end: '17:00' }],
  holidays: ['2026-10-01'],
  workdays: ['2026-10-10'],
};

function codes(cal: unknown): [string, string, string][] {
  return validateCalendar(cal, '/calendars/0').map((i) => [i.code, i.path, i.severity]);
}

describe('validateCalendar', () => {
  it('accepts a valid calendar and the built-in mainland China calendar', () => {
    expect(validateCalendar(base, '')).toEqual([]);
    expect(validateCalendar(cnMainlandCalendar, '')).toEqual([]);
  });

  it('rejects something that is not a calendar', () => {
    expect(codes(null)).toEqual([['calendar.invalid', '/calendars/0', 'error']]);
    expect(codes([1])).toEqual([['calendar.invalid', '/calendars/0', 'error']]);
  });

  it('reports id, name and offset', () => {
    expect(codes({ ...base, id: 'Branch SZ', name: { en: 'x' }, utcOffset: '8' })).toEqual([
      ['calendar.id.invalid', '/calendars/0/id', 'error'],
      ['calendar.name.invalid', '/calendars/0/name', 'error'],
      ['calendar.offset.invalid', '/calendars/0/utcOffset', 'error'],
    ]);
    expect(codes({ ...base, utcOffset: '+15:00' })).toEqual([['calendar.offset.invalid', '/calendars/0/utcOffset', 'error']]);
  });

  it('reports bad weekdays by index, and a calendar without any working day', () => {
    expect(codes({ ...base, weekdays: [1, 8, 1, 2.5] })).toEqual([
      ['calendar.weekdays.invalid', '/calendars/0/weekdays/1', 'error'],
      ['calendar.weekdays.invalid', '/calendars/0/weekdays/2', 'error'],
      ['calendar.weekdays.invalid', '/calendars/0/weekdays/3', 'error'],
    ]);
    expect(codes({ ...base, weekdays: [], workdays: [] })).toEqual([['calendar.weekdays.empty', '/calendars/0/weekdays', 'error']]);
  });

  it('reports malformed, reversed and overlapping working hours', () => {
    expect(codes({ ...base, workingHours: [] })).toEqual([['calendar.hours.missing', '/calendars/0/workingHours', 'error']]);
    expect(codes({ ...base, workingHours: [{ start: '9:00', end: '25:00' }] })).toEqual([
      ['calendar.hours.invalid', '/calendars/0/workingHours/0/start', 'error'],
      ['calendar.hours.invalid', '/calendars/0/workingHours/0/end', 'error'],
    ]);
    expect(codes({ ...base, workingHours: [{ start: '17:00', end: '09:00' }] })).toEqual([
      ['calendar.hours.order', '/calendars/0/workingHours/0', 'error'],
    ]);
    expect(
      codes({
        ...base,
        workingHours: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '13:30' },
        ],
      }),
    ).toEqual([['calendar.hours.overlap', '/calendars/0/workingHours/0', 'error']]);
  });

  it('reports bad, duplicate, conflicting and suspicious dates', () => {
    expect(
      codes({
        ...base,
        holidays: ['2026-02-30', '2026-10-01', '2026-10-01', '2026-10-10'],
        workdays: ['2026-10-10', '2026-10-12', '10/11/2026'],
      }),
    ).toEqual([
      ['calendar.date.invalid', '/calendars/0/holidays/0', 'error'],
      ['calendar.date.duplicate', '/calendars/0/holidays/2', 'warning'],
      ['calendar.date.invalid', '/calendars/0/workdays/2', 'error'],
      ['calendar.date.conflict', '/calendars/0/workdays/0', 'error'],
      ['calendar.workday.redundant', '/calendars/0/workdays/1', 'warning'],
    ]);
    expect(codes({ ...base, holidays: 'none' })).toEqual([['calendar.dates.invalid', '/calendars/0/holidays', 'error']]);
  });

  it('reports malformed provisional years', () => {
    expect(codes({ ...base, provisional: ['27'] })).toEqual([['calendar.year.invalid', '/calendars/0/provisional/0', 'error']]);
  });
});
