import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { credentialsFilePath } from './paths.js';

/**
 * The credentials file (`$XDG_CONFIG_HOME/ptexec/credentials.json`): per broker, the API key and
 * secret and the current session. It is created 0600 and never read when group or world can
 * read it. Any field may instead come from the environment (`PTEXEC_<BROKER>_API_KEY`,
 * `PTEXEC_<BROKER>_API_SECRET`, `PTEXEC_<BROKER>_ACCESS_TOKEN`, and a broker's own login fields
 * such as `PTEXEC_ANGELONE_TOTP_SECRET`) for cron and CI; the environment wins.
 */
const BrokerCredentialsSchema = z
  .object({
    api_key: z.string().min(1).optional(),
    api_secret: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    /** Brokers that renew a session without a browser (Fyers) keep their refresh token here. */
    refresh_token: z.string().min(1).optional(),
    user_id: z.string().optional(),
    user_name: z.string().optional(),
    /** ISO-8601 times. */
    login_time: z.string().optional(),
    expires_at: z.string().optional(),
    refresh_expires_at: z.string().optional(),
  })
  // A broker's own login fields (client code, PIN, TOTP secret, …): names in snake_case, values strings.
  .catchall(z.string().min(1));

/** The session fields a logout removes; the keys and login fields stay for the next login. */
export const SESSION_FIELDS = ['access_token', 'refresh_token', 'user_id', 'user_name', 'login_time', 'expires_at', 'refresh_expires_at'] as const;

const CredentialsFileSchema = z
  .object({
    version: z.literal(1),
    brokers: z.record(z.string(), BrokerCredentialsSchema),
    /** Secrets of notification channels (README "Notifications"): `notify.<channel>.<field>`. */
    notify: z.record(z.string(), z.record(z.string(), z.string().min(1))).optional(),
  })
  .strict();

export type StoredBrokerCredentials = z.infer<typeof BrokerCredentialsSchema>;
export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;

export function readCredentialsFile(path: string): CredentialsFile {
  if (!existsSync(path)) return { version: 1, brokers: {} };
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    const octal = mode.toString(8).padStart(4, '0');
    throw new InvalidInputError(`${path} is readable by group or others (mode ${octal}); refusing to read credentials from it: run \`chmod 600 ${path}\``, `chmod 600 ${path}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`${path}: not valid JSON (${(err as Error).message})`, 'log in again, or remove the file');
  }
  const parsed = CredentialsFileSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`${path}: invalid credentials file\n${z.prettifyError(parsed.error)}`, 'log in again, or remove the file');
  return parsed.data;
}

/** Writes atomically (temporary file then rename), 0600, in a 0700 directory. */
export function writeCredentialsFile(file: CredentialsFile, path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Merges `patch` into one broker's entry (undefined fields are removed) and saves. */
export function updateBrokerCredentials(broker: string, patch: Record<string, string | undefined>, path: string): StoredBrokerCredentials {
  const file = readCredentialsFile(path);
  const entry: Record<string, string | undefined> = { ...file.brokers[broker] };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete entry[k];
    else entry[k] = v;
  }
  const cleaned = BrokerCredentialsSchema.parse(entry);
  file.brokers[broker] = cleaned;
  writeCredentialsFile(file, path);
  return cleaned;
}

export type CredentialSource = 'env' | 'file';

export interface ResolvedCredentials {
  apiKey?: string;
  apiSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  userId?: string;
  userName?: string;
  /** Epoch ms, when the session's expiry is known (from the file). */
  expiresAt?: number;
  refreshExpiresAt?: number;
  loginTime?: number;
  /**
   * Every credential field by its file name (`api_key`, `client_code`, `totp_secret`, …), the
   * environment's `PTEXEC_<BROKER>_<FIELD>` over the file's.
   */
  values: Record<string, string>;
  sources: { apiKey?: CredentialSource; apiSecret?: CredentialSource; accessToken?: CredentialSource } & Record<string, CredentialSource | undefined>;
  /** Where the file is (whether or not it exists). */
  path: string;
}

/** `PTEXEC_<BROKER>_<FIELD>`: the variable that supplies a credential field (`api_key` → `API_KEY`; `fix:ldn` → `PTEXEC_FIX_LDN_…`). */
export function credentialEnvName(broker: string, field: string): string {
  return `PTEXEC_${broker.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${field.toUpperCase()}`;
}

/** Fields that are not credentials the environment may give (the session's metadata comes with its token). */
const METADATA_FIELDS = new Set(['user_id', 'user_name', 'login_time', 'expires_at', 'refresh_expires_at']);

/**
 * A broker's credentials from the environment and the credentials file (environment first).
 * `fields` names the broker's own login fields the environment may supply besides the usual three.
 */
export function resolveCredentials(broker: string, env: NodeJS.ProcessEnv, fields: readonly string[] = []): ResolvedCredentials {
  const path = credentialsFilePath(env);
  const fromEnv = (field: string) => env[credentialEnvName(broker, field)] || undefined;
  const envKey = fromEnv('api_key');
  const envSecret = fromEnv('api_secret');
  const envToken = fromEnv('access_token');
  const extraFields = fields.filter((f) => !['api_key', 'api_secret', 'access_token'].includes(f));
  const envHasAll = envKey && envSecret && envToken && extraFields.every((f) => fromEnv(f));
  // The file is only read when the environment does not supply everything.
  const stored: Record<string, string | undefined> = envHasAll ? {} : (readCredentialsFile(path).brokers[broker] ?? {});
  const time = (iso?: string) => (iso ? Date.parse(iso) : undefined);
  const values: Record<string, string> = {};
  const sources: Record<string, CredentialSource | undefined> = {};
  for (const [k, v] of Object.entries(stored)) if (v !== undefined && !METADATA_FIELDS.has(k)) [values[k], sources[k]] = [v, 'file'];
  for (const field of ['api_key', 'api_secret', 'access_token', 'refresh_token', ...extraFields]) {
    const v = fromEnv(field);
    if (v !== undefined) [values[field], sources[field]] = [v, 'env'];
  }
  const tokenFromFile = sources.access_token === 'file';
  return {
    apiKey: values.api_key,
    apiSecret: values.api_secret,
    accessToken: values.access_token,
    refreshToken: values.refresh_token,
    userId: tokenFromFile || !envToken ? stored.user_id : undefined,
    userName: tokenFromFile || !envToken ? stored.user_name : undefined,
    expiresAt: tokenFromFile ? time(stored.expires_at) : undefined,
    refreshExpiresAt: sources.refresh_token === 'file' ? time(stored.refresh_expires_at) : undefined,
    loginTime: tokenFromFile ? time(stored.login_time) : undefined,
    values,
    sources: { ...sources, apiKey: sources.api_key, apiSecret: sources.api_secret, accessToken: sources.access_token },
    path,
  };
}
