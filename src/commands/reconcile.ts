import * as Flags from '@oclif/core/flags';
import { selectedAccounts } from '../app/accounts/account-selection.js';
import { reconcileAcrossAccounts } from '../app/accounts/reconcile-across-accounts.js';
import { reconcileAcrossJson, renderReconcileAcross } from '../app/accounts/reconcile-across-view.js';
import { reconcileWithBroker } from '../app/broker-account-service.js';
import { accountFlags } from '../oclif/account-flags.js';
import { reconciliationJson, renderReconciliation } from '../app/render/reconcile-view.js';
import { BaseCommand } from './base-command.js';

export default class Reconcile extends BaseCommand {
  static override summary = 'Compare our positions and cash with the broker\'s.';
  static override description = `ptexec's view is the last account snapshot (what the broker reported when a run started, or at the last --accept) plus every ptexec fill since. Each difference is printed with its likely cause: unsettled T+1, trades made outside ptexec, a corporate action (split, bonus), charges not yet debited, or cash moved outside ptexec. Exit 4 when anything differs; --accept records the broker's current state as the new baseline after reporting.`;
  static override examples = [
    '<%= config.bin %> reconcile',
    '<%= config.bin %> reconcile --json',
    '<%= config.bin %> reconcile --accept',
    '<%= config.bin %> reconcile --accounts all',
  ];
  static override flags = {
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'broker to compare with (default: default_broker, else paper)' }),
    accept: Flags.boolean({ description: 'after reporting, record the broker\'s current state as the new baseline' }),
    ...accountFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Reconcile);
    const selected = await selectedAccounts(this.factory, flags);
    if (selected) {
      const across = await reconcileAcrossAccounts(this.factory, selected, flags.accept);
      if (!this.jsonEnabled()) renderReconcileAcross(this.out, across, flags.accept);
      return this.finish({ exitCode: across.exitCode, json: reconcileAcrossJson(across) });
    }
    const reconciliation = await reconcileWithBroker(this.factory, { broker: flags.broker, accept: flags.accept });
    if (!this.jsonEnabled()) renderReconciliation(this.out, reconciliation, flags.accept);
    return this.finish({ exitCode: reconciliation.exitCode, json: reconciliationJson(reconciliation) });
  }
}
