import type { DriftBand } from '../../domain/drift-band.js';
import { formatMinor } from '../../domain/money.js';
import type { LineDrift } from '../../engine/planner/line-drift.js';
import type { Output } from '../../lib/output.js';
import { money } from './json-contract.js';

/** What `drift` shows: the account's value and each target line's drift against its band. */
export interface DriftView {
  broker: string;
  account: string;
  currency: string;
  accountValue: number;
  lines: LineDrift[];
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;
const signedPoints = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}`;

function bandText(band: DriftBand | undefined): string {
  if (!band) return 'none';
  return [band.abs !== undefined ? `abs ${pct(band.abs)}` : '', band.rel !== undefined ? `rel ${pct(band.rel)}` : ''].filter(Boolean).join(', ');
}

export function renderDrift(out: Output, v: DriftView): void {
  out.data(`${v.broker} account ${v.account}: value ${formatMinor(v.accountValue)} ${v.currency}`);
  out.table(
    [
      { header: 'symbol' },
      { header: 'current', align: 'right' },
      { header: 'target', align: 'right' },
      { header: 'drift (pts)', align: 'right' },
      { header: 'drift (rel)', align: 'right' },
      { header: 'band', priority: 1 },
      { header: 'outside' },
    ],
    v.lines.map(({ draft, band, drift }) => [
      `${draft.instrument.exchange}:${draft.instrument.symbol}`,
      pct(drift.currentWeight),
      pct(drift.targetWeight),
      signedPoints(drift.absDrift),
      drift.relDrift === null ? '—' : `${signedPoints(drift.relDrift)}%`,
      bandText(band),
      !band ? '' : drift.outside ? [drift.absOutside ? 'abs' : '', drift.relOutside ? 'rel' : ''].filter(Boolean).join('+') : 'no',
    ]),
  );
  const outside = v.lines.filter((l) => l.band && l.drift.outside).length;
  out.data('');
  out.paragraph(outside ? `${outside} line${outside === 1 ? '' : 's'} outside ${outside === 1 ? 'its band' : 'their bands'}` : v.lines.some((l) => l.band) ? 'inside bands' : 'no bands: give --band or "band" on the target\'s lines');
}

/** `drift --json` (schemas/drift.json): weights and drifts as fractions, null where not defined. */
export function driftJson(v: DriftView) {
  return {
    broker: v.broker,
    account: v.account,
    currency: v.currency,
    ...money('account_value', v.accountValue, v.currency),
    outside: v.lines.some((l) => l.band && l.drift.outside),
    lines: v.lines.map(({ draft, band, drift }) => ({
      symbol: draft.instrument.symbol,
      exchange: draft.instrument.exchange,
      quantity: draft.current,
      current_weight: drift.currentWeight,
      target_weight: drift.targetWeight,
      abs_drift: drift.absDrift,
      rel_drift: drift.relDrift,
      band: band ? { abs: band.abs ?? null, rel: band.rel ?? null } : null,
      abs_outside: drift.absOutside,
      rel_outside: drift.relOutside,
      outside: band ? drift.outside : false,
    })),
  };
}
