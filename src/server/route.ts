import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Scope } from './auth/scopes.js';
import type { ApiToken } from './auth/token-service.js';

/** What a route answers: JSON (the default), or text of its own content type. */
export interface Reply {
  status: number;
  /**
   * The route wrote (or keeps writing) the response itself through `RouteContext.res` — a
   * stream of events: the server only logs `status`.
   */
  streamed?: boolean;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  /** For a route that streams its answer (see `Reply.streamed`); others return a Reply. */
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The authenticated token (routes that need no scope have none). */
  token?: ApiToken;
  requestId: string;
  /** The request body, read once, within the server's size limit (413 beyond it). */
  body(): Promise<{ text: string; contentType: string }>;
}

/** One endpoint: its method and path (`:name` segments are parameters), the scope it needs, and what the OpenAPI document says of it. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** null: no token needed (the API document, the docs page, health). */
  scope: Scope | null;
  summary: string;
  /** Query parameters and JSON body as validated (documented in /openapi.json from the same schemas). */
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 2xx answer's schema, when there is one. */
  response?: z.ZodType | Record<string, unknown>;
  handle(ctx: RouteContext): Promise<Reply> | Reply;
}

export type Matched = { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined;

/** The route for a method and path; `allowed` when the path exists under other methods (405). */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): Matched {
  const parts = pathname.split('/').filter(Boolean);
  const allowed: string[] = [];
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(parts[i]!);
          return true;
        } catch {
          return false;
        }
      }
      return p === parts[i];
    });
    if (!fits) continue;
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : undefined;
}
