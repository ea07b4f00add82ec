import { Box } from 'ink';
import React from 'react';
import type { LegStatus } from '../../domain/leg-status.js';
import type { LegView } from '../view-model/dashboard-model.js';
import { ORDER_SHORT } from '../view-model/leg-order.js';
import { fit, formatBps, formatPercent, formatPrice, formatQuantity, progressBar } from '../format.js';
import { costTone, Line, type Segment, type Tone } from './line.js';

interface Column {
  title: string;
  size: number;
  align: 'left' | 'right';
  cell(leg: LegView, ascii: boolean): Segment;
}

/** Leg statuses as the table shows them: the leg vocabulary itself (src/domain/leg-status.ts). */
const STATUS_TONE: Partial<Record<LegStatus, Tone>> = { complete: 'good', rejected: 'bad', cancelled: 'warn', unfilled: 'warn', partial: 'warn', blocked: 'bad', planned: 'muted', skipped: 'muted', paused: 'warn' };

const BAR = 6;

/** The columns that always fit in 80: 79 characters with single spaces between them. */
const BASE: Column[] = [
  { title: 'SYMBOL', size: 9, align: 'left', cell: (l) => ({ text: l.symbol }) },
  { title: 'SIDE', size: 4, align: 'left', cell: (l) => ({ text: l.side.toUpperCase(), tone: l.side === 'buy' ? 'accent' : 'plain' }) },
  // A leg sent as one named order shows the order (stop, brkt, …); the detail line has its prices.
  { title: 'ALGO', size: 5, align: 'left', cell: (l) => ({ text: (l.orderKind ? ORDER_SHORT[l.orderKind] : l.algo) || '—', tone: 'muted' }) },
  {
    title: 'FILLED',
    size: BAR + 5,
    align: 'left',
    cell: (l, ascii) => ({ text: `${progressBar(l.filled, l.quantity, BAR, ascii)} ${fit(formatPercent(l.quantity > 0 ? l.filled / l.quantity : null), 4, 'right')}` }),
  },
  { title: 'AVG', size: 8, align: 'right', cell: (l) => ({ text: formatPrice(l.avgPrice) }) },
  { title: 'ARRIVAL', size: 8, align: 'right', cell: (l) => ({ text: formatPrice(l.arrivalPrice), tone: 'muted' }) },
  { title: 'SLIPbp', size: 6, align: 'right', cell: (l) => ({ text: formatBps(l.slippageBps), tone: costTone(l.slippageBps) }) },
  { title: 'PART', size: 4, align: 'right', cell: (l) => ({ text: formatPercent(l.participation) }) },
  { title: 'OPEN', size: 4, align: 'right', cell: (l) => ({ text: String(l.openChildren), tone: l.openChildren ? 'plain' : 'muted' }) },
  { title: 'STATUS', size: 9, align: 'left', cell: (l) => ({ text: l.status, tone: STATUS_TONE[l.status] ?? 'plain' }) },
];

const QUANTITY: Column = { title: 'QTY', size: 15, align: 'right', cell: (l) => ({ text: `${formatQuantity(l.filled)}/${formatQuantity(l.quantity)}` }) };
const MARKER = 2;

function columnsFor(width: number): { columns: Column[]; reasonWidth: number } {
  const used = (cols: Column[]) => MARKER + cols.reduce((sum, c) => sum + c.size, 0) + cols.length - 1;
  const columns = [...BASE];
  if (used(columns) + 1 + QUANTITY.size <= width) columns.splice(4, 0, QUANTITY);
  const left = width - used(columns) - 1;
  return { columns, reasonWidth: left >= 16 ? left : 0 };
}

export interface LegsTableProps {
  legs: readonly LegView[];
  selected: number | null;
  /** Rows available for legs (the table scrolls to keep the selection visible). */
  maxRows: number;
  width: number;
  color: boolean;
}

/** Rows the table needs for `legCount` legs within `maxRows`: title, legs, scroll hint, detail (and the selected leg's routing, `routeRows`). */
export function legsTableHeight(legCount: number, maxRows: number): number {
  return 2 + visibleWindow(legCount, 0, maxRows).rows + (legCount > maxRows ? 1 : 0);
}

function visibleWindow(count: number, selectedPosition: number, maxRows: number): { start: number; rows: number } {
  const rows = Math.max(1, Math.min(count, maxRows));
  const start = Math.min(Math.max(0, selectedPosition - Math.floor(rows / 2)), Math.max(0, count - rows));
  return { start, rows: count === 0 ? 0 : rows };
}

/**
 * One row per leg, the selected one marked; at 80 columns the selected leg's quantities and
 * last reason go on a detail line below, wider terminals get them as columns. A leg a group's
 * router gave this account has a second detail line: why (`routed …`).
 */
export function LegsTable({ legs, selected, maxRows, width, color }: LegsTableProps): React.ReactElement {
  const ascii = !color;
  const { columns, reasonWidth } = columnsFor(width);
  const title: Segment[] = [{ text: ' '.repeat(MARKER) }];
  columns.forEach((c, i) => title.push({ text: (i ? ' ' : '') + fit(c.title, c.size, c.align), tone: 'muted' }));
  if (reasonWidth) title.push({ text: ' LAST REASON', tone: 'muted' });
  const position = Math.max(0, legs.findIndex((l) => l.index === selected));
  const { start, rows } = visibleWindow(legs.length, position, Math.max(1, maxRows));
  const shown = legs.slice(start, start + rows);
  const current = legs[position];
  return (
    <Box flexDirection="column">
      <Line segments={title} width={width} color={color} />
      {legs.length === 0 ? <Line segments={[{ text: '  no legs yet: waiting for the plan', tone: 'muted' }]} width={width} color={color} /> : null}
      {shown.map((leg) => {
        const isSelected = leg.index === current?.index;
        const segments: Segment[] = [{ text: isSelected ? '› ' : '  ', tone: 'accent', bold: true }];
        columns.forEach((c, i) => {
          const cell = c.cell(leg, ascii);
          segments.push({ ...cell, text: (i ? ' ' : '') + fit(cell.text, c.size, c.align), inverse: isSelected && c.title === 'SYMBOL' });
        });
        if (reasonWidth) segments.push({ text: ` ${leg.lastReason ?? ''}`, tone: 'muted' });
        return <Line key={leg.index} segments={segments} width={width} color={color} />;
      })}
      {legs.length > rows ? (
        <Line segments={[{ text: `  legs ${start + 1}–${start + rows} of ${legs.length} (↑/↓ to scroll)`, tone: 'muted' }]} width={width} color={color} />
      ) : null}
      {current ? <Line segments={detail(current)} width={width} color={color} /> : null}
      {current?.route ? <Line segments={[{ text: '  routed ', tone: 'muted' }, { text: current.route }]} width={width} color={color} /> : null}
    </Box>
  );
}

function detail(leg: LegView): Segment[] {
  // The named order leads: at 80 columns it is what the row cannot say.
  if (leg.order) {
    return [
      { text: `  leg ${leg.index} ${leg.symbol}`, tone: 'accent' },
      { text: `  ${leg.order}` },
      { text: `  ${leg.side} ${formatQuantity(leg.filled)}/${formatQuantity(leg.quantity)}` },
      { text: leg.lastReason ? `  ${leg.lastReason}` : '', tone: 'muted' },
    ];
  }
  return [
    { text: `  leg ${leg.index} ${leg.symbol} ${leg.exchange}`, tone: 'accent' },
    { text: `  ${leg.side} ${formatQuantity(leg.filled)}/${formatQuantity(leg.quantity)}` },
    { text: `  decision ${formatPrice(leg.decisionPrice)}`, tone: 'muted' },
    { text: leg.lastReason ? `  ${leg.lastReason}` : '', tone: 'muted' },
  ];
}
