import type { BrokerTables } from '../../domain/broker-tables.js';
import type { Currency } from '../../domain/money.js';
import type { Exchange } from '../../domain/instrument.js';
import type { AnchorRow, HoldingRow, PaperAccountRow, PaperOrder, PaperOrderLink, PaperTradeRow } from './paper-records.js';
import { linkFromRow, linkParams, orderFromRow, orderParams, tradeFromRow, type LinkDbRow, type OrderDbRow, type TradeDbRow } from './paper-rows.js';

/**
 * The paper broker's persistence: every SQL statement on its tables (see schema.ts), prepared
 * once, through the tables the store hands the broker. It is the one part of the broker that
 * holds them; the rest sees only these methods.
 */
export class PaperDb {
  private readonly s;
  /** Counts the changes made through this object, so a transaction knows whether it wrote. */
  writes = 0;

  constructor(private readonly db: BrokerTables) {
    const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'paper_orders'").get();
    if (!hasTables) throw new Error('the paper broker tables are missing: open the database through the store so its migrations run');
    this.s = { ...accountStatements(db), ...orderStatements(db), ...marketStatements(db) };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  meta(key: string): string | undefined {
    return this.s.metaGet.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.writes++;
    this.s.metaSet.run(key, value);
  }

  /** Records that the market's clock has reached `ts` (never moves the noted time back); see paperMarketTime. */
  noteMarketTime(ts: number): void {
    this.s.marketTimeNote.run(String(Math.trunc(ts)));
  }

  /** The latest time the market's clock reached (see paperMarketTime). */
  marketTime(): number {
    return paperMarketTime(this.db);
  }

  /** Every write bumps this counter so another broker instance knows its caches are stale. */
  version(): number {
    return Number(this.meta('version') ?? 0);
  }

  bumpVersion(): number {
    const next = this.version() + 1;
    this.setMeta('version', String(next));
    return next;
  }

  /** Next broker order number, unique forever in this database (also across account resets). */
  nextOrderNumber(): number {
    const next = Number(this.meta('next_order') ?? 1);
    this.setMeta('next_order', String(next + 1));
    return next;
  }

  account(accountId: string): PaperAccountRow | undefined {
    const r = this.s.accountGet.get(accountId) as { account_id: string; currency: string; cash: number } | undefined;
    return r && { accountId: r.account_id, currency: r.currency as Currency, cash: r.cash };
  }

  createAccount(accountId: string, currency: Currency, cash: number, now: number): void {
    this.writes++;
    this.s.accountInsert.run(accountId, currency, cash, now, now);
  }

  addCash(accountId: string, delta: number, now: number): void {
    this.writes++;
    this.s.cashAdd.run(delta, now, accountId);
  }

  /** Removes every trace of the account (cash, holdings, orders and their bracket/OCO links, trades). */
  wipeAccount(accountId: string): void {
    this.writes++;
    this.s.unsettledDeleteAll.run(accountId);
    this.s.holdingsDeleteAll.run(accountId);
    this.s.ordersDeleteAll.run(accountId);
    this.s.tradesDeleteAll.run(accountId);
    this.s.linksDeleteAll.run(accountId);
    this.s.accountDelete.run(accountId);
  }

  holdings(accountId: string): HoldingRow[] {
    const rows = this.s.holdingsAll.all({ account: accountId }) as { exchange: string; symbol: string; quantity: number; cost: number; t1: number }[];
    return rows.map((r) => ({ exchange: r.exchange as Exchange, symbol: r.symbol, quantity: r.quantity, t1Quantity: r.t1, cost: r.cost }));
  }

  holding(accountId: string, exchange: Exchange, symbol: string): HoldingRow | undefined {
    const r = this.s.holdingGet.get(accountId, exchange, symbol) as { quantity: number; cost: number; t1: number } | undefined;
    return r && { exchange, symbol, quantity: r.quantity, t1Quantity: r.t1, cost: r.cost };
  }

  hasDueLots(accountId: string, today: string): boolean {
    return this.s.unsettledAnyDue.get(accountId, today) !== undefined;
  }

  /** Moves T+1 lots whose settlement date has come into the settled quantity. */
  settleDue(accountId: string, today: string): boolean {
    const due = this.s.unsettledDue.all(accountId, today) as { id: number; exchange: string; symbol: string; quantity: number }[];
    for (const lot of due) {
      this.writes++;
      this.s.holdingUpsert.run(accountId, lot.exchange, lot.symbol, lot.quantity, 0);
      this.s.unsettledDelete.run(lot.id);
    }
    return due.length > 0;
  }

  /** A buy: cost added, quantity held as T+1 until `settleDate`. */
  addBought(accountId: string, exchange: Exchange, symbol: string, quantity: number, value: number, settleDate: string): void {
    this.writes++;
    this.s.holdingUpsert.run(accountId, exchange, symbol, 0, value);
    this.s.unsettledInsert.run(accountId, exchange, symbol, quantity, settleDate);
  }

  /** Settled holdings placed directly (account reset). */
  addSettled(accountId: string, exchange: Exchange, symbol: string, quantity: number, cost: number): void {
    this.writes++;
    this.s.holdingUpsert.run(accountId, exchange, symbol, quantity, cost);
  }

  /** A sell: settled quantity first, then the newest T+1 lots; cost reduced pro rata. */
  removeSold(accountId: string, exchange: Exchange, symbol: string, quantity: number): void {
    this.writes++;
    const holding = this.holding(accountId, exchange, symbol);
    if (!holding) throw new Error(`paper: selling ${symbol} that the account does not hold`);
    const owned = holding.quantity + holding.t1Quantity;
    if (quantity > owned) throw new Error(`paper: selling ${quantity} ${symbol} but only ${owned} owned`);
    const fromSettled = Math.min(quantity, holding.quantity);
    let fromLots = quantity - fromSettled;
    if (fromLots > 0) {
      const lots = this.s.unsettledFor.all(accountId, exchange, symbol) as { id: number; quantity: number }[];
      for (const lot of lots) {
        if (fromLots === 0) break;
        const take = Math.min(lot.quantity, fromLots);
        if (take === lot.quantity) this.s.unsettledDelete.run(lot.id);
        else this.s.unsettledSetQty.run(lot.quantity - take, lot.id);
        fromLots -= take;
      }
    }
    const remaining = owned - quantity;
    if (remaining === 0) this.s.holdingDelete.run(accountId, exchange, symbol);
    else this.s.holdingSet.run(holding.quantity - fromSettled, Math.round((holding.cost * remaining) / owned), accountId, exchange, symbol);
  }

  insertOrder(order: PaperOrder): void {
    this.writes++;
    this.s.orderInsert.run(orderParams(order));
  }

  updateOrder(order: PaperOrder): void {
    this.writes++;
    this.s.orderUpdate.run(orderParams(order));
  }

  order(accountId: string, brokerOrderId: string): PaperOrder | undefined {
    const r = this.s.orderGet.get(brokerOrderId, accountId) as OrderDbRow | undefined;
    return r && orderFromRow(r);
  }

  orderByClientId(accountId: string, clientOrderId: string): PaperOrder | undefined {
    const r = this.s.orderByClientId.get(accountId, clientOrderId) as OrderDbRow | undefined;
    return r && orderFromRow(r);
  }

  openOrders(accountId: string): PaperOrder[] {
    return (this.s.ordersOpen.all(accountId) as OrderDbRow[]).map(orderFromRow);
  }

  /** Today's book: orders of the trading date plus any still open from earlier. */
  orderBook(accountId: string, tradingDate: string): PaperOrder[] {
    return (this.s.ordersBook.all(accountId, tradingDate) as OrderDbRow[]).map(orderFromRow);
  }

  insertTrade(trade: PaperTradeRow): void {
    this.writes++;
    this.s.tradeInsert.run({ ...trade, clientOrderId: trade.clientOrderId ?? null });
  }

  tradesForOrder(accountId: string, brokerOrderId: string): PaperTradeRow[] {
    return (this.s.tradesForOrder.all(brokerOrderId, accountId) as TradeDbRow[]).map(tradeFromRow);
  }

  tradesOfDay(accountId: string, tradingDate: string): PaperTradeRow[] {
    return (this.s.tradesOfDay.all(accountId, tradingDate) as TradeDbRow[]).map(tradeFromRow);
  }

  tradeCountOfDay(accountId: string, tradingDate: string): number {
    return Number(this.s.tradesCountOfDay.get(accountId, tradingDate));
  }

  /** Volume and value of paper trades (every account) in a symbol over [from, to). */
  prints(exchange: Exchange, symbol: string, from: number, to: number): { volume: number; value: number } {
    return this.s.marketPrints.get(exchange, symbol, from, to) as { volume: number; value: number };
  }

  printsBySymbol(exchange: Exchange, from: number, to: number): Map<string, number> {
    const rows = this.s.marketPrintsBySymbol.all(exchange, from, to) as { symbol: string; volume: number }[];
    return new Map(rows.map((r) => [r.symbol, r.volume]));
  }

  latestAnchors(): { exchange: Exchange; symbol: string; step: number; logPrice: number }[] {
    const rows = this.s.anchorsLatest.all() as { exchange: string; symbol: string; step: number; log_price: number }[];
    return rows.map((r) => ({ exchange: r.exchange as Exchange, symbol: r.symbol, step: r.step, logPrice: r.log_price }));
  }

  anchorAtOrBefore(exchange: Exchange, symbol: string, step: number): AnchorRow | undefined {
    const r = this.s.anchorAtOrBefore.get(exchange, symbol, step) as { step: number; log_price: number } | undefined;
    return r && { step: r.step, logPrice: r.log_price };
  }

  saveAnchor(exchange: Exchange, symbol: string, anchor: AnchorRow): void {
    this.writes++;
    this.s.anchorUpsert.run(exchange, symbol, anchor.step, anchor.logPrice);
  }

  deleteAnchors(): void {
    this.writes++;
    this.s.anchorsDeleteAll.run();
  }

  saveLink(link: PaperOrderLink): void {
    this.writes++;
    this.s.linkUpsert.run(linkParams(link));
  }

  activeLinks(accountId: string): PaperOrderLink[] {
    return (this.s.linksActive.all(accountId) as LinkDbRow[]).map(linkFromRow);
  }
}


/** Statements on the stored facts, the account's cash, its holdings and their T+1 lots. */
function accountStatements(db: BrokerTables) {
  return {
    metaGet: db.prepare('SELECT value FROM paper_meta WHERE key = ?').pluck(),
    metaSet: db.prepare('INSERT INTO paper_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    marketTimeNote: db.prepare(
      `INSERT INTO paper_meta (key, value) VALUES ('market_ts', ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(excluded.value AS INTEGER) > CAST(paper_meta.value AS INTEGER)`,
    ),
    accountGet: db.prepare('SELECT account_id, currency, cash FROM paper_accounts WHERE account_id = ?'),
    accountInsert: db.prepare('INSERT INTO paper_accounts (account_id, currency, cash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    accountDelete: db.prepare('DELETE FROM paper_accounts WHERE account_id = ?'),
    cashAdd: db.prepare('UPDATE paper_accounts SET cash = cash + ?, updated_at = ? WHERE account_id = ?'),
    holdingsAll: db.prepare(
      `SELECT h.exchange, h.symbol, h.quantity, h.cost, COALESCE(u.t1, 0) AS t1
       FROM paper_holdings h
       LEFT JOIN (SELECT exchange, symbol, SUM(quantity) AS t1 FROM paper_unsettled WHERE account_id = @account GROUP BY exchange, symbol) u
         ON u.exchange = h.exchange AND u.symbol = h.symbol
       WHERE h.account_id = @account ORDER BY h.exchange, h.symbol`,
    ),
    holdingGet: db.prepare(
      `SELECT h.quantity, h.cost,
              COALESCE((SELECT SUM(u.quantity) FROM paper_unsettled u WHERE u.account_id = h.account_id AND u.exchange = h.exchange AND u.symbol = h.symbol), 0) AS t1
       FROM paper_holdings h WHERE h.account_id = ? AND h.exchange = ? AND h.symbol = ?`,
    ),
    holdingUpsert: db.prepare(
      `INSERT INTO paper_holdings (account_id, exchange, symbol, quantity, cost) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(account_id, exchange, symbol) DO UPDATE SET quantity = quantity + excluded.quantity, cost = cost + excluded.cost`,
    ),
    holdingSet: db.prepare('UPDATE paper_holdings SET quantity = ?, cost = ? WHERE account_id = ? AND exchange = ? AND symbol = ?'),
    holdingDelete: db.prepare('DELETE FROM paper_holdings WHERE account_id = ? AND exchange = ? AND symbol = ?'),
    holdingsDeleteAll: db.prepare('DELETE FROM paper_holdings WHERE account_id = ?'),
    unsettledInsert: db.prepare('INSERT INTO paper_unsettled (account_id, exchange, symbol, quantity, settle_date) VALUES (?, ?, ?, ?, ?)'),
    unsettledAnyDue: db.prepare('SELECT 1 FROM paper_unsettled WHERE account_id = ? AND settle_date <= ? LIMIT 1').pluck(),
    unsettledDue: db.prepare('SELECT id, exchange, symbol, quantity FROM paper_unsettled WHERE account_id = ? AND settle_date <= ?'),
    unsettledFor: db.prepare('SELECT id, quantity FROM paper_unsettled WHERE account_id = ? AND exchange = ? AND symbol = ? ORDER BY settle_date DESC, id DESC'),
    unsettledSetQty: db.prepare('UPDATE paper_unsettled SET quantity = ? WHERE id = ?'),
    unsettledDelete: db.prepare('DELETE FROM paper_unsettled WHERE id = ?'),
    unsettledDeleteAll: db.prepare('DELETE FROM paper_unsettled WHERE account_id = ?'),
  };
}

/** Statements on orders, trades and the links of bracket and OCO groups. */
function orderStatements(db: BrokerTables) {
  return {
    orderInsert: db.prepare(
      `INSERT INTO paper_orders (broker_order_id, account_id, client_order_id, exchange, symbol, side, type, time_in_force, product,
         quantity, filled_quantity, filled_value, limit_price, trigger_price, triggered, status, broker_status, status_message,
         trading_date, expires_at, seq, created_at, updated_at, trail_percent, trail_price, trail_mark)
       VALUES (@brokerOrderId, @accountId, @clientOrderId, @exchange, @symbol, @side, @type, @timeInForce, @product,
         @quantity, @filledQuantity, @filledValue, @limitPrice, @triggerPrice, @triggered, @status, @brokerStatus, @statusMessage,
         @tradingDate, @expiresAt, @seq, @createdAt, @updatedAt, @trailPercent, @trailPrice, @trailMark)`,
    ),
    orderUpdate: db.prepare(
      `UPDATE paper_orders SET type = @type, quantity = @quantity, filled_quantity = @filledQuantity, filled_value = @filledValue,
         limit_price = @limitPrice, trigger_price = @triggerPrice, triggered = @triggered, trail_mark = @trailMark, status = @status,
         broker_status = @brokerStatus, status_message = @statusMessage, updated_at = @updatedAt
       WHERE broker_order_id = @brokerOrderId`,
    ),
    orderGet: db.prepare('SELECT * FROM paper_orders WHERE broker_order_id = ? AND account_id = ?'),
    orderByClientId: db.prepare('SELECT * FROM paper_orders WHERE account_id = ? AND client_order_id = ? ORDER BY seq DESC LIMIT 1'),
    ordersOpen: db.prepare("SELECT * FROM paper_orders WHERE account_id = ? AND status IN ('accepted', 'partially_filled') ORDER BY seq"),
    ordersBook: db.prepare("SELECT * FROM paper_orders WHERE account_id = ? AND (trading_date = ? OR status IN ('accepted', 'partially_filled')) ORDER BY seq"),
    ordersDeleteAll: db.prepare('DELETE FROM paper_orders WHERE account_id = ?'),
    tradeInsert: db.prepare(
      `INSERT INTO paper_trades (trade_id, broker_order_id, account_id, client_order_id, exchange, symbol, side, quantity, price, ts, trading_date)
       VALUES (@tradeId, @brokerOrderId, @accountId, @clientOrderId, @exchange, @symbol, @side, @quantity, @price, @ts, @tradingDate)`,
    ),
    tradesForOrder: db.prepare('SELECT * FROM paper_trades WHERE broker_order_id = ? AND account_id = ? ORDER BY ts, trade_id'),
    tradesOfDay: db.prepare('SELECT * FROM paper_trades WHERE account_id = ? AND trading_date = ? ORDER BY ts, trade_id'),
    tradesDeleteAll: db.prepare('DELETE FROM paper_trades WHERE account_id = ?'),
    linksDeleteAll: db.prepare('DELETE FROM paper_order_links WHERE account_id = ?'),
    tradesCountOfDay: db.prepare('SELECT COUNT(*) FROM paper_trades WHERE account_id = ? AND trading_date = ?').pluck(),
    linkUpsert: db.prepare(
      `INSERT INTO paper_order_links (parent_id, account_id, order_class, exit_side, take_profit_price, stop_trigger_price, stop_limit_price,
         protected_quantity, take_profit_id, stop_loss_id, exits_due_at, active)
       VALUES (@parentId, @accountId, @orderClass, @exitSide, @takeProfitPrice, @stopTriggerPrice, @stopLimitPrice,
         @protectedQuantity, @takeProfitId, @stopLossId, @exitsDueAt, @active)
       ON CONFLICT(parent_id) DO UPDATE SET protected_quantity = excluded.protected_quantity, take_profit_id = excluded.take_profit_id,
         stop_loss_id = excluded.stop_loss_id, exits_due_at = excluded.exits_due_at, active = excluded.active`,
    ),
    linksActive: db.prepare('SELECT * FROM paper_order_links WHERE account_id = ? AND active = 1'),
  };
}

/** Statements on what the market reads: the paper trades' volume and the price anchors. */
function marketStatements(db: BrokerTables) {
  return {
    marketPrints: db.prepare('SELECT COALESCE(SUM(quantity), 0) AS volume, COALESCE(SUM(quantity * price), 0) AS value FROM paper_trades WHERE exchange = ? AND symbol = ? AND ts >= ? AND ts < ?'),
    marketPrintsBySymbol: db.prepare('SELECT symbol, SUM(quantity) AS volume FROM paper_trades WHERE exchange = ? AND ts >= ? AND ts < ? GROUP BY symbol'),
    anchorsLatest: db.prepare('SELECT exchange, symbol, step, log_price FROM paper_price_anchors a WHERE step = (SELECT MAX(step) FROM paper_price_anchors b WHERE b.exchange = a.exchange AND b.symbol = a.symbol)'),
    anchorAtOrBefore: db.prepare('SELECT step, log_price FROM paper_price_anchors WHERE exchange = ? AND symbol = ? AND step <= ? ORDER BY step DESC LIMIT 1'),
    anchorUpsert: db.prepare('INSERT INTO paper_price_anchors (exchange, symbol, step, log_price) VALUES (?, ?, ?, ?) ON CONFLICT(exchange, symbol, step) DO UPDATE SET log_price = excluded.log_price'),
    anchorsDeleteAll: db.prepare('DELETE FROM paper_price_anchors'),
  };
}

/**
 * The paper market keeps its own time. Its account, open orders, trades and T+1 lots are dated in
 * it, and at `--speed` it runs ahead of the wall clock, so it must never go back: a new process
 * starts its clock after the latest time the market reached. The broker notes that time in
 * `paper_meta` with every change it makes (see PaperDb.noteMarketTime). This reads it without
 * preparing every statement of PaperDb: a command asks once, before it trades.
 */
export function paperMarketTime(db: BrokerTables): number {
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

