import type { ExecutionSpec } from '../../domain/plan.js';
import { formatDuration, MAX_DURATION_MS } from '../algos/duration.js';
import { algorithmParameters } from '../algos/index.js';
import type { CostModel } from './cost-model.js';
import { horizonForShare, MARKET_ORDER_HORIZON_MS } from './horizon.js';
import { executionStyle } from './execution-style.js';
import { estimateLegCost } from './leg-estimate.js';
import type { MarketFacts } from './market-facts.js';

/** The algorithm `--algo auto` chose for a leg, and why, in a phrase the plan shows. */
export interface AutoChoice {
  execution: ExecutionSpec;
  reason: string;
}

const MINUTE = 60_000;
/** One slice (or IS period) per five minutes of horizon, 4 to 60 of them. */
const SLICE_MS = 5 * MINUTE;
const TWAP_HORIZON_WITHOUT_ADV_MS = 30 * MINUTE;

const pct = (x: number) => `${x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)}%`;
const slicesFor = (ms: number) => Math.min(60, Math.max(4, Math.round(ms / SLICE_MS)));
const wholeMinutes = (ms: number, min: number) => Math.max(min, Math.ceil(ms / MINUTE) * MINUTE);

/**
 * `--algo auto`, one rule per leg (README "`--algo auto`"), first match wins:
 * 1. no ADV from the broker → TWAP over 30 minutes (or what is left of the session);
 * 2. at most `market_order_max_adv_pct` of ADV, a spread of at most
 *    `market_order_max_spread_bps`, and the market order's estimated cost (over a minute's
 *    volume) at most the schedule's of rule 3 plus half its standard deviation (price risk
 *    counted at half weight) → one market order;
 * 3. the horizon h in which the leg is `target_participation` of the expected volume (along
 *    the volume profile, at least `min_duration_minutes`) fits in the session left →
 *    IS over h when the volatility is at least `high_volatility` (front-loading cuts the price
 *    risk), VWAP over h when h is half a session or more (the volume curve matters), else TWAP;
 * 4. it does not fit → VWAP to the close when the leg is at most `max_participation` of the
 *    volume left, else POV at `max_participation` with a market clean-up, past the close.
 * The run's `--param` values apply where the chosen algorithm takes them.
 */
export function chooseAlgorithm(quantity: number, facts: MarketFacts, model: CostModel, given: ExecutionSpec['params'] = {}): AutoChoice {
  const a = model.auto;
  const minMs = a.min_duration_minutes * MINUTE;
  const left = Math.max(facts.sessionRemainingMs, minMs);
  const spreadBps = facts.spread !== undefined && facts.price > 0 ? (facts.spread / facts.price) * 10_000 : model.defaults.spread_bps;
  if (facts.adv === undefined) {
    const h = wholeMinutes(Math.min(TWAP_HORIZON_WITHOUT_ADV_MS, left), minMs);
    return choice('twap', { duration: formatDuration(h), slices: slicesFor(h) }, given, `no average daily volume from the broker: TWAP over ${formatDuration(h)}`);
  }
  const advPct = (quantity / facts.adv) * 100;
  const needed = horizonForShare(facts, quantity / a.target_participation / facts.adv, MAX_DURATION_MS);
  const h = wholeMinutes(needed, minMs);
  if (advPct <= a.market_order_max_adv_pct && spreadBps <= a.market_order_max_spread_bps) {
    const leg = { quantity, decisionPrice: facts.price };
    const now = estimateLegCost({ ...leg, horizonMs: MARKET_ORDER_HORIZON_MS }, facts, model);
    const scheduled = estimateLegCost({ ...leg, horizonMs: Math.min(h, left), style: executionStyle({ algo: 'twap', orderType: 'limit', params: given }) }, facts, model);
    if (now.costBps <= scheduled.costBps + scheduled.stdBps / 2) {
      return choice('market', {}, given, `${pct(advPct)} of ADV, spread ${spreadBps.toFixed(1)} bps: a market order (${now.costBps.toFixed(1)} bps) costs less than waiting`);
    }
  }
  const volatility = facts.volatility ?? model.defaults.volatility;
  // Below the shortest horizon the leg is less than the share aimed at: say what it is.
  const floored = needed < minMs;
  const share = floored ? quantity / facts.adv / horizonVolumeLeft(facts, h) : a.target_participation;
  const at = `${pct(advPct)} of ADV is ${pct(share * 100)} of the volume in ${formatDuration(h)}${floored ? ' (the shortest horizon)' : ''}`;
  if (h <= left) {
    const sliced = { duration: formatDuration(h), slices: slicesFor(h) };
    if (volatility >= a.high_volatility) return choice('is', sliced, given, `${at}; volatility ${pct(volatility * 100)} is high: IS front-loads to cut price risk`);
    if (h >= facts.sessionLengthMs / 2) return choice('vwap', sliced, given, `${at}: VWAP follows the volume curve over half a session or more`);
    return choice('twap', sliced, given, `${at}: TWAP`);
  }
  const leftShare = horizonVolumeLeft(facts, left);
  const needShare = quantity / facts.adv / leftShare;
  if (needShare <= a.max_participation) {
    const until = wholeMinutes(left, minMs);
    return choice('vwap', { duration: formatDuration(until), slices: slicesFor(until) }, given, `${at}, more than the ${formatDuration(Math.floor(left / MINUTE) * MINUTE)} left: VWAP to the close at ${pct(needShare * 100)} of its volume`);
  }
  const atMax = horizonForShare(facts, quantity / a.max_participation / facts.adv, MAX_DURATION_MS);
  return choice(
    'pov',
    { rate: a.max_participation, duration: formatDuration(wholeMinutes(atMax, minMs)), cleanup: 'market' },
    given,
    `${pct(advPct)} of ADV would be ${pct(needShare * 100)} of the volume left in the session: POV at ${pct(a.max_participation * 100)}, past the close`,
  );
}

function horizonVolumeLeft(facts: MarketFacts, left: number): number {
  return Math.max(1e-9, facts.volumeProfile(Math.min(1, facts.sessionPosition + left / facts.sessionLengthMs)) - facts.volumeProfile(facts.sessionPosition));
}

function choice(algo: string, chosen: ExecutionSpec['params'], given: ExecutionSpec['params'], reason: string): AutoChoice {
  const takes = new Set(algorithmParameters[algo]!.names);
  const kept = Object.fromEntries(Object.entries(given).filter(([k]) => takes.has(k) && !(k in chosen)));
  return { execution: { algo, orderType: algo === 'market' ? 'market' : 'limit', params: { ...kept, ...chosen } }, reason };
}
