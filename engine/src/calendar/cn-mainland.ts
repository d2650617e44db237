/**
 * The built-in business calendars.
 *
 * Mainland China: Monday to Friday, 09:00–17:00 Beijing time (UTC+08:00, no daylight saving),
 * with the public holidays (放假) and make-up working days (调休上班) that the General Office of
 * the State Council publishes each year, usually in November for the following year.
 *
 * 2026: 国务院办公厅关于2026年部分节假日安排的通知.
 * 2027: PROVISIONAL. Derived from the 2027 lunar dates and the usual arrangement rules, not from
 * an official notice. Replace it with the published arrangement when the notice appears
 * (see docs/calendar.md, "Editing holidays").
 */
import type { BusinessCalendar } from './business-calendar';

export const cnMainlandCalendar: BusinessCalendar = deepFreeze({
  id: 'cn-mainland',
  name: { 'zh-CN': '中国大陆工作日历', en: 'Mainland China business calendar' },
  utcOffset: '+08:00',
  weekdays: [1, 2, 3, 4, 5],
  workingHours: [{ start: '09:00', end: '17:00' }],
  holidays: [
    // ---- 2026 (official) ----
    // 元旦 New Year's Day: 1月1日（周四）至3日（周六）
    '2026-01-01', '2026-01-02', '2026-01-03',
    // 春节 Spring Festival: 2月15日（腊月二十八，周日）至23日（正月初七，周一），共9天
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
    // 清明节 Qingming: 4月4日（周六）至6日（周一）
    '2026-04-04', '2026-04-05', '2026-04-06',
    // 劳动节 Labour Day: 5月1日（周五）至5日（周二）
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
    // 端午节 Dragon Boat Festival: 6月19日（周五）至21日（周日）
    '2026-06-19', '2026-06-20', '2026-06-21',
    // 中秋节 Mid-Autumn Festival: 9月25日（周五）至27日（周日）
    '2026-09-25', '2026-09-26', '2026-09-27',
    // 国庆节 National Day: 10月1日（周四）至7日（周三）
    '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',

    // ---- 2027 (PROVISIONAL: no official notice yet) ----
    // 元旦: 1月1日（周五）至3日（周日）
    '2027-01-01', '2027-01-02', '2027-01-03',
    // 春节: 除夕 2月5日（周五）至正月初七 2月12日（周五）; 2月13–14日 is the weekend that follows
    '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12',
    // 清明节: 清明 4月5日（周一）; 4月3日（周六）至5日
    '2027-04-03', '2027-04-04', '2027-04-05',
    // 劳动节: 5月1日（周六）至5日（周三）
    '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04', '2027-05-05',
    // 端午节: 6月9日（周三）, a Wednesday holiday is usually not bridged
    '2027-06-09',
    // 中秋节: 9月15日（周三）, likewise a single day
    '2027-09-15',
    // 国庆节: 10月1日（周五）至7日（周四）
    '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07',
  ],
  workdays: [
    // ---- 2026 (official) ----
    '2026-01-04', // 周日, 元旦
    '2026-02-14', // 周六, 春节
    '2026-02-28', // 周六, 春节
    '2026-05-09', // 周六, 劳动节
    '2026-09-20', // 周日, 国庆节
    '2026-10-10', // 周六, 国庆节

    // ---- 2027 (PROVISIONAL) ----
    '2027-01-31', // 周日, 春节
    '2027-02-20', // 周六, 春节
    '2027-05-08', // 周六, 劳动节
    '2027-09-26', // 周日, 国庆节
    '2027-10-09', // 周六, 国庆节
  ],
  years: ['2026', '2027'],
  provisional: ['2027'],
});

/** Freezes the built-in so no caller can change the calendar every other case relies on; copy it to edit. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Built-in calendars by id. */
export const calendars: Record<string, BusinessCalendar> = Object.freeze({
  [cnMainlandCalendar.id]: cnMainlandCalendar,
});
