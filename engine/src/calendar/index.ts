/** Business calendar: working days and hours, holidays and make-up days, deadlines in working time. */
export {
  CalendarError,
  addDuration,
  isWorkingDay,
  isWorkingTime,
  slaDeadlines,
  tryAddDuration,
  workingMsBetween,
  workingClock,
  workingMsPerDay,
} from './business-calendar';
export type { BusinessCalendar, DurationMode } from './business-calendar';
export { MAX_DURATION_DAYS, MAX_T_PLUS, parseDuration } from './duration';
export type { CalendarFailure, CalendarResult, Duration } from './duration';
export { validateCalendar } from './validate-calendar';
export { calendars, cnMainlandCalendar } from './cn-mainland';
export { calendarMessages } from './messages';
