import * as Flags from '@oclif/core/flags';
import { resetPaperAccount, type PaperHoldingSeed } from '../../brokers/paper/index.js';
import { confirmDestructive } from '../../app/confirm.js';
import { paperSummaryJson, renderPaperSummary } from '../../app/render/paper-summary.js';
import { toMinor } from '../../domain/money.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { BaseCommand } from '../base-command.js';

export default class PaperReset extends BaseCommand {
  static override summary = 'Start the paper account again: cash, optional holdings, no orders.';
  static override description = 'Clears the paper account\'s orders, trades and holdings. Market prices are kept unless --reseed gives the simulated market a new seed.';
  static override examples = [
    '<%= config.bin %> paper reset',
    '<%= config.bin %> paper reset --cash 5000000 --holding RELIANCE=100 --holding TCS=40',
    '<%= config.bin %> paper reset --currency USD --cash 100000 --reseed 7 --yes',
  ];
  static override flags = {
    cash: Flags.string({ description: 'starting cash in the account currency (default 10000000 INR or 100000 USD)' }),
    currency: Flags.string({ description: 'account currency', options: ['INR', 'USD'], default: 'INR' }),
    holding: Flags.string({ description: 'a settled holding SYMBOL=QUANTITY, optionally @AVGCOST (repeatable)', multiple: true }),
    reseed: Flags.integer({ description: 'restart the simulated market with this seed', helpValue: 'SEED' }),
    yes: Flags.boolean({ char: 'y', description: 'reset without asking' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(PaperReset);
    let cash: number | undefined;
    if (flags.cash !== undefined) {
      const n = Number(flags.cash);
      if (!Number.isFinite(n) || n < 0 || n > 1e13) throw new InvalidInputError(`--cash ${flags.cash} is not a valid amount`, 'give a non-negative number, e.g. --cash 10000000');
      cash = toMinor(n);
    }
    const holdings = (flags.holding ?? []).map(parseHolding);
    const go = await confirmDestructive({
      question: 'Reset the paper account? Its orders, trades and holdings are discarded.',
      yes: flags.yes,
      // Paper money is simulated: scripts and tests reset it without a terminal.
      withoutTerminal: 'proceed',
      unattended: 'resetting the paper account (simulated money)',
      io: this.out,
    });
    if (!go) {
      this.out.info('the paper account was not reset');
      return { reset: false };
    }
    const summary = resetPaperAccount(this.store().brokerTables('paper'), { cash, currency: flags.currency as 'INR' | 'USD', holdings, reseedMarket: flags.reseed });
    if (!this.jsonEnabled()) renderPaperSummary(this.out, summary);
    return paperSummaryJson(summary);
  }
}

function parseHolding(text: string): PaperHoldingSeed {
  const m = /^([A-Za-z0-9&._-]+)(?::([A-Za-z]+))?=(\d+)(?:@(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) throw new InvalidInputError(`--holding ${text} is not SYMBOL=QUANTITY`, 'write it like --holding RELIANCE=100 or --holding TCS=40@3100.50');
  const [, symbol, exchange, qty, avg] = m;
  return {
    symbol: symbol!.toUpperCase(),
    exchange: exchange ? (exchange.toUpperCase() as PaperHoldingSeed['exchange']) : undefined,
    quantity: Number(qty),
    averagePrice: avg === undefined ? undefined : toMinor(Number(avg)),
  };
}
