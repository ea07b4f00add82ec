import { connectionOf } from './connection.js';
import type { Store } from './store.js';

/** The last event seq `target` (e.g. `nats:PTEXEC`) acknowledged, and saving it: a publisher's place in the log. */
export interface PublishCursor {
  read(): number;
  save(seq: number): void;
}

export function publishCursor(store: Store, target: string): PublishCursor {
  const db = connectionOf(store);
  const read = db.prepare('SELECT seq FROM publish_cursors WHERE target = ?').pluck();
  // Never moves back: a late save of an older batch cannot undo a newer one.
  const save = db.prepare(
    'INSERT INTO publish_cursors (target, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET seq = max(seq, excluded.seq), updated_at = excluded.updated_at',
  );
  return {
    read: () => (read.get(target) as number | undefined) ?? 0,
    save: (seq) => void save.run(target, seq, Date.now()),
  };
}
