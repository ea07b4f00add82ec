import * as Flags from '@oclif/core/flags';
import { money, price } from '../app/render/json-contract.js';
import { EXCHANGES, type Exchange } from '../domain/instrument.js';
import { formatMinor, toMinor } from '../domain/money.js';
import { chargesForTrade } from '../engine/charges/contract-note.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
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
    const decimal = Number(flags.price);
    if (!/^\d+(\.\d+)?$/.test(flags.price) || !(decimal > 0)) throw new InvalidInputError(`--price ${flags.price}: expected a positive decimal such as 2500.50`);
    const priceMinor = toMinor(decimal);
    if (Math.abs(priceMinor / 100 - decimal) > 1e-9) throw new InvalidInputError(`--price ${flags.price}: more than two decimal places`);
    const schedules = await this.factory.chargeSchedules(flags.schedule);
    // Any broker with a charge schedule, traded through ptexec or not.
    const broker = await this.factory.brokerName(flags.broker);
    if (!schedules.has(broker)) throw new InvalidInputError(`no charge schedule for "${broker}"`, `available: ${schedules.ids().join(', ')}`);
    const exchange = (flags.exchange ?? (schedules.forMarket(broker, 'NSE') ? 'NSE' : 'NASDAQ')) as Exchange;
    const market = schedules.forMarket(broker, exchange);
    if (!market) throw new InvalidInputError(`the "${broker}" schedule has no charges for ${exchange}`);
    const side = flags.side as 'buy' | 'sell';
    const result = chargesForTrade(schedules, broker, { exchange, symbol: 'TRADE', side, quantity: flags.qty, price: priceMinor });
    const value = flags.qty * priceMinor;
    const components = result.components.filter((c) => c.amount !== 0 || market.components.some((m) => m.id === c.id && m.sides.has(side)));
    if (!this.jsonEnabled()) {
      const cur = market.currency === 'INR' ? '₹' : '$';
      this.out.paragraph(`${market.scheduleName} — ${side} ${flags.qty} @ ${cur}${formatMinor(priceMinor)} on ${exchange} (value ${cur}${formatMinor(value)})`);
      this.out.table(
        [{ header: 'charge', truncate: true, minWidth: 20 }, { header: 'amount', align: 'right' }],
        [
          ...components.map((c) => [`${c.label}${c.uncertain ? ' (uncertain)' : ''}`, formatMinor(c.amount)]),
          [this.out.c.bold('Total'), this.out.c.bold(formatMinor(result.total))],
        ],
      );
      this.out.data(`${((result.total / value) * 10_000).toFixed(2)} bps of the trade value; net ${side === 'buy' ? 'cost' : 'proceeds'} ${cur}${formatMinor(side === 'buy' ? value + result.total : value - result.total)}`);
      if (components.some((c) => c.uncertain)) this.out.warn('figures marked uncertain could not be confirmed from the broker\'s published schedule; check them');
    }
    const c = market.currency;
    return {
      broker,
      schedule: market.scheduleName,
      exchange,
      currency: c,
      side,
      quantity: flags.qty,
      price: price(priceMinor, c),
      ...money('value', value, c),
      components: components.map((k) => ({ id: k.id, label: k.label, ...money('amount', k.amount, c), uncertain: k.uncertain })),
      ...money('total', result.total, c),
      total_bps: Number(((result.total / value) * 10_000).toFixed(4)),
      ...money('net', side === 'buy' ? value + result.total : value - result.total, c),
    };
  }
}
