import * as Flags from '@oclif/core/flags';
import { averagePrice, money } from '../app/render/json-contract.js';
import { formatMinor } from '../domain/money.js';
import { pnlReport } from '../engine/ledger/pnl-report.js';
import { dateFlag, runNamed } from '../app/named-inputs.js';
import type { Output } from '../lib/output.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import { BaseCommand } from './base-command.js';

export default class Pnl extends BaseCommand {
  static override summary = 'Realised and unrealised P&L (FIFO, charges included).';
  static override description = `Books every fill into first-in-first-out lots per account and symbol. Buy charges are part of a lot's cost, sell charges come off the proceeds. The book opens from the first account snapshot ptexec recorded (holdings at the broker's average price). Unrealised P&L marks open lots at the latest market sample, else the last fill price. --run and --since narrow what is reported (the realised P&L and charges of those trades and the positions they touched), never the matching.`;
  static override examples = [
    '<%= config.bin %> pnl',
    '<%= config.bin %> pnl --since 2026-01-01 --json',
  ];
  static override flags = {
    run: Flags.string({ description: 'only trades of this run' }),
    since: Flags.string({ description: 'only trades on or after this trading date (YYYY-MM-DD)' }),
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'only this broker' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Pnl);
    if (flags.since) dateFlag('since', flags.since);
    const runId = flags.run === undefined ? undefined : runNamed(this.store(), flags.run).run_id;
    const report = pnlReport(new PostTradeQueries(this.store()), await this.factory.chargeSchedules(), { runId, since: flags.since, broker: flags.broker });
    if (!this.jsonEnabled()) render(this.out, report);
    return pnlJson(report);
  }
}

function signed(out: Output, minor: number | null): string {
  if (minor === null) return '—';
  const text = formatMinor(minor);
  return minor > 0 ? out.c.green(text) : minor < 0 ? out.c.red(text) : text;
}

function render(out: Output, report: ReturnType<typeof pnlReport>): void {
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
function pnlJson(report: ReturnType<typeof pnlReport>) {
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
