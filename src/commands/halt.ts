import * as Flags from '@oclif/core/flags';
import { KillSwitch } from '../store/risk-queries.js';
import { BaseCommand } from './base-command.js';

export default class Halt extends BaseCommand {
  static override summary = 'Kill switch: stop all sending, in every process.';
  static override description =
    'Records a halt in the database. Every order passes the risk gate, which refuses to send while trading is halted; a running engine notices within one second and, with --cancel-open, cancels its open orders. The halt survives restarts until `ptexec unhalt`.';
  static override examples = [
    '<%= config.bin %> halt --reason "wrong target file"',
    '<%= config.bin %> halt --reason "broker outage" --cancel-open',
    '<%= config.bin %> halt --json',
  ];
  static override flags = {
    reason: Flags.string({ description: 'why trading is halted (shown to every blocked order and in the audit trail)' }),
    'cancel-open': Flags.boolean({ description: 'running engines also cancel their open orders', default: false }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Halt);
    const killSwitch = new KillSwitch(this.store());
    const before = killSwitch.isHalted();
    // Halting again keeps what an earlier halt asked for unless this one says more.
    const reason = flags.reason?.trim() || (before.halted ? before.reason : undefined) || null;
    const state = killSwitch.halt(reason, flags['cancel-open'] || (before.halted && before.cancelOpen));
    const at = new Date(state.at ?? Date.now()).toISOString();
    this.out.info(
      `${before.halted ? 'trading was already halted; halt updated' : 'trading halted'} at ${at}${state.reason ? `: ${state.reason}` : ''}` +
        `${state.cancelOpen ? '; running engines cancel their open orders' : ''}. \`ptexec unhalt\` lifts it.`,
    );
    return { halted: state.halted, reason: state.reason ?? null, at, cancel_open: state.cancelOpen };
  }
}
