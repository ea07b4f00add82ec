import { BaseCommand } from './base-command.js';

/** `ptexec version`: what `ptexec --version` and `ptexec -v` print. */
export default class Version extends BaseCommand {
  static override summary = 'Print the version of ptexec (also -v, --version).';
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json'];

  async run(): Promise<unknown> {
    await this.parse(Version);
    if (!this.jsonEnabled()) this.log(this.config.userAgent);
    return { name: this.config.name, version: this.config.version, platform: this.config.platform, arch: this.config.arch, node: process.versions.node };
  }
}
