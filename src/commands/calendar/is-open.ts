import * as Flags from '@oclif/core/flags';
import { isOpen } from '../../app/calendar-service.js';
import { BaseCommand } from '../base-command.js';

export default class CalendarIsOpen extends BaseCommand {
  static override summary = "Whether the exchange's normal session is open, as the exit code.";
  static override description = `Exit codes: 0 open, 8 closed (weekend, holiday, outside the session; the next open is printed), 9 unknown (no holiday list for that year: ptexec does not guess), 2 bad flag.`;
  static override examples = ['<%= config.bin %> calendar is-open && ptexec rebalance portfolio.json --yes', '<%= config.bin %> calendar is-open --exchange NSE --at "2026-01-26 10:00"'];
  static override flags = {
    exchange: Flags.string({ description: 'NSE (default), BSE, NYSE or NASDAQ', helpValue: 'NAME' }),
    at: Flags.string({ description: 'HH:MM (exchange time, today), YYYY-MM-DD HH:MM, or ISO 8601 (default: now)', helpValue: 'TIME' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(CalendarIsOpen);
    return this.finish(isOpen(this.factory, flags));
  }
}
