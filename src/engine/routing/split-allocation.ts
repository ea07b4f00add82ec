import type { LegProblem } from './leg-problem.js';
import { lower } from './single-placement.js';

/** The split search moves the leg in about this many steps: fine enough to balance venues, cheap enough for thousands of legs. */
const SEARCH_STEPS = 16;

export type SplitResult = { ok: true; quantities: number[]; total: number } | { ok: false; placed: number };

/**
 * Spreads a leg over candidates greedily: each step of the leg goes where it adds least to the
 * weighted total (charges, half spread, the venue's impact, the account's penalties), within each
 * account's shares, cash, `max-share` cap and orders left. A new part is never below
 * `split.minQuantity`, nor is the leg's remainder left below it; every part is whole lots.
 * `ok: false` when the accounts together cannot take the whole leg.
 */
export function splitAllocation(p: LegProblem): SplitResult {
  const s = new SplitState(p);
  const q = p.leg.quantity;
  const chunk = searchChunk(p);
  p.modelChargesThrough(chunk);
  const left = fill(p, s, q, chunk);
  if (left > 0) return { ok: false, placed: q - left };
  const short = overdrawn(p, s.quantities);
  if (short > 0) return { ok: false, placed: q - short };
  return { ok: true, quantities: s.quantities, total: s.total() };
}

/** The step of the search: about 1/`SEARCH_STEPS` of the leg, whole lots, never below `split.minQuantity`. */
export function searchChunk(p: LegProblem): number {
  const minQ = Math.max(1, p.policy.split.minQuantity);
  return Math.max(p.lot, Math.ceil(Math.max(minQ, Math.ceil(p.leg.quantity / SEARCH_STEPS)) / p.lot) * p.lot);
}

/**
 * Places `quantity` shares of the leg on top of what `s` holds, step by step, each where it adds
 * least to the weighted total, over the candidates `allowed` admits (all by default). Returns the
 * shares it could not place.
 */
export function fill(p: LegProblem, s: SplitState, quantity: number, chunk: number, allowed?: (ci: number) => boolean): number {
  const minQ = Math.max(1, p.policy.split.minQuantity);
  let remaining = quantity;
  while (remaining > 0) {
    let step = Math.min(chunk, remaining);
    if (remaining - step > 0 && remaining - step < minQ) step = remaining;
    let best: { ci: number; take: number; perShare: number } | undefined;
    for (let ci = 0; ci < p.candidates.length; ci++) {
      if (allowed !== undefined && !allowed(ci)) continue;
      const take = fitTake(p, s.room(ci, step), step, remaining, minQ, s.quantities[ci]!);
      if (take <= 0) continue;
      const perShare = s.marginal(ci, take) / take;
      if (best === undefined || lower(perShare, best.perShare)) best = { ci, take, perShare };
    }
    if (best === undefined) return remaining;
    s.add(best.ci, best.take);
    remaining -= best.take;
  }
  return 0;
}

/**
 * The searched charges are a model; the parts' exact charges decide. Shares an account's buys
 * (or a sell's charges beyond its proceeds) could not pay for exactly (the model fell short of
 * its schedule), or 0 when every account pays.
 */
export function overdrawn(p: LegProblem, quantities: readonly number[]): number {
  const spent = new Map<string, { cash: number; quantity: number }>();
  quantities.forEach((q, ci) => {
    if (q <= 0) return;
    const alias = p.candidates[ci]!.alias;
    const t = spent.get(alias) ?? { cash: 0, quantity: 0 };
    spent.set(alias, { cash: t.cash + p.exactCashFlow(ci, q), quantity: t.quantity + q });
  });
  let short = 0;
  // A sell's flow is its proceeds: short only where its charges exceed them by more than the cash.
  const buy = p.leg.side === 'buy';
  for (const [alias, t] of spent) if (buy ? t.cash > p.room(alias).cash : t.cash < -p.room(alias).cash) short += t.quantity;
  return short;
}

/** How much of a step a candidate with `room` takes, keeping parts and the remainder at least `minQ`. */
function fitTake(p: LegProblem, room: number, step: number, remaining: number, minQ: number, existing: number): number {
  let take = Math.min(step, room);
  if (take <= 0) return 0;
  if (remaining - take > 0 && remaining - take < minQ) take = p.floorLot(remaining - minQ);
  if (take <= 0 || (existing === 0 && take < minQ)) return 0;
  return take;
}

/** The quantities placed so far, and what each account and venue has taken. */
export class SplitState {
  readonly quantities: number[];
  private readonly venueQuantity: number[];
  private readonly taken = new Map<string, { quantity: number; cash: number; parts: number }>();

  constructor(private readonly p: LegProblem) {
    this.quantities = p.candidates.map(() => 0);
    this.venueQuantity = p.figures.map(() => 0);
    for (const alias of p.rooms.keys()) this.taken.set(alias, { quantity: 0, cash: 0, parts: 0 });
  }

  /** The most candidate `ci` can add, up to `step`, in whole lots. */
  room(ci: number, step: number): number {
    const p = this.p;
    const c = p.candidates[ci]!;
    const room = p.room(c.alias);
    const t = this.taken.get(c.alias)!;
    const has = this.quantities[ci]!;
    if (has === 0 && t.parts >= room.orders) return 0;
    let n = Math.min(step, room.maxQuantity - t.quantity, p.leg.side === 'sell' ? room.shares - t.quantity : step);
    if (p.leg.side === 'buy') {
      // Cash left for this part: the account's cash less its other parts of this leg.
      const available = room.cash - (t.cash - (has > 0 ? p.cashFlow(ci, has) : 0));
      const price = c.figures.cashPrice;
      n = Math.min(n, p.floorLot(Math.floor((available - p.charges(ci, has + step)) / price)) - has);
      while (n > 0 && p.cashFlow(ci, has + n) > available) n -= p.lot;
    }
    return Math.max(0, p.floorLot(n));
  }

  marginal(ci: number, take: number): number {
    const p = this.p;
    const has = this.quantities[ci]!;
    const v = p.candidates[ci]!.figures.index;
    const onVenue = this.venueQuantity[v]!;
    return p.partScore(ci, has + take) - p.partScore(ci, has) + p.weightedImpact(v, onVenue + take) - p.weightedImpact(v, onVenue);
  }

  add(ci: number, take: number): void {
    const p = this.p;
    const c = p.candidates[ci]!;
    const t = this.taken.get(c.alias)!;
    const has = this.quantities[ci]!;
    if (p.leg.side === 'buy') t.cash += p.cashFlow(ci, has + take) - (has > 0 ? p.cashFlow(ci, has) : 0);
    if (has === 0) t.parts += 1;
    t.quantity += take;
    this.quantities[ci] = has + take;
    this.venueQuantity[c.figures.index] = (this.venueQuantity[c.figures.index] ?? 0) + take;
  }

  total(): number {
    const p = this.p;
    let sum = 0;
    this.quantities.forEach((q, ci) => (sum += q > 0 ? p.partScore(ci, q) : 0));
    this.venueQuantity.forEach((q, v) => (sum += p.weightedImpact(v, q)));
    return sum;
  }
}
