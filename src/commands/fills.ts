import * as Flags from '@oclif/core/flags';
import { recordedFills } from '../app/record-service.js';
import { moreMatched, renderFills } from '../app/render/query-tables.js';
import { fillJson } from '../app/render/rows.js';
import { BaseCommand } from './base-command.js';

export default class Fills extends BaseCommand {
  static override summary = 'List fills (executions), oldest first.';
  static override examples = [
    '<%= config.bin %> fills',
    '<%= config.bin %> fills --symbol TCS --json',
    `<%= config.bin %> fills --json | jq '.fills[0]'`,
  ];
  static override flags = {
    run: Flags.string({ description: 'only fills of this run' }),
    symbol: Flags.string({ description: 'only fills for this symbol' }),
    order: Flags.string({ description: 'only fills of this order (a parent id includes its children)' }),
    limit: Flags.integer({ description: 'at most this many fills', default: 1000, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Fills);
    const { rows: fills, more } = recordedFills(this.factory, flags);
    if (!this.jsonEnabled()) {
      if (!fills.length) this.out.info('no matching fills');
      else renderFills(this.out, fills);
      if (more) this.out.info(moreMatched(`the first ${fills.length} fills`, '--run, --symbol or --order'));
    }
    return { fills: fills.map(fillJson), more };
  }
}
