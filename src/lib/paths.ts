import { homedir } from 'node:os';
import { join } from 'node:path';

/** XDG locations (CLI.md "Paths"); each overridable by flag or environment variable. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.PTEXEC_CONFIG_DIR) return env.PTEXEC_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'ptexec');
}

export function dataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'ptexec');
}

/** `--db` wins, then `PTEXEC_DB`, then the XDG data home. */
export function databasePath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env.PTEXEC_DB || join(dataDir(env), 'ptexec.db');
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'config.json');
}

export function credentialsFilePath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'credentials.json');
}
