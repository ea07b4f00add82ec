import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import type { CommandResult } from '../app/command-result.js';
import { Factory } from '../app/factory.js';
import { configuredCalendarFiles, supplyShippedCalendars } from '../app/loaders/calendars.js';
import { describeError, errorJson } from '../lib/errors.js';
import { PtexecError } from '../domain/errors/ptexec-error.js';
import { IO } from '../lib/io.js';
import { databasePath } from '../lib/paths.js';
import { sqliteStorageError } from '../store/storage-errors.js';
import { usageError } from '../oclif/usage-error.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * What every command shares: `--db`, `--no-color`, `--verbose`, `--wide`, `--json`, the I/O
 * object, the factory (built once per command), and the mapping of typed errors to documented
 * exit codes. Commands stay thin: parse, call one use case, present.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    json: Flags.boolean({ description: 'print the result as JSON on stdout (snake_case keys)', helpGroup: 'GLOBAL' }),
    db: Flags.string({ helpValue: 'PATH', description: 'the database (default: $PTEXEC_DB, else in $XDG_DATA_HOME)', helpGroup: 'GLOBAL' }),
    'no-color': Flags.boolean({ description: 'no colour (also NO_COLOR=1 or TERM=dumb)', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'stack traces for unexpected errors', helpGroup: 'GLOBAL' }),
    wide: Flags.boolean({ description: 'every table column in full, however wide', helpGroup: 'GLOBAL' }),
  };

  protected out!: IO;
  protected factory!: Factory;
  private globalFlags: { db?: string; 'no-color'?: boolean; verbose?: boolean; json?: boolean; wide?: boolean } = {};

  override async init(): Promise<void> {
    await super.init();
    // Parse leniently once for the global flags; the command parses its own flags in run().
    const ctor = this.ctor as typeof BaseCommand;
    const { flags } = await this.parse({ flags: ctor.flags, baseFlags: ctor.baseFlags, enableJsonFlag: ctor.enableJsonFlag, args: ctor.args, strict: false });
    this.globalFlags = flags as typeof this.globalFlags;
    this.out = new IO({ noColor: this.globalFlags['no-color'], json: this.jsonEnabled(), wide: this.globalFlags.wide });
    const env = this.out.env;
    supplyShippedCalendars(() => configuredCalendarFiles(env));
    this.factory = new Factory(this.out, { db: this.globalFlags.db });
  }

  /** A use case's result: its exit code for the process, its JSON for `--json`. */
  protected finish(result: CommandResult): unknown {
    this.out.setExitCode(result.exitCode);
    return result.json;
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    await this.factory?.close();
    return super.finally(err);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own parse errors (unknown flag, missing arg) are usage errors: exit 2.
    if (err.oclif?.exit !== undefined && !(err instanceof PtexecError)) {
      if (err.oclif.exit === 0) return;
      if (err.oclif.exit !== 1 && err.oclif.exit !== 2) this.exit(err.oclif.exit);
      const ctor = this.ctor as typeof BaseCommand;
      err = usageError(err, Object.keys({ ...ctor.baseFlags, ...ctor.flags }), this.id?.replaceAll(':', ' ') ?? '');
    }
    this.out ??= new IO();
    // Only the database speaks SQLite: whatever it reported is about the database's file.
    const d = describeError(sqliteStorageError(err, databasePath(this.globalFlags.db, this.out.env)) ?? err);
    // One JSON object on stdout (with the result that goes with the failure, if any); the
    // message once on stderr.
    if (this.jsonEnabled()) this.out.json({ ...d.result, error: errorJson(d) });
    this.out.error(d.message);
    for (const line of d.details) this.out.info(line);
    if (d.hint) this.out.info(`  ${d.hint}`);
    if (d.bug && (this.globalFlags.verbose || this.out.debug)) this.out.info(err.stack ?? '');
    else if (d.bug) this.out.info('  this is a bug in ptexec; run again with --verbose for details');
    this.out.setExitCode(d.exitCode);
    this.exit(d.exitCode);
  }
}
