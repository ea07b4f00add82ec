import { Box } from 'ink';
import React from 'react';
import type { HeaderView, RunPhase } from '../view-model/dashboard-model.js';
import { exchangeTimeZone, formatClock, formatDuration, zoneLabel } from '../format.js';
import { Line, type Segment, type Tone } from './line.js';

export const PHASE_TONE: Record<RunPhase, Tone> = {
  waiting: 'muted',
  planned: 'plain',
  running: 'good',
  paused: 'warn',
  halted: 'bad',
  completed: 'good',
  partial: 'warn',
  incomplete: 'warn',
  blocked: 'bad',
  interrupted: 'warn',
  failed: 'bad',
};

/** Lines the header needs: a third says what pauses did, once the run or a leg has been paused. */
export function headerHeight(header: HeaderView): number {
  return pauseSegments(header).length ? 3 : 2;
}

/** A live run with no event for this long is flagged: its process may have died. */
export const QUIET_AFTER_MS = 60_000;

/**
 * Run identity on the first line; clocks, run state and the kill switch on the second. The market
 * clock is the engine's (the exchange's time, or the paper market's simulated time, marked `sim`);
 * elapsed and left are on it. Elapsed counts running time only; once the run or a leg has been
 * paused, a third line says for how long and how far that moved the end of the horizon.
 */
export function Header({ header, width, color }: { header: HeaderView; width: number; color: boolean }): React.ReactElement {
  const brokers = header.brokers.length ? header.brokers.join('+') : '—';
  const first: Segment[] = [
    { text: header.phase.toUpperCase(), tone: PHASE_TONE[header.phase], bold: true },
    { text: header.dryRun ? ' DRY RUN' : '', tone: 'warn', bold: true },
    { text: header.quietMs !== null && header.quietMs >= QUIET_AFTER_MS ? ` (no events for ${formatDuration(header.quietMs)})` : '', tone: 'warn' },
    { text: '  run ', tone: 'muted' },
    { text: header.runId ?? 'waiting for the run…' },
    { text: '  ' },
    { text: brokers },
    { text: header.account ? ` · ${header.account}` : '' },
    { text: header.algos.length ? `  ${header.algos.join(',')}` : '', tone: 'accent' },
  ];
  const zone = exchangeTimeZone(header.marketExchange ?? undefined);
  const market = header.marketTs === null ? 'market —' : `market ${formatClock(header.marketTs, zone ?? 'UTC')} ${zoneLabel(zone)}${simulatedLabel(header)}`;
  const clocks: Segment[] = [
    { text: market },
    { text: header.session ? ` ${header.session}` : '', tone: header.session === 'open' ? 'good' : 'muted' },
    { text: '  elapsed ', tone: 'muted' },
    { text: formatDuration(header.elapsedMs) },
    { text: '  left ', tone: 'muted' },
    { text: formatDuration(header.remainingMs) },
  ];
  // An engaged kill switch is the most important fact on the screen: it leads the line.
  const second: Segment[] = header.killSwitch.engaged
    ? [{ text: `KILL SWITCH ENGAGED${header.killSwitch.reason ? ` (${header.killSwitch.reason})` : ''}  `, tone: 'bad', bold: true }, ...clocks]
    : [...clocks, { text: '  kill switch ', tone: 'muted' }, { text: 'off', tone: 'good' }];
  const pause = pauseSegments(header, zone);
  return (
    <Box flexDirection="column">
      <Line segments={first} width={width} color={color} />
      <Line segments={second} width={width} color={color} />
      {pause.length ? <Line segments={pause} width={width} color={color} /> : null}
    </Box>
  );
}

/** `paused 3m10s so far · horizon +3m10s → ends 11:42:05 IST`, or nothing for a run never paused. */
function pauseSegments(header: HeaderView, zone?: string): Segment[] {
  const segments: Segment[] = [];
  const pausedNow = header.phase === 'paused';
  if (header.pausedMs !== null) segments.push({ text: `paused ${formatDuration(header.pausedMs)}${pausedNow ? ' so far' : ''}`, tone: pausedNow ? 'warn' : 'muted' });
  else if (header.pausedLegs > 0) segments.push({ text: `${header.pausedLegs} ${header.pausedLegs === 1 ? 'leg' : 'legs'} paused`, tone: 'warn' });
  if (header.horizonShiftMs !== null && header.horizonShiftMs > 0 && header.endsAt !== null) {
    if (segments.length) segments.push({ text: ' · ', tone: 'muted' });
    segments.push({ text: `horizon +${formatDuration(header.horizonShiftMs)} → ends ${formatClock(header.endsAt, zone ?? 'UTC')} ${zoneLabel(zone)}`, tone: 'muted' });
  }
  return segments;
}

/** ` sim ×60`, ` sim max` or ` sim`: the market clock is the paper market's own, at that speed. */
function simulatedLabel(header: HeaderView): string {
  if (!header.simulated) return '';
  if (header.speed === 'max') return ' sim max';
  return header.speed && header.speed !== '1' ? ` sim ×${header.speed}` : ' sim';
}
