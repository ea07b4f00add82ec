import { z } from 'zod';
import { SCOPES } from './auth/scopes.js';
import { RESULT_STATUSES } from './execute/results.js';
import type { Route } from './route.js';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; exit_code is the CLI exit code of the same failure',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    exit_code: { type: 'integer' },
    hint: { type: ['string', 'null'] },
    issues: { type: 'array', items: { type: 'object' } },
    request_id: { type: 'string' },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'Malformed request (not JSON, a bad cursor or Idempotency-Key)',
  '401': 'No token, or an unknown or revoked one',
  '403': 'The token lacks the scope',
  '404': 'Not found',
  '409': 'Blocked by the pre-trade checks (with the verdicts), or another run holds the account',
  '413': 'Body too large',
  '422': 'Invalid input: nothing was sent',
  '429': 'Rate limited (see Retry-After)',
  '500': 'Unexpected error (its request_id is in the log)',
  '502': 'The broker failed',
  '503': 'The broker or the database cannot be used, or the server is shutting down',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The query schema's fields as OpenAPI parameters. */
function parameters(route: Route): { name: string; in: string; required: boolean; schema: unknown; description?: string }[] {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } as unknown }));
  if (!route.query) return pathParams;
  const schema = jsonSchema(route.query) as { properties?: Record<string, { description?: string }>; required?: string[] };
  const query = Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s as unknown, ...(s.description ? { description: s.description } : {}) }));
  return [...pathParams, ...query];
}

function operation(route: Route) {
  const errors = Object.fromEntries(Object.entries(ERRORS).map(([code, description]) => [code, { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }]));
  const success = route.method === 'POST' && route.path === '/execute' ? { '200': { description: 'The run ended (wait=true), or the plan of a dry run' }, '202': { description: 'The run started; follow it at status_url' } } : { '200': { description: 'OK' } };
  return {
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:]+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/[^\w]/g, '')}`,
    ...(route.scope ? { security: [{ bearer: [route.scope] }], description: `Needs a token with scope \`${route.scope}\`.` } : { security: [] }),
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) }, ...(route.path === '/execute' || route.path === '/checks' ? { 'text/csv': { schema: { type: 'string' } } } : {}) } } } : {}),
    responses: { ...success, ...errors },
  };
}

/** OpenAPI 3.1, generated from the routes and the zod schemas they validate with. */
export function openApiDocument(routes: readonly Route[], version: string) {
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ptexec serve',
      version,
      description: `The execution service of ptexec: the same engine, store and pre-trade rules as the command line, behind an authenticated API. Result statuses: ${RESULT_STATUSES.join(', ')}. Token scopes: ${SCOPES.join(', ')}.`,
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `ptexec serve token create`' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}
