import { readCredentialsFile } from '../../lib/credentials.js';
import { credentialsFilePath } from '../../lib/paths.js';
import type { ChannelName } from './notify-config.js';

/** The secret fields of each channel: never in config.json, the database, logs or errors. */
export const SECRET_FIELDS: { readonly [C in ChannelName]: readonly string[] } = {
  webhook: ['secret'],
  slack: ['url'],
  ntfy: ['token'],
  telegram: ['bot_token'],
  email: ['password'],
};

/** `PTEXEC_NOTIFY_<CHANNEL>_<FIELD>`: the variable that supplies a channel's secret. */
export function notifySecretEnvName(channel: ChannelName, field: string): string {
  return `PTEXEC_NOTIFY_${channel.toUpperCase()}_${field.toUpperCase()}`;
}

/**
 * A channel's secrets, as broker secrets are kept: the environment first, then the credentials
 * file's `notify.<channel>` (0600; refused when others can read it). The file is read only when
 * the environment does not supply every field.
 */
export function channelSecrets(channel: ChannelName, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const fields = SECRET_FIELDS[channel];
  const fromEnv = Object.fromEntries(fields.map((f) => [f, env[notifySecretEnvName(channel, f)] || undefined]));
  if (fields.every((f) => fromEnv[f] !== undefined)) return fromEnv;
  const stored = readCredentialsFile(credentialsFilePath(env)).notify?.[channel] ?? {};
  return Object.fromEntries(fields.map((f) => [f, fromEnv[f] ?? stored[f]]));
}

/** Every secret value in use, so that any text about a channel can be scrubbed of them. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
