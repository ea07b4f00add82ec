import type { LegStatus } from '../../domain/leg-status.js';
import { formatMinor } from '../../domain/money.js';
import type { BlockedLeg } from '../../domain/plan.js';
import type { RebalanceOutcome } from '../../engine/rebalance/rebalance-service.js';
import type { Notification } from './notification.js';

/** A leg's status in the original service's words (`results[].status`). */
const ORIGINAL_STATUS: { readonly [S in LegStatus]: string } = {
  planned: 'PENDING',
  working: 'OPEN',
  paused: 'OPEN',
  complete: 'FILLED',
  partial: 'PARTIALLY_FILLED',
  unfilled: 'FAILED',
  rejected: 'REJECTED',
  cancelled: 'CANCELLED',
  blocked: 'BLOCKED',
  skipped: 'SKIPPED',
};

/** The money of a finished run: what it traded, what it cost against the decision price, its charges (minor units). */
export interface RunCosts {
  currency: string | null;
  tradedValue: number;
  shortfallBps: number | null;
  shortfall: number;
  charges: number;
}

interface RunFacts {
  runId: string;
  broker: string;
  account: string;
}

type ResultLeg = { symbol: string; quantity: number; side: 'BUY' | 'SELL'; status: string; reason: string | null };

/** Every leg in the original service's `results` shape. */
export function originalResults(outcome: Pick<RebalanceOutcome, 'legs' | 'blocked'>): ResultLeg[] {
  const worked = outcome.legs.map((l) => ({ leg: l.leg, symbol: l.symbol, quantity: l.quantity, side: upperSide(l.side), status: ORIGINAL_STATUS[l.outcome], reason: l.reason ?? null }));
  const blocked = outcome.blocked.map((b: BlockedLeg) => ({ leg: b.leg, symbol: b.symbol, quantity: b.quantity, side: upperSide(b.side), status: ORIGINAL_STATUS.blocked, reason: b.reasons.map((r) => r.message).join('; ') }));
  return [...worked, ...blocked].sort((a, b) => a.leg - b.leg).map(({ leg: _leg, ...rest }) => rest);
}

const upperSide = (side: string): 'BUY' | 'SELL' => (side === 'sell' ? 'SELL' : 'BUY');
const money = (minor: number, currency: string | null) => `${currency ?? ''} ${formatMinor(minor)}`.trim();

export function runFinished(run: RunFacts, outcome: RebalanceOutcome, costs: RunCosts): Notification {
  const results = originalResults(outcome);
  const filled = results.filter((r) => r.status === 'FILLED').length;
  const lines = [
    `${run.broker} ${run.account}: ${filled} of ${results.length} legs filled${outcome.reason ? ` (${outcome.reason})` : ''}`,
    `traded ${money(costs.tradedValue, costs.currency)}; shortfall ${costs.shortfallBps === null ? 'n/a' : `${costs.shortfallBps.toFixed(1)} bps`} (${money(costs.shortfall, costs.currency)}); charges ${money(costs.charges, costs.currency)}`,
    ...results.filter((r) => r.status !== 'FILLED').map((r) => `${r.side} ${r.quantity} ${r.symbol}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`),
  ];
  return {
    event: 'run.finished',
    title: `ptexec run ${run.runId} ${outcome.status}`,
    text: lines.join('\n'),
    data: {
      run_id: run.runId,
      broker: run.broker,
      account: run.account,
      status: outcome.status,
      reason: outcome.reason ?? null,
      results,
      currency: costs.currency,
      traded_value_minor: costs.tradedValue,
      shortfall_bps: costs.shortfallBps,
      shortfall_minor: costs.shortfall,
      charges_minor: costs.charges,
    },
  };
}

export function ordersRejected(run: RunFacts, outcome: Pick<RebalanceOutcome, 'legs' | 'blocked'>): Notification | undefined {
  const rejected = originalResults(outcome).filter((r) => r.status === 'REJECTED');
  if (!rejected.length) return undefined;
  return {
    event: 'orders.rejected',
    title: `ptexec run ${run.runId}: ${rejected.length} order${rejected.length === 1 ? '' : 's'} rejected`,
    text: rejected.map((r) => `${r.side} ${r.quantity} ${r.symbol}: ${r.reason ?? 'rejected'}`).join('\n'),
    data: { run_id: run.runId, broker: run.broker, account: run.account, results: rejected },
    urgent: true,
  };
}

/** `results` as the checked plan has them (each leg `planned` or `blocked`), sent in the original service's shape. */
export function runBlocked(run: RunFacts, reason: string, checked: readonly { symbol: string; quantity: number; side: string; status: string; reason: string | null }[]): Notification {
  const results: ResultLeg[] = checked.map((r) => ({ symbol: r.symbol, quantity: r.quantity, side: upperSide(r.side), status: r.status.toUpperCase(), reason: r.reason }));
  const lines = results.filter((r) => r.status === 'BLOCKED').map((r) => `${r.side} ${r.quantity} ${r.symbol}: ${r.reason ?? 'blocked'}`);
  return { event: 'run.blocked', title: `ptexec run ${run.runId} blocked by the pre-trade checks`, text: [`${reason}`, ...lines].join('\n'), data: { run_id: run.runId, broker: run.broker, account: run.account, reason, results }, urgent: true };
}

export function breakerTripped(run: RunFacts, messages: readonly string[]): Notification {
  return { event: 'breaker.tripped', title: `ptexec run ${run.runId}: ${run.broker} circuit breaker tripped`, text: messages.join('\n'), data: { run_id: run.runId, broker: run.broker, account: run.account, messages }, urgent: true };
}

/** An automatic breaker (risk config `breakers`) paused the run or a leg: sent as it trips, since the run then waits for `ptexec resume`. */
export function runBreakerTripped(run: RunFacts, trip: { breaker: string; value: number; limit: number; unit: string; message: string; leg?: number }): Notification {
  const what = trip.leg === undefined ? 'run paused' : `leg ${trip.leg} paused`;
  return {
    event: 'breaker.tripped',
    title: `ptexec run ${run.runId}: ${trip.breaker} breaker tripped, ${what}`,
    text: `${trip.message}\n\`ptexec resume ${run.runId}\` continues it`,
    data: { run_id: run.runId, broker: run.broker, account: run.account, breaker: trip.breaker, value: trip.value, limit: trip.limit, unit: trip.unit, leg: trip.leg ?? null, messages: [trip.message] },
    urgent: true,
  };
}

export function killSwitch(on: boolean, reason: string | null, at: string): Notification {
  return on
    ? { event: 'kill_switch.on', title: 'ptexec trading halted', text: `kill switch on at ${at}${reason ? `: ${reason}` : ''}; \`ptexec unhalt\` lifts it`, data: { halted: true, reason, at }, urgent: true }
    : { event: 'kill_switch.off', title: 'ptexec trading resumed', text: `kill switch off at ${at}`, data: { halted: false, at } };
}

export function loginNeeded(broker: string, schedule: string, message: string): Notification {
  return { event: 'login.needed', title: `ptexec: ${broker} login needed`, text: `schedule ${schedule} did not run: ${message}; log in with \`ptexec brokers login ${broker}\``, data: { broker, schedule, message }, urgent: true };
}

export function scheduleSkipped(schedule: string, date: string, why: string): Notification {
  return { event: 'schedule.skipped', title: `ptexec schedule ${schedule} skipped`, text: `${date} is ${why}; nothing was sent`, data: { schedule, date, reason: why } };
}

export function settlementFailed(broker: string, failed: readonly { tradeId: string; reason?: string }[]): Notification {
  return {
    event: 'settlement.failed',
    title: `ptexec: ${failed.length} ${broker} settlement${failed.length === 1 ? '' : 's'} failed`,
    text: failed.map((s) => `trade ${s.tradeId}${s.reason ? `: ${s.reason}` : ''}`).join('\n'),
    data: { broker, failed: failed.map((s) => ({ trade_id: s.tradeId, reason: s.reason ?? null })) },
    urgent: true,
  };
}

export function testMessage(at: string): Notification {
  return { event: 'test', title: 'ptexec test notification', text: `a test message sent at ${at} by \`ptexec notify test\``, data: { at } };
}
