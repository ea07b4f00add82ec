import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { credentialsFilePath } from './paths.js';

/**
 * The credentials file (`$XDG_CONFIG_HOME/ptexec/credentials.json`): per broker, the API key and
 * secret and the current session. It is created 0600 and never read when group or world can
 * read it. Any field may instead come from the environment (`PTEXEC_<BROKER>_API_KEY`,
 * `PTEXEC_<BROKER>_API_SECRET`, `PTEXEC_<BROKER>_ACCESS_TOKEN`) for cron and CI; the environment wins.
 */
const BrokerCredentialsSchema = z
  .object({
    api_key: z.string().min(1).optional(),
    api_secret: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    user_id: z.string().optional(),
    user_name: z.string().optional(),
    /** ISO-8601 times. */
    login_time: z.string().optional(),
    expires_at: z.string().optional(),
  })
  .strict();

const CredentialsFileSchema = z.object({ version: z.literal(1), brokers: z.record(z.string(), BrokerCredentialsSchema) }).strict();

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
export function updateBrokerCredentials(broker: string, patch: Partial<Record<keyof StoredBrokerCredentials, string | undefined>>, path: string): StoredBrokerCredentials {
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
  userId?: string;
  userName?: string;
  /** Epoch ms, when the session's expiry is known (from the file). */
  expiresAt?: number;
  loginTime?: number;
  sources: { apiKey?: CredentialSource; apiSecret?: CredentialSource; accessToken?: CredentialSource };
  /** Where the file is (whether or not it exists). */
  path: string;
}

export function credentialEnvName(broker: string, field: 'API_KEY' | 'API_SECRET' | 'ACCESS_TOKEN'): string {
  return `PTEXEC_${broker.toUpperCase()}_${field}`;
}

/** A broker's credentials from the environment and the credentials file (environment first). */
export function resolveCredentials(broker: string, env: NodeJS.ProcessEnv): ResolvedCredentials {
  const path = credentialsFilePath(env);
  const fromEnv = (field: 'API_KEY' | 'API_SECRET' | 'ACCESS_TOKEN') => env[credentialEnvName(broker, field)] || undefined;
  const envKey = fromEnv('API_KEY');
  const envSecret = fromEnv('API_SECRET');
  const envToken = fromEnv('ACCESS_TOKEN');
  // The file is only read when the environment does not supply everything.
  const stored = envKey && envSecret && envToken ? undefined : readCredentialsFile(path).brokers[broker];
  const time = (iso?: string) => (iso ? Date.parse(iso) : undefined);
  const pick = <T>(envValue: T | undefined, fileValue: T | undefined): [T | undefined, CredentialSource | undefined] =>
    envValue !== undefined ? [envValue, 'env'] : fileValue !== undefined ? [fileValue, 'file'] : [undefined, undefined];
  const [apiKey, keySource] = pick(envKey, stored?.api_key);
  const [apiSecret, secretSource] = pick(envSecret, stored?.api_secret);
  const [accessToken, tokenSource] = pick(envToken, stored?.access_token);
  const tokenFromFile = tokenSource === 'file';
  return {
    apiKey,
    apiSecret,
    accessToken,
    userId: tokenFromFile || !envToken ? stored?.user_id : undefined,
    userName: tokenFromFile || !envToken ? stored?.user_name : undefined,
    expiresAt: tokenFromFile ? time(stored?.expires_at) : undefined,
    loginTime: tokenFromFile ? time(stored?.login_time) : undefined,
    sources: { apiKey: keySource, apiSecret: secretSource, accessToken: tokenSource },
    path,
  };
}
