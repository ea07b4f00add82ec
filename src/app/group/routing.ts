import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Factory } from '../factory.js';
import type { GroupRouting } from './group-parts.js';

/** The router and the routing policy of config.json `routing`. */
export async function loadRouting(f: Factory): Promise<GroupRouting> {
  await f.config();
  throw new InvalidInputError('routing a consolidated target is not available in this build', 'give each line an account (a per-account target)');
}
