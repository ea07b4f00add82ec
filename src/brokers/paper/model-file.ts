import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { DEFAULT_MARKET_MODEL, parseMarketModel, type MarketModel } from './market-model.js';

/**
 * The paper market's model: the shipped data/market/model.json, with the user's file (config
 * `paper.model`) laid over it. Without the shipped file (a broker built outside the package) the
 * defaults it ships are used.
 */
export function loadMarketModel(userFile: string | undefined, shippedData?: (path: string) => URL): MarketModel {
  let model = DEFAULT_MARKET_MODEL;
  if (shippedData) {
    const url = shippedData('market/model.json');
    model = parseMarketModel(readJson(fileURLToPath(url), 'data/market/model.json'), 'data/market/model.json');
  }
  return userFile === undefined ? model : parseMarketModel(readJson(userFile, userFile), userFile, model);
}

function readJson(path: string, name: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read the market model ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'fix "paper.model" in config.json: it names a JSON file');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`the market model ${name} is not valid JSON: ${(err as Error).message}`, `fix ${name}`);
  }
}
