import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';

export default class TokenCreate extends BaseCommand {
  static override summary = 'Create an API token for ptexec serve (printed once).';

  static override description = 'Scopes: read (runs, orders, reports, metrics), trade (execute, pause, resume, cancel, halt, unhalt), admin (tokens). Only a hash of the token is stored.';

  static override examples = ['<%= config.bin %> serve token create --scope read,trade --name desk'];

  static override flags = {
    scope: Flags.string({ description: 'comma-separated: read, trade, admin', required: true, helpValue: 'LIST' }),
    name: Flags.string({ description: 'what the token is for', helpValue: 'TEXT' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TokenCreate);
    const { createToken } = await import('../../../server/token-admin-service.js');
    return this.finish(createToken(this.factory, flags));
  }
}
