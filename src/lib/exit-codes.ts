/** Exit codes, as documented in the README (CLI.md). */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  blocked: 3,
  incomplete: 4,
  brokerUnavailable: 5,
  conflict: 6,
  /** The database cannot be used (damaged, read-only, locked, full, newer, replaced…); the message names the file and the fix. */
  storage: 7,
  /** `ptexec calendar is-open`: the exchange is closed at that time. */
  marketClosed: 8,
  /** `ptexec calendar is-open`: the calendar has no holiday list for that date, so it cannot say. */
  calendarUnknown: 9,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
