import type { HouseholdShares } from './household-shares.js';
import type { LegProblem } from './leg-problem.js';
import type { RoutingLedger } from './routing-ledger.js';
import { fill, overdrawn, searchChunk, SplitState } from './split-allocation.js';
import type { RoutableAccount } from './types.js';

/**
 * What the shares ask of one leg: an account with a share, or the accounts without one together
 * (`pool`), with the share, what it holds of the line now and what it should take of the leg.
 */
export interface ShareWant {
  aliases: readonly string[];
  pool: boolean;
  share: number;
  held: number;
  want: number;
}

export type ShareResult =
  | { ok: true; quantities: number[]; wants: ShareWant[]; short: { want: ShareWant; took: number }[] }
  | { ok: false };

/**
 * Each account's part of a leg by the shares (README "Rebalancing several accounts"). Every
 * account (or the pool of those without a share) should hold `share × householdTarget` of the
 * line. A buy goes to those below it, a sell comes from those above it, each in proportion to how
 * far it is from its share, so the leg closes the gaps it can and never trades one account
 * against another: the household trades only what its plan needs. What is left when the gaps are
 * smaller than the leg is spread by share (a buy) or by holding (a sell). Rounded to whole lots,
 * the remainder by largest fraction; a part below `split.minQuantity` joins the largest.
 * Undefined when the leg has no household target or is not whole lots.
 */
export function shareWants(p: LegProblem, shares: HouseholdShares, accounts: readonly RoutableAccount[], ledger: RoutingLedger): ShareWant[] | undefined {
  const { leg } = p;
  const target = leg.householdTarget;
  if (target === undefined || !(target >= 0) || leg.quantity % p.lot !== 0) return undefined;
  const wants: ShareWant[] = [];
  let pool: ShareWant | undefined;
  for (const a of accounts) {
    const alias = a.definition.alias;
    const held = Math.max(0, ledger.held(alias, leg.symbol));
    const share = shares.share.get(alias);
    if (share !== undefined) wants.push({ aliases: [alias], pool: false, share, held, want: 0 });
    else if (pool === undefined) wants.push((pool = { aliases: shares.unshared, pool: true, share: shares.rest, held, want: 0 }));
    else pool.held += held;
  }
  const buy = leg.side === 'buy';
  const gaps = wants.map((w) => Math.max(0, buy ? w.share * target - w.held : w.held - w.share * target));
  const gapSum = gaps.reduce((s, g) => s + g, 0);
  const weights = wants.map((w) => (buy ? w.share : w.held));
  const weightSum = weights.reduce((s, x) => s + x, 0);
  const q = leg.quantity;
  const raw = wants.map((_, i) => (gapSum >= q ? (q * gaps[i]!) / gapSum : gaps[i]! + (weightSum > 0 ? ((q - gapSum) * weights[i]!) / weightSum : (q - gapSum) / wants.length)));
  const lots = largestRemainder(raw.map((r) => r / p.lot), q / p.lot);
  lots.forEach((n, i) => (wants[i]!.want = n * p.lot));
  mergeSmall(wants, Math.max(1, p.policy.split.minQuantity), q);
  return wants;
}

/** Whole units adding up to `total`, each the floor of its share and the rest to the largest fractions (the first on a tie). */
function largestRemainder(raw: readonly number[], total: number): number[] {
  const out = raw.map((r) => Math.floor(r + 1e-9));
  let left = total - out.reduce((s, n) => s + n, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r + 1e-9) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]! += 1;
  return out;
}

/** A want below the smallest part a split may have joins the largest want (unless it is the whole leg). */
function mergeSmall(wants: ShareWant[], minQ: number, q: number): void {
  const largest = wants.reduce((a, b) => (b.want > a.want ? b : a));
  for (const w of wants) {
    if (w === largest || w.want <= 0 || w.want >= minQ || w.want >= q) continue;
    largest.want += w.want;
    w.want = 0;
  }
}

/**
 * The leg placed by the shares: each account's want on its best venue, then the pool's over the
 * accounts without a share by the weights, then what any of them could not take (cash, shares,
 * a rule, orders left) over every eligible account by the weights, so the hard rules hold and
 * the leg is still placed in full where cash allows. `ok: false` when the accounts together
 * cannot take the whole leg; the router then routes it by the weights alone.
 */
export function shareAllocation(p: LegProblem, wants: ShareWant[]): ShareResult {
  const s = new SplitState(p);
  const chunk = searchChunk(p);
  const aliasOf = (ci: number) => p.candidates[ci]!.alias;
  let overflow = 0;
  const short: { want: ShareWant; took: number }[] = [];
  for (const w of [...wants.filter((x) => !x.pool), ...wants.filter((x) => x.pool)]) {
    if (w.want <= 0) continue;
    // An account's share in one step, on its best venue (one order, charged exactly); the pool's
    // by the search's steps, over its charges model.
    if (w.pool) p.modelChargesThrough(chunk);
    const left = fill(p, s, w.want, w.pool ? chunk : w.want, (ci) => w.aliases.includes(aliasOf(ci)));
    if (left > 0) short.push({ want: w, took: w.want - left });
    overflow += left;
  }
  if (overflow > 0) p.modelChargesThrough(chunk);
  if (overflow > 0 && fill(p, s, overflow, chunk) > 0) return { ok: false };
  if (overdrawn(p, s.quantities) > 0) return { ok: false };
  return { ok: true, quantities: s.quantities, wants, short };
}
