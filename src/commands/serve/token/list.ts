import { BaseCommand } from '../../base-command.js';

export default class TokenList extends BaseCommand {
  static override summary = "List ptexec serve's API tokens (never their secrets).";

  static override examples = ['<%= config.bin %> serve token list --json'];

  async run(): Promise<unknown> {
    await this.parse(TokenList);
    const { listTokens } = await import('../../../server/token-admin-service.js');
    return this.finish(listTokens(this.factory));
  }
}
