import type { Route } from '../route.js';
import { controlRoutes } from './control-routes.js';
import { executeRoutes } from './execute-routes.js';
import { metaRoutes } from './meta-routes.js';
import { readRoutes } from './read-routes.js';
import type { RouteDeps } from './route-deps.js';
import { tokenRoutes } from './token-routes.js';

export type { RouteDeps } from './route-deps.js';

/** Every endpoint of the server's own (the stream's are added by its extension). */
export function apiRoutes(deps: RouteDeps, version: string): Route[] {
  return [...executeRoutes(deps), ...readRoutes(deps), ...controlRoutes(deps), ...tokenRoutes(deps), ...metaRoutes(deps, version)];
}
