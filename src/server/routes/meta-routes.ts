import { docsPage } from '../docs-page.js';
import { openApiDocument } from '../openapi.js';
import type { Route } from '../route.js';
import type { RouteDeps } from './route-deps.js';

/** The API's own description, the metrics and a liveness check. */
export function metaRoutes(deps: RouteDeps, version: string): Route[] {
  const document = () => openApiDocument(deps.extraRoutes(), version);
  return [
    { method: 'GET', path: '/openapi.json', scope: null, summary: 'This API as OpenAPI 3.1', handle: () => ({ status: 200, json: document() }) },
    { method: 'GET', path: '/docs', scope: null, summary: 'This API, readable, with a form to try each endpoint', handle: () => ({ status: 200, text: docsPage(document()), contentType: 'text/html; charset=utf-8' }) },
    { method: 'GET', path: '/health', scope: null, summary: 'Whether the server answers', handle: () => ({ status: 200, json: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/metrics',
      scope: 'read',
      summary: 'Prometheus metrics: orders, fills, rejections, risk blocks, breakers, kill switch, placement latency, runs, stream subscribers',
      handle: async () => {
        const { contentType, body } = await deps.metrics.text();
        return { status: 200, text: body, contentType };
      },
    },
  ];
}
