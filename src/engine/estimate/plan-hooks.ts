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
export function costHooks(model: CostModel, now: () => number, simulatedMarket: boolean): Required<Pick<PlanOptions, 'chooseAlgorithm' | 'estimateCost'>> {
  return {
    chooseAlgorithm: (instrument, quote, quantity, params) => chooseAlgorithm(quantity, marketFactsOf(instrument, quote, now(), simulatedMarket), model, params),
    estimateCost: (leg, instrument, quote) => {
      if (leg.execution.orderType === 'stop' || leg.execution.orderType === 'stop_limit') return undefined;
      const facts = marketFactsOf(instrument, quote, now(), simulatedMarket);
      return estimateLegCost({ quantity: leg.quantity, decisionPrice: leg.decisionPrice, horizonMs: expectedHorizonMs(leg.execution, leg.quantity, facts), style: executionStyle(leg.execution) }, facts, model);
    },
  };
}
