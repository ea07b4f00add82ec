import { formatMinor } from '../../domain/money.js';
import type { SettlementReport } from '../../engine/settlement/settlement-report.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { money } from './json-contract.js';

const DAY_COLUMNS: Column[] = [
  { header: 'settles' },
  { header: 'trades', align: 'right' },
  { header: 'pending', align: 'right' },
  { header: 'settled', align: 'right' },
  { header: 'failed', align: 'right' },
  { header: 'cash due', align: 'right' },
  { header: 'bought', align: 'right', priority: 2 },
  { header: 'sold', align: 'right', priority: 1 },
];

const TRADE_COLUMNS: Column[] = [
  { header: 'trade' },
  { header: 'symbol' },
  { header: 'side' },
  { header: 'traded', priority: 1 },
  { header: 'settles', priority: 4 },
  { header: 'status' },
  { header: 'shares', align: 'right' },
  { header: 'cash', align: 'right' },
  { header: 'charges', align: 'right', priority: 2 },
  { header: 'note', truncate: true, minWidth: 12, priority: 3 },
];

/**
 * One line per settlement date (cash due net of charges, shares bought and sold, trades by
 * status), or with `trades` every trade, by settlement date then trade id.
 */
export function renderSettlement(out: Output, report: SettlementReport, options: { trades: boolean }): void {
  if (report.trades.length === 0) {
    out.info('no matching settlements');
    return;
  }
  if (!options.trades) {
    out.table(
      DAY_COLUMNS,
      report.days.map((d) => [
        d.settleDate,
        d.trades,
        d.pending,
        d.settled,
        d.failed ? out.c.red(String(d.failed)) : 0,
        d.cash.map((c) => `${c.currency} ${formatMinor(c.amount)}`).join(', '),
        d.bought,
        d.sold,
      ]),
    );
    return;
  }
  // Only failed settlements have a note: without one the column would be empty.
  const notes = report.trades.some((t) => t.status === 'failed');
  out.table(
    notes ? TRADE_COLUMNS : TRADE_COLUMNS.slice(0, -1),
    report.trades.map((t) => [
      t.tradeId,
      t.symbol,
      t.side,
      t.tradeDate,
      t.settleDate,
      t.status === 'failed' ? out.c.red(t.status) : t.status === 'settled' ? out.c.green(t.status) : t.status,
      t.quantity,
      formatMinor(t.cash),
      formatMinor(t.charges),
      t.status === 'failed' ? `${t.difference ?? ''} not moved: ${t.reason ?? ''}` : '',
    ]),
  );
}

/** `settlement --json` (README "Output contract"): every amount with its `*_minor` twin. */
export function settlementJson(report: SettlementReport) {
  return {
    days: report.days.map((d) => ({
      settle_date: d.settleDate,
      trades: d.trades,
      pending: d.pending,
      settled: d.settled,
      failed: d.failed,
      cash: d.cash.map((c) => ({ currency: c.currency, ...money('amount', c.amount, c.currency) })),
      quantities: d.quantities,
    })),
    trades: report.trades.map((t) => ({
      broker: t.broker,
      trade_id: t.tradeId,
      run_id: t.runId,
      account: t.account,
      exchange: t.exchange,
      symbol: t.symbol,
      side: t.side,
      trade_date: t.tradeDate,
      settle_date: t.settleDate,
      status: t.status,
      quantity: t.quantity,
      ...money('cash', t.cash, t.currency),
      ...money('charges', t.charges, t.currency),
      currency: t.currency,
      difference: t.difference,
      reason: t.reason,
    })),
  };
}
