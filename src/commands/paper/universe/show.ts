import { Args } from '@oclif/core';
import * as Flags from '@oclif/core/flags';
import { showUniverse } from '../../../app/paper-universe-service.js';
import { renderUniverse, universeJson } from '../../../app/render/paper-universe-view.js';
import { BaseCommand } from '../../base-command.js';

export default class PaperUniverseShow extends BaseCommand {
  static override summary = 'Show what the paper market lists, and the figures of some instruments.';
  static override examples = ['<%= config.bin %> paper universe show', '<%= config.bin %> paper universe show IRFC NSE:YESBANK', '<%= config.bin %> paper universe show --search "tata" --json'];
  static override strict = false;
  static override args = { symbol: Args.string({ description: 'symbols, optionally EXCHANGE:SYMBOL' }) };
  static override flags = { search: Flags.string({ description: 'instruments whose symbol or name contains this text' }) };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(PaperUniverseShow);
    const report = showUniverse(this.factory, { symbols: argv as string[], search: flags.search });
    if (!this.jsonEnabled()) renderUniverse(this.out, report);
    return universeJson(report);
  }
}
