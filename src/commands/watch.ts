import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { watchRun } from '../app/watch-service.js';
import { BaseCommand } from './base-command.js';

export default class Watch extends BaseCommand {
  static override summary = 'Watch a run live from any terminal, or replay a finished one.';
  static override description = `Attaches to a run that is executing in another process (a terminal, cron, a server) or replays a finished one, reading its events from the database. On a terminal it shows the live dashboard; it is read-only unless --control is given, which enables the keys that pause, resume or cancel and the kill switch (each recorded as an event, as with \`ptexec pause|resume|cancel|halt\`). Leaving with q never stops the run. A terminal that cannot draw it (TERM=dumb) gets plain progress lines on stderr instead, followed until the run ends.

Without a terminal, or with --json, it prints the run's events as NDJSON on stdout, one object per line: {"seq", "run_id", "ts", "time", "market_ts", "market_time", "type", "payload"}. ts/time is the wall-clock time the event was recorded; market_ts/market_time is the engine's market time (simulated on the paper broker at --speed; null for events recorded outside a run's engine); the payload has snake_case keys, amounts as decimal strings with *_minor twins and prices as decimal strings (README "Output contract"; schemas/watch-event.json). It prints what is there and exits, or with --follow keeps streaming until the run ends.

--group watches a group rebalance (\`rebalance --accounts\`): every account's run on one dashboard (each account on a row, the group per currency, the chosen account's legs below), or NDJSON whose lines add "group" and "account" ({"alias", "broker", "account"}; null for the kill switch).`;

  static override examples = [
    '<%= config.bin %> watch',
    '<%= config.bin %> watch --control',
    '<%= config.bin %> watch --group gycn3rp1l7',
    '<%= config.bin %> watch --json',
    `<%= config.bin %> watch --json | jq -c 'select(.type == "fill.recorded")'`,
  ];

  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or a unique prefix (default: the most recent run)' }) };

  static override flags = {
    group: Flags.string({ char: 'g', description: 'watch every account\'s run of a group rebalance (its id from `ptexec runs`, or a unique prefix)' }),
    follow: Flags.boolean({ char: 'f', description: 'for NDJSON output: keep streaming new events until the run ends' }),
    control: Flags.boolean({ description: 'allow the dashboard keys that steer the run (p pause/resume, c cancel a leg, X kill switch)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Watch);
    await watchRun(this.factory, { run: args.run, group: flags.group, follow: flags.follow, control: flags.control });
    return undefined;
  }
}
