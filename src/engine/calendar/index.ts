/**
 * Exchange calendars: business days and settlement dates, exchange-local dates and trading
 * sessions, from the holiday files in `data/calendars/`.
 */
export { isBusinessDay, addBusinessDays, holidays, calendarCovers } from './business-days.js';
export { sessionState, tradingDate, type SessionState, type SessionStateName } from './session.js';
