import * as Flags from '@oclif/core/flags';
import { tradeCharges } from '../app/charges-service.js';
import { renderTradeCharges, tradeChargesJson } from '../app/render/charges-view.js';
import { EXCHANGES, type Exchange } from '../domain/instrument.js';
import { BaseCommand } from './base-command.js';

export default class Charges extends BaseCommand {
  static override summary = 'Charge calculator for one trade, component by component.';
  static override description = `Computes each charge of one trade as the broker's schedule says, in exact minor units with each component's rounding rule, as if the trade were alone on its contract note. Schedules are data (data/charges/schedules.json), overridden by the \"charges\" section of config.json or --schedule. Figures the schedule marks as uncertain are flagged. Without --broker, the schedule of default_broker in config.json, else paper (like Zerodha in India, Alpaca in the US).`;
  static override examples = [
    '<%= config.bin %> charges --side buy --qty 100 --price 2500.50',
    '<%= config.bin %> charges -b zerodha --side sell --qty 100 --price 2500.50 --exchange BSE',
    '<%= config.bin %> charges -b alpaca --side sell --qty 300 --price 187.25 --json',
  ];
  static override flags = {
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'whose charge schedule (default: default_broker in config, else paper)' }),
    side: Flags.string({ description: 'buy or sell', options: ['buy', 'sell'], required: true }),
    qty: Flags.integer({ description: 'quantity (shares)', required: true, min: 1 }),
    price: Flags.string({ description: 'price per share, e.g. 2500.50', required: true }),
    exchange: Flags.string({ description: 'exchange (default: NSE for Indian brokers, NASDAQ for US ones)', options: [...EXCHANGES] }),
    schedule: Flags.string({ description: 'a charge schedule file merged over the shipped one', helpValue: 'FILE' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Charges);
    const charges = await tradeCharges(this.factory, { ...flags, side: flags.side as 'buy' | 'sell', exchange: flags.exchange as Exchange | undefined });
    if (!this.jsonEnabled()) renderTradeCharges(this.out, charges);
    return tradeChargesJson(charges);
  }
}
