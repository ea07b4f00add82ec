import { Box } from 'ink';
import React from 'react';
import { Alerts, alertsHeight } from './components/alerts.js';
import { ConfirmPrompt } from './components/confirm-prompt.js';
import { FillsLog } from './components/fills-log.js';
import { Header, headerHeight } from './components/header.js';
import { helpHeight, HelpOverlay } from './components/help-overlay.js';
import { LegsTable } from './components/legs-table.js';
import { Line, type Segment } from './components/line.js';
import { SettlementPanel, settlementHeight } from './components/settlement-panel.js';
import { Totals, TOTALS_HEIGHT } from './components/totals.js';
import { positionOf, type Prompt, useDashboardKeys } from './dashboard-keys.js';
import { exchangeTimeZone, formatQuantity } from './format.js';
import type { DashboardSnapshot } from './view-model/dashboard-model.js';
import type { LogLine } from './view-model/log-lines.js';

/**
 * What the dashboard's keys do. The caller implements these with the same engine commands as
 * the CLI (`ptexec pause|resume|cancel`, the kill switch), so every key press is a recorded event.
 */
export interface DashboardControls {
  pause(leg?: number): unknown;
  resume(leg?: number): unknown;
  cancel(leg?: number): unknown;
  halt(reason: string): unknown;
  detach(): unknown;
}

/**
 * How the dashboard was left: `detach` (q; the run goes on), `stop` (q on an in-process run, and
 * the user answered s to stop it; r keeps it running on the dashboard), `interrupt` (Ctrl-C or a
 * signal), `ended` (the run finished and the caller asked to close then).
 */
export type DashboardExit = 'detach' | 'stop' | 'interrupt' | 'ended';

export interface DashboardProps {
  snapshot: DashboardSnapshot;
  log: LogLine[];
  columns: number;
  rows: number;
  color: boolean;
  /** Keys that steer the run are refused (watch without `--control`). */
  readOnly: boolean;
  /** The run executes in this process: leaving asks whether to stop it. */
  inProcess?: boolean;
  /** Keys are read only when stdin is a terminal. */
  interactive?: boolean;
  controls?: DashboardControls;
  onExit(exit: DashboardExit): void;
  /** Drawn between the log and the header (a group's accounts), `aboveRows` high. */
  above?: React.ReactNode;
  aboveRows?: number;
  /** Keys of the screen around it, named first on the footer (a group's `⇥ account`). */
  moreKeys?: string;
}

const FOOTER_HEIGHT = 1;

/** How the rows of the live region are shared; it always stays shorter than the terminal. */
export function layout(rows: number, legCount: number, alertCount: number, settlementCount: number, headerRows = 2): { legRows: number; alertRows: number; settlementRows: number } {
  const budget = rows - 1 - headerRows - TOTALS_HEIGHT - FOOTER_HEIGHT;
  let alertRows = alertsHeight(alertCount, 3);
  let settlementRows = settlementHeight(settlementCount, 2);
  const legArea = () => budget - alertRows - settlementRows - 2;
  if (legArea() < Math.min(legCount, 3)) {
    alertRows = 1;
    settlementRows = 1;
  }
  let legRows = Math.max(1, legArea());
  if (legCount > legRows) legRows = Math.max(1, legRows - 1); // room for the scroll hint
  return { legRows, alertRows, settlementRows };
}

/** The whole screen: the append-only log above, the live region (header … footer) below. */
export function Dashboard(props: DashboardProps): React.ReactElement {
  const { snapshot, log, columns, rows, color, readOnly, inProcess = false, interactive = true, controls, onExit, above, aboveRows = 0, moreKeys } = props;
  const width = Math.max(20, columns - 1);
  const { selected, help, prompt, feedback } = useDashboardKeys({ snapshot, controls, readOnly, inProcess, onExit }, interactive);
  const legs = snapshot.legs;
  const current = legs[positionOf(legs, selected)];

  // The rows above the legs: the header, what the caller draws above it, the selected leg's routing line.
  const headerRows = headerHeight(snapshot.header) + aboveRows + (current?.route ? 1 : 0);
  const { legRows, alertRows, settlementRows } = layout(rows, legs.length, snapshot.alerts.length, snapshot.settlement.length, headerRows);
  const zone = exchangeTimeZone(snapshot.header.marketExchange ?? legs[0]?.exchange);
  const showHelp = help && rows - 1 - headerRows - TOTALS_HEIGHT - FOOTER_HEIGHT - alertRows - settlementRows >= helpHeight(Boolean(moreKeys));

  return (
    <>
      <FillsLog lines={log} width={width} color={color} />
      <Box flexDirection="column">
        {above}
        <Header header={snapshot.header} width={width} color={color} />
        {showHelp ? (
          <HelpOverlay readOnly={readOnly || !controls} inProcess={inProcess} accounts={Boolean(moreKeys)} width={width} color={color} />
        ) : (
          <LegsTable legs={legs} selected={current?.index ?? null} maxRows={legRows} width={width} color={color} />
        )}
        <Totals totals={snapshot.totals} currency={snapshot.header.currency} width={width} color={color} />
        <SettlementPanel rows={snapshot.settlement} currency={snapshot.header.currency} maxRows={settlementRows} width={width} color={color} />
        <Alerts alerts={snapshot.alerts} maxRows={alertRows} width={width} color={color} timeZone={zone} />
        {prompt ? (
          <ConfirmPrompt {...promptText(prompt)} width={width} color={color} />
        ) : (
          <Line width={width} color={color} segments={footer(feedback, readOnly || !controls, snapshot.ended, interactive, inProcess, moreKeys)} />
        )}
      </Box>
    </>
  );
}

function promptText(prompt: NonNullable<Prompt>): { question: string; choices: string; danger: boolean } {
  if (prompt.kind === 'kill') return { question: 'Kill switch: stop all order sending until `ptexec unhalt`?', choices: 'y/n', danger: true };
  if (prompt.kind === 'cancel') {
    const remaining = Math.max(0, prompt.leg.quantity - prompt.leg.filled);
    return { question: `Cancel leg ${prompt.leg.index} ${prompt.leg.symbol} (${formatQuantity(remaining)} unfilled)?`, choices: 'y/n', danger: false };
  }
  return { question: 'The run lives in this process: stop it?', choices: 's stop it · r keep it running', danger: false };
}

function footer(feedback: string | null, readOnly: boolean, ended: boolean, interactive: boolean, inProcess: boolean, moreKeys = ''): Segment[] {
  if (feedback) return [{ text: feedback, tone: 'warn' }];
  if (!interactive) return [{ text: 'Ctrl-C to leave', tone: 'muted' }];
  const q = inProcess && !ended ? 'q stop' : 'q detach';
  const keys = moreKeys + (readOnly ? `↑↓ select  ${q}  ? help` : `↑↓ select  p pause/resume  c cancel leg  X kill switch  ${q}  ? help`);
  const segments: Segment[] = [];
  if (ended) segments.push({ text: 'run ended  ', tone: 'accent' });
  segments.push({ text: keys, tone: 'muted' });
  if (readOnly) segments.push({ text: '  read-only', tone: 'warn' });
  return segments;
}
