import type Database from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';

/**
 * Applies the migrations not yet recorded, each in its own transaction. Returns the ids applied.
 * The schema version (`PRAGMA user_version`) is the number of migrations applied, so a newer
 * ptexec's database is recognised without reading a table (see {@link newerSchema}).
 */
export function migrate(db: Database.Database, list: readonly Migration[]): string[] {
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
  if (schemaVersion(db) < list.length) db.pragma(`user_version = ${list.length}`);
  return applied;
}

/**
 * Why this build must not touch the database, if it was written by a newer ptexec: a schema
 * version above the number of migrations this build has, or migrations it does not know. Reads
 * only, so it can run before anything is written.
 */
export function newerSchema(db: Database.Database, list: readonly Migration[]): string | undefined {
  const version = schemaVersion(db);
  const known = new Set(list.map((m) => m.id));
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").pluck().get() !== undefined;
  const unknown = hasTable ? (db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all() as string[]).filter((id) => !known.has(id)) : [];
  if (unknown.length) return `migration${unknown.length === 1 ? '' : 's'} ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''} unknown to this version`;
  if (version > list.length) return `schema version ${version}, this version knows ${list.length}`;
  return undefined;
}

function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
