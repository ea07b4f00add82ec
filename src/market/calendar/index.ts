/**
 * Exchange calendars: business days and settlement dates, trading sessions and the regular
 * hours, from the calendar files the application supplies (`data/calendars/`).
 */
export { isBusinessDay, addBusinessDays, holidays, calendarCovers } from './business-days.js';
export { sessionState, type SessionState, type SessionStateName } from './session.js';
export { regularHours, sessionLengthMs, sessionWindow, type RegularHours } from './regular-session.js';
export { supplyCalendars } from './supplied.js';
export { parseCalendarFile, type CalendarFile } from './calendar-file.js';
export { tradingDate } from '../exchange-time.js';
export { calendarDays, calendarDayAt, sessionOpenFrom, type CalendarDay, type DayKind } from './trading-days.js';
