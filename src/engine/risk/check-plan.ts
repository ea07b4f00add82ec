import { instrumentKey, type Instrument, type InstrumentKey } from '../../domain/instrument.js';
import { formatMoney, toMinor } from '../../domain/money.js';
import { ownedInstruments, type OwnedInstrument } from '../../domain/ownership.js';
import type { AccountSnapshot, Leg, Plan } from '../../domain/plan.js';
import type { RiskConfig } from './config.js';
import { checkCalendarCoverage, checkLiquidity, checkLists, checkOrderSize, checkPriceBand, checkSession, checkTickAndLot, compileLists, sessionApplies } from './rules.js';
import { repeatedTarget, workingDuplicates } from './duplicates.js';
import { verdictOf, type LegRiskResult, type OrderHistory, type PlanRiskResult, type RiskReason } from './types.js';
import { applyDailyOrderLimit, type DailyOrders } from './daily-orders.js';

export interface PlanRiskContext {
  config: RiskConfig;
  /** Clock time of the check (the trading session). */
  now: number;
  /** Wall-clock time of the check, which the duplicate window is measured in; default `now`. */
  wallNow?: number;
  /** The run being checked; its own earlier orders never count as duplicates or as working sells. */
  runId?: string;
  /** Earlier and working orders of the account; without it the duplicate rule is skipped. */
  history?: OrderHistory;
  /** What the run is for (its target content and trading day); without it the duplicate rule is skipped. */
  intent?: { targetHash: string; tradingDate: string };
  /** `--allow-duplicate`: a duplicate is a warning, not a block. */
  allowDuplicate?: boolean;
  /** The broker's limit of orders a day and what the account sent today; without it no daily limit applies. */
  dailyOrders?: DailyOrders;
}

/**
 * Checks every leg of a plan against the configured limits. Per-leg rules come first; then the
 * run-wide limits (order count, turnover) are applied in plan order to the legs still standing,
 * then group weights and buying power to the buys among them. Each later stage only blocks
 * more legs, which can only lower what the earlier stages measured, so every leg that passes
 * satisfies every limit together with all the other passing legs.
 */
export function checkPlan(plan: Plan, snapshot: AccountSnapshot, ctx: PlanRiskContext): PlanRiskResult {
  const { config } = ctx;
  const currency = plan.currency;
  const lists = compileLists(config.lists);
  const accountValue = plan.accountValue;
  const run: RiskReason[] = [];

  const owned = ownedInstruments(snapshot);
  const selling = workingSells(ctx, snapshot);
  const duplicateCtx = { ...ctx, wallNow: ctx.wallNow ?? ctx.now };
  const stillWorking = workingDuplicates(snapshot, duplicateCtx);
  const sameTarget = repeatedTarget(plan, snapshot, duplicateCtx);
  if (sameTarget) run.push(sameTarget);

  // The session is the same for every leg of an exchange at one instant.
  const sessionReasons = new Map<string, RiskReason[]>();
  const results: LegRiskResult[] = [];
  const reasons: RiskReason[][] = [];
  const keys: InstrumentKey[] = [];
  for (const leg of plan.legs) {
    const out: RiskReason[] = [];
    reasons.push(out);
    const key = instrumentKey(leg.exchange, leg.symbol);
    keys.push(key);
    checkLists(out, lists, leg.exchange, leg.symbol);
    checkOrderSize(out, 'order', config.order, leg.quantity, leg.estimatedValue, currency);
    checkMarket(out, leg, key, snapshot, config, currency);
    let session = sessionReasons.get(leg.exchange);
    if (!session) {
      session = [];
      checkSession(session, config.session, snapshot.simulatedMarket, leg.exchange, ctx.now, 'warn');
      if (sessionApplies(config.session, snapshot.simulatedMarket)) checkCalendarCoverage(session, leg.exchange, ctx.now);
      sessionReasons.set(leg.exchange, session);
    }
    for (const r of session) out.push(r);
    if (leg.side === 'sell' && !config.short_selling.allow) checkShortSell(out, leg, key, owned, selling);
    const working = stillWorking(leg);
    if (working) out.push(working);
    if (leg.side === 'buy') checkPositionWeight(out, leg, key, config, accountValue);
    results.push({ leg: leg.index, symbol: leg.symbol, exchange: leg.exchange, side: leg.side, verdict: 'pass', reasons: out });
  }

  const standing = (i: number) => verdictOf(reasons[i]!) !== 'block';
  applyRunLimits(plan, ctx, reasons, standing, run, accountValue);
  if (ctx.dailyOrders) applyDailyOrderLimit(plan, ctx.dailyOrders, reasons, standing, run, (indices) => legList(plan, indices));
  applyGroupLimits(plan, keys, snapshot, ctx, reasons, standing, run, accountValue);
  applyBuyingPower(plan, snapshot, ctx, reasons, standing, run, accountValue);

  const counts = { pass: 0, warn: 0, block: 0 };
  for (let i = 0; i < results.length; i++) {
    const verdict = verdictOf(reasons[i]!);
    results[i]!.verdict = verdict;
    counts[verdict]++;
  }
  const runVerdict = verdictOf(run);
  const verdict = counts.block > 0 || runVerdict === 'block' ? 'block' : counts.warn > 0 || runVerdict === 'warn' ? 'warn' : 'pass';
  return { verdict, legs: results, run, counts };
}

/** The rules that need the leg's instrument and quote: tick and lot, price band, liquidity. */
function checkMarket(out: RiskReason[], leg: Leg, key: InstrumentKey, snapshot: AccountSnapshot, config: RiskConfig, currency: Plan['currency']): void {
  const instrument = snapshot.instruments.get(key);
  const quote = snapshot.quotes.get(key);
  if (!instrument || !quote) {
    out.push({ rule: 'no_quote', level: 'block', message: `no ${instrument ? 'quote' : 'instrument'} for ${key} in the account snapshot` });
    return;
  }
  checkTickAndLot(out, leg.quantity, instrument.lotSize, instrument.tickSize, leg.limitPrice ?? leg.execution.limitPrice);
  const reference = quote.last > 0 ? quote.last : (quote.bid + quote.ask) / 2;
  const limit = leg.limitPrice ?? leg.execution.limitPrice;
  checkPriceBand(out, config.price_band, leg.side, limit ?? leg.estimatedPrice, reference, limit !== undefined ? 'limit price' : 'expected price', currency);
  checkLiquidity(out, config.liquidity, leg.quantity, instrument.adv);
}

/**
 * A sell may only sell what is owned and not already being sold (by other runs' working sells
 * and by this plan's earlier sell legs of the same instrument, which `selling` accumulates).
 */
function checkShortSell(out: RiskReason[], leg: Leg, key: InstrumentKey, owned: ReadonlyMap<InstrumentKey, OwnedInstrument>, selling: Map<string, number>): void {
  const available = (owned.get(key)?.quantity ?? 0) - (selling.get(key) ?? 0);
  if (leg.quantity > available) {
    out.push({
      rule: 'short_sell',
      level: 'block',
      message: `selling ${leg.quantity} but only ${Math.max(0, available)} owned and not already being sold (settled + T+1${tradedToday(owned.get(key))}${selling.get(key) ? `, ${selling.get(key)} in working sells` : ''}; risk.short_selling.allow)`,
    });
  } else {
    // A second sell leg of the same symbol may only sell what the first left.
    selling.set(key, (selling.get(key) ?? 0) + leg.quantity);
  }
}

/** A buy's post-trade weight in the account, against `risk.concentration.max_position_pct`. */
function checkPositionWeight(out: RiskReason[], leg: Leg, key: InstrumentKey, config: RiskConfig, accountValue: number): void {
  if (config.concentration.max_position_pct === null || accountValue <= 0) return;
  const post = leg.current + leg.quantity;
  const value = post * leg.estimatedPrice;
  if (value * 100 > config.concentration.max_position_pct * accountValue) {
    out.push({
      rule: 'position_weight',
      level: 'block',
      message: `post-trade weight of ${key} would be ${((value / accountValue) * 100).toFixed(2)}% (maximum ${config.concentration.max_position_pct}%, risk.concentration.max_position_pct)`,
    });
  }
}

/** Today's delivery trades counted in what is owned, for messages. */
function tradedToday(owned: OwnedInstrument | undefined): string {
  const today = owned?.today ?? 0;
  return today > 0 ? `, ${today} bought today` : today < 0 ? `, ${-today} sold today` : '';
}

/**
 * Quantities in sell orders of other runs that may still fill, per instrument. The sells of one
 * linked group (an OCO's two legs, a bracket's take-profit and stop-loss) count once: at most
 * one of them fills the shares they protect.
 */
function workingSells(ctx: PlanRiskContext, snapshot: AccountSnapshot): Map<string, number> {
  const selling = new Map<string, number>();
  if (!ctx.history || ctx.config.short_selling.allow) return selling;
  const groups = new Map<string, { key: string; open: number }>();
  for (const o of ctx.history.workingOrders({ broker: snapshot.broker, account: snapshot.account, excludeRunId: ctx.runId })) {
    if (o.side !== 'sell') continue;
    const key = instrumentKey(o.exchange, o.symbol);
    const open = Math.max(0, o.quantity - o.filledQuantity);
    if (o.linkGroup) {
      const group = groups.get(o.linkGroup);
      groups.set(o.linkGroup, { key, open: Math.max(open, group?.open ?? 0) });
      continue;
    }
    selling.set(key, (selling.get(key) ?? 0) + open);
  }
  for (const { key, open } of groups.values()) selling.set(key, (selling.get(key) ?? 0) + open);
  return selling;
}

function legList(plan: Plan, indices: number[]): string {
  const shown = indices.slice(0, 10).map((i) => plan.legs[i]!.index);
  return `${shown.join(', ')}${indices.length > 10 ? ` and ${indices.length - 10} more` : ''}`;
}

/** How a user lifts the run's order limit (a target larger than the default 500 legs hits it). */
function raiseMaxOrders(atLeast?: number): string {
  return `raise risk.run.max_orders${atLeast === undefined ? '' : ` to ${atLeast} or more`} (null: no limit) in the risk section of config.json or a --risk file`;
}

/** Maximum number of orders and gross turnover, in plan order (sells come first in a plan). */
function applyRunLimits(plan: Plan, ctx: PlanRiskContext, reasons: RiskReason[][], standing: (i: number) => boolean, run: RiskReason[], accountValue: number): void {
  const { run: limits } = ctx.config;
  const currency = plan.currency;
  const maxValue = limits.max_turnover_value !== null ? toMinor(limits.max_turnover_value) : Infinity;
  const maxPctValue = limits.max_turnover_pct !== null ? (limits.max_turnover_pct * accountValue) / 100 : Infinity;
  const turnoverCap = Math.min(maxValue, maxPctValue);
  let orders = 0;
  let turnover = 0;
  const overCount: number[] = [];
  const overTurnover: number[] = [];
  for (let i = 0; i < plan.legs.length; i++) {
    if (!standing(i)) continue;
    const leg = plan.legs[i]!;
    if (limits.max_orders !== null && orders + 1 > limits.max_orders) {
      reasons[i]!.push({ rule: 'run_orders', level: 'block', message: `the run already has ${limits.max_orders} orders; ${raiseMaxOrders()}` });
      overCount.push(i);
      continue;
    }
    if (turnover + leg.estimatedValue > turnoverCap) {
      reasons[i]!.push({
        rule: 'run_turnover',
        level: 'block',
        message: `gross turnover would reach ${formatMoney(turnover + leg.estimatedValue, currency)}, over the run maximum ${formatMoney(Math.floor(turnoverCap), currency)} (${maxValue <= maxPctValue ? 'risk.run.max_turnover_value' : `${limits.max_turnover_pct}% of account value, risk.run.max_turnover_pct`})`,
      });
      overTurnover.push(i);
      continue;
    }
    orders++;
    turnover += leg.estimatedValue;
  }
  if (overCount.length) {
    const wanted = orders + overCount.length;
    run.push({
      rule: 'run_orders',
      level: 'block',
      message: `${wanted} orders exceed the run maximum of ${limits.max_orders} (risk.run.max_orders); legs ${legList(plan, overCount)} blocked: ${raiseMaxOrders(wanted)}`,
    });
  }
  if (overTurnover.length) {
    run.push({ rule: 'run_turnover', level: 'block', message: `gross turnover over the run maximum of ${formatMoney(Math.floor(turnoverCap), currency)}; legs ${legList(plan, overTurnover)} blocked` });
  }
}

function groupOf(config: RiskConfig, instrument: Instrument | undefined, exchange: string, symbol: string): string | undefined {
  if (config.groups.size === 0) return instrument?.sector;
  const s = symbol.toUpperCase();
  return config.groups.get(`${exchange}:${s}`) ?? config.groups.get(s) ?? instrument?.sector;
}

/**
 * Post-trade group (sector) weights. The base is everything owned at its last price, less the
 * standing sells; buys are then admitted in plan order while the group stays within its limit.
 */
function applyGroupLimits(
  plan: Plan,
  keys: readonly InstrumentKey[],
  snapshot: AccountSnapshot,
  ctx: PlanRiskContext,
  reasons: RiskReason[][],
  standing: (i: number) => boolean,
  run: RiskReason[],
  accountValue: number,
): void {
  const { concentration } = ctx.config;
  const limitOf = (group: string): number | null => concentration.group_limits[group] ?? concentration.max_group_pct;
  if (concentration.max_group_pct === null && Object.keys(concentration.group_limits).length === 0) return;
  if (!(accountValue > 0)) return;

  const price = new Map<InstrumentKey, number>();
  for (let i = 0; i < plan.legs.length; i++) price.set(keys[i]!, plan.legs[i]!.estimatedPrice);
  const value = new Map<string, number>();
  for (const [key, o] of ownedInstruments(snapshot)) {
    const group = groupOf(ctx.config, snapshot.instruments.get(key), o.exchange, o.symbol);
    if (group === undefined || limitOf(group) === null) continue;
    const p = price.get(key) ?? snapshot.quotes.get(key)?.last ?? o.lastPrice ?? o.averagePrice;
    value.set(group, (value.get(group) ?? 0) + o.quantity * p);
  }
  const legGroup = plan.legs.map((leg, i) => groupOf(ctx.config, snapshot.instruments.get(keys[i]!), leg.exchange, leg.symbol));
  for (let i = 0; i < plan.legs.length; i++) {
    const leg = plan.legs[i]!;
    const group = legGroup[i];
    if (leg.side !== 'sell' || group === undefined || !standing(i) || limitOf(group) === null) continue;
    value.set(group, (value.get(group) ?? 0) - leg.quantity * leg.estimatedPrice);
  }
  const blockedGroups = new Set<string>();
  for (let i = 0; i < plan.legs.length; i++) {
    const leg = plan.legs[i]!;
    const group = legGroup[i];
    if (leg.side !== 'buy' || group === undefined || !standing(i)) continue;
    const limit = limitOf(group);
    if (limit === null) continue;
    const after = (value.get(group) ?? 0) + leg.estimatedValue;
    if (after * 100 > limit * accountValue) {
      reasons[i]!.push({
        rule: 'group_weight',
        level: 'block',
        message: `post-trade weight of group "${group}" would be ${((after / accountValue) * 100).toFixed(2)}% (maximum ${limit}%, risk.concentration.${concentration.group_limits[group] !== undefined ? `group_limits.${group}` : 'max_group_pct'})`,
      });
      blockedGroups.add(group);
      continue;
    }
    value.set(group, after);
  }
  for (const group of blockedGroups) run.push({ rule: 'group_weight', level: 'block', message: `group "${group}" would exceed its weight limit of ${limitOf(group)}%` });
}

/**
 * Buys need cash: the broker's available funds (cash or margin as the broker reports it), plus
 * the standing sells' proceeds when same-day credit is used, less estimated charges on the
 * run's turnover. Dipping into the buffer warns; going past the cash blocks the buy.
 */
function applyBuyingPower(
  plan: Plan,
  snapshot: AccountSnapshot,
  ctx: PlanRiskContext,
  reasons: RiskReason[][],
  standing: (i: number) => boolean,
  run: RiskReason[],
  accountValue: number,
): void {
  const bp = ctx.config.buying_power;
  const currency = plan.currency;
  let sells = 0;
  for (let i = 0; i < plan.legs.length; i++) if (plan.legs[i]!.side === 'sell' && standing(i)) sells += plan.legs[i]!.estimatedValue;
  const available = snapshot.funds.available + (bp.use_sell_proceeds ? sells : 0);
  const buffer = (bp.buffer_pct * accountValue) / 100;
  const charges = (turnover: number) => Math.ceil((turnover * bp.charges_bps) / 10_000);
  let buys = 0;
  const blocked: number[] = [];
  let warned = false;
  for (let i = 0; i < plan.legs.length; i++) {
    const leg = plan.legs[i]!;
    if (leg.side !== 'buy' || !standing(i)) continue;
    const need = buys + leg.estimatedValue + charges(sells + buys + leg.estimatedValue);
    if (need > available) {
      reasons[i]!.push({
        rule: 'buying_power',
        level: 'block',
        message: `buys would need ${formatMoney(need, currency)} with charges but ${formatMoney(available, currency)} is available${bp.use_sell_proceeds && sells ? ' including sell proceeds' : ''}`,
      });
      blocked.push(i);
      continue;
    }
    if (need + buffer > available) {
      reasons[i]!.push({ rule: 'buying_power', level: 'warn', message: `buys leave less than the ${bp.buffer_pct}% cash buffer (${formatMoney(Math.max(0, available - need), currency)} left, risk.buying_power.buffer_pct)` });
      warned = true;
    }
    buys += leg.estimatedValue;
  }
  if (blocked.length) run.push({ rule: 'buying_power', level: 'block', message: `not enough buying power for legs ${legList(plan, blocked)}` });
  else if (warned) run.push({ rule: 'buying_power', level: 'warn', message: 'the run uses part of the cash buffer' });
}

