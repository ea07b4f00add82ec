import type { RouteNote } from '../../domain/events/index.js';
import type { Plan } from '../../domain/plan.js';
import { planRebalance } from '../../engine/planner/plan-rebalance.js';
import { takeSnapshot } from '../../engine/planner/snapshot.js';
import type { RebalanceRequest } from '../../engine/rebalance/rebalance-request.js';
import type { RouteLegs, RoutingPolicy } from '../../engine/routing/types.js';
import type { Factory } from '../factory.js';
import { targetInputFrom, type RebalanceFlags } from '../rebalance-input.js';
import { tradingDateFor } from '../trading-date.js';
import type { AccountTargetText } from './account-target-file.js';
import { accountTarget, type AccountTarget } from './account-targets.js';
import { consolidatedSnapshot, type AccountState } from './consolidate.js';
import type { OpenAccount } from './open-account.js';
import { allocate, routableAccounts, routableLegs, sharesNote, type AccountForRouting, type Unrouted } from './route-input.js';

/** The router and the policy it routes by (config.json `routing`). */
export interface GroupRouting {
  routeLegs: RouteLegs;
  policy: RoutingPolicy;
}

/** One account's part of a group: the account and the request its own run plans. */
export interface AccountPart {
  open: OpenAccount;
  request: RebalanceRequest;
}

/** What a group target became: each account's part, the group's consolidated plan (routed targets) and what no account took. */
export interface GroupParts {
  parts: AccountPart[];
  consolidated?: Plan;
  unrouted: Unrouted[];
}

export interface GroupInput {
  groupId: string;
  text: string;
  source: string;
  flags: RebalanceFlags;
}

/**
 * A consolidated target: every account's snapshot, the group as one account, the target's
 * weights applied to the group's value (the planner's deltas are the group's), then each leg
 * routed: sells to accounts that hold the shares, buys within each account's cash after its
 * sells, each leg's parts toward the accounts' `share` of the line. Each account with routed
 * legs gets a run of them.
 */
export async function consolidatedParts(f: Factory, input: GroupInput, accounts: readonly OpenAccount[], routing: GroupRouting): Promise<GroupParts> {
  const first = accounts[0]!;
  const groupInput = await targetInputFrom(f, input, await flagsFor(f, first, input.flags));
  // One account after another: accounts of one simulated market share its clock, which drives one thing at a time.
  const states: AccountState[] = [];
  for (const a of accounts) states.push({ alias: a.definition.alias, snapshot: await a.driven.drive(takeSnapshot(a.broker, groupInput.target, a.driven.clock)) });
  const consolidated = consolidatedSnapshot(states);
  const plan = planRebalance(groupInput.target, consolidated, groupInput.planOptions);
  const forRouting = await Promise.all(accounts.map((a, i) => accountForRouting(f, a, states[i]!, input.flags.risk)));
  const routable = routableAccounts(forRouting);
  const decisions = routing.routeLegs(routableLegs(plan.legs, consolidated, { household: true }), routable, routing.policy);
  const note = sharesNote(routable);
  if (note !== undefined && plan.legs.length > 0) plan.notes.push(note);
  const { allocations, unrouted } = allocate(plan.legs, decisions);
  const parts: AccountPart[] = [];
  for (const [i, a] of accounts.entries()) {
    const mine = allocations.filter((x) => x.alias === a.definition.alias);
    if (!mine.length) continue;
    const target = accountTarget(groupInput.target, states[i]!.snapshot, mine, input.groupId);
    const routes: RouteNote[] = mine.map((m) => ({ symbol: m.symbol, exchange: m.exchange, side: m.side, quantity: m.quantity, why: m.why }));
    parts.push({ open: a, request: await accountRequest(f, a, input, { target, routes }) });
  }
  return { parts, consolidated: plan, unrouted };
}

/** A per-account target file: each account's lines are its own target, planned on that account alone. */
export async function perAccountParts(f: Factory, input: GroupInput, accounts: readonly OpenAccount[], split: readonly AccountTargetText[]): Promise<GroupParts> {
  const parts: AccountPart[] = [];
  for (const a of accounts) {
    const own = split.find((s) => s.alias === a.definition.alias);
    if (own) parts.push({ open: a, request: await accountRequest(f, a, { ...input, text: own.text, source: own.source }, { routes: [] }) });
  }
  return { parts, unrouted: [] };
}

/**
 * The request one account's run plans: the flags checked against that account's broker (its
 * charges, its order types), the group id and routing recorded with the run. A routed target
 * lists exactly the routed symbols, so the group's bands, cash buffer and minimum trade value
 * (applied to the group's plan) are not applied again.
 */
export async function accountRequest(f: Factory, a: OpenAccount, input: GroupInput, part: { target?: AccountTarget; routes: RouteNote[]; failoverOf?: string }): Promise<RebalanceRequest> {
  const { flags } = input;
  const own = await targetInputFrom(f, input, { ...(await flagsFor(f, a, flags)), ...(part.target ? { 'liquidate-unlisted': false } : {}) });
  const [{ costHooks }, { loadCostModel }, { userVolumeProfiles }] = await Promise.all([import('../../engine/estimate/plan-hooks.js'), import('../loaders/cost-model.js'), import('../loaders/volume-profile-file.js')]);
  const estimates = costHooks(loadCostModel(f.env).model, () => a.driven.clock.now(), a.broker.capabilities.simulatedMarket, await userVolumeProfiles(f));
  const routed = part.target
    ? { defaultExecution: own.planOptions.defaultExecution, estimateCharges: own.planOptions.estimateCharges, marketBuyHeadroomPct: own.planOptions.marketBuyHeadroomPct }
    : own.planOptions;
  const currency = (await a.driven.drive(a.broker.funds())).currency;
  return {
    target: part.target?.target ?? own.target,
    targetText: part.target?.text ?? own.text,
    source: own.source,
    tradingDate: tradingDateFor(currency, f.wallNow()),
    dryRun: flags['dry-run'] ?? false,
    newRun: flags['new-run'],
    allowPartial: flags['allow-partial'],
    allowDuplicate: flags['allow-duplicate'],
    planOptions: { ...routed, ...estimates },
    options: { ...own.options, account_alias: a.definition.alias },
    group: { id: input.groupId, routes: part.routes, ...(part.failoverOf ? { failoverOf: part.failoverOf } : {}) },
  };
}

/** The group's flags as one account's run takes them: its broker, and a simulated market's speed and seed only where there is one. */
async function flagsFor(f: Factory, a: OpenAccount, flags: RebalanceFlags): Promise<RebalanceFlags> {
  const simulated = (await f.brokerTraits(a.definition.broker)).acceptsSpeed;
  return { ...flags, broker: a.definition.broker, 'run-id': undefined, ...(simulated ? {} : { speed: undefined, seed: undefined }) };
}

export async function accountForRouting(f: Factory, a: OpenAccount, state: AccountState, riskFile: string | undefined): Promise<AccountForRouting> {
  const [postTrade, risk] = await Promise.all([f.postTrade(a.definition.broker), f.risk(riskFile)]);
  const perDay = a.broker.capabilities.orderRate.perDay;
  const tradingDate = tradingDateFor(state.snapshot.funds.currency, f.wallNow());
  const sent = perDay === undefined ? 0 : (risk.history?.ordersSentOn?.({ broker: a.broker.id, account: a.broker.account, tradingDate }) ?? 0);
  return {
    definition: a.definition,
    snapshot: state.snapshot,
    capabilities: a.broker.capabilities,
    ordersLeftToday: perDay === undefined ? Infinity : Math.max(0, perDay - sent),
    estimateCharges: postTrade.estimateCharges,
  };
}
