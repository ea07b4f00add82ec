import type { ServerExtensionFactory } from './http-server.js';
import { createEventStream, SSE_PATH, storeEventSource, streamEvents, webSocketUpgrade } from './stream/index.js';

/**
 * The live stream on the API's server: Server-Sent Events at `/v1/events` (a route like the
 * others, streaming its answer) and WebSocket at `/v1/stream` (the server's `upgrade`), both
 * behind the server's bearer tokens with the `read` scope, fed by one poller of the event log
 * that the store's appends in this process wake at once.
 */
export const liveStream: ServerExtensionFactory = (ctx) => {
  const stream = createEventStream({
    source: storeEventSource(ctx.store),
    authorize: (req) => {
      const auth = ctx.authorize(req, 'read');
      return auth.ok ? { ok: true, tokenId: auth.token.id } : { ok: false, status: auth.problem.status === 403 ? 403 : 401, problem: auth.problem };
    },
    onSubscribers: (_count, by) => {
      ctx.metrics.setStreamSubscribers('sse', by.sse);
      ctx.metrics.setStreamSubscribers('websocket', by.websocket);
    },
  });
  const ws = webSocketUpgrade(stream);
  const unhook = ctx.store.onAppend(() => stream.feed.poke());
  return {
    routes: [
      {
        method: 'GET',
        path: SSE_PATH,
        scope: 'read',
        summary: 'Every stored event as Server-Sent Events (filters account, run, type; resume with since or Last-Event-ID)',
        handle: async ({ req, res }) => ({ status: await streamEvents(req, res, stream), streamed: true }),
      },
    ],
    upgrade: ws.upgrade,
    close: () => {
      unhook();
      ws.close();
      stream.feed.close();
    },
  };
};
