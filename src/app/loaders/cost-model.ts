import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { CostModelSchema, type CostModel } from '../../engine/estimate/cost-model.js';
import { configDir } from '../../lib/paths.js';
import { shippedData } from './shipped-data.js';

/** Where `ptexec tca calibrate` writes the fitted model, and where the estimator looks first. */
export function costModelPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'cost-model.json');
}

/** The calibrated model in the config folder when there is one, else the shipped `data/estimate/cost-model.json`. */
export function loadCostModel(env: NodeJS.ProcessEnv): { model: CostModel; source: string } {
  const own = costModelPath(env);
  if (existsSync(own)) return { model: parseCostModel(readFileSync(own, 'utf8'), own), source: own };
  return { model: parseCostModel(readFileSync(shippedData('estimate/cost-model.json'), 'utf8'), 'data/estimate/cost-model.json'), source: 'shipped' };
}

export function parseCostModel(text: string, origin: string): CostModel {
  const fix = `correct it, or delete it to use the shipped model (README "Cost estimates")`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InvalidInputError(`${origin}: not valid JSON (${(err as Error).message})`, fix);
  }
  const parsed = CostModelSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidInputError(`${origin}: invalid cost model\n${z.prettifyError(parsed.error)}`, fix);
  return parsed.data;
}
