import type { GroupRouting } from '../../src/app/group/group-parts.js';
import { DEFAULT_ROUTING_POLICY } from '../../src/engine/routing/default-policy.js';
import { routeLegs } from '../../src/engine/routing/route-legs.js';

/** The router with its default policy, as a group without a `routing` section in config.json uses it. */
export const groupRouting = (): Promise<GroupRouting> => Promise.resolve({ routeLegs, policy: DEFAULT_ROUTING_POLICY });
