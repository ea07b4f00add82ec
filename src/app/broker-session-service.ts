import { isBrokerError } from '../domain/errors/broker-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { BROKERS_WITH_LOGIN } from '../brokers/registry.js';
import { credentialEnvName, readCredentialsFile, resolveCredentials, updateBrokerCredentials } from '../lib/credentials.js';
import { credentialsFilePath } from '../lib/paths.js';
import type { Factory } from './factory.js';

/** One broker's stored session, as `ptexec brokers status` shows it (never the secrets). */
export interface BrokerSessionRow {
  broker: string;
  logged_in: boolean;
  user_id: string | null;
  token_source: string | null;
  api_key_source: string | null;
  api_secret_source: string | null;
  login_time: string | null;
  expires_at: string | null;
  expired: boolean;
}

export interface BrokerSessions {
  credentials_file: string;
  brokers: BrokerSessionRow[];
}

/** Brokers with a login are listed even when nothing is stored for them. */
export function brokerSessions(f: Factory): BrokerSessions {
  const path = credentialsFilePath(f.env);
  const names = [...new Set([...BROKERS_WITH_LOGIN, ...Object.keys(readCredentialsFile(path).brokers)])].sort();
  const now = f.wallNow();
  const brokers = names.map((broker) => {
    const c = resolveCredentials(broker, f.env);
    const expired = c.expiresAt !== undefined && c.expiresAt <= now;
    return {
      broker,
      logged_in: Boolean(c.apiKey && c.accessToken) && !expired,
      user_id: c.userId ?? null,
      token_source: c.sources.accessToken ?? null,
      api_key_source: c.sources.apiKey ?? null,
      api_secret_source: c.sources.apiSecret ?? null,
      login_time: c.loginTime !== undefined ? new Date(c.loginTime).toISOString() : null,
      expires_at: c.expiresAt !== undefined ? new Date(c.expiresAt).toISOString() : null,
      expired,
    };
  });
  return { credentials_file: path, brokers };
}

function hasLogin(broker: string): boolean {
  return (BROKERS_WITH_LOGIN as readonly string[]).includes(broker);
}

/**
 * `ptexec brokers login`: the broker's login URL, then what the browser was redirected to (asked
 * on a terminal, else the first line piped in); the one-time token is exchanged for a session,
 * stored in the credentials file. The key and secret come from the environment or the file, or
 * are asked for on a terminal (a secret asked for is stored too).
 */
export async function logIn(f: Factory, broker: string): Promise<Record<string, unknown>> {
  const login = await f.brokerLogin(broker);
  if (!login) throw new InvalidInputError(`${broker} has no login`, `brokers with a login: ${BROKERS_WITH_LOGIN.join(', ')}`);
  const prompt = f.io.stdin.isTTY ? await f.io.prompt() : undefined;
  try {
    const stored = resolveCredentials(broker, f.env);
    let apiKey = stored.apiKey;
    let apiSecret = stored.apiSecret;
    const prompted: { api_key?: string; api_secret?: string } = {};
    if (!apiKey || !apiSecret) {
      if (!prompt) {
        throw new InvalidInputError(
          `no ${login.labels.broker} API key and secret: set ${credentialEnvName(broker, 'API_KEY')} and ${credentialEnvName(broker, 'API_SECRET')}, or run this on a terminal to be asked`,
          `the key and secret are on ${login.labels.keysWhere}`,
        );
      }
      if (!apiKey) apiKey = prompted.api_key = await prompt.ask(`${login.labels.apiKey}: `);
      if (!apiSecret) apiSecret = prompted.api_secret = await prompt.ask(`${login.labels.apiSecret}: `, true);
    }
    if (!apiKey || !apiSecret) throw new InvalidInputError('the API key and secret must not be empty');

    f.io.info('Open this URL in a browser and log in:');
    f.io.info(`  ${login.loginUrl(apiKey)}`);
    const answer = prompt ? await prompt.ask('Paste the URL you were redirected to (or the request_token): ') : await f.io.firstLine();
    if (!answer) throw new InvalidInputError('no request token given: paste the redirect URL at the prompt, or pipe it on stdin');
    const session = await login.createSession(apiKey, apiSecret, login.requestToken(answer));
    const expiresAt = new Date(session.expiresAt).toISOString();
    updateBrokerCredentials(
      broker,
      {
        api_key: apiKey,
        ...(prompted.api_secret ? { api_secret: prompted.api_secret } : {}),
        access_token: session.accessToken,
        user_id: session.userId,
        user_name: session.userName,
        login_time: new Date(session.loginTime).toISOString(),
        expires_at: expiresAt,
      },
      stored.path,
    );
    f.io.info(`logged in to ${broker} as ${session.userId}; the session expires ${expiresAt}`);
    return { broker, user_id: session.userId, expires_at: expiresAt, credentials_file: stored.path };
  } finally {
    prompt?.close();
  }
}

/**
 * `ptexec brokers logout`: each session (one broker's, else every stored one) is invalidated with
 * the broker where it has a login, and its token removed from the credentials file; the key and
 * secret stay for the next login. A token the broker already refuses is removed all the same.
 */
export async function logOut(f: Factory, only?: string): Promise<{ brokers: { broker: string; revoked: boolean; removed: boolean }[] }> {
  const path = credentialsFilePath(f.env);
  const stored = readCredentialsFile(path).brokers;
  const targets = only ? [only] : Object.keys(stored).filter((b) => stored[b]?.access_token);
  const results: { broker: string; revoked: boolean; removed: boolean }[] = [];
  for (const broker of targets) {
    const token = stored[broker]?.access_token;
    if (!token) {
      f.io.info(`${broker}: no stored session`);
      results.push({ broker, revoked: false, removed: false });
      continue;
    }
    const revoked = await revoke(f, broker, token);
    updateBrokerCredentials(broker, { access_token: undefined, user_id: undefined, user_name: undefined, login_time: undefined, expires_at: undefined }, path);
    f.io.info(`${broker}: logged out${revoked ? '' : ' (the token was removed locally; the broker could not be told)'}`);
    results.push({ broker, revoked, removed: true });
  }
  if (results.length === 0) f.io.info('no stored sessions');
  return { brokers: results };
}

async function revoke(f: Factory, broker: string, token: string): Promise<boolean> {
  if (!hasLogin(broker)) return false;
  const apiKey = resolveCredentials(broker, f.env).apiKey;
  if (!apiKey) return false;
  const login = await f.brokerLogin(broker);
  try {
    await login!.deleteSession(apiKey, token);
    return true;
  } catch (err) {
    if (isBrokerError(err, 'auth')) return true;
    f.io.warn(`${broker}: ${(err as Error).message}`);
    return false;
  }
}
