import { Box } from 'ink';
import React from 'react';
import { formatMoney } from '../../domain/money.js';
import { fit, formatBps, formatPercent, formatQuantity, progressBar } from '../format.js';
import type { AccountRunView, GroupCurrencyView } from '../view-model/group-view-model.js';
import { PHASE_TONE } from './header.js';
import { costTone, Line, type Segment } from './line.js';

const BAR = 6;
const ALIAS = 9;
const WHERE = 14;
const PHASE = 12;

export interface AccountsPanelProps {
  group: string;
  accounts: readonly AccountRunView[];
  totals: readonly GroupCurrencyView[];
  /** The run whose legs are shown below. */
  selected: string | null;
  /** Rows the panel may take (its title and the consolidated rows included). */
  maxRows: number;
  width: number;
  color: boolean;
}

/** Rows the panel takes for this many accounts and currencies within `maxRows` (at least the title, one account and the totals). */
export function accountsPanelHeight(accounts: number, currencies: number, maxRows: number): number {
  return 1 + accountRows(accounts, currencies, maxRows) + currencies;
}

function accountRows(accounts: number, currencies: number, maxRows: number): number {
  return Math.max(Math.min(accounts, 1), Math.min(accounts, maxRows - 1 - currencies));
}

/**
 * A group rebalance's accounts, one row each (alias, broker and account, status, progress,
 * slippage against arrival, fills, traded value, legs complete, charges: what 80 columns cut
 * comes last), the selected one marked; then
 * the group consolidated per currency (`Σ INR`: its accounts added up, never across currencies).
 */
export function AccountsPanel({ group, accounts, totals, selected, maxRows, width, color }: AccountsPanelProps): React.ReactElement {
  const rows = accountRows(accounts.length, totals.length, maxRows);
  const position = Math.max(0, accounts.findIndex((a) => a.runId === selected));
  const start = Math.min(Math.max(0, position - Math.floor(rows / 2)), Math.max(0, accounts.length - rows));
  const shown = accounts.slice(start, start + rows);
  const more = accounts.length > rows ? ` (${start + 1}–${start + rows} of ${accounts.length})` : '';
  const title: Segment[] = [
    { text: 'GROUP ', tone: 'title', bold: true },
    { text: group },
    { text: `  ${accounts.length} run${accounts.length === 1 ? '' : 's'}${more}`, tone: 'muted' },
    { text: accounts.length > 1 ? '  ⇥/←→ choose the account shown below' : '', tone: 'muted' },
  ];
  return (
    <Box flexDirection="column">
      <Line segments={title} width={width} color={color} />
      {accounts.length === 0 ? <Line segments={[{ text: '  no runs yet: waiting for the group’s first run', tone: 'muted' }]} width={width} color={color} /> : null}
      {shown.map((a) => (
        <Line key={a.runId} segments={accountSegments(a, a.runId === accounts[position]?.runId, !color)} width={width} color={color} />
      ))}
      {totals.map((t) => (
        <Line key={t.currency} segments={totalSegments(t, !color)} width={width} color={color} />
      ))}
    </Box>
  );
}

function figures(v: GroupCurrencyView | AccountRunView, ascii: boolean): Segment[] {
  const money = (minor: number) => formatMoney(minor, v.currency);
  return [
    { text: ` ${progressBar(v.filledQuantity, v.orderedQuantity, BAR, ascii)} ${fit(formatPercent(v.fillRate), 4, 'right')}` },
    { text: '  slip ', tone: 'muted' },
    { text: `${formatBps(v.slippageBps)}bp`, tone: costTone(v.slippageBps) },
    { text: `  fills ${formatQuantity(v.fills)}`, tone: 'muted' },
    { text: '  traded ', tone: 'muted' },
    { text: money(v.tradedValue) },
    { text: `  legs ${v.legsComplete}/${v.legs} complete`, tone: 'muted' },
    { text: '  charges ', tone: 'muted' },
    { text: money(v.charges) },
  ];
}

function accountSegments(a: AccountRunView, selected: boolean, ascii: boolean): Segment[] {
  return [
    { text: selected ? '› ' : '  ', tone: 'accent', bold: true },
    { text: fit(a.alias, ALIAS), inverse: selected },
    { text: ` ${fit(`${a.broker} · ${a.account}`, WHERE)}`, tone: 'muted' },
    { text: ` ${fit(a.failoverOf ? `${a.phase} (fo)` : a.phase, PHASE)}`, tone: PHASE_TONE[a.phase] },
    ...figures(a, ascii),
  ];
}

function totalSegments(t: GroupCurrencyView, ascii: boolean): Segment[] {
  return [
    { text: fit(`Σ ${t.currency}`, 2 + ALIAS), tone: 'title', bold: true },
    { text: ` ${fit(`${t.accounts} account${t.accounts === 1 ? '' : 's'}`, WHERE)}`, tone: 'muted' },
    { text: ` ${fit('consolidated', PHASE)}`, tone: 'muted' },
    ...figures(t, ascii),
  ];
}
