import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/app/database.js';
import { paperSchema } from '../../src/brokers/paper/index.js';

const sources = (dir: string): { path: string; text: string }[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
  });

describe('the paper broker’s ownership of its storage', () => {
  it('defines its own tables, and the store applies them where existing databases recorded them', () => {
    expect(paperSchema.map((m) => m.id)).toEqual(['0200-paper-broker', '0201-paper-order-links']);
    // The database's history: ids and order never change (the schema version is their count).
    expect(migrations.map((m) => m.id)).toEqual([
      '0001-core',
      '0002-core-lean-indexes',
      '0003-core-market-time',
      '0200-paper-broker',
      '0201-paper-order-links',
      '0200-posttrade-tables',
      '0201-posttrade-fills-by-instrument',
      '0200-risk-halt',
      '0501-orders-link-group',
      '0601-locks-heartbeat',
      '0701-publish-cursors',
      '0710-serve-tokens-idempotency',
      '0801-order-sends',
      '0202-paper-trailing-stops',
      '0004-core-run-plan-table',
    ]);
    const store = sources('src/store');
    expect(store.filter((f) => /CREATE TABLE paper_/.test(f.text)).map((f) => f.path)).toEqual([]);
    expect(store.filter((f) => /from '(\.\.\/)+brokers\//.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('holds the database connection only in its persistence, in files a newcomer reads in one sitting', () => {
    const paper = sources('src/brokers/paper');
    expect(paper.filter((f) => /\.prepare\(/.test(f.text)).map((f) => f.path)).toEqual([join('src/brokers/paper', 'paper-db.ts')]);
    // index.ts hands the broker tables it is given to paper-db.ts; nothing else sees them, and
    // no file of the paper broker reaches the connection itself.
    expect(paper.filter((f) => /\bBrokerTables\b/.test(f.text)).map((f) => f.path).sort()).toEqual(['index.ts', 'paper-db.ts'].map((name) => join('src/brokers/paper', name)));
    expect(paper.filter((f) => /from 'better-sqlite3'/.test(f.text)).map((f) => f.path)).toEqual([]);
    expect(paper.filter((f) => f.text.split('\n').length > 400).map((f) => f.path)).toEqual([]);
  });
});
