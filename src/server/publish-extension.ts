import type { ServerExtensionFactory } from './http-server.js';
import { publishCursor, startJetStreamPublisher } from './publish/index.js';
import { storeEventSource } from './stream/index.js';

/** JetStream stream ptexec publishes to (and keeps its cursor under). */
const STREAM = 'PTEXEC';

/**
 * `serve --publish nats://…`: every event to NATS JetStream while the server runs, resuming
 * after the last acknowledged event; a NATS outage is retried, never fatal to the server.
 */
export function jetStreamPublishing(servers: string): ServerExtensionFactory {
  return (ctx) => {
    const publisher = startJetStreamPublisher({
      servers,
      stream: STREAM,
      source: storeEventSource(ctx.store),
      cursor: publishCursor(ctx.store, `nats:${STREAM}`),
      onError: (err, fatal) => ctx.log({ level: fatal ? 'error' : 'warn', message: 'nats publishing', error: err.message }),
    });
    const unhook = ctx.store.onAppend(() => publisher.poke());
    ctx.log({ level: 'info', message: 'publishing to NATS JetStream', servers, stream: STREAM });
    return {
      close: async () => {
        unhook();
        await publisher.stop();
      },
    };
  };
}
