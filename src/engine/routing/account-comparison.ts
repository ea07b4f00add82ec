import { accountLabel } from './account-order.js';
import { bpsText, moneyText, percentText, sharesText } from './figures-text.js';
import type { LegProblem } from './leg-problem.js';
import { lower, type SingleOption } from './single-placement.js';

/**
 * The account half of a leg's `why`: what the chosen account has (shares, for a sell) and what
 * set it apart from the best other account that could have taken the whole leg, named by the
 * factor that weighed most: charges, measured quality, health or latency; a tie says how it was
 * broken (role, then alias). Without a rival: the only account able to take all of it, or the
 * only one the hard rules left (`excludedCount` others were left out).
 */
export function accountClause(p: LegProblem, options: readonly SingleOption[], chosen: SingleOption, excludedCount: number): string {
  const c = p.candidates[chosen.ci]!;
  const clauses: string[] = [];
  if (p.leg.side === 'sell') clauses.push(`holds ${sharesText(p.room(c.alias).shares)}`);
  const rival = options.filter((o) => o.shortfall === undefined && p.candidates[o.ci]!.alias !== c.alias).reduce<SingleOption | undefined>((best, o) => (best === undefined || lower(o.total, best.total) ? o : best), undefined);
  if (rival === undefined) {
    if (p.rooms.size > 1) clauses.push('the only account that can take all of it');
    else if (excludedCount > 0) clauses.push('the only eligible account');
    return clauses.join('; ');
  }
  clauses.push(rivalDifference(p, chosen, rival));
  return clauses.join('; ');
}

function rivalDifference(p: LegProblem, chosen: SingleOption, rival: SingleOption): string {
  const c = p.candidates[chosen.ci]!;
  const r = p.candidates[rival.ci]!;
  const q = p.leg.quantity;
  const w = p.policy.weights;
  const value = q * p.leg.price;
  const chargesC = p.exactCharges(chosen.ci, q);
  const chargesR = p.charges(rival.ci, q);
  const currency = c.account.currency;
  const chargesText = `${moneyText(chargesC, currency)} charges vs ${moneyText(chargesR, currency)} at ${r.alias}`;
  if (!lower(chosen.total, rival.total)) return `tie with ${accountLabel(r.account)}: ${c.account.definition.role !== r.account.definition.role ? `${c.account.definition.role} first` : 'by alias'}`;
  const gains: { size: number; text: string }[] = [
    { size: w.cost * (chargesR - chargesC), text: chargesText },
    { size: (w.quality * (r.penalty.qualityBps - c.penalty.qualityBps) * value) / 10_000, text: qualityText(c.account.quality, r.account.quality, r.alias, c.penalty.qualityBps, r.penalty.qualityBps) },
    { size: (w.health * (r.penalty.healthBps - c.penalty.healthBps) * value) / 10_000, text: healthText(p, chosen.ci, rival.ci) },
    { size: (w.latency * (r.penalty.latencyBps - c.penalty.latencyBps) * value) / 10_000, text: `latency ${Math.round(c.penalty.latencyBps * 100)} ms vs ${Math.round(r.penalty.latencyBps * 100)} ms at ${r.alias}` },
  ];
  const main = gains.reduce((a, b) => (b.size > a.size ? b : a));
  if (main.size <= 0) return `lower expected cost than ${r.alias} (its venues)`;
  if (main.text === chargesText || Math.round(chargesC) === Math.round(chargesR)) return main.text;
  return `${main.text}, ${chargesC < chargesR ? 'and' : 'despite'} ${chargesText}`;
}

function qualityText(c: LegProblem['candidates'][number]['account']['quality'], r: typeof c, rival: string, cBps: number, rBps: number): string {
  if (c !== undefined && r !== undefined) {
    if (Math.abs(c.slippageBps - r.slippageBps) >= 0.05) return `slippage ${bpsText(c.slippageBps)} vs ${bpsText(r.slippageBps)} at ${rival}`;
    if (c.fillRate !== r.fillRate) return `fill rate ${percentText(c.fillRate, 1)} vs ${percentText(r.fillRate, 1)} at ${rival}`;
    return `reject rate ${percentText(c.rejectRate, 1)} vs ${percentText(r.rejectRate, 1)} at ${rival}`;
  }
  return `measured quality ${bpsText(cBps)} vs ${r === undefined ? 'no history' : bpsText(rBps)} at ${rival}`;
}

function healthText(p: LegProblem, ci: number, ri: number): string {
  const c = p.candidates[ci]!.account.health;
  const r = p.candidates[ri]!.account;
  if (r.health.breaker === 'half-open' && c.breaker !== 'half-open') return `${r.definition.alias}'s breaker half-open`;
  return `error rate ${percentText(c.errorRate, 1)} vs ${percentText(r.health.errorRate, 1)} at ${r.definition.alias}`;
}
