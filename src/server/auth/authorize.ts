import type { IncomingMessage } from 'node:http';
import { problem, type Problem } from '../problem.js';
import type { Scope } from './scopes.js';
import type { ApiToken, TokenService } from './token-service.js';

export type Authorization = { ok: true; token: ApiToken } | { ok: false; problem: Problem };

/** Checks a request's bearer token for one scope; shared by every route and upgrade of the server. */
export type Authorize = (req: IncomingMessage, scope: Scope) => Authorization;

/**
 * `Authorization: Bearer <token>`: no token, an unknown one or a revoked one is 401 (with
 * `WWW-Authenticate`, RFC 6750); a token without the scope is 403.
 */
export function authorizer(tokens: TokenService): Authorize {
  return (req, scope) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { ok: false, problem: problem('unauthorized', 401, 'send Authorization: Bearer <token> (create one with `ptexec serve token create`)') };
    const token = tokens.find(m[1]!);
    if (!token) return { ok: false, problem: problem('unauthorized', 401, 'the bearer token is not known') };
    if (token.revokedAt !== null) return { ok: false, problem: problem('unauthorized', 401, `token ${token.id} was revoked`) };
    if (!token.scopes.includes(scope)) return { ok: false, problem: problem('forbidden', 403, `token ${token.id} has scopes ${token.scopes.join(', ')}; this needs ${scope}`, { required_scope: scope }) };
    return { ok: true, token };
  };
}
