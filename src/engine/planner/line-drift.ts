import { bandFor, driftOf, type Drift, type DriftBand } from '../../domain/drift-band.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot } from '../../domain/plan.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';
import { accountValueOf, draftTargets, type Draft } from './drafts.js';

/** A draft with its weights against the account value, and its band when it has one. */
export interface LineDrift {
  draft: Draft;
  band?: DriftBand;
  drift: Drift;
}

/**
 * Each draft's current and target weight of the account value (holdings at the last price plus
 * cash, as the planner values it). A weight line's target is its weight of the investable value
 * (after the cash buffer); a value line's its value; a quantity line's its quantity at the last
 * price; a holding sold as unlisted has a target of 0.
 */
export function lineDrifts(drafts: readonly Draft[], accountValue: number, investable: number, runBand: DriftBand | undefined): LineDrift[] {
  return drafts.map((draft) => {
    const last = draft.quote.last;
    const amount = draft.position?.amount;
    const targetValue = !amount ? 0 : amount.kind === 'weight' ? amount.weight * investable : amount.kind === 'value' ? amount.value : amount.quantity * last;
    const share = (value: number) => (accountValue > 0 ? value / accountValue : 0);
    const band = bandFor(draft.position?.band, runBand);
    return { draft, band, drift: driftOf(share(draft.current * last), share(targetValue), band ?? {}) };
  });
}

/** The drift of every line the target lists, valued as {@link planRebalance} values the account. */
export function targetDrift(target: TargetPortfolio, snapshot: AccountSnapshot, runBand: DriftBand | undefined): { accountValue: number; lines: LineDrift[] } {
  const owned = ownedInstruments(snapshot);
  const accountValue = accountValueOf(snapshot, owned);
  const investable = accountValue * (1 - target.cashBufferPct / 100);
  const { drafts } = draftTargets(target, snapshot, owned, investable);
  return { accountValue, lines: lineDrifts(drafts, accountValue, investable, runBand) };
}

/** Whether the target asks for band trading at all: `--band`, or a band on some line. */
export function bandsApply(target: TargetPortfolio, runBand: DriftBand | undefined): boolean {
  return target.positions.some((p) => bandFor(p.band, runBand) !== undefined);
}
