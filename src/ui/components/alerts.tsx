import { Box } from 'ink';
import React from 'react';
import type { AlertView } from '../view-model/dashboard-model.js';
import { alertMark } from '../view-model/log-lines.js';
import { fit, formatClock } from '../format.js';
import { LABEL_WIDTH, Line, type Tone } from './line.js';

const LEVEL_TONE: Record<AlertView['level'], Tone> = { info: 'muted', warn: 'warn', error: 'bad' };

/** Lines the panel needs for `count` alerts within `maxRows` (at least one). */
export function alertsHeight(count: number, maxRows: number): number {
  return Math.max(1, Math.min(count, maxRows));
}

/** The newest alerts (rejections, risk blocks, broker errors, retries, reconnects), newest last. */
export function Alerts({ alerts, maxRows, width, color, timeZone }: { alerts: AlertView[]; maxRows: number; width: number; color: boolean; timeZone?: string }): React.ReactElement {
  const label = fit('ALERTS', LABEL_WIDTH);
  if (alerts.length === 0) return <Line width={width} color={color} segments={[{ text: label, tone: 'title' }, { text: 'none', tone: 'muted' }]} />;
  const shown = alerts.slice(-Math.max(1, maxRows));
  return (
    <Box flexDirection="column">
      {shown.map((alert, i) => (
        <Line
          key={`${alert.seq}-${i}`}
          width={width}
          color={color}
          segments={[
            { text: i === 0 ? label : ' '.repeat(LABEL_WIDTH), tone: 'title' },
            { text: `${formatClock(alert.ts, timeZone)} `, tone: 'muted' },
            { text: `${alertMark(alert.level)} ${alert.message}`, tone: LEVEL_TONE[alert.level] },
          ]}
        />
      ))}
    </Box>
  );
}
