import * as Flags from '@oclif/core/flags';
import { haltTrading } from '../app/halt-service.js';
import { BaseCommand } from './base-command.js';

export default class Halt extends BaseCommand {
  static override summary = 'Kill switch: stop all sending in every process.';
  static override description =
    'Records a halt in the database. Every order passes the risk gate, which refuses to send while trading is halted; a running engine notices within one second and, with --cancel-open, cancels its open orders. With --cancel-open, the open orders of unfinished runs no process is executing are cancelled at their brokers too (the runs stay resumable). The halt survives restarts until `ptexec unhalt`.';
  static override examples = [
    '<%= config.bin %> halt --reason "wrong target file"',
    '<%= config.bin %> halt --reason "broker outage" --cancel-open',
    '<%= config.bin %> halt --json',
  ];
  static override flags = {
    reason: Flags.string({ description: 'why trading is halted (shown to every blocked order and in the audit trail)' }),
    'cancel-open': Flags.boolean({ description: 'cancel open orders too: running engines cancel theirs, and those of stopped runs are cancelled at the broker', default: false }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Halt);
    return this.finish(await haltTrading(this.factory, { reason: flags.reason, cancelOpen: flags['cancel-open'] }));
  }
}
