import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { validateRiskConfig, type RiskConfig } from '../../engine/risk/config.js';
import { parseGroupMapping } from '../../engine/risk/groups.js';
import { isConfigKey } from '../../lib/config.js';

/**
 * Builds the risk configuration a command runs with: the `risk` section of config.json, or a
 * `--risk FILE` of the same shape instead, plus the group mapping file it names. Invalid input
 * is an error naming the field (exit 2), never silently ignored. The risk engine reads no files:
 * it gets the configuration built here.
 */
export function loadRiskConfig(section: unknown, file?: string, options: { configDir?: string } = {}): RiskConfig {
  let raw = section;
  let origin = 'config.json';
  /** Whether the section is the whole file (a --risk file without a "risk" wrapper). */
  let bare = false;
  let baseDir = options.configDir ?? process.cwd();
  if (file) {
    origin = file;
    baseDir = dirname(resolve(file));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InvalidInputError(`cannot read risk file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InvalidInputError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    const whole = raw;
    raw = unwrapRiskSection(raw);
    bare = raw === whole;
  }
  const result = validateRiskConfig(raw);
  if ('issues' in result) {
    const lines = result.issues.map((i) => `  ${i.path}: ${i.message}`);
    // In config.json the section is under "risk"; a --risk file may hold the section itself.
    const inFile = (path: string) => (bare ? path.replace(/^risk\./, '') : path);
    const issues = result.issues.map((i) => ({ file: origin, path: `$.${inFile(i.path)}`, field: i.path.split('.').at(-1), message: i.message }));
    throw new InvalidInputError(`${origin}: invalid risk configuration\n${lines.join('\n')}`, 'see "Pre-trade risk" in the README for the fields and their defaults', { issues, issuesInMessage: true });
  }
  const config = result.config;
  let groups = new Map<string, string>();
  const groupsFile = config.concentration.groups_file;
  if (groupsFile) {
    const path = isAbsolute(groupsFile) ? groupsFile : resolve(baseDir, groupsFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new InvalidInputError(`risk.concentration.groups_file: cannot read ${groupsFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    groups = parseGroupMapping(text, groupsFile);
  }
  return { ...config, groups };
}

/**
 * A --risk file holds the `risk` section itself, or is shaped like config.json (`{"risk": …}`,
 * as the README shows the section: only config.json's keys around it); then only `risk` is read.
 */
function unwrapRiskSection(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('risk' in raw)) return raw;
  return Object.keys(raw).every(isConfigKey) ? (raw as { risk: unknown }).risk : raw;
}
