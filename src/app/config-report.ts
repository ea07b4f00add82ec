import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { brokerRegistration, registeredBrokers } from '../brokers/index.js';
import type { BrokerSettingsReport } from '../brokers/registry.js';
import { validateRiskConfig } from '../engine/risk/config.js';
import { DEFAULT_BROKER, loadConfig, type Config } from '../lib/config.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { configDir, configFilePath, credentialsFilePath, databasePath } from '../lib/paths.js';
import { CONFIG_TEMPLATE } from './config-template.js';
import { notifySecretEnvName, SECRET_FIELDS } from './notify/channel-secrets.js';
import { CHANNEL_NAMES, parseNotifyConfig } from './notify/notify-config.js';
import { readCredentialsFile } from '../lib/credentials.js';

/** Where a value comes from: the config file, an environment variable, a flag, or the default. */
export type ConfigSource = 'file' | 'default' | `env ${string}` | `flag ${string}`;

export interface ConfigValue {
  key: string;
  value: unknown;
  source: ConfigSource;
}

export interface ConfigReport {
  file: string;
  file_exists: boolean;
  values: ConfigValue[];
}

/**
 * The configuration ptexec runs with, one value per leaf key, each with where it comes from.
 * Sections are validated exactly as the commands that use them validate them, so an invalid
 * file is reported here the same way (exit 2). Secrets are never part of it.
 */
export function configReport(options: { dbFlag?: string; env: NodeJS.ProcessEnv }): ConfigReport {
  const env = options.env;
  const file = configFilePath(env);
  const config = loadConfig(file);
  const values: ConfigValue[] = [];
  const dirSource: ConfigSource = env.PTEXEC_CONFIG_DIR ? 'env PTEXEC_CONFIG_DIR' : env.XDG_CONFIG_HOME ? 'env XDG_CONFIG_HOME' : 'default';
  values.push({ key: 'paths.config_file', value: file, source: dirSource });
  values.push({ key: 'paths.credentials_file', value: credentialsFilePath(env), source: dirSource });
  const dbSource: ConfigSource = options.dbFlag ? 'flag --db' : env.PTEXEC_DB ? 'env PTEXEC_DB' : env.XDG_DATA_HOME ? 'env XDG_DATA_HOME' : 'default';
  values.push({ key: 'paths.database', value: databasePath(options.dbFlag, env), source: dbSource });
  values.push({ key: 'default_broker', value: config.default_broker ?? DEFAULT_BROKER, source: config.default_broker ? 'file' : 'default' });

  for (const report of brokerSettingsReports()) {
    const written = sectionAt(config, report.path);
    const resolved = report.resolve(written, env);
    if ('error' in resolved) throw new InvalidInputError(`${file}: ${resolved.error}`, resolved.fix);
    addSection(values, report.path, resolved.settings, written, (key) => (resolved.fromEnv?.[key] ? `env ${resolved.fromEnv[key]}` : undefined));
  }
  const risk = validateRiskConfig(config.risk);
  if ('issues' in risk) throw new InvalidInputError(`${file}: invalid risk configuration\n${risk.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, 'see "Pre-trade risk" in the README');
  addSection(values, 'risk', risk.config, config.risk);
  const charges = config.charges ?? {};
  const chargesFile = typeof charges['file'] === 'string' ? resolve(configDir(env), charges['file']) : null;
  values.push({ key: 'charges.file', value: chargesFile, source: chargesFile ? 'file' : 'default' });
  const overridden = charges['schedules'] && typeof charges['schedules'] === 'object' ? Object.keys(charges['schedules']) : [];
  values.push({ key: 'charges.schedules', value: overridden, source: overridden.length ? 'file' : 'default' });
  values.push({ key: 'calendars.files', value: config.calendars?.files ?? [], source: config.calendars?.files ? 'file' : 'default' });
  const logs = config.logs ?? {};
  for (const [key, fallback] of [['file', null], ['rotate', 'size'], ['max_bytes', 10 * 1024 * 1024], ['keep', 7]] as const) {
    values.push({ key: `logs.${key}`, value: logs[key] ?? fallback, source: logs[key] !== undefined ? 'file' : 'default' });
  }
  addNotifySection(values, config, file, env);
  return { file, file_exists: existsSync(file), values };
}

/** The notification channels' settings; of a secret only whether it is set and where (README "Notifications"). */
function addNotifySection(values: ConfigValue[], config: Config, file: string, env: NodeJS.ProcessEnv): void {
  const notify = parseNotifyConfig(config.notify, file);
  const { slack, ...shown } = notify;
  addSection(values, 'notify', { ...shown, ...(slack ? { slack: { ...slack, url: undefined } } : {}) }, config.notify);
  for (const channel of CHANNEL_NAMES) {
    if (!notify[channel]) continue;
    for (const field of SECRET_FIELDS[channel]) {
      const name = notifySecretEnvName(channel, field);
      const inFile = () => readCredentialsFile(credentialsFilePath(env)).notify?.[channel]?.[field] !== undefined;
      const inConfig = channel === 'slack' && notify.slack?.url !== undefined;
      const source: ConfigSource = env[name] ? `env ${name}` : inConfig ? 'file' : 'default';
      values.push({ key: `notify.${channel}.${field}`, value: env[name] || inConfig ? 'set' : inFile() ? 'set (credentials file)' : 'not set', source });
    }
  }
}

/** Each broker's settings, top-level sections (`paper`) before the `brokers.*` ones. */
function brokerSettingsReports(): BrokerSettingsReport[] {
  const reports = registeredBrokers().flatMap((id) => brokerRegistration(id)?.settings ?? []);
  return reports.sort((a, b) => Number(a.path.includes('.')) - Number(b.path.includes('.')));
}

function sectionAt(config: Config, path: string): unknown {
  return path.split('.').reduce<unknown>((section, key) => (isPlainObject(section) ? section[key] : undefined), config);
}

/** Leaf values of a resolved section; `fromFile` is the section as written, to tell file from default. */
function addSection(values: ConfigValue[], prefix: string, resolved: object, fromFile: unknown, envSource: (key: string) => string | undefined = () => undefined): void {
  for (const [key, value] of Object.entries(resolved)) {
    const written = isPlainObject(fromFile) ? fromFile[key] : undefined;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      addSection(values, `${prefix}.${key}`, value, written);
      continue;
    }
    const env = envSource(key);
    values.push({ key: `${prefix}.${key}`, value: value ?? null, source: env ? (env as ConfigSource) : written !== undefined ? 'file' : 'default' });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Writes the commented config file; an existing one is replaced only with `force`. */
export function initConfig(options: { force: boolean; env: NodeJS.ProcessEnv }): { path: string; replaced: boolean } {
  const path = configFilePath(options.env);
  const exists = existsSync(path);
  if (exists && !options.force) throw new InvalidInputError(`${path} already exists; nothing was written`, 'see it with `ptexec config`, or replace it with `ptexec config init --force`');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, CONFIG_TEMPLATE);
  return { path, replaced: exists };
}
