import { isTerminal, type OrderStatus } from './order.js';

/**
 * What became of one leg of a run, in the words every output uses (dashboard, progress lines,
 * the result table, `runs show`, `--json`; README "Output contract"). Orders have their own
 * vocabulary, the order state machine's (`ORDER_STATUSES`).
 *
 * - `planned`: not started (a dry run, `check`, or a leg whose turn has not come);
 * - `working` / `paused`: its order is open (paused: it sends nothing until resumed);
 * - `complete`: filled in full; `partial`: ended with part of it filled;
 * - `unfilled`: ended with nothing filled (the horizon passed, a limit never reached);
 * - `rejected`: every order it sent was rejected; `cancelled`: cancelled before anything filled;
 * - `blocked`: left out by the pre-trade checks (`--allow-partial`);
 * - `skipped`: a line of the target that needed no trade or did not fit the cash.
 */
export const LEG_STATUSES = ['planned', 'working', 'paused', 'complete', 'partial', 'unfilled', 'rejected', 'cancelled', 'blocked', 'skipped'] as const;

export type LegStatus = (typeof LEG_STATUSES)[number];

/** How a leg that was worked ended. */
export type EndedLegStatus = Extract<LegStatus, 'complete' | 'partial' | 'unfilled' | 'rejected' | 'cancelled'>;

/** What is known of a leg: its parent order and what it filled. */
export interface LegFacts {
  /** The leg's parent order status; null while the leg has not started. */
  order: OrderStatus | null;
  quantity: number;
  filled: number;
  paused?: boolean;
  /** A cancel of the leg was asked for (by the user, or ending a stopped run). */
  cancelRequested?: boolean;
  /** The leg sent orders and the broker rejected every one. */
  everyOrderRejected?: boolean;
  /** The run has ended or stopped, and the leg with it, whatever its order still says. */
  ended?: boolean;
}

/** The one mapping from a leg's order state to its status. */
export function legStatus(facts: LegFacts & { order: OrderStatus; ended: true }): EndedLegStatus;
export function legStatus(facts: LegFacts): LegStatus;
export function legStatus(f: LegFacts): LegStatus {
  if (f.order === null) return 'planned';
  if (!f.ended && !isTerminal(f.order)) return f.paused ? 'paused' : 'working';
  if (f.filled >= f.quantity) return 'complete';
  if (f.filled > 0) return 'partial';
  if (f.cancelRequested) return 'cancelled';
  if (f.everyOrderRejected || f.order === 'rejected') return 'rejected';
  if (f.order === 'cancelled') return 'cancelled';
  return 'unfilled';
}
