import type { BrokerEvent, BrokerEventListener } from '../broker.js';

/** Gives an event to every listener; a listener's failure is its own, the others still hear it. */
export function emitTo(listeners: ReadonlySet<BrokerEventListener>, event: BrokerEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A listener's failure is its own; the stream carries on for the others.
    }
  }
}

/**
 * Adds a listener; each subscription (re)starts the adapter's feed of updates (its stream or its
 * polling), and when the last listener leaves the feed is stopped. Returns the unsubscribe.
 */
export function subscribeTo(listeners: Set<BrokerEventListener>, listener: BrokerEventListener, feed: { start: () => void; stop: () => void }): () => void {
  listeners.add(listener);
  feed.start();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) feed.stop();
  };
}
