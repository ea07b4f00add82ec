import { createInterface } from 'node:readline';
import * as Args from '@oclif/core/args';
import { createKiteSession, kiteLoginUrl, openKiteSessionClient, parseRequestToken } from '../../brokers/zerodha/session.js';
import { loadZerodhaSettings } from '../../brokers/zerodha/factory.js';
import { WallClock } from '../../engine/clock/index.js';
import { loadConfig } from '../../lib/config.js';
import { credentialEnvName, resolveCredentials, updateBrokerCredentials } from '../../lib/credentials.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersLogin extends BaseCommand {
  static override summary = 'Log in to a broker and store the session in the credentials file.';
  static override description = `Prints the broker's login URL. Open it, log in, and paste the URL your browser is redirected to (or just its request_token) at the prompt, or pipe it on stdin. The one-time token is exchanged for an access token, which is stored with the user id and its expiry (Kite: about 06:00 IST the next day) in $XDG_CONFIG_HOME/ptexec/credentials.json (mode 0600).

The API key and secret come from PTEXEC_ZERODHA_API_KEY / PTEXEC_ZERODHA_API_SECRET, the credentials file, or a prompt on a terminal. Secrets are never taken from flags.`;
  static override examples = [
    '<%= config.bin %> brokers login zerodha',
    'echo AbC123xyz | <%= config.bin %> brokers login zerodha',
  ];
  static override args = { broker: Args.string({ ignoreStdin: true, description: 'broker to log in to', required: true, options: ['zerodha'] }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(BrokersLogin);
    const interactive = Boolean(process.stdin.isTTY);
    const prompt = interactive ? new TerminalPrompt() : undefined;
    const stdinLines = interactive ? undefined : createInterface({ input: process.stdin, terminal: false });
    try {
      return await this.login(args.broker, prompt, stdinLines);
    } finally {
      prompt?.close();
      stdinLines?.close();
    }
  }

  private async login(broker: string, prompt: TerminalPrompt | undefined, stdinLines: ReturnType<typeof createInterface> | undefined): Promise<unknown> {
    const env = process.env;
    const settings = loadZerodhaSettings(loadConfig().brokers?.[broker], env);
    const stored = resolveCredentials(broker, env);
    let apiKey = stored.apiKey;
    let apiSecret = stored.apiSecret;
    const prompted: { api_key?: string; api_secret?: string } = {};
    if (!apiKey || !apiSecret) {
      if (!prompt) {
        throw new InvalidInputError(
          `no Zerodha API key and secret: set ${credentialEnvName(broker, 'API_KEY')} and ${credentialEnvName(broker, 'API_SECRET')}, or run this on a terminal to be asked`,
          'the key and secret are on your Kite Connect app page (developers.kite.trade)',
        );
      }
      if (!apiKey) apiKey = prompted.api_key = await prompt.ask('Kite Connect API key: ');
      if (!apiSecret) apiSecret = prompted.api_secret = await prompt.ask('Kite Connect API secret: ', true);
    }
    if (!apiKey || !apiSecret) throw new InvalidInputError('the API key and secret must not be empty');

    this.out.info('Open this URL in a browser and log in:');
    this.out.info(`  ${kiteLoginUrl(settings.login_url, apiKey)}`);
    const answer = prompt ? await prompt.ask('Paste the URL you were redirected to (or the request_token): ') : await firstLine(stdinLines!);
    if (!answer) throw new InvalidInputError('no request token given: paste the redirect URL at the prompt, or pipe it on stdin');
    const requestToken = parseRequestToken(answer);

    const clock = new WallClock();
    const { client, close } = openKiteSessionClient(settings, apiKey, clock);
    try {
      const session = await createKiteSession(client, requestToken, apiSecret, clock.now());
      updateBrokerCredentials(
        broker,
        {
          api_key: apiKey,
          ...(prompted.api_secret ? { api_secret: prompted.api_secret } : {}),
          access_token: session.accessToken,
          user_id: session.userId,
          user_name: session.userName,
          login_time: new Date(session.loginTime).toISOString(),
          expires_at: new Date(session.expiresAt).toISOString(),
        },
        stored.path,
      );
      this.out.info(`logged in to ${broker} as ${session.userId}; the session expires ${new Date(session.expiresAt).toISOString()}`);
      return { broker: broker, user_id: session.userId, expires_at: new Date(session.expiresAt).toISOString(), credentials_file: stored.path };
    } finally {
      await close();
    }
  }
}

/**
 * Questions on the terminal (prompts on stderr), through one readline interface so that
 * type-ahead is never lost between questions; a hidden answer is not echoed.
 */
class TerminalPrompt {
  private readonly rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  private muted = false;

  constructor() {
    const rl = this.rl as unknown as { _writeToOutput: (s: string) => void };
    const write = rl._writeToOutput.bind(rl);
    rl._writeToOutput = (s: string) => {
      if (!this.muted || s.includes('\n')) write(this.muted ? '\n' : s);
    };
  }

  ask(question: string, hidden = false): Promise<string> {
    return new Promise((resolve) => {
      this.rl.question(question, (value) => {
        this.muted = false;
        resolve(value.trim());
      });
      this.muted = hidden;
    });
  }

  close(): void {
    this.rl.close();
  }
}

/** The first non-empty line of piped stdin (then stops reading it). */
async function firstLine(rl: ReturnType<typeof createInterface>): Promise<string> {
  try {
    for await (const line of rl) if (line.trim()) return line.trim();
    return '';
  } finally {
    rl.close();
  }
}
