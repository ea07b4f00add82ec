import type { Instrument, Quote } from '../../domain/instrument.js';
import { profileFromBins } from '../../market/volume-profile.js';
import type { PlanOptions } from '../planner/plan-rebalance.js';
import { chooseAlgorithm } from './auto-choice.js';
import type { CostModel } from './cost-model.js';
import { executionStyle } from './execution-style.js';
import { expectedHorizonMs } from './horizon.js';
import { estimateLegCost } from './leg-estimate.js';
import { marketFactsOf } from './market-facts.js';

/**
 * What the planner asks of the cost model: `--algo auto`'s choice per leg and each planned leg's
 * estimate, from the facts of the instrument at `now` (the clock the run trades on). Stop and
 * stop-limit legs wait for their trigger and get no estimate.
 */
export function costHooks(model: CostModel, now: () => number, simulatedMarket: boolean, profiles?: ReadonlyMap<string, readonly number[]>): Required<Pick<PlanOptions, 'chooseAlgorithm' | 'estimateCost'>> {
  // A user's volume profile for the exchange is what VWAP follows, so the horizon's volume is read along it too.
  const curves = new Map([...(profiles ?? [])].flatMap(([exchange, bins]) => {
    const curve = profileFromBins(bins);
    return curve ? [[exchange, curve] as const] : [];
  }));
  const factsOf = (instrument: Instrument, quote: Quote) => marketFactsOf(instrument, quote, now(), simulatedMarket, curves.get(instrument.exchange));
  return {
    chooseAlgorithm: (instrument, quote, quantity, params) => chooseAlgorithm(quantity, factsOf(instrument, quote), model, params),
    estimateCost: (leg, instrument, quote) => {
      if (leg.execution.orderType === 'stop' || leg.execution.orderType === 'stop_limit') return undefined;
      const facts = factsOf(instrument, quote);
      return estimateLegCost({ quantity: leg.quantity, decisionPrice: leg.decisionPrice, horizonMs: expectedHorizonMs(leg.execution, leg.quantity, facts), style: executionStyle(leg.execution) }, facts, model);
    },
  };
}
