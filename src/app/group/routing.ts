import { configFilePath } from '../../lib/paths.js';
import type { Factory } from '../factory.js';
import { parseAccounts } from '../loaders/accounts-config.js';
import type { GroupRouting } from './group-parts.js';

/** The router and the routing policy of config.json `routing` (README "Routing"), its rules checked against the configured accounts. */
export async function loadRouting(f: Factory): Promise<GroupRouting> {
  const [config, { routeLegs }, { parseRoutingPolicy }] = await Promise.all([f.config(), import('../../engine/routing/route-legs.js'), import('../loaders/routing-config.js')]);
  const path = configFilePath(f.env);
  const known = parseAccounts(config.accounts, path).map((a) => a.alias);
  return { routeLegs, policy: parseRoutingPolicy(config.routing, path, known) };
}
