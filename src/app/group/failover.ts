import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { NewEvent, RouteNote, RunFailover } from '../../domain/events/index.js';
import type { Leg } from '../../domain/plan.js';
import { takeSnapshot } from '../../engine/planner/snapshot.js';
import { legsAfterFailovers } from '../../engine/rebalance/failover-legs.js';
import { resolveByClientId } from '../../engine/runtime/unknown-outcome.js';
import type { Factory } from '../factory.js';
import { accountTarget, type AccountTarget } from './account-targets.js';
import { consolidatedSnapshot, type AccountState } from './consolidate.js';
import type { GroupRun, GroupRunEnd } from './group-execute.js';
import type { GroupRouting } from './group-parts.js';
import type { OpenAccount } from './open-account.js';
import { allocate, routableAccounts, routableLegs, type Allocation } from './route-input.js';
import { unsentOfRun, type LegUnsent } from './unsent.js';

/**
 * How long an account's broker may stay down in a group run with failover (its circuit breaker
 * open, and no answer this long after) before its run stops and what it has not sent moves:
 * config.json `failover.outage_seconds`. A run of its own waits for its broker instead.
 */
export const DEFAULT_OUTAGE_SECONDS = 60;

/** What a failover needs of the group: its accounts, the router, and how an account's request is made. */
export interface FailoverContext {
  groupId: string;
  accounts: readonly OpenAccount[];
  routing: () => Promise<GroupRouting>;
  request: (open: OpenAccount, part: { target: AccountTarget; routes: RouteNote[]; failoverOf: string; from: OpenAccount }) => Promise<GroupRun['checked']['request']>;
  forRouting: (open: OpenAccount, state: AccountState) => Promise<Parameters<typeof routableAccounts>[0][number]>;
}

/**
 * Why a run's broker is down, or undefined: the run stopped by itself (not Ctrl-C, not the kill
 * switch) and its broker does not answer now — its session is no longer valid, or it is out of
 * reach with its circuit breaker open. A run stopped for any other reason is left as it is.
 */
export async function brokerDown(end: GroupRunEnd, aborted: boolean): Promise<string | undefined> {
  const { outcome } = end;
  if (outcome.status !== 'interrupted' || aborted || outcome.reason?.startsWith('kill switch')) return undefined;
  const { broker, driven } = end.run.open;
  try {
    await driven.drive(broker.funds());
    return undefined;
  } catch (err) {
    if (isBrokerError(err, 'auth') || isBrokerError(err, 'unavailable')) return `${broker.id} went down (${err.message})`;
    return undefined;
  }
}

/** What a down run keeps and what it can give away, after its unknown orders were looked up at its broker. */
export interface Handover {
  end: GroupRunEnd;
  why: string;
  legs: LegUnsent[];
  kept: RunFailover['payload']['kept'];
}

/**
 * The legs and the unsent quantity of a down run, resolving first, at its own broker, every order
 * whose outcome is unknown: found there, it stays with the run; confirmed absent, it is recorded
 * as never sent and its quantity can move; not answerable (the broker is down), it stays with the
 * run, whose `ptexec resume` settles it once the broker is back. Nothing that may be at the
 * broker ever moves, so nothing is sent twice.
 */
export async function handoverOf(f: Factory, end: GroupRunEnd, why: string): Promise<Handover> {
  const store = f.store();
  const runId = end.run.checked.runId;
  const planned = store.events({ runId, types: ['run.planned'] })[0]!.payload.legs;
  const legs = legsAfterFailovers(planned, store.events({ runId, types: ['run.failover'] }).map((e) => e.payload));
  const unsent = unsentOfRun(store.events({ runId }), legs);
  const kept: Handover['kept'] = [];
  const { broker, driven } = end.run.open;
  for (const l of unsent) {
    for (const child of l.unknown) {
      try {
        const found = await driven.drive(resolveByClientId(broker, driven.clock, child.clientOrderId, 'before moving the leg', { lookupAttempts: 2, lookupDelayMs: 250 }));
        if (found.order) {
          kept.push({ leg: l.leg.index, symbol: l.leg.symbol, quantity: child.open, reason: `order ${child.clientOrderId} was found at ${broker.id}; it stays with this run` });
          continue;
        }
        store.append({ runId, type: 'order.status', payload: { clientOrderId: child.clientOrderId, from: 'unknown', to: 'cancelled', reason: 'never reached the broker (looked up before a failover); not re-sent' } } satisfies NewEvent);
        l.unsent += child.open;
      } catch (err) {
        kept.push({ leg: l.leg.index, symbol: l.leg.symbol, quantity: child.open, reason: `order ${child.clientOrderId} could not be looked up at ${broker.id} (${err instanceof Error ? err.message : String(err)}); it stays with this run until ptexec resume ${runId}` });
      }
    }
  }
  return { end, why, legs: unsent, kept };
}

/**
 * Moves a down run's unsent legs to the group's other accounts: the router again, without the
 * accounts that are down, then one new ordinary run per account that takes some, planned and
 * checked on its own broker. Each move is recorded on the old run (`run.failover`: what moved,
 * where and why) before the new run starts, whose `run.created` names the group and the run it
 * took over. Returns the new runs, ready to execute.
 */
export async function failOver(f: Factory, ctx: FailoverContext, handover: Handover, down: ReadonlySet<string>): Promise<GroupRun[]> {
  const old = handover.end.run;
  const moving = handover.legs.filter((l) => l.unsent > 0).map((l) => ({ ...l.leg, quantity: l.unsent, estimatedValue: l.unsent * l.leg.estimatedPrice }));
  if (!moving.length) return [];
  const currency = old.checked.plan.currency;
  const candidates = ctx.accounts.filter((a) => !down.has(a.definition.alias));
  const states: AccountState[] = [];
  const usable: OpenAccount[] = [];
  const target = { positions: old.checked.request.target.positions, cashBufferPct: 0 };
  for (const a of candidates) {
    try {
      const snapshot = await a.driven.drive(takeSnapshot(a.broker, target, a.driven.clock));
      if (snapshot.funds.currency !== currency) continue;
      states.push({ alias: a.definition.alias, snapshot });
      usable.push(a);
    } catch (err) {
      f.io.warn(`failover: ${a.definition.alias} cannot take legs (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (!usable.length) return [];
  const routing = await ctx.routing();
  const accounts = await Promise.all(usable.map((a, i) => ctx.forRouting(a, states[i]!)));
  const decisions = routing.routeLegs(routableLegs(moving, consolidatedSnapshot(states)), routableAccounts(accounts), routing.policy);
  const { allocations, unrouted } = allocate(moving, decisions);
  // What no other account can take stays with the down run (a sell only its account holds).
  const from = old.open.definition.alias;
  for (const u of unrouted) f.io.warn(`failover: ${u.side} ${u.quantity} ${u.symbol} of ${from} stays with run ${old.checked.runId}: ${u.why}`);
  const runs: GroupRun[] = [];
  for (const [i, a] of usable.entries()) {
    const mine = allocations.filter((x) => x.alias === a.definition.alias);
    if (mine.length) {
      // What stays with the old run is recorded once, with the first move.
      const run = await moveTo(f, ctx, { ...handover, kept: runs.length ? [] : handover.kept }, a, states[i]!, mine, moving);
      if (run) runs.push(run);
    }
  }
  return runs;
}

/** One account's share of a failover: planned and checked as a run of its own, the move recorded on the old run, or nothing when its checks refuse it. */
async function moveTo(f: Factory, ctx: FailoverContext, handover: Handover, to: OpenAccount, state: AccountState, mine: Allocation[], moving: readonly Leg[]): Promise<GroupRun | undefined> {
  const old = handover.end.run;
  const oldRunId = old.checked.runId;
  const why = `${old.open.definition.alias}: ${handover.why}`;
  const target = accountTarget(old.checked.request.target, state.snapshot, mine, `${ctx.groupId}:${oldRunId}`);
  const routes = mine.map((m) => ({ symbol: m.symbol, exchange: m.exchange, side: m.side, quantity: m.quantity, why: `failover from ${why}; ${m.why}` }));
  const request = await ctx.request(to, { target, routes, failoverOf: oldRunId, from: old.open });
  // The account's own run of this group has ended: its lock is released before its next run takes it.
  to.service.release();
  const planned = await to.driven.drive(to.service.plan(request));
  if (planned.kind !== 'checked' || planned.refusal || !planned.legs.length) {
    f.io.warn(`failover: ${to.definition.alias} did not take ${mine.map((m) => m.symbol).join(', ')} (${planned.kind === 'checked' ? (planned.refusal?.message ?? 'nothing to trade') : `run ${planned.runId} ${planned.kind}`})`);
    return undefined;
  }
  const moved = mine.map((m) => {
    const leg = moving.find((l) => l.symbol === m.symbol && l.side === m.side)!;
    return { leg: leg.index, symbol: m.symbol, exchange: m.exchange, side: m.side, quantity: m.quantity };
  });
  const payload: RunFailover['payload'] = { group: ctx.groupId, to: planned.runId, toAccount: to.definition.alias, reason: handover.why, moved, kept: handover.kept };
  f.store().append({ runId: oldRunId, type: 'run.failover', payload } satisfies NewEvent);
  if (!f.io.jsonMode) f.io.info(`failover: ${old.open.definition.alias} ${handover.why}; moving ${moved.map((m) => `${m.side} ${m.quantity} ${m.symbol}`).join(', ')} to ${to.definition.alias} as run ${planned.runId}`);
  return { open: to, checked: planned };
}

/**
 * What stays with a down run, said once its unsent legs have moved: orders still working at its
 * broker, and orders whose outcome could not be looked up there (the broker is down). Its
 * `ptexec resume` settles them once the broker is back. Undefined when nothing stays.
 */
export function keptLine(handover: Handover): string | undefined {
  const { open, checked } = handover.end.run;
  const parts = handover.legs.filter((l) => l.working > 0).map((l) => `${l.leg.side} ${l.working} ${l.leg.symbol} (working at ${open.broker.id})`);
  for (const k of handover.kept) {
    const leg = handover.legs.find((l) => l.leg.index === k.leg)!.leg;
    parts.push(`${leg.side} ${k.quantity} ${k.symbol} (${k.reason.replace(/; it stays with this run.*$/, '')})`);
  }
  if (!parts.length) return undefined;
  return `failover: ${open.definition.alias} keeps ${parts.join(', ')}: sent before its broker went down, it is settled there by ptexec resume ${checked.runId} once ${open.broker.id} is back`;
}

/** Whether a down run handed everything it had not finished to other runs: nothing of it is still working or unknown at its broker. */
export function handedOver(handover: Handover): boolean {
  return handover.kept.length === 0 && handover.legs.every((l) => l.working === 0);
}
