import { Box } from 'ink';
import React from 'react';
import type { HeaderView, RunPhase } from '../view-model/dashboard-model.js';
import { exchangeTimeZone, formatClock, formatDuration, zoneLabel } from '../format.js';
import { Line, type Segment, type Tone } from './line.js';

const PHASE_TONE: Record<RunPhase, Tone> = {
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

export const HEADER_HEIGHT = 2;

/** A live run with no event for this long is flagged: its process may have died. */
export const QUIET_AFTER_MS = 60_000;

/** Run identity on the first line; clocks, run state and the kill switch on the second. */
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
  const market = header.marketTs === null ? 'market —' : `market ${formatClock(header.marketTs, zone ?? 'UTC')} ${zoneLabel(zone)}`;
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
  return (
    <Box flexDirection="column">
      <Line segments={first} width={width} color={color} />
      <Line segments={second} width={width} color={color} />
    </Box>
  );
}
