import type { Output } from '../../lib/output.js';
import { accountHeading, CONSOLIDATED_HEADING, type AcrossAccounts, type AccountSection } from './account-section.js';

/**
 * Text of a multi-account answer: each account under a heading naming its alias, broker and
 * account id, drawn as the single-account command draws it; then, over several accounts, the
 * consolidated totals per currency.
 */
export function renderAcross<T, C>(out: Output, across: AcrossAccounts<T, C>, renderOne: (section: AccountSection<T>) => void, renderConsolidated: (totals: C[]) => void): void {
  across.sections.forEach((section, i) => {
    if (i > 0) out.data('');
    out.data(out.c.bold(`── ${accountHeading(section)}`));
    renderOne(section);
  });
  if (across.single) return;
  out.data('');
  out.data(out.c.bold(`── ${CONSOLIDATED_HEADING}`));
  renderConsolidated(across.consolidated);
}

/**
 * `--json` of a multi-account answer (README "Output contract"): `accounts`, each the
 * single-account command's JSON with the account's `alias` (and `broker`, `account`), and
 * `consolidated`, one entry per currency.
 */
export function acrossJson<T, C>(across: AcrossAccounts<T, C>, oneJson: (result: T) => object, consolidatedJson: (total: C) => object) {
  return {
    accounts: across.sections.map((s) => ({ alias: s.alias, broker: s.broker, account: s.account, ...oneJson(s.result) })),
    consolidated: across.consolidated.map(consolidatedJson),
  };
}
