/**
 * A broker's trading session as the algorithms schedule by it: UTC ms [start, end) and its
 * nominal length (positions in the session, and so the volume curve, are measured against the
 * length; a session cut short ends early).
 */
export interface TradingSession {
  start: number;
  end: number;
  length: number;
}

/** The session containing `ts`, or the next one when the market is closed at `ts` (start > ts). */
export type SessionLocator = (ts: number) => TradingSession;
