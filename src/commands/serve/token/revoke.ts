import * as Args from '@oclif/core/args';
import { BaseCommand } from '../../base-command.js';

export default class TokenRevoke extends BaseCommand {
  static override summary = 'Revoke an API token of ptexec serve.';

  static override examples = ['<%= config.bin %> serve token revoke 3f9a0c1b2d4e'];

  static override args = {
    id: Args.string({ description: 'the token id (from `ptexec serve token list`)', required: true }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(TokenRevoke);
    const { revokeToken } = await import('../../../server/token-admin-service.js');
    return this.finish(revokeToken(this.factory, args.id));
  }
}
