import type Database from 'better-sqlite3';
import { exhaustive, type StoredEventOf } from '../../domain/events/index.js';
import type { Projector } from './projector.js';

/** The statements of the post-trade tables, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  // Positional: one sample goes with most engine steps, so binding by name would cost.
  const insertSample = db.prepare(`INSERT INTO market_samples (seq, run_id, exchange, symbol, ts, bid, ask, last, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const upsertNote = db.prepare(`INSERT INTO charge_notes (broker, account, exchange, symbol, trading_date, schedule, currency, components, total, seq)
    VALUES (@broker, @account, @exchange, @symbol, @tradingDate, @scheduleId, @currency, @components, @total, @seq)
    ON CONFLICT (broker, account, exchange, symbol, trading_date) DO UPDATE SET schedule = excluded.schedule, currency = excluded.currency,
      components = excluded.components, total = excluded.total, seq = excluded.seq`);
  const clearAllocations = db.prepare('DELETE FROM charge_allocations WHERE broker = ? AND account = ? AND exchange = ? AND symbol = ? AND trading_date = ?');
  const insertAllocation = db.prepare(`INSERT OR REPLACE INTO charge_allocations (broker, trade_id, account, exchange, symbol, trading_date, amount, components)
    VALUES (@broker, @tradeId, @account, @exchange, @symbol, @tradingDate, @amount, @components)`);
  const insertSettlement = db.prepare(`INSERT INTO settlements (broker, trade_id, run_id, account, exchange, symbol, side, quantity, value, trade_date, settle_date, status, updated_at)
    VALUES (@broker, @tradeId, @runId, @account, @exchange, @symbol, @side, @quantity, @value, @tradeDate, @settleDate, 'pending', @ts)
    ON CONFLICT (broker, trade_id) DO NOTHING`);
  const resolveSettlement = db.prepare(`UPDATE settlements SET status = @status, difference = @difference, reason = @reason, updated_at = @ts
    WHERE broker = @broker AND trade_id = @tradeId`);
  const insertSnapshot = db.prepare(`INSERT INTO account_snapshots (seq, broker, account, ts, reason, holdings, positions, funds)
    VALUES (@seq, @broker, @account, @ts, @reason, @holdings, @positions, @funds)`);
  return { insertSample, upsertNote, clearAllocations, insertAllocation, insertSettlement, resolveSettlement, insertSnapshot };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * market_samples, charge_notes/charge_allocations, settlements and account_snapshots.
 * A `charges.booked` event carries the contract note of one scrip-day as it stands, so a later
 * booking for the same day replaces the earlier one's totals (the STT rounding of a day changes as
 * its fills arrive); an incremental booking adds its trades' shares to those already booked.
 */
export const postTradeProjector: Projector<'market.sampled' | 'charges.booked' | 'settlement.scheduled' | 'settlement.resolved' | 'account.snapshot'> = {
  tables: ['market_samples', 'charge_notes', 'charge_allocations', 'settlements', 'account_snapshots'],
  prepare(db: Database.Database) {
    const statements = prepareStatements(db);
    const { insertSample, insertSettlement, resolveSettlement, insertSnapshot } = statements;
    return (event) => {
      switch (event.type) {
        case 'market.sampled': {
          const p = event.payload;
          insertSample.run(event.seq, event.runId, p.exchange, p.symbol, p.ts, p.bid, p.ask, p.last, p.volume);
          break;
        }
        case 'charges.booked':
          bookCharges(statements, event);
          break;
        case 'settlement.scheduled': {
          const p = event.payload;
          insertSettlement.run({
            broker: p.broker,
            tradeId: p.tradeId,
            runId: event.runId,
            account: p.account,
            exchange: p.exchange,
            symbol: p.symbol,
            side: p.side,
            quantity: p.quantity,
            value: p.value,
            tradeDate: p.tradeDate,
            settleDate: p.settleDate,
            ts: event.ts,
          });
          break;
        }
        case 'settlement.resolved': {
          const p = event.payload;
          resolveSettlement.run({ broker: p.broker, tradeId: p.tradeId, status: p.status, difference: p.difference ?? null, reason: p.reason ?? null, ts: event.ts });
          break;
        }
        case 'account.snapshot': {
          const p = event.payload;
          insertSnapshot.run({
            seq: event.seq,
            broker: p.broker,
            account: p.account,
            ts: event.ts,
            reason: p.reason,
            holdings: JSON.stringify(p.holdings),
            positions: JSON.stringify(p.positions),
            funds: JSON.stringify(p.funds),
          });
          break;
        }
        default:
          exhaustive(event);
      }
    };
  },
};

/** A contract note replaces the earlier booking of its scrip-day; its trades' shares replace theirs (all of them, unless the booking is incremental). */
function bookCharges(statements: Statements, event: StoredEventOf<'charges.booked'>): void {
  const p = event.payload;
  statements.upsertNote.run({
    broker: p.broker,
    account: p.account,
    exchange: p.exchange,
    symbol: p.symbol,
    tradingDate: p.tradingDate,
    scheduleId: p.scheduleId,
    currency: p.currency,
    components: JSON.stringify(p.components),
    total: p.total,
    seq: event.seq,
  });
  if (!p.incremental) statements.clearAllocations.run(p.broker, p.account, p.exchange, p.symbol, p.tradingDate);
  for (const t of p.trades) {
    statements.insertAllocation.run({
      broker: p.broker,
      tradeId: t.tradeId,
      account: p.account,
      exchange: p.exchange,
      symbol: p.symbol,
      tradingDate: p.tradingDate,
      amount: t.total,
      components: JSON.stringify(t.components),
    });
  }
}
