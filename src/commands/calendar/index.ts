import * as Flags from '@oclif/core/flags';
import { listCalendar } from '../../app/calendar-service.js';
import { BaseCommand } from '../base-command.js';

export default class Calendar extends BaseCommand {
  static override summary = "List an exchange's trading sessions and holidays.";
  static override description = `One line per day: trading (with its session, exchange time), special session, holiday, weekend, or unknown — a weekday of a year the holiday lists do not cover (shipped: NSE/BSE 2025–2026; add years with a calendar file, config.json "calendars").`;
  static override examples = ['<%= config.bin %> calendar', '<%= config.bin %> calendar --exchange BSE --from 2026-10-01 --to 2026-11-30', '<%= config.bin %> calendar is-open && echo trading'];
  static override flags = {
    exchange: Flags.string({ description: 'NSE (default), BSE, NYSE or NASDAQ', helpValue: 'NAME' }),
    from: Flags.string({ description: 'first day (default: today)', helpValue: 'YYYY-MM-DD' }),
    to: Flags.string({ description: 'last day (default: 30 days on)', helpValue: 'YYYY-MM-DD' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Calendar);
    return this.finish(listCalendar(this.factory, flags));
  }
}
