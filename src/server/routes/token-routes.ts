import { z } from 'zod';
import { SCOPES } from '../auth/scopes.js';
import { tokenJson } from '../auth/token-service.js';
import { httpProblem } from '../problem.js';
import type { Route } from '../route.js';
import { invalidFields, jsonObject, type RouteDeps } from './route-deps.js';

const createBody = z.object({ scopes: z.array(z.enum(SCOPES)).min(1), name: z.string().max(100).optional() }).strict();

/** Token administration over the API (scope `admin`), as `ptexec serve token create|list|revoke`. */
export function tokenRoutes(deps: RouteDeps): Route[] {
  return [
    { method: 'GET', path: '/tokens', scope: 'admin', summary: 'The tokens (never their secrets)', handle: () => ({ status: 200, json: { tokens: deps.tokens.list().map(tokenJson) } }) },
    {
      method: 'POST',
      path: '/tokens',
      scope: 'admin',
      summary: 'Create a token: its secret is in this answer only',
      body: createBody,
      handle: async ({ body }) => {
        const parsed = createBody.safeParse(await jsonObject(body));
        if (!parsed.success) throw invalidFields(parsed.error.issues, 'body');
        const created = deps.tokens.create(parsed.data.scopes, parsed.data.name);
        return { status: 201, json: { ...tokenJson(created.info), token: created.token } };
      },
    },
    {
      method: 'DELETE',
      path: '/tokens/:token_id',
      scope: 'admin',
      summary: 'Revoke a token',
      handle: ({ params }) => {
        if (!deps.tokens.list().some((t) => t.id === params.token_id)) throw httpProblem('not-found', 404, `no token ${params.token_id}`);
        return { status: 200, json: tokenJson(deps.tokens.revoke(params.token_id!)) };
      },
    },
  ];
}
