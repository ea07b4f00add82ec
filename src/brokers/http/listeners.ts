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
