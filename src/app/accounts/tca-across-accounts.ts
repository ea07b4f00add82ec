import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { groupBy } from '../../domain/group-by.js';
import { totalsOf } from '../../engine/tca/analyse.js';
import type { TcaGroup, TcaGroupBy } from '../../engine/tca/compare.js';
import { compareRuns } from '../../engine/tca/run-report.js';
import type { TcaTotals } from '../../engine/tca/types.js';
import { PostTradeQueries } from '../../store/posttrade-queries.js';
import type { Factory } from '../factory.js';
import { inScope, transactionCosts, type TcaGroups, type TcaLegs } from '../tca-service.js';
import { readEachAccount, type AcrossAccounts } from './account-section.js';
import type { SelectedAccounts } from './account-selection.js';

/** An account's TCA: its latest run (or the run named), its runs compared, or nothing when it has no runs. */
export type AccountTca = TcaLegs | TcaGroups | { kind: 'none' };

/** One currency's TCA over the accounts: the legs' totals, or the groups compared over every account's runs. */
export type TcaAcrossTotal = { currency: string; accounts: string[] } & ({ kind: 'legs'; totals: TcaTotals } | { kind: 'groups'; runs: number; groups: TcaGroup[] });

export interface TcaAcrossRequest {
  run?: string;
  groupBy?: TcaGroupBy;
  since?: string;
}

/**
 * `tca --account/--accounts`: each account's latest run (the run named, with `--account`), or
 * with `groupBy` each account's runs compared, as `tca` analyses them; then per currency the
 * totals of every account's legs, or the groups compared over all their runs together (a rupee
 * and a dollar of value never weigh against each other).
 */
export async function tcaAcrossAccounts(f: Factory, selected: SelectedAccounts, request: TcaAcrossRequest): Promise<AcrossAccounts<AccountTca, TcaAcrossTotal>> {
  if (request.since && !request.groupBy) throw new InvalidInputError('--since works with --group-by');
  if (request.run !== undefined && !selected.single) throw new InvalidInputError('a run id goes with --account, not --accounts: a run trades one account', 'leave out the run id for each account\'s latest run, or use --account');
  const queries = new PostTradeQueries(f.store());
  const runs = queries.runs();
  const sections = await readEachAccount(f, selected.definitions, async (_d, scope): Promise<AccountTca> => {
    if (request.run === undefined && !request.groupBy && !runs.some((r) => inScope(r, scope))) return { kind: 'none' };
    return transactionCosts(f, { ...request, scope });
  });
  if (!request.groupBy) {
    const legs = sections.flatMap((s) => (s.result.kind === 'legs' ? s.result.report.legs.map((leg) => ({ alias: s.alias, leg })) : []));
    const consolidated = totalsOf(legs.map((l) => l.leg)).map((totals): TcaAcrossTotal => ({
      currency: totals.currency ?? '',
      accounts: [...new Set(legs.filter((l) => l.leg.currency === totals.currency).map((l) => l.alias))],
      kind: 'legs',
      totals,
    }));
    return { single: selected.single, sections, consolidated };
  }
  const scopes = sections.map((s) => ({ broker: s.broker, ...(s.account === null ? {} : { account: s.account }) }));
  const covered = runs.filter((r) => (!request.since || r.tradingDate >= request.since) && scopes.some((scope) => inScope(r, scope)));
  const compared = compareRuns(queries, await f.chargeSchedules(), covered.map((r) => r.runId), request.groupBy);
  const consolidated = [...groupBy(compared.groups, (g) => g.currency ?? '').entries()].map(([currency, groups]): TcaAcrossTotal => {
    const inCurrency = sections.filter((s) => s.result.kind === 'groups' && s.result.groups.some((g) => (g.currency ?? '') === currency));
    const runsOf = covered.filter((r) => inCurrency.some((s) => inScope(r, scopes[sections.indexOf(s)])));
    return { currency, accounts: inCurrency.map((s) => s.alias), kind: 'groups', runs: runsOf.length, groups };
  });
  return { single: selected.single, sections, consolidated };
}
