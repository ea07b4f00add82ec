import type { Exchange } from '../domain/instrument.js';
import { MS_PER_DAY } from './day-number.js';

/**
 * Exchange time zones and conversions between an instant and exchange-local wall-clock time.
 * Offsets come from the time-zone database Node carries (Intl), so a change of daylight-saving
 * law reaches ptexec with Node's time-zone data instead of waiting for a rule written here.
 */
export type ExchangeTimeZone = 'Asia/Kolkata' | 'America/New_York';

export const EXCHANGE_TIME_ZONES: Readonly<Record<Exchange, ExchangeTimeZone>> = {
  NSE: 'Asia/Kolkata',
  BSE: 'Asia/Kolkata',
  NYSE: 'America/New_York',
  NASDAQ: 'America/New_York',
};

const TIME_ZONES: ReadonlySet<string> = new Set(Object.values(EXCHANGE_TIME_ZONES));

export function isExchangeTimeZone(zone: unknown): zone is ExchangeTimeZone {
  return typeof zone === 'string' && TIME_ZONES.has(zone);
}

/** The time zone an exchange's clock is read in; undefined for a name that is not an exchange. */
export function exchangeTimeZone(exchange: string | undefined): ExchangeTimeZone | undefined {
  return exchange ? EXCHANGE_TIME_ZONES[exchange as Exchange] : undefined;
}

const MS_PER_MINUTE = 60_000;
/**
 * Offsets are looked up once per quarter hour of UTC time: every offset in use is a multiple of
 * 15 minutes and zones switch at whole local hours or half hours, so no switch falls inside a
 * quarter hour. That keeps Intl off the hot path (the paper market asks for every quote).
 */
const OFFSET_STEP_MS = 15 * MS_PER_MINUTE;
const MAX_CACHED_OFFSETS = 8_192;

interface ZoneOffsets {
  format: Intl.DateTimeFormat;
  byStep: Map<number, number>;
  lastStep: number;
  lastOffset: number;
}

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(zone: string): ZoneOffsets {
  let z = zones.get(zone);
  if (!z) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    z = { format, byStep: new Map(), lastStep: Number.NaN, lastOffset: 0 };
    zones.set(zone, z);
  }
  return z;
}

/** Offset at a whole-second instant, read from the formatted local fields. */
function offsetFromIntl(format: Intl.DateTimeFormat, at: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return Math.round((local - at) / MS_PER_MINUTE);
}

/**
 * Zones whose offset has not changed since a date well before any market data ptexec reads: India
 * has kept +05:30, without daylight saving, since 15 October 1945. Their offset needs no Intl,
 * whose first use costs a command start some 25 ms of CPU (loading the time-zone data), so a
 * command on an Indian exchange starts without it.
 */
const FIXED_OFFSETS: ReadonlyMap<string, { since: number; minutes: number }> = new Map([['Asia/Kolkata', { since: Date.UTC(1945, 9, 15), minutes: 330 }]]);

/** Minutes the zone is ahead of UTC at an instant (IST +330; New York −300, or −240 in summer). */
export function utcOffsetMinutes(zone: string, utcMs: number): number {
  const fixed = FIXED_OFFSETS.get(zone);
  if (fixed !== undefined && utcMs >= fixed.since) return fixed.minutes;
  const z = zoneOffsets(zone);
  const step = Math.floor(utcMs / OFFSET_STEP_MS);
  if (step === z.lastStep) return z.lastOffset;
  let offset = z.byStep.get(step);
  if (offset === undefined) {
    offset = offsetFromIntl(z.format, step * OFFSET_STEP_MS);
    if (z.byStep.size >= MAX_CACHED_OFFSETS) z.byStep.clear();
    z.byStep.set(step, offset);
  }
  z.lastStep = step;
  z.lastOffset = offset;
  return offset;
}

/** Local calendar day (day number) and milliseconds after local midnight of an instant. */
export function toLocal(zone: string, utcMs: number): { day: number; msOfDay: number } {
  const local = utcMs + utcOffsetMinutes(zone, utcMs) * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, msOfDay: local - day * MS_PER_DAY };
}

/**
 * The instant of a local wall-clock time given as milliseconds since the local epoch
 * (`Date.UTC` of the local fields). Exchange times never fall in the skipped or repeated hour
 * of a daylight-saving switch, so the offset guessed at the local time, corrected once, is exact.
 */
export function fromLocalMs(zone: string, localMs: number): number {
  const guess = localMs - utcOffsetMinutes(zone, localMs) * MS_PER_MINUTE;
  return localMs - utcOffsetMinutes(zone, guess) * MS_PER_MINUTE;
}

/** The instant of a local day (day number) and minute of that day (fractions allowed). */
export function fromLocal(zone: string, day: number, minuteOfDay: number): number {
  return fromLocalMs(zone, day * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE);
}

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(zone: string, utcMs: number): string {
  return new Date(utcMs + utcOffsetMinutes(zone, utcMs) * MS_PER_MINUTE).toISOString().slice(0, 10);
}

/** An instant as local wall-clock time, `YYYY-MM-DD HH:MM:SS`. */
export function localDateTime(zone: string, utcMs: number): string {
  return new Date(utcMs + utcOffsetMinutes(zone, utcMs) * MS_PER_MINUTE).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant of the next local midnight after `utcMs`. */
export function nextLocalMidnight(zone: string, utcMs: number): number {
  return fromLocal(zone, toLocal(zone, utcMs).day + 1, 0);
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM:SS` of `ts` in the given zone (UTC when none is known, so output never depends on the host). */
export function formatClock(ts: number, timeZone = 'UTC'): string {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  return format.format(new Date(ts));
}

/** Short label of an exchange zone for a clock: IST, ET, UTC. */
export function zoneLabel(timeZone: string | undefined): string {
  if (timeZone === EXCHANGE_TIME_ZONES.NSE) return 'IST';
  if (timeZone === EXCHANGE_TIME_ZONES.NYSE) return 'ET';
  return 'UTC';
}
