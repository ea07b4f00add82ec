import { Box } from 'ink';
import React from 'react';
import type { Currency } from '../../domain/money.js';
import { formatMoney } from '../../domain/money.js';
import type { TotalsView } from '../view-model/dashboard-model.js';
import { fit, formatBps, formatPercent, formatQuantity } from '../format.js';
import { costTone, LABEL_WIDTH, Line } from './line.js';

export const TOTALS_HEIGHT = 2;

/** Traded value and fill rate; implementation shortfall so far (bps and money) and charges. */
export function Totals({ totals, currency, width, color }: { totals: TotalsView; currency: Currency; width: number; color: boolean }): React.ReactElement {
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <Box flexDirection="column">
      <Line
        width={width}
        color={color}
        segments={[
          { text: fit('TOTALS', LABEL_WIDTH), tone: 'title' },
          { text: 'traded ', tone: 'muted' },
          { text: money(totals.tradedValue) },
          { text: '  fill rate ', tone: 'muted' },
          { text: formatPercent(totals.fillRate) },
          { text: ` (${formatQuantity(totals.filledQuantity)}/${formatQuantity(totals.orderedQuantity)})`, tone: 'muted' },
          { text: '  fills ', tone: 'muted' },
          { text: formatQuantity(totals.fills) },
        ]}
      />
      <Line
        width={width}
        color={color}
        segments={[
          { text: ' '.repeat(LABEL_WIDTH) },
          { text: 'shortfall ', tone: 'muted' },
          { text: `${formatBps(totals.shortfallBps)} bps (${money(totals.shortfall)})`, tone: costTone(totals.shortfallBps) },
          { text: '  charges ', tone: 'muted' },
          { text: money(totals.charges) },
        ]}
      />
    </Box>
  );
}
