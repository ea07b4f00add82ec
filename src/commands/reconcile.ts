import * as Flags from '@oclif/core/flags';
import { money } from '../app/render/json-contract.js';
import { reconcileWithBroker } from '../app/broker-account-service.js';
import { formatMinor } from '../domain/money.js';
import { ExitCode } from '../lib/exit-codes.js';
import { BaseCommand } from './base-command.js';

export default class Reconcile extends BaseCommand {
  static override summary = 'Compare our positions and cash with the broker\'s.';
  static override description = `ptexec's view is the last account snapshot (what the broker reported when a run started, or at the last --accept) plus every ptexec fill since. Each difference is printed with its likely cause: unsettled T+1, trades made outside ptexec, a corporate action (split, bonus), charges not yet debited, or cash moved outside ptexec. Exit 4 when anything differs; --accept records the broker's current state as the new baseline after reporting.`;
  static override examples = [
    '<%= config.bin %> reconcile',
    '<%= config.bin %> reconcile --json',
    '<%= config.bin %> reconcile --accept',
  ];
  static override flags = {
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'broker to compare with (default: default_broker, else paper)' }),
    accept: Flags.boolean({ description: 'after reporting, record the broker\'s current state as the new baseline' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Reconcile);
    const { id, account, baseline, result } = await reconcileWithBroker(this.factory, { broker: flags.broker, accept: flags.accept });
    if (!this.jsonEnabled()) {
      if (result.positions.length) {
        this.out.table(
          [{ header: 'symbol' }, { header: 'ptexec', align: 'right' }, { header: 'broker', align: 'right' }, { header: 'broker T1', align: 'right' }],
          result.positions.map((p) => [p.symbol, p.ours, p.broker, p.brokerT1]),
        );
      }
      this.out.data(`cash (${result.cash.currency}): ptexec ${formatMinor(result.cash.ours)}, broker ${formatMinor(result.cash.broker)}`);
      if (result.differences.length === 0) this.out.data(this.out.c.green(`${id}/${account}: everything matches`));
      else {
        this.out.data('');
        this.out.data(this.out.c.bold(`${result.differences.length} difference(s):`));
        for (const d of result.differences) {
          const what = d.kind === 'cash' ? `cash ${formatMinor(d.difference)}` : `${d.symbol} ${d.difference > 0 ? '+' : ''}${d.difference}${d.kind === 'unsettled_quantity' ? ' unsettled' : ''}`;
          this.out.paragraph(`${this.out.c.yellow(what)}  [${d.cause}] ${d.explanation}`);
        }
      }
      for (const n of result.notes) this.out.info(`note: ${n}`);
      if (flags.accept) this.out.info('recorded the broker\'s state as the new baseline');
    }
    if (result.differences.length > 0) process.exitCode = ExitCode.incomplete;
    return {
      broker: id,
      account: account,
      baseline: baseline ? { seq: baseline.seq, taken_at: new Date(baseline.ts).toISOString(), reason: baseline.reason } : null,
      positions: result.positions.map((p) => ({ symbol: p.symbol, exchange: p.exchange, ours: p.ours, broker: p.broker, broker_t1: p.brokerT1 })),
      cash: { currency: result.cash.currency, ...money('ours', result.cash.ours, result.cash.currency), ...money('broker', result.cash.broker, result.cash.currency) },
      differences: result.differences.map((d) => ({
        kind: d.kind,
        symbol: d.symbol,
        exchange: d.exchange,
        // Cash differences are amounts of money; the others are quantities of shares.
        ...(d.kind === 'cash'
          ? { ...money('ours', d.ours, result.cash.currency), ...money('broker', d.broker, result.cash.currency), ...money('difference', d.difference, result.cash.currency) }
          : { ours: d.ours, broker: d.broker, difference: d.difference }),
        cause: d.cause,
        explanation: d.explanation,
      })),
      matches: result.differences.length === 0,
      notes: result.notes,
    };
  }
}
