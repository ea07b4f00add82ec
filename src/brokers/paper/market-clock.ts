import type Database from 'better-sqlite3';

/**
 * The paper market keeps its own time. Its account, open orders, trades and T+1 lots are dated in
 * it, and at `--speed` it runs ahead of the wall clock, so it must never go back: a new process
 * starts its clock after the latest time the market reached. The broker notes that time in
 * `paper_meta` with every change it makes (see PaperDb.noteMarketTime).
 */
export function paperMarketTime(db: Database.Database): number {
  const noted = db.prepare("SELECT value FROM paper_meta WHERE key = 'market_ts'").pluck().get() as string | undefined;
  if (noted !== undefined) return Number(noted);
  // A database written before the market time was noted: the latest time its tables carry.
  const latest = db
    .prepare(
      `SELECT max(coalesce((SELECT max(updated_at) FROM paper_orders), 0), coalesce((SELECT max(ts) FROM paper_trades), 0),
        coalesce((SELECT max(updated_at) FROM paper_accounts), 0))`,
    )
    .pluck()
    .get() as number;
  return latest;
}
