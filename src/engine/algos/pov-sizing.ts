/**
 * Participation (POV) sizing. The market volume the runtime reports includes our own fills, so
 * the volume of everyone else is M − f. Trading ρ/(1−ρ) of everyone else's volume makes our
 * share of the total exactly ρ. The child at a tick is what that cumulative target asks for
 * beyond what is already filled — with every child filled, ρ/(1−ρ) × the others' volume since
 * the previous tick; a child that did not fill is made up at the next tick.
 */
export interface PovSizingInput {
  /** ρ, 0 < ρ < 1. */
  rate: number;
  /** Market volume since the parent started, own fills included. */
  marketVolumeSinceStart: number;
  /** Own filled quantity. */
  filled: number;
  /** Parent quantity still to fill. */
  remaining: number;
  /** Smallest child worth sending (a smaller remainder is sent once it is due in full). */
  minChild: number;
  /** Largest child; undefined = no cap. */
  maxChild?: number;
  lot: number;
}

export function povTarget(rate: number, marketVolumeSinceStart: number, filled: number): number {
  const others = Math.max(0, marketVolumeSinceStart - filled);
  return (rate / (1 - rate)) * others;
}

export function povChildQuantity(input: PovSizingInput): number {
  const { lot, remaining } = input;
  if (remaining <= 0) return 0;
  // A hair of tolerance so that e.g. 0.1/0.9 × 9000 = 999.9999999 counts as 1000.
  const due = Math.floor((povTarget(input.rate, input.marketVolumeSinceStart, input.filled) - input.filled) / lot + 1e-9) * lot;
  const capped = Math.min(due, input.maxChild ?? Number.POSITIVE_INFINITY, remaining);
  const quantity = capped >= remaining ? remaining : Math.floor(capped / lot) * lot;
  return quantity >= Math.min(input.minChild, remaining) && quantity > 0 ? quantity : 0;
}
