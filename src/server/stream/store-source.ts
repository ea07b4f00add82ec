import { getRun } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import type { StreamSource } from './stream-deps.js';

/** The stream's view of a store: the log by seq, and each run's account from the `runs` table. */
export function storeEventSource(store: Store): StreamSource {
  return {
    events: ({ afterSeq, limit }) => store.events({ afterSeq, limit }),
    lastSeq: () => store.lastSeq(),
    runAccount: (runId) => {
      const run = getRun(store, runId);
      return run ? { broker: run.broker, account: run.account } : undefined;
    },
  };
}
