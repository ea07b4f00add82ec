import * as Flags from '@oclif/core/flags';
import { previewAlgorithm } from '../../app/algo-preview-service.js';
import { algoPreviewJson, renderAlgoPreview } from '../../app/render/algo-preview-view.js';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { ALGORITHM_NAMES } from '../../engine/algos/names.js';
import { BaseCommand } from '../base-command.js';

export default class AlgoPreview extends BaseCommand {
  static override summary = 'The schedule an algorithm would follow, without trading.';

  static override description = `Prints, period by period, when each child would be sent, its quantity, the cumulative quantity and what remains, assuming every child fills in full. Nothing is sent and no broker or database is needed.

market and limit: one order for the whole quantity at the start; what is open after --duration (15m) is cancelled. twap: equal slices (floor(Q/n), the extra lots spread evenly). vwap: slices weighted by the intraday volume profile (the default U shape) over the exchange session. is: the Almgren–Chriss discrete optimal trajectory, with kappa, the expected cost E and the variance V; give --sigma --eta --gamma --epsilon --lambda to check it against the formulas, or --price --volatility --adv --spread to use the rule-of-thumb estimates. pov: the expected schedule when others trade --adv shares a day along the profile. iceberg: the sizes shown one refill after another.

--horizon for is is either a duration (30m, 2h; sigma, eta and gamma are then per trading day of the exchange) or a plain number in the time unit sigma, eta and gamma are expressed in (--horizon 5 --periods 5 = five periods of one unit each).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --algo twap --qty 1000 --slices 10 --duration 30m',
    '<%= config.bin %> <%= command.id %> --algo vwap --qty 5000 --slices 13 --duration 6h15m --start 09:15',
    '<%= config.bin %> <%= command.id %> --algo is --qty 1000000 --horizon 5 --periods 5 --sigma 0.95 --eta 2.5e-6 --gamma 2.5e-7 --epsilon 0.0625 --lambda 2e-6',
    '<%= config.bin %> <%= command.id %> --algo is --qty 20000 --horizon 1h --periods 12 --price 2500 --volatility 0.25 --adv 5000000 --spread 0.5 --lambda 1e-5 --json',
    '<%= config.bin %> <%= command.id %> --algo pov --qty 20000 --rate 0.1 --adv 5000000 --interval 5m --duration 1h --start 10:00',
    '<%= config.bin %> <%= command.id %> --algo iceberg --qty 1000 --display-qty 100 --randomize-pct 20 --seed 7',
  ];

  static override flags = {
    algo: Flags.string({ description: 'Algorithm to preview', options: [...ALGORITHM_NAMES], required: true }),
    qty: Flags.integer({ description: 'Parent quantity (shares)', required: true, min: 1 }),
    lot: Flags.integer({ description: 'Lot size: every child is a multiple of it', default: 1, min: 1 }),
    exchange: Flags.string({ description: 'Exchange whose session hours place the volume profile and define a trading day', options: [...EXCHANGES], default: 'NSE' }),
    start: Flags.string({ description: 'Start: now, HH:MM (exchange-local, today), "YYYY-MM-DD HH:MM" (exchange-local) or an ISO time with zone', default: 'now' }),
    slices: Flags.string({ description: 'twap/vwap: number of slices (default 10)' }),
    periods: Flags.string({ description: 'is: number of periods N (default 10)' }),
    duration: Flags.string({ description: 'Horizon as a duration, e.g. 30m, 1h, 2h30m (default 30m)' }),
    horizon: Flags.string({ description: 'Same as --duration; for is also a plain number T in the time unit of sigma/eta/gamma' }),
    sigma: Flags.string({ description: 'is: volatility, price per √(time unit)' }),
    eta: Flags.string({ description: 'is: temporary impact η, price per (share per time unit)' }),
    gamma: Flags.string({ description: 'is: permanent impact γ, price per share' }),
    epsilon: Flags.string({ description: 'is: fixed cost ε per share (half the spread plus fees)' }),
    lambda: Flags.string({ description: 'is: risk aversion λ per unit of currency (default 1e-6; 0 = straight line)' }),
    price: Flags.string({ description: 'is: price, to estimate sigma from --volatility' }),
    volatility: Flags.string({ description: 'is: annualised volatility as a fraction (0.25 = 25%), to estimate sigma' }),
    adv: Flags.string({ description: 'is/pov: average daily volume (shares), to estimate eta and gamma, or the POV market volume' }),
    spread: Flags.string({ description: 'is: bid-ask spread in price units, to estimate eta, gamma and epsilon' }),
    rate: Flags.string({ description: 'pov: participation rate, a fraction between 0 and 1' }),
    interval: Flags.string({ description: 'pov: how often to trade, e.g. 1m (default 1m)' }),
    'min-child': Flags.string({ description: 'pov: smallest child (shares)' }),
    'max-child': Flags.string({ description: 'pov: largest child (shares)' }),
    'display-qty': Flags.string({ description: 'iceberg: quantity shown at a time' }),
    'randomize-pct': Flags.string({ description: 'iceberg: ± percentage by which the shown size varies (default 0)' }),
    seed: Flags.string({ description: 'iceberg: seed of the randomisation (default 0)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AlgoPreview);
    const result = previewAlgorithm(this.factory, flags);
    for (const warning of result.warnings) this.out.warn(warning);
    if (this.jsonEnabled()) return algoPreviewJson(result);
    renderAlgoPreview(this.out, result, flags.exchange as Exchange);
    return undefined;
  }
}
