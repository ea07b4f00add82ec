import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlan, type LegVerdict } from '../../src/app/render/plan-view.js';
import { renderPositions } from '../../src/app/render/positions-view.js';
import { renderFills, renderOrders } from '../../src/app/render/query-tables.js';
import { renderSettlement } from '../../src/app/render/settlement-view.js';
import { renderTcaGroups, renderTcaReport } from '../../src/app/render/tca-view.js';
import type { NewEvent } from '../../src/domain/events/index.js';
import type { Plan } from '../../src/domain/plan.js';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { settlementEvents } from '../../src/engine/settlement/settlement-date.js';
import { settlementReport } from '../../src/engine/settlement/settlement-report.js';
import { marketSampledEvent } from '../../src/engine/tca/market-sample.js';
import { groupJson } from '../../src/app/render/tca-report.js';
import { compareRuns, runTca } from '../../src/engine/tca/run-report.js';
import { Output } from '../../src/lib/output.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import { listFills, listOrders } from '../../src/store/queries.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { FakeStdout } from '../ui/fake-terminal.js';

/**
 * Every command's table as a user sees it: on an 80-column terminal (a fake one: an Output
 * writing to a TTY stream of that width), with --wide, and piped.
 */
const RUN = 'gq2rpx0yuo';
const SYMBOLS = ['BHARTIARTL', 'HINDUNILVR', 'ICICIBANK', 'KOTAKBANK', 'RELIANCE'];
const T0 = Date.parse('2025-01-07T10:00:00+05:30');
const MIN = 60_000;

/** A TWAP run of five legs, two children each, fills with paper-style trade ids (`P000000003-150`). */
function seed(store: Store): void {
  const events: NewEvent[] = [
    { runId: RUN, type: 'run.created', marketTs: T0, payload: { runId: RUN, broker: 'paper', account: 'PAPER', tradingDate: '2025-01-07', targetHash: 'h', source: 'examples/portfolio.json', dryRun: false, options: {} } },
  ];
  let brokerNo = 0;
  SYMBOLS.forEach((symbol, leg) => {
    const price = 100_000 + leg * 37_513;
    const base = { broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side: 'buy', type: 'market', timeInForce: 'day', product: 'delivery' } as const;
    const parent = `${RUN}L${leg}`;
    events.push({ runId: RUN, type: 'order.created', marketTs: T0, payload: { ...base, clientOrderId: parent, leg, quantity: 300, algo: 'twap', arrivalPrice: price, decisionPrice: price - 500 } });
    for (const child of [1, 2]) {
      const id = `${parent}C${child}`;
      const brokerOrderId = `P${String(++brokerNo).padStart(9, '0')}`;
      events.push({ runId: RUN, type: 'order.created', marketTs: T0, payload: { ...base, clientOrderId: id, parentId: parent, leg, quantity: 150, algo: 'twap' } });
      events.push({ runId: RUN, type: 'order.status', marketTs: T0, payload: { clientOrderId: id, from: 'pending_submit', to: 'accepted', brokerOrderId } });
      let filled = 0;
      for (const [k, quantity] of [16, 134].entries()) {
        filled += quantity;
        const ts = T0 + (child * 3 + k) * MIN;
        events.push({
          runId: RUN,
          type: 'fill.recorded',
          marketTs: ts,
          payload: { clientOrderId: id, tradeId: `${brokerOrderId}-${filled}`, brokerOrderId, broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side: 'buy', quantity, price: price + k * 5, ts },
        });
      }
      events.push({ runId: RUN, type: 'order.status', marketTs: T0 + 8 * MIN, payload: { clientOrderId: id, from: 'accepted', to: 'filled' } });
    }
    events.push({ runId: RUN, type: 'order.status', marketTs: T0 + 8 * MIN, payload: { clientOrderId: parent, from: 'accepted', to: 'filled' } });
    for (let i = 0; i <= 10; i++) events.push(marketSampledEvent(RUN, { symbol, exchange: 'NSE', ts: T0 + i * MIN, bid: price + i * 10, ask: price + 20 + i * 10, last: price + 10 + i * 10, volume: 10_000 + i * 1_000 }));
  });
  store.append(events);
  store.append([
    ...settlementEvents(new PostTradeQueries(store).fills()),
    {
      runId: RUN,
      type: 'settlement.resolved',
      payload: { broker: 'paper', tradeId: 'P000000001-16', status: 'failed', difference: 16, reason: "not in the broker's settled holdings after 2025-01-08" },
    },
  ]);
}

const plan: Plan = {
  legs: SYMBOLS.map((symbol, index) => ({
    index,
    symbol,
    exchange: 'NSE' as const,
    side: index % 2 ? ('sell' as const) : ('buy' as const),
    quantity: 1_250,
    current: 2_000,
    target: index % 2 ? 750 : 3_250,
    decisionPrice: 210_040,
    estimatedPrice: 210_040,
    estimatedValue: 262_550_000,
    estimatedCharges: 31_161,
    execution: { algo: 'twap', orderType: 'market' as const, params: {} },
    notes: [],
  })),
  skipped: [],
  notes: [],
  accountValue: 10_000_000_000,
  cashBefore: 10_000_000_000,
  estimatedCashAfter: 9_479_314_567,
  currency: 'INR',
};
const verdicts: LegVerdict[] = plan.legs.map((l) => ({ leg: l.index, verdict: 'pass', reasons: [] }));

interface Screen {
  out: Output;
  lines: () => string[];
  stderr: () => string;
}

/** An Output on a fake terminal `columns` wide, or on a pipe (no columns). */
function screen(columns: number | undefined, options: { wide?: boolean } = {}): Screen {
  const stdout = new FakeStdout(columns ?? 0);
  stdout.isTTY = columns !== undefined;
  const stderr = new FakeStdout();
  const out = new Output(options, stdout.asStream(), stderr.asStream(), { TERM: 'xterm-256color' });
  return { out, lines: () => stdout.text().replace(/\n$/, '').split('\n'), stderr: () => stderr.text() };
}

describe('command tables fit the terminal', () => {
  const store = openDatabase(':memory:');
  const queries = new PostTradeQueries(store);
  const schedules = loadChargeSchedules();
  beforeAll(() => seed(store));
  afterAll(() => store.close());

  const views: Record<string, { render: (out: Output) => void; lastHeader: string }> = {
    plan: { render: (out) => renderPlan(out, plan, verdicts), lastHeader: 'risk' },
    tca: {
      render: (out) => {
        const report = runTca(queries, schedules, RUN);
        renderTcaReport(out, report, (l) => queries.samples(l.exchange!, l.symbol, l.startTs!, l.endTs!), () => []);
      },
      lastHeader: 'mk 5m',
    },
    'tca --group-by': { render: (out) => renderTcaGroups(out, compareRuns(queries, schedules, [RUN], 'algo').groups.map(groupJson), 'algo', 1), lastHeader: 'mean dur.' },
    settlement: { render: (out) => renderSettlement(out, settlementReport(queries, schedules), { trades: false }), lastHeader: 'sold' },
    'settlement --trades': { render: (out) => renderSettlement(out, settlementReport(queries, schedules), { trades: true }), lastHeader: 'note' },
    positions: {
      render: (out) =>
        renderPositions(out, {
          broker: 'paper',
          account: 'PAPER',
          lines: SYMBOLS.map((symbol, i) => ({ o: { symbol, exchange: 'NSE', quantity: 12_903 + i, settled: 12_500 + i, t1: 403, today: 0, averagePrice: 1_587_424 }, price: 1_587_424, value: 20_482_544_672, pnl: -1_234_567 })),
          cash: 10_000_000_000,
          currency: 'INR',
          invested: 102_412_723_360,
        }),
      lastHeader: 'unrealised P&L',
    },
    orders: { render: (out) => renderOrders(out, listOrders(store, { childrenOnly: true })), lastHeader: 'broker id' },
    fills: { render: (out) => renderFills(out, listFills(store)), lastHeader: 'trade id' },
  };

  for (const [name, view] of Object.entries(views)) {
    it(`${name}: no line over 80 columns on an 80-column terminal; --wide and a pipe show every column in full`, () => {
      const narrow = screen(80);
      view.render(narrow.out);
      const over = narrow.lines().filter((l) => [...l].length > 80);
      expect(over).toEqual([]);

      const piped = screen(undefined);
      view.render(piped.out);
      expect(piped.lines().some((l) => l.trimEnd().endsWith(view.lastHeader))).toBe(true);
      expect(piped.lines().join('\n')).not.toContain('…');
      expect(piped.stderr()).not.toContain('hidden');

      const wide = screen(80, { wide: true });
      view.render(wide.out);
      expect(wide.lines()).toEqual(piped.lines());
      expect(wide.stderr()).not.toContain('hidden');

      const hidden = narrow.stderr().match(/(\d+) columns? hidden; --wide shows all/);
      const widest = Math.max(...piped.lines().map((l) => [...l].length));
      if (widest > 80) expect(hidden, 'a table cut to fit says so').not.toBeNull();
    });
  }

  it('settlement: one line per settlement date by default, every trade with --trades, ids in numeric order', () => {
    const days = screen(undefined);
    renderSettlement(days.out, settlementReport(queries, schedules), { trades: false });
    expect(days.lines()).toHaveLength(2);
    expect(days.lines()[0]).toMatch(/^settles\s+trades\s+pending\s+settled\s+failed\s+cash due\s+bought\s+sold/);
    expect(days.lines()[1]).toMatch(/^2025-01-08\s+20\s+19\s+0\s+1\s+INR -\d+\.\d\d\s+1500\s+0/);

    const trades = screen(undefined);
    renderSettlement(trades.out, settlementReport(queries, schedules), { trades: true });
    const ids = trades.lines().slice(1).map((l) => l.split(/\s+/)[0]);
    expect(ids.slice(0, 4)).toEqual(['P000000001-16', 'P000000001-150', 'P000000002-16', 'P000000002-150']);
    expect(ids).toHaveLength(20);
    expect(trades.lines()[1]).toContain("16 not moved: not in the broker's settled holdings after 2025-01-08");
  });
});
