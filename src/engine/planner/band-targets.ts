import { nearestBandEdge } from '../../domain/drift-band.js';
import type { LineDrift } from './line-drift.js';

/**
 * Band trading (README "Drift and bands"): when no line with a band is outside it, nothing
 * trades (returns false). Otherwise every line goes to its target, or with `toBand` only the
 * lines outside their band move, each to its band's nearest edge, rounded to lots toward the
 * target so that it lands inside; the other lines stay as they are.
 */
export function applyBands(lines: readonly LineDrift[], accountValue: number, toBand: boolean): boolean {
  if (!lines.some((l) => l.band && l.drift.outside)) return false;
  if (!toBand) return true;
  for (const { draft, band, drift } of lines) {
    if (!band || !drift.outside) {
      draft.target = draft.current;
      draft.heldBecause = band ? 'inside its band: left as is (--to band)' : 'no band: left as is (--to band)';
      continue;
    }
    const edge = nearestBandEdge(drift.currentWeight, drift.targetWeight, band);
    const lot = draft.instrument.lotSize;
    const lots = (edge * accountValue) / draft.quote.last / lot;
    draft.target = (edge < drift.currentWeight ? Math.floor(lots) : Math.ceil(lots)) * lot;
    draft.notes.push(`outside its band: traded to the band's edge (${(edge * 100).toFixed(2)}% of the account)`);
  }
  return true;
}
