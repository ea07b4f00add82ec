import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parsePaperConfig } from '../brokers/paper/config.js';
import { parseZerodhaSettings } from '../brokers/zerodha/config.js';
import { validateRiskConfig } from '../engine/risk/config.js';
import { loadConfig } from '../lib/config.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { configDir, configFilePath, credentialsFilePath, databasePath } from '../lib/paths.js';
import { CONFIG_TEMPLATE } from './config-template.js';

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
export function configReport(options: { dbFlag?: string; env?: NodeJS.ProcessEnv } = {}): ConfigReport {
  const env = options.env ?? process.env;
  const file = configFilePath(env);
  const config = loadConfig(file);
  const values: ConfigValue[] = [];
  const dirSource: ConfigSource = env.PTEXEC_CONFIG_DIR ? 'env PTEXEC_CONFIG_DIR' : env.XDG_CONFIG_HOME ? 'env XDG_CONFIG_HOME' : 'default';
  values.push({ key: 'paths.config_file', value: file, source: dirSource });
  values.push({ key: 'paths.credentials_file', value: credentialsFilePath(env), source: dirSource });
  const dbSource: ConfigSource = options.dbFlag ? 'flag --db' : env.PTEXEC_DB ? 'env PTEXEC_DB' : env.XDG_DATA_HOME ? 'env XDG_DATA_HOME' : 'default';
  values.push({ key: 'paths.database', value: databasePath(options.dbFlag, env), source: dbSource });
  values.push({ key: 'default_broker', value: config.default_broker ?? 'paper', source: config.default_broker ? 'file' : 'default' });

  addSection(values, 'paper', parsePaperConfig(config.paper), config.paper);
  const zerodha = parseZerodhaSettings(config.brokers?.['zerodha'], env);
  if (zerodha.error !== undefined) throw new InvalidInputError(`${file}: ${zerodha.error}`, 'see "Zerodha" in the README');
  const zerodhaEnv: Record<string, string> = { api_url: 'PTEXEC_ZERODHA_URL', ws_url: 'PTEXEC_ZERODHA_WS_URL', login_url: 'PTEXEC_ZERODHA_LOGIN_URL' };
  addSection(values, 'brokers.zerodha', zerodha.settings, config.brokers?.['zerodha'], (key) => (zerodhaEnv[key] && env[zerodhaEnv[key]] ? `env ${zerodhaEnv[key]}` : undefined));
  const risk = validateRiskConfig(config.risk);
  if ('issues' in risk) throw new InvalidInputError(`${file}: invalid risk configuration\n${risk.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, 'see "Pre-trade risk" in the README');
  addSection(values, 'risk', risk.config, config.risk);
  const charges = config.charges ?? {};
  const chargesFile = typeof charges['file'] === 'string' ? resolve(configDir(env), charges['file']) : null;
  values.push({ key: 'charges.file', value: chargesFile, source: chargesFile ? 'file' : 'default' });
  const overridden = charges['schedules'] && typeof charges['schedules'] === 'object' ? Object.keys(charges['schedules']) : [];
  values.push({ key: 'charges.schedules', value: overridden, source: overridden.length ? 'file' : 'default' });
  return { file, file_exists: existsSync(file), values };
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
export function initConfig(options: { force: boolean; env?: NodeJS.ProcessEnv }): { path: string; replaced: boolean } {
  const path = configFilePath(options.env ?? process.env);
  const exists = existsSync(path);
  if (exists && !options.force) throw new InvalidInputError(`${path} already exists; nothing was written`, 'see it with `ptexec config`, or replace it with `ptexec config init --force`');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, CONFIG_TEMPLATE);
  return { path, replaced: exists };
}
