import type { LineDrift } from './line-drift.js';

/**
 * Cash-flow trading (`--cash-only`): invests `amount` (minor units, > 0) by buying only, the
 * most underweight lines first, each up to its target; or raises −`amount` by selling only, the
 * most overweight lines first, each first down to its target and then, if more is needed, down
 * to nothing, never more than is held. Sets each draft's target; lines it does not trade stay as
 * they are.
 */
export function cashFlowTargets(lines: readonly LineDrift[], amount: number, accountValue: number): void {
  for (const { draft } of lines) {
    draft.target = draft.current;
    draft.heldBecause = amount > 0 ? 'not underweight, or the amount ran out: not bought (--cash-only)' : 'not sold: the amount was raised elsewhere (--cash-only)';
  }
  if (amount > 0) invest(lines, amount, accountValue);
  else if (amount < 0) raise(lines, -amount, accountValue);
}

function invest(lines: readonly LineDrift[], amount: number, accountValue: number): void {
  let budget = amount;
  const under = lines.filter((l) => l.drift.absDrift < 0).sort((a, b) => a.drift.absDrift - b.drift.absDrift);
  for (const { draft, drift } of under) {
    const lotCost = draft.quote.ask * draft.instrument.lotSize;
    const wanted = -drift.absDrift * accountValue;
    const lots = Math.floor(Math.min(wanted, budget) / lotCost);
    if (lots <= 0) continue;
    draft.target = draft.current + lots * draft.instrument.lotSize;
    budget -= lots * lotCost;
    draft.notes.push('--cash-only: bought toward target');
  }
}

function raise(lines: readonly LineDrift[], amount: number, accountValue: number): void {
  let need = amount;
  const byOverweight = lines.filter((l) => l.draft.current > 0).sort((a, b) => b.drift.absDrift - a.drift.absDrift);
  // First down to target, then, if the overweight lines do not free enough, further.
  for (const pass of ['to target', 'below target'] as const) {
    for (const { draft, drift } of byOverweight) {
      if (need <= 0) return;
      const lot = draft.instrument.lotSize;
      const lotValue = draft.quote.bid * lot;
      const sellable = Math.floor(draft.target / lot);
      const toTarget = pass === 'to target' ? Math.floor(Math.max(0, drift.absDrift * accountValue) / lotValue) : Infinity;
      const lots = Math.min(sellable, toTarget, Math.ceil(need / lotValue));
      if (lots <= 0) continue;
      draft.target -= lots * lot;
      need -= lots * lotValue;
      if (!draft.notes.includes('--cash-only: sold to raise cash')) draft.notes.push('--cash-only: sold to raise cash');
    }
  }
}
