import { formatMinor } from '../../domain/money.js';
import type { PnlReport } from '../../engine/ledger/pnl-report.js';
import type { Output } from '../../lib/output.js';
import { averagePrice, money } from './json-contract.js';

function signed(out: Output, minor: number | null): string {
  if (minor === null) return '—';
  const text = formatMinor(minor);
  return minor > 0 ? out.c.green(text) : minor < 0 ? out.c.red(text) : text;
}

/** `ptexec pnl`: one line per position, then the totals per currency. */
export function renderPnl(out: Output, report: PnlReport): void {
  if (report.positions.length === 0) {
    out.info('no trades in the ledger');
    return;
  }
  out.table(
    [
      { header: 'account', priority: 1 },
      { header: 'symbol' },
      { header: 'qty', align: 'right' },
      { header: 'avg cost', align: 'right', priority: 3 },
      { header: 'mark', align: 'right', priority: 4 },
      { header: 'market value', align: 'right', priority: 2 },
      { header: 'unrealised', align: 'right' },
      { header: 'realised', align: 'right' },
      { header: 'charges', align: 'right', priority: 5 },
    ],
    report.positions.map((p) => [
      `${p.broker}/${p.account}`,
      p.symbol,
      p.quantity,
      p.averageCost === null ? '—' : formatMinor(Math.round(p.averageCost)),
      p.mark === null ? '—' : formatMinor(Math.round(p.mark)),
      p.marketValue === null ? '—' : formatMinor(p.marketValue),
      signed(out, p.unrealised),
      signed(out, p.realised),
      formatMinor(p.charges),
    ]),
  );
  for (const t of report.totals) {
    out.paragraph(`${out.c.bold(`Total ${t.currency}:`)} realised ${signed(out, t.realised)}, unrealised ${signed(out, t.unrealised)}, P&L ${signed(out, t.total)} (charges paid ${formatMinor(t.charges)}, included)`);
  }
  for (const n of report.notes) out.info(`note: ${n}`);
}

/** `pnl --json` (README "Output contract"): every amount with its `*_minor` twin. */
export function pnlJson(report: PnlReport) {
  return {
    positions: report.positions.map((p) => ({
      broker: p.broker,
      account: p.account,
      exchange: p.exchange,
      symbol: p.symbol,
      currency: p.currency,
      quantity: p.quantity,
      average_cost: averagePrice(p.averageCost, p.currency),
      ...money('cost', p.cost, p.currency),
      mark: averagePrice(p.mark, p.currency),
      mark_source: p.markSource,
      ...money('market_value', p.marketValue, p.currency),
      ...money('unrealised', p.unrealised, p.currency),
      ...money('realised', p.realised, p.currency),
      ...money('charges', p.charges, p.currency),
    })),
    totals: report.totals.map((t) => ({
      currency: t.currency,
      ...money('realised', t.realised, t.currency),
      ...money('unrealised', t.unrealised, t.currency),
      ...money('charges', t.charges, t.currency),
      ...money('total', t.total, t.currency),
    })),
    notes: report.notes,
  };
}
