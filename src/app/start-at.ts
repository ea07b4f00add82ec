import { BlockedError } from '../domain/errors/blocked-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Exchange } from '../domain/instrument.js';
import { parseDuration } from '../engine/algos/duration.js';
import { sessionOpenFrom } from '../market/calendar/index.js';
import { exchangeLocalTime, formatExchangeTime } from '../market/exchange-time.js';
import { CALENDAR_FILE_HINT } from './calendar-service.js';

/** The exchange whose sessions a target's run waits for: its first line naming one, else NSE. */
export function targetExchange(target: { positions: { exchange?: Exchange }[] }): Exchange {
  return target.positions.find((p) => p.exchange)?.exchange ?? 'NSE';
}

/** `--at`: the exchange's next open (plus an offset), or a wall-clock time of the exchange. */
export type StartAt = { kind: 'open'; offsetMs: number; text: string } | { kind: 'clock'; minute: number; text: string };

const FORMAT = 'use open, open+10m, or HH:MM (exchange time)';

export function parseStartAt(text: string): StartAt {
  const input = text.trim().toLowerCase();
  const open = /^open(?:\+(.+))?$/.exec(input);
  if (open) {
    if (open[1] === undefined) return { kind: 'open', offsetMs: 0, text };
    try {
      return { kind: 'open', offsetMs: parseDuration(open[1]), text };
    } catch (err) {
      throw new InvalidInputError(`--at ${text}: ${(err as Error).message}`, FORMAT);
    }
  }
  const clock = /^(\d{1,2}):(\d{2})$/.exec(input);
  if (clock && Number(clock[1]) < 24 && Number(clock[2]) < 60) return { kind: 'clock', minute: Number(clock[1]) * 60 + Number(clock[2]), text };
  throw new InvalidInputError(`--at ${text} is not a start time`, FORMAT);
}

/**
 * When a run given `--at` may start, on its clock at `now`: `open` is the first session that has
 * not closed (today's when it is still ahead or under way: a late start starts at once), on a
 * day the calendar knows; `HH:MM` is that time today, or now if it has passed. A real broker is
 * not started on a day the calendar cannot vouch for (`simulated` false): that is refused.
 */
export function startTime(at: StartAt, exchange: Exchange, now: number, simulated: boolean): { at: number; label: string } {
  if (at.kind === 'clock') {
    const when = exchangeLocalTime(exchange, now, at.minute);
    return { at: Math.max(now, when), label: `${at.text} ${exchange} time` };
  }
  const session = sessionOpenFrom(exchange, now, simulated);
  if (session === undefined) throw new InvalidInputError(`--at ${at.text}: no ${exchange} session in the next 40 days`, 'check the calendar: ptexec calendar');
  if ('unknown' in session) {
    throw new BlockedError(`--at ${at.text}: the ${exchange} calendar has no holiday list for ${session.unknown}, so ptexec cannot tell whether it trades; nothing was sent`, CALENDAR_FILE_HINT);
  }
  const when = Math.min(session.open + at.offsetMs, session.close);
  return { at: Math.max(now, when), label: `${at.text} (${formatExchangeTime(exchange, when).slice(0, 16)} ${exchange} time)` };
}
