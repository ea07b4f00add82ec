import type Database from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';

/** Applies the migrations not yet recorded, each in its own transaction. Returns the ids applied. */
export function migrate(db: Database.Database, list: Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const seen = new Set<string>();
  const applied: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of list) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
    if (done.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, Date.now());
    }).immediate();
    applied.push(m.id);
  }
  return applied;
}
