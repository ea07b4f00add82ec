import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import { GROUP_CSV_HEADER, groupCsvRow, groupJson, LEG_CSV_HEADER, legCsvRow, tcaJson, toCsv, totalsJson } from '../render/tca-report.js';
import { renderTca, renderTcaGroups } from '../render/tca-view.js';
import type { AcrossAccounts } from './account-section.js';
import { acrossJson, renderAcross } from './across-view.js';
import type { AccountTca, TcaAcrossTotal } from './tca-across-accounts.js';

type TcaAcross = AcrossAccounts<AccountTca, TcaAcrossTotal>;

const bps = (x: number | null): string => (x === null ? '—' : x.toFixed(1));

/** `tca --account/--accounts`: each account as `tca` draws it, then per currency the legs' totals or the groups over every account. */
export function renderTcaAcross(out: Output, across: TcaAcross): void {
  renderAcross(
    out,
    across,
    (s) => (s.result.kind === 'none' ? out.data('no runs yet') : renderTca(out, s.result)),
    (totals) => {
      if (totals.length === 0) {
        out.data('no legs in these accounts');
        return;
      }
      const legs = totals.flatMap((t) => (t.kind === 'legs' ? [{ t, totals: t.totals }] : []));
      if (legs.length > 0) {
        out.table(
          [{ header: 'currency' }, { header: 'accounts' }, { header: 'legs', align: 'right' }, { header: 'fill %', align: 'right', priority: 2 }, { header: 'paper value', align: 'right', priority: 1 }, { header: 'shortfall', align: 'right' }, { header: 'IS bps', align: 'right' }, { header: 'vs arr.', align: 'right', priority: 3 }, { header: 'vs VWAP', align: 'right', priority: 3 }],
          legs.map(({ t, totals: x }) => [t.currency, t.accounts.join(', '), x.legs, `${(x.fillRate * 100).toFixed(1)}%`, formatMinor(x.paperValue), formatMinor(Math.round(x.shortfall.total)), bps(x.shortfallBps.total), bps(x.slippageBps.arrival), bps(x.slippageBps.vwap)]),
        );
      }
      for (const t of totals) {
        if (t.kind !== 'groups') continue;
        out.data(`${t.currency}: ${t.accounts.join(', ')}`);
        renderTcaGroups(out, t.groups.map(groupJson), groupKeyName(across), t.runs);
      }
    },
  );
}

function groupKeyName(across: TcaAcross): string {
  const first = across.sections.find((s) => s.result.kind === 'groups')?.result;
  return first?.kind === 'groups' ? first.by : 'group';
}

/** `tca --account/--accounts --json` (README "Output contract"). */
export function tcaAcrossJson(across: TcaAcross) {
  return acrossJson(
    across,
    (r) => (r.kind === 'none' ? { runs: 0 } : tcaJson(r)),
    (t) => (t.kind === 'legs' ? { accounts: t.accounts, ...totalsJson(t.totals), currency: t.currency } : { currency: t.currency, accounts: t.accounts, runs: t.runs, groups: t.groups.map(groupJson) }),
  );
}

/** `tca --account/--accounts --csv`: each account's rows (per leg, or per group), the account's alias first. */
export function tcaAcrossCsv(across: TcaAcross): string {
  const groups = across.sections.some((s) => s.result.kind === 'groups');
  const rows = across.sections.flatMap((s) => {
    if (s.result.kind === 'legs') return s.result.report.legs.map((l) => [s.alias, ...legCsvRow(l)]);
    if (s.result.kind === 'groups') return s.result.groups.map((g) => [s.alias, ...groupCsvRow(g)]);
    return [];
  });
  return toCsv(['account', ...(groups ? GROUP_CSV_HEADER : LEG_CSV_HEADER)], rows);
}
