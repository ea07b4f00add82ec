import { listSchedules } from '../../app/schedule-service.js';
import { BaseCommand } from '../base-command.js';

export default class ScheduleList extends BaseCommand {
  static override summary = 'List scheduled rebalances with their next runs.';
  static override description = `Each schedule of schedules.json, whether its crontab line is installed, and its next runs in the exchange's time (cron itself keeps the host's time zone).`;
  static override examples = ['<%= config.bin %> schedule list', '<%= config.bin %> schedule list --json'];

  async run(): Promise<unknown> {
    await this.parse(ScheduleList);
    return this.finish(await listSchedules(this.factory));
  }
}
