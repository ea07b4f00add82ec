import { parseBandText, type DriftBand } from '../domain/drift-band.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { TargetPortfolio } from '../domain/target-portfolio.js';
import { bandsApply } from '../engine/planner/line-drift.js';
import type { PlanOptions } from '../engine/planner/plan-rebalance.js';

/** The flags of band and cash-flow trading, as typed. */
export interface DriftTradingFlags {
  band?: string;
  to?: string;
  'cash-only'?: string;
}

/** `--band abs=2%,rel=25%` as a band, or a clear refusal (exit 2). */
export function bandFromFlag(text: string | undefined): DriftBand | undefined {
  if (text === undefined) return undefined;
  const parsed = parseBandText(text);
  if ('problem' in parsed) throw new InvalidInputError(`--band ${text} ${parsed.problem}`, 'e.g. --band abs=2%,rel=25% (either part may be left out)');
  return parsed.band;
}

/** The plan options of `--band`, `--to` and `--cash-only`, checked against each other and the target. */
export function driftTradingOptions(flags: DriftTradingFlags, target: TargetPortfolio): Pick<PlanOptions, 'band' | 'toBand' | 'cashOnly'> {
  const band = bandFromFlag(flags.band);
  const cashOnly = flags['cash-only'] === undefined ? undefined : cashAmount(flags['cash-only']);
  if (cashOnly !== undefined && (band || flags.to)) {
    throw new InvalidInputError('--cash-only trades a cash flow toward target and does not take --band or --to', 'give either --cash-only AMOUNT or --band (with --to)');
  }
  if (flags.to !== undefined && !bandsApply(target, band)) {
    throw new InvalidInputError(`--to ${flags.to} needs a band: give --band (e.g. abs=2%,rel=25%) or "band" on the target's lines`);
  }
  return { band, toBand: flags.to === 'band', cashOnly };
}

/** `--cash-only`: rupees, exact to the paisa; positive invests, negative raises. */
function cashAmount(text: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+(\.\d{1,2})?$/.test(t) || /^[+-]?0+(\.0+)?$/.test(t)) {
    throw new InvalidInputError(`--cash-only ${text} is not an amount`, 'give rupees to the paisa, positive to invest (e.g. 50000) or negative to raise (e.g. --cash-only=-25000.50)');
  }
  const [rupees, paise = ''] = t.replace(/^[+-]/, '').split('.');
  const minor = Number(rupees) * 100 + Number(paise.padEnd(2, '0'));
  return t.startsWith('-') ? -minor : minor;
}
