import { Box } from 'ink';
import React from 'react';
import { formatMoney, type Currency } from '../../domain/money.js';
import type { SettlementRowView } from '../view-model/dashboard-model.js';
import { fit, formatQuantity } from '../format.js';
import { LABEL_WIDTH, Line, type Tone } from './line.js';

const STATE_TONE: Record<SettlementRowView['state'], Tone> = { pending: 'warn', settled: 'good', failed: 'bad' };

/** Lines the panel needs for `rows` settlement dates within `maxRows` (at least one). */
export function settlementHeight(rows: number, maxRows: number): number {
  return Math.max(1, Math.min(rows, maxRows));
}

/**
 * What settles when: one line per settlement date and exchange with the cash each way and
 * whether it is still pending. Dates come from the exchange calendar (T+1 business day).
 */
export function SettlementPanel({ rows, currency, maxRows, width, color }: { rows: SettlementRowView[]; currency: Currency; maxRows: number; width: number; color: boolean }): React.ReactElement {
  const label = fit('SETTLEMENT', LABEL_WIDTH);
  if (rows.length === 0) {
    return <Line width={width} color={color} segments={[{ text: label, tone: 'title' }, { text: 'nothing traded yet', tone: 'muted' }]} />;
  }
  const limit = Math.max(1, maxRows);
  // The earliest dates matter most; when they do not all fit the last line says how many are left.
  const shown = rows.length > limit ? rows.slice(0, limit - 1) : rows;
  const hidden = rows.length - shown.length;
  return (
    <Box flexDirection="column">
      {shown.map((row, i) => (
        <Line
          key={`${row.exchange}|${row.date ?? ''}`}
          width={width}
          color={color}
          segments={[
            { text: i === 0 ? label : ' '.repeat(LABEL_WIDTH), tone: 'title' },
            { text: `${row.date ?? 'T+1 (date unknown)'} ${row.exchange} ` },
            { text: stateText(row), tone: STATE_TONE[row.state] },
            { text: '  pay ', tone: 'muted' },
            { text: formatMoney(row.payIn, currency) },
            { text: '  get ', tone: 'muted' },
            { text: formatMoney(row.payOut, currency) },
            { text: `  ${formatQuantity(row.trades)} ${row.trades === 1 ? 'trade' : 'trades'}`, tone: 'muted' },
          ]}
        />
      ))}
      {hidden > 0 ? (
        <Line width={width} color={color} segments={[{ text: ' '.repeat(LABEL_WIDTH) }, { text: `+${hidden} later settlement dates`, tone: 'muted' }]} />
      ) : null}
    </Box>
  );
}

function stateText(row: SettlementRowView): string {
  if (row.state === 'failed') return `${row.failed} failed`;
  if (row.state === 'pending' && row.settled > 0) return `${row.settled}/${row.trades} settled`;
  return row.state;
}
