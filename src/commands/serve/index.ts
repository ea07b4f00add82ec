import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';

export default class Serve extends BaseCommand {
  static override summary = 'Serve the execution API over HTTP (execute, runs, controls).';

  static override description = `The same engine, store and pre-trade rules as the commands, behind bearer tokens (\`ptexec serve token create\`). Loopback only unless --host says otherwise (then TLS or --insecure). SIGTERM or Ctrl-C stops it; runs in flight stop resumably (exit 130).`;

  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 0', '<%= config.bin %> serve --publish nats://127.0.0.1:4222', '<%= config.bin %> serve --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem'];

  static override flags = {
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1', helpValue: 'ADDR' }),
    port: Flags.integer({ description: 'port (0: any free port, printed on stderr)', default: 8000, helpValue: 'N' }),
    'tls-cert': Flags.string({ description: 'HTTPS: certificate (PEM)', helpValue: 'FILE' }),
    'tls-key': Flags.string({ description: 'HTTPS: private key (PEM)', helpValue: 'FILE' }),
    insecure: Flags.boolean({ description: 'allow plain HTTP on a non-loopback --host' }),
    'allow-request-credentials': Flags.boolean({ description: 'accept broker credentials in POST /execute (used once, never stored)' }),
    'cors-origin': Flags.string({ description: 'a browser origin allowed to call the API (repeatable)', multiple: true, helpValue: 'URL' }),
    publish: Flags.string({ description: 'publish every event to NATS JetStream (subjects ptexec.<account>.<type>)', helpValue: 'nats://HOST:4222' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Serve);
    const { serve } = await import('../../server/serve-service.js');
    return this.finish(await serve(this.factory, flags, this.config.version));
  }
}
