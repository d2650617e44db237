/** Messages for the business calendar's codes (issues and refused computations), zh-CN and en. */
export const calendarMessages: Record<string, { en: string; 'zh-CN': string }> = {
  'calendar.invalid': {
    en: 'The business calendar is not valid.',
    'zh-CN': '工作日历的设置无效。',
  },
  'calendar.id.invalid': {
    en: 'Calendar id "{{value}}" must use lowercase letters, digits and dashes.',
    'zh-CN': '日历编号“{{value}}”只能包含小写字母、数字和连字符。',
  },
  'calendar.name.invalid': {
    en: 'The calendar needs a name in Chinese and in English.',
    'zh-CN': '日历需要填写中文和英文名称。',
  },
  'calendar.offset.invalid': {
    en: 'Time zone offset "{{value}}" must be written like +08:00.',
    'zh-CN': '时区偏移“{{value}}”格式不正确，应写作 +08:00 这样的形式。',
  },
  'calendar.weekdays.invalid': {
    en: 'Working weekday "{{value}}" must be a number from 1 (Monday) to 7 (Sunday), each listed once.',
    'zh-CN': '工作日“{{value}}”应为 1（周一）到 7（周日）之间的数字，且不能重复。',
  },
  'calendar.weekdays.empty': {
    en: 'The calendar needs at least one working weekday (1 = Monday … 7 = Sunday); make-up working days alone run out, and then no deadline could be reached.',
    'zh-CN': '日历至少需要一个每周工作日（1 = 周一 … 7 = 周日）；仅靠调休上班日会用完，之后任何时限都无法计算。',
  },
  'calendar.hours.missing': {
    en: 'The calendar needs at least one span of working hours, such as 09:00–17:00.',
    'zh-CN': '日历至少需要一段工作时间，例如 09:00–17:00。',
  },
  'calendar.hours.invalid': {
    en: 'Working time "{{value}}" must be written as HH:MM, from 00:00 to 24:00.',
    'zh-CN': '工作时间“{{value}}”应写作 HH:MM，范围 00:00 至 24:00。',
  },
  'calendar.hours.order': {
    en: 'Working hours must end after they start ({{start}}–{{end}}).',
    'zh-CN': '工作时间的结束时间必须晚于开始时间（{{start}}–{{end}}）。',
  },
  'calendar.hours.overlap': {
    en: 'These working hours overlap another span of working hours.',
    'zh-CN': '这段工作时间与另一段工作时间重叠。',
  },
  'calendar.dates.invalid': {
    en: 'Holidays and make-up working days must be lists of dates.',
    'zh-CN': '节假日和调休上班日必须是日期列表。',
  },
  'calendar.date.invalid': {
    en: '"{{value}}" is not a date written as YYYY-MM-DD.',
    'zh-CN': '“{{value}}”不是 YYYY-MM-DD 格式的有效日期。',
  },
  'calendar.date.duplicate': {
    en: 'The date {{date}} is listed twice.',
    'zh-CN': '日期 {{date}} 重复出现。',
  },
  'calendar.date.conflict': {
    en: 'The date {{date}} is listed both as a holiday and as a make-up working day.',
    'zh-CN': '日期 {{date}} 同时被列为节假日和调休上班日。',
  },
  'calendar.workday.redundant': {
    en: 'Make-up working day {{date}} is already a regular working day; check the date.',
    'zh-CN': '调休上班日 {{date}} 本来就是工作日，请核对日期。',
  },
  'calendar.year.invalid': {
    en: 'Year "{{value}}" must be written with four digits, such as 2027.',
    'zh-CN': '年份“{{value}}”应为四位数字，例如 2027。',
  },
  'calendar.no-working-time': {
    en: 'Business calendar "{{calendar}}" has no working days in the period, so the deadline cannot be computed.',
    'zh-CN': '工作日历“{{calendar}}”在该期间内没有工作日，无法计算时限。',
  },
  'calendar.instant.invalid': {
    en: '"{{value}}" is not a date and time such as 2026-03-02T09:30:00+08:00.',
    'zh-CN': '“{{value}}”不是有效的日期时间，例如 2026-03-02T09:30:00+08:00。',
  },
  'calendar.instant.out-of-range': {
    en: 'The computed time lies beyond the year 9999.',
    'zh-CN': '计算结果超出了 9999 年。',
  },
  'calendar.mode.invalid': {
    en: 'Time mode "{{value}}" must be "calendar" (elapsed time) or "working" (working time).',
    'zh-CN': '计时方式“{{value}}”应为 calendar（自然时间）或 working（工作时间）。',
  },
  'calendar.duration.invalid': {
    en: '"{{value}}" is not a time limit. Write PT4H (4 hours), PT30M (30 minutes), P7D (7 days), P2W (2 weeks), P1DT2H, or T+1.',
    'zh-CN': '“{{value}}”不是有效的时限。可写作 PT4H（4小时）、PT30M（30分钟）、P7D（7天）、P2W（2周）、P1DT2H 或 T+1。',
  },
  'calendar.duration.unit.unsupported': {
    en: '"{{value}}" uses years or months, which have no fixed length. Write the limit in days or weeks.',
    'zh-CN': '“{{value}}”使用了年或月，其长度不固定。请改用天或周表示时限。',
  },
  'calendar.duration.negative': {
    en: 'Time limit "{{value}}" cannot be negative.',
    'zh-CN': '时限“{{value}}”不能为负数。',
  },
  'calendar.duration.too-long': {
    en: 'Time limit "{{value}}" is longer than {{limitDays}} days.',
    'zh-CN': '时限“{{value}}”超过了 {{limitDays}} 天。',
  },
  'calendar.duration.t-plus.range': {
    en: '"{{value}}": T+n accepts n from 0 to {{max}}.',
    'zh-CN': '“{{value}}”：T+n 中的 n 只能是 0 到 {{max}}。',
  },
  'calendar.sla.warn-before.invalid': {
    en: 'The warning time "{{value}}" must be a duration such as PT1H, not T+n.',
    'zh-CN': '预警提前量“{{value}}”应为 PT1H 这样的时长，不能使用 T+n。',
  },
  'calendar.sla.warn-at.invalid': {
    en: 'The warning point {{value}} must be a fraction from 0 to 1 of the time limit.',
    'zh-CN': '预警点 {{value}} 应为时限的 0 到 1 之间的比例。',
  },
};
