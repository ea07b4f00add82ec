import { isBrokerError } from '../domain/errors/broker-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { BROKERS_WITH_LOGIN, SESSION_EVIDENCE } from '../brokers/registry.js';
import { credentialEnvName, readCredentialsFile, resolveCredentials, SESSION_FIELDS, updateBrokerCredentials } from '../lib/credentials.js';
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
      logged_in: (SESSION_EVIDENCE[broker as keyof typeof SESSION_EVIDENCE] ?? (['apiKey', 'accessToken'] as const)).every((field) => Boolean(c[field])) && !expired,
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

/** "a", "a and b", "a, b and c". */
function andList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function hasLogin(broker: string): boolean {
  return (BROKERS_WITH_LOGIN as readonly string[]).includes(broker);
}

/**
 * `ptexec brokers login`: the broker's login flow (a login URL and the redirect pasted back, or
 * credentials alone), and the session it creates stored in the credentials file. The values the
 * login needs come from the environment or the file, or are asked for on a terminal (what was
 * asked is stored too).
 */
export async function logIn(f: Factory, broker: string): Promise<Record<string, unknown>> {
  const login = await f.brokerLogin(broker);
  if (!login) throw new InvalidInputError(`${broker} has no login`, `brokers with a login: ${BROKERS_WITH_LOGIN.join(', ')}`);
  const prompt = f.io.stdin.isTTY ? await f.io.prompt() : undefined;
  try {
    const stored = resolveCredentials(broker, f.env, login.fields.map((field) => field.name));
    const values = { ...stored.values };
    const prompted: Record<string, string> = {};
    const missing = login.fields.filter((field) => !field.optional && !values[field.name]);
    if (missing.length > 0 && !prompt) {
      throw new InvalidInputError(
        `no ${login.labels.broker} ${andList(missing.map((field) => field.label))}: set ${andList(missing.map((field) => credentialEnvName(broker, field.name)))}, or run this on a terminal to be asked`,
        `they are on ${login.labels.keysWhere}`,
      );
    }
    for (const field of missing) {
      const answer = (await prompt!.ask(`${field.label}: `, field.secret)).trim();
      if (!answer) throw new InvalidInputError(`the ${field.label} must not be empty`);
      values[field.name] = prompted[field.name] = answer;
    }
    let piped = false;
    const session = await login.logIn(values, {
      info: (line) => f.io.info(line),
      ask: async (question, secret) => {
        if (prompt) return prompt.ask(question, secret);
        if (piped) throw new InvalidInputError(`${login.labels.broker} asked a second question (${question.trim()}) and only one answer can be piped`, 'run this on a terminal');
        piped = true;
        return f.io.firstLine();
      },
    });
    const expiresAt = new Date(session.expiresAt).toISOString();
    updateBrokerCredentials(
      broker,
      {
        // What identifies the app (API key, client code) is kept for the next login; a secret only when it was typed here.
        ...Object.fromEntries(login.fields.filter((field) => !field.secret && values[field.name]).map((field) => [field.name, values[field.name]])),
        ...prompted,
        access_token: session.accessToken,
        refresh_token: session.refreshToken,
        refresh_expires_at: session.refreshExpiresAt === undefined ? undefined : new Date(session.refreshExpiresAt).toISOString(),
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
    updateBrokerCredentials(broker, Object.fromEntries(SESSION_FIELDS.map((field) => [field, undefined])), path);
    f.io.info(`${broker}: logged out${revoked ? '' : ' (the token was removed locally; the broker could not be told)'}`);
    results.push({ broker, revoked, removed: true });
  }
  if (results.length === 0) f.io.info('no stored sessions');
  return { brokers: results };
}

async function revoke(f: Factory, broker: string, token: string): Promise<boolean> {
  if (!hasLogin(broker)) return false;
  const login = await f.brokerLogin(broker);
  const values = resolveCredentials(broker, f.env, login!.fields.map((field) => field.name)).values;
  if (login!.fields.some((field) => !field.optional && !field.secret && !values[field.name])) return false;
  try {
    await login!.deleteSession(values, token);
    return true;
  } catch (err) {
    if (isBrokerError(err, 'auth')) return true;
    f.io.warn(`${broker}: ${(err as Error).message}`);
    return false;
  }
}
