import { render } from 'ink-testing-library';
import { Box } from 'ink';
import { describe, expect, it } from 'vitest';
import { Alerts } from '../../src/ui/components/alerts.js';
import { ConfirmPrompt } from '../../src/ui/components/confirm-prompt.js';
import { FillsLog } from '../../src/ui/components/fills-log.js';
import { Header } from '../../src/ui/components/header.js';
import { HelpOverlay } from '../../src/ui/components/help-overlay.js';
import { LegsTable } from '../../src/ui/components/legs-table.js';
import { SettlementPanel } from '../../src/ui/components/settlement-panel.js';
import { Totals } from '../../src/ui/components/totals.js';
import type { AlertView } from '../../src/ui/view-model/dashboard-model.js';
import { logLines } from '../../src/ui/view-model/log-lines.js';
import { DashboardViewModel } from '../../src/ui/view-model/view-model.js';
import { EventLog, partialRun, plannedRun, simulatedRun, T0 } from './fixtures.js';
import { ANSI, linesOf, snapshotOf, visible, withChalkLevel } from './render-helpers.js';

const empty = new DashboardViewModel().snapshot(T0);
const partial = snapshotOf(partialRun(), T0 + 10_000);
const doneLog = partialRun();
doneLog.add('run.status', { status: 'completed' }, T0 + 60_000);
const done = snapshotOf(doneLog, T0 + 120_000);

function expectFits(frame: string | undefined, width: number): void {
  for (const line of linesOf(frame)) expect(visible(line)).toBeLessThanOrEqual(width);
}

describe('Header', () => {
  it('says it is waiting before the run is known', () => {
    const { lastFrame } = render(<Header header={empty.header} width={79} color={false} />);
    expect(lastFrame()).toContain('WAITING');
    expect(lastFrame()).toContain('waiting for the run');
    expect(lastFrame()).toContain('market —');
  });

  it('shows run, broker, account, algorithms, market clock in exchange time, session, elapsed, left and the kill switch', () => {
    const { lastFrame } = render(<Header header={partial.header} width={79} color={false} />);
    const [first, second] = linesOf(lastFrame());
    expect(first).toBe('RUNNING  run r-20261120-ab12  paper · PAPER1  twap,vwap');
    expect(second).toBe('market 09:30:10 IST open  elapsed 9s  left 29m51s  kill switch off');
  });

  it('says when the market clock is simulated, and how fast it runs', () => {
    const { lastFrame } = render(<Header header={snapshotOf(simulatedRun(), T0 + 10_000).header} width={79} color={false} />);
    expect(linesOf(lastFrame())[1]).toBe('market 09:40:00 IST sim ×60 open  elapsed 9m00s  left 21m00s  kill switch off');
  });

  it('flags a live run that has gone quiet, but not a finished one', () => {
    const quiet = snapshotOf(partialRun(), T0 + 9_000 + 5 * 60_000);
    expect(linesOf(render(<Header header={quiet.header} width={79} color={false} />).lastFrame())[0]).toBe('RUNNING (no events for 5m00s)  run r-20261120-ab12  paper · PAPER1  twap,vwap');
    const finished = snapshotOf(doneLog, T0 + 86_400_000);
    expect(render(<Header header={finished.header} width={79} color={false} />).lastFrame()).not.toContain('no events');
  });

  it('shows a finished run and an engaged kill switch', () => {
    expect(render(<Header header={done.header} width={79} color={false} />).lastFrame()).toContain('COMPLETED');
    const halted = partialRun();
    halted.add('risk.halted', { reason: 'broker outage', cancelOpen: false, actor: 'x' }, T0 + 9_999, null);
    const frame = render(<Header header={snapshotOf(halted, T0).header} width={79} color={false} />).lastFrame();
    expect(frame).toContain('HALTED');
    expect(linesOf(frame)[1]).toBe('KILL SWITCH ENGAGED (broker outage)  market 09:30:09 IST open  elapsed 8s  lef…');
  });

  it('fits narrow widths by cutting, never wrapping', () => {
    const { lastFrame } = render(<Header header={partial.header} width={40} color={false} />);
    expect(linesOf(lastFrame())).toHaveLength(2);
    expectFits(lastFrame(), 40);
  });
});

describe('LegsTable', () => {
  it('says so when there are no legs yet', () => {
    const { lastFrame } = render(<LegsTable legs={[]} selected={null} maxRows={10} width={79} color={false} />);
    expect(lastFrame()).toContain('no legs yet');
  });

  it('shows one row per leg in 80 columns with the selected leg’s reason below', () => {
    const { lastFrame } = render(<LegsTable legs={partial.legs} selected={0} maxRows={10} width={79} color={false} />);
    const lines = linesOf(lastFrame());
    expect(lines[0]).toBe('  SYMBOL    SIDE ALGO  FILLED           AVG  ARRIVAL SLIPbp PART OPEN STATUS');
    expect(lines[1]).toBe('› RELIANCE  BUY  twap  ###...  60%  2501.67  2500.00   +6.7  10%    1 working');
    expect(lines[2]).toBe('  INFY      SELL twap  ###### 100%  1498.50  1500.00  +10.0    —    0 complete');
    expect(lines[3]).toBe('  TCS       BUY  vwap  ......   0%        —        —      —    —    0 planned');
    expect(lines[4]).toContain('leg 0 RELIANCE NSE  buy 60/100  decision 2500.00  price outside the circuit');
    expectFits(lastFrame(), 79);
  });

  it('adds quantity and reason columns on a wide terminal', () => {
    const { lastFrame } = render(
      <Box width={140}>
        <LegsTable legs={partial.legs} selected={1} maxRows={10} width={140} color={false} />
      </Box>,
    );
    const lines = linesOf(lastFrame());
    expect(lines[0]).toContain('QTY');
    expect(lines[0]).toContain('LAST REASON');
    expect(lines[1]).toContain('60/100');
    expect(lines[1]).toContain('price outside the circuit band');
    expect(lines[2]?.startsWith('› INFY')).toBe(true);
  });

  it('scrolls to keep the selected leg visible when there are more legs than rows', () => {
    const { lastFrame } = render(<LegsTable legs={partial.legs} selected={2} maxRows={2} width={79} color={false} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('› TCS');
    expect(frame).not.toContain('RELIANCE  BUY');
    expect(frame).toContain('legs 2–3 of 3');
  });

  it('colours slippage by cost only when colour is on', () => {
    const plain = render(<LegsTable legs={partial.legs} selected={0} maxRows={10} width={79} color={false} />).lastFrame();
    expect(plain).not.toMatch(ANSI);
    const coloured = withChalkLevel(1, () => render(<LegsTable legs={partial.legs} selected={0} maxRows={10} width={79} color={true} />).lastFrame());
    expect(coloured).toContain('\u001b[31m   +6.7'); // red: a cost
    expect(coloured).toContain('█'); // block bar on a colour terminal
    const offAnyway = withChalkLevel(1, () => render(<LegsTable legs={partial.legs} selected={0} maxRows={10} width={79} color={false} />).lastFrame());
    expect(offAnyway).not.toMatch(ANSI);
  });

  it('shows a rejected leg', () => {
    const log = plannedRun();
    log.add('order.created', { clientOrderId: 'P2', leg: 2, broker: 'paper', account: 'PAPER1', symbol: 'TCS', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 50, timeInForce: 'day', product: 'delivery', algo: 'vwap' }, T0);
    log.add('order.status', { clientOrderId: 'P2', from: 'created', to: 'rejected', reason: 'blocked by risk' }, T0);
    const { lastFrame } = render(<LegsTable legs={snapshotOf(log, T0).legs} selected={2} maxRows={10} width={79} color={false} />);
    expect(lastFrame()).toMatch(/TCS .* rejected/);
    expect(lastFrame()).toContain('blocked by risk');
  });
});

describe('Totals', () => {
  it('shows zeros and unknowns for an empty run', () => {
    const frame = render(<Totals totals={empty.totals} currency="INR" width={79} color={false} />).lastFrame();
    expect(frame).toContain('traded ₹0.00  fill rate —');
    expect(frame).toContain('shortfall — bps (₹0.00)  charges ₹0.00');
  });

  it('shows traded value, fill rate, shortfall in bps and money, and charges', () => {
    const frame = render(<Totals totals={partial.totals} currency="INR" width={79} color={false} />).lastFrame();
    expect(linesOf(frame)).toEqual(['TOTALS     traded ₹4,49,800.00  fill rate 74% (260/350)  fills 3', '           shortfall +6.4 bps (₹480.00)  charges ₹0.00']);
  });

  it('colours a favourable shortfall green', () => {
    const totals = { ...partial.totals, shortfall: -4_000, shortfallBps: -0.5 };
    const frame = withChalkLevel(1, () => render(<Totals totals={totals} currency="USD" width={79} color={true} />).lastFrame());
    expect(frame).toContain('\u001b[32m-0.5 bps (-$40.00)');
  });
});

describe('SettlementPanel', () => {
  it('says nothing has traded yet', () => {
    expect(render(<SettlementPanel rows={[]} currency="INR" maxRows={2} width={79} color={false} />).lastFrame()).toContain('nothing traded yet');
  });

  it('shows what settles when, pending or settled, within 80 columns', () => {
    const frame = render(<SettlementPanel rows={partial.settlement} currency="INR" maxRows={2} width={79} color={false} />).lastFrame();
    expect(frame).toBe('SETTLEMENT 2026-11-23 NSE pending  pay ₹1,50,100.00  get ₹2,99,700.00  3 trades');
  });

  it('shows partly settled and failed dates and how many more dates there are', () => {
    const rows = [
      { date: '2026-11-23', exchange: 'NSE', trades: 4, settled: 1, failed: 0, payIn: 100, payOut: 0, state: 'pending' as const },
      { date: '2026-11-24', exchange: 'NSE', trades: 2, settled: 0, failed: 1, payIn: 0, payOut: 100, state: 'failed' as const },
      { date: '2026-11-25', exchange: 'NSE', trades: 1, settled: 0, failed: 0, payIn: 0, payOut: 100, state: 'pending' as const },
    ];
    const lines = linesOf(render(<SettlementPanel rows={rows} currency="INR" maxRows={2} width={79} color={false} />).lastFrame());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('1/4 settled');
    expect(lines[1]).toContain('+2 later settlement dates');
    expect(render(<SettlementPanel rows={rows} currency="INR" maxRows={3} width={79} color={false} />).lastFrame()).toContain('1 failed');
  });

  it('marks a date it cannot know instead of inventing one', () => {
    const rows = [{ date: null, exchange: 'NYSE', trades: 1, settled: 0, failed: 0, payIn: 100, payOut: 0, state: 'pending' as const }];
    expect(render(<SettlementPanel rows={rows} currency="USD" maxRows={2} width={79} color={false} />).lastFrame()).toContain('T+1 (date unknown) NYSE');
  });
});

describe('Alerts', () => {
  const alerts: AlertView[] = [
    { seq: 1, ts: T0, level: 'info', source: 'control', message: 'pause run requested by cli:pm', leg: null },
    { seq: 2, ts: T0 + 1_000, level: 'warn', source: 'broker', message: 'retrying after HTTP 503 (attempt 2)', leg: null },
    { seq: 3, ts: T0 + 2_000, level: 'error', source: 'order', message: 'INFY child order rejected: insufficient holdings', leg: 1 },
  ];

  it('says none when there are none', () => {
    expect(render(<Alerts alerts={[]} maxRows={3} width={79} color={false} />).lastFrame()).toBe('ALERTS     none');
  });

  it('shows the newest alerts within the rows it has, newest last', () => {
    const lines = linesOf(render(<Alerts alerts={alerts} maxRows={2} width={79} color={false} timeZone="Asia/Kolkata" />).lastFrame());
    expect(lines).toEqual(['ALERTS     09:30:01 ! retrying after HTTP 503 (attempt 2)', '           09:30:02 ✖ INFY child order rejected: insufficient holdings']);
  });

  it('colours errors red when colour is on', () => {
    const frame = withChalkLevel(1, () => render(<Alerts alerts={alerts} maxRows={3} width={79} color={true} />).lastFrame());
    expect(frame).toContain('\u001b[31m✖ INFY');
  });
});

describe('FillsLog', () => {
  it('writes each line once, newest last, and keeps earlier lines when more arrive', () => {
    const vm = new DashboardViewModel();
    const log = partialRun();
    vm.applyAll(log.events);
    const first = logLines(vm.takeNewFills(), vm.takeNewAlerts(), { timeZone: 'Asia/Kolkata' });
    const { lastFrame, rerender } = render(<FillsLog lines={first} width={79} color={false} />);
    expect(linesOf(lastFrame()).slice(0, 4)).toEqual([
      '09:30:03  BUY   RELIANCE  20 @ 2501.00',
      '09:30:04  BUY   RELIANCE  40 @ 2502.00',
      '09:30:06  SELL  INFY  200 @ 1498.50',
      '09:30:08  ✖ RELIANCE child order rejected: price outside the circuit band',
    ]);
    const more = new EventLog(log.runId);
    more.add('fill.recorded', { clientOrderId: 'P0C3', tradeId: 't9', broker: 'paper', account: 'PAPER1', symbol: 'RELIANCE', exchange: 'NSE', side: 'buy', quantity: 40, price: 250_300, ts: T0 + 12_000 }, T0 + 12_000);
    vm.apply({ ...more.events[0]!, seq: log.events.length + 1 });
    rerender(<FillsLog lines={[...first, ...logLines(vm.takeNewFills(), [], { timeZone: 'Asia/Kolkata' })]} width={79} color={false} />);
    const lines = linesOf(lastFrame());
    expect(lines[0]).toBe('09:30:03  BUY   RELIANCE  20 @ 2501.00');
    expect(lines[4]).toBe('09:30:12  BUY   RELIANCE  40 @ 2503.00');
  });

  it('is empty before anything has filled', () => {
    expect(render(<FillsLog lines={[]} width={79} color={false} />).lastFrame()).toBe('');
  });
});

describe('HelpOverlay and ConfirmPrompt', () => {
  it('lists every key and marks the steering keys in read-only mode', () => {
    const frame = render(<HelpOverlay readOnly={true} width={79} color={false} />).lastFrame() ?? '';
    for (const key of ['↑ / ↓', 'p', 'c', 'X', 'q', '?']) expect(frame).toContain(`  ${key}`);
    expect(frame).toContain('kill switch: stop all order sending');
    expect(frame).toContain('(needs --control)');
    expect(render(<HelpOverlay readOnly={false} width={79} color={false} />).lastFrame()).not.toContain('needs --control');
  });

  it('asks a one-line question with its answers', () => {
    const frame = render(<ConfirmPrompt question="Engage the kill switch?" choices="y/n" danger={true} width={79} color={false} />).lastFrame();
    expect(frame).toBe('Engage the kill switch?  y/n');
  });
});
