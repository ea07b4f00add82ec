import { EventFeed } from './event-feed.js';
import type { StreamDeps } from './stream-deps.js';

/** The live stream of a server: its feed and what the transports need; made once per server. */
export interface EventStream {
  readonly deps: StreamDeps;
  readonly feed: EventFeed;
}

export function createEventStream(deps: StreamDeps): EventStream {
  return { deps, feed: new EventFeed(deps) };
}
