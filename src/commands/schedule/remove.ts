import * as Args from '@oclif/core/args';
import { removeSchedule } from '../../app/schedule-service.js';
import { BaseCommand } from '../base-command.js';

export default class ScheduleRemove extends BaseCommand {
  static override summary = 'Remove a scheduled rebalance and its crontab line.';
  static override examples = ['<%= config.bin %> schedule remove morning'];
  static override args = { name: Args.string({ required: true, description: 'the schedule name' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(ScheduleRemove);
    return this.finish(await removeSchedule(this.factory, { name: args.name }));
  }
}
