import type { BrokerTables, TableStatement } from '../../domain/broker-tables.js';
import type { Exchange } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';

/**
 * What ptexec sent to Schwab under one of its client order ids, and the Schwab order it became
 * once known. Schwab's order JSON has no field for our id, so this record is how an order is
 * known to be ours: written before the placement goes out, completed with Schwab's order id when
 * the answer arrives (or when a look-up finds it), and kept in the ptexec database so a run
 * resumed after a crash still knows its orders.
 */
export interface PlacementRecord {
  clientOrderId: string;
  symbol: string;
  exchange: Exchange;
  side: OrderRequest['side'];
  type: OrderRequest['type'];
  quantity: number;
  limitPrice?: number;
  triggerPrice?: number;
  timeInForce: OrderRequest['timeInForce'];
  /** When it went out (epoch ms). */
  sentAt: number;
  brokerOrderId?: string;
}

export interface PlacementJournal {
  /** Records a placement about to be sent. */
  sending(record: PlacementRecord): void;
  /** Binds a client order id to the Schwab order that carries it (a replacement moves it to the new order). */
  bind(clientOrderId: string, brokerOrderId: string): void;
  /** Schwab refused the placement outright: no order carries this id. */
  forget(clientOrderId: string): void;
  byClientId(clientOrderId: string): PlacementRecord | undefined;
  clientIdOf(brokerOrderId: string): string | undefined;
  /** Every Schwab order id already bound to one of our client ids. */
  boundOrderIds(): Set<string>;
}

/** Records older than this are dropped when the journal opens: Schwab's order look-ups go back a year, ptexec's resumes a few days. */
const KEEP_MS = 30 * 86_400_000;

/** The journal in the ptexec database (table `schwab_placements`, created on first use), per account. */
export class TablePlacementJournal implements PlacementJournal {
  private readonly insert: TableStatement;
  private readonly update: TableStatement;
  private readonly remove: TableStatement;
  private readonly selectByClient: TableStatement;
  private readonly selectByOrder: TableStatement;
  private readonly selectBound: TableStatement;

  constructor(
    tables: BrokerTables,
    private readonly account: string,
    now: number,
  ) {
    tables.transaction(() => {
      if (tables.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schwab_placements'").get()) return;
      tables
        .prepare(
          `CREATE TABLE schwab_placements (
            account TEXT NOT NULL, client_order_id TEXT NOT NULL, symbol TEXT NOT NULL, exchange TEXT NOT NULL,
            side TEXT NOT NULL, type TEXT NOT NULL, quantity INTEGER NOT NULL, limit_price INTEGER, trigger_price INTEGER,
            time_in_force TEXT NOT NULL, sent_at INTEGER NOT NULL, broker_order_id TEXT,
            PRIMARY KEY (account, client_order_id))`,
        )
        .run();
      tables.prepare('CREATE INDEX schwab_placements_order ON schwab_placements (account, broker_order_id)').run();
    });
    tables.prepare('DELETE FROM schwab_placements WHERE sent_at < ?').run(now - KEEP_MS);
    this.insert = tables.prepare(
      `INSERT INTO schwab_placements (account, client_order_id, symbol, exchange, side, type, quantity, limit_price, trigger_price, time_in_force, sent_at, broker_order_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (account, client_order_id) DO UPDATE SET sent_at = excluded.sent_at`,
    );
    this.update = tables.prepare('UPDATE schwab_placements SET broker_order_id = ? WHERE account = ? AND client_order_id = ?');
    this.remove = tables.prepare('DELETE FROM schwab_placements WHERE account = ? AND client_order_id = ?');
    this.selectByClient = tables.prepare('SELECT * FROM schwab_placements WHERE account = ? AND client_order_id = ?');
    this.selectByOrder = tables.prepare('SELECT client_order_id FROM schwab_placements WHERE account = ? AND broker_order_id = ?').pluck();
    this.selectBound = tables.prepare('SELECT broker_order_id FROM schwab_placements WHERE account = ? AND broker_order_id IS NOT NULL').pluck();
  }

  sending(r: PlacementRecord): void {
    this.insert.run(this.account, r.clientOrderId, r.symbol, r.exchange, r.side, r.type, r.quantity, r.limitPrice ?? null, r.triggerPrice ?? null, r.timeInForce, r.sentAt);
  }

  bind(clientOrderId: string, brokerOrderId: string): void {
    this.update.run(brokerOrderId, this.account, clientOrderId);
  }

  forget(clientOrderId: string): void {
    this.remove.run(this.account, clientOrderId);
  }

  byClientId(clientOrderId: string): PlacementRecord | undefined {
    const row = this.selectByClient.get(this.account, clientOrderId) as Row | undefined;
    return row && fromRow(row);
  }

  clientIdOf(brokerOrderId: string): string | undefined {
    return (this.selectByOrder.get(this.account, brokerOrderId) as string | undefined) ?? undefined;
  }

  boundOrderIds(): Set<string> {
    return new Set(this.selectBound.all(this.account) as string[]);
  }
}

/** The journal in memory (an adapter opened without the ptexec database: tests, benchmarks). */
export class MemoryPlacementJournal implements PlacementJournal {
  private readonly records = new Map<string, PlacementRecord>();

  sending(record: PlacementRecord): void {
    const known = this.records.get(record.clientOrderId);
    this.records.set(record.clientOrderId, known ? { ...known, sentAt: record.sentAt } : { ...record, brokerOrderId: undefined });
  }

  bind(clientOrderId: string, brokerOrderId: string): void {
    const known = this.records.get(clientOrderId);
    if (known) known.brokerOrderId = brokerOrderId;
  }

  forget(clientOrderId: string): void {
    this.records.delete(clientOrderId);
  }

  byClientId(clientOrderId: string): PlacementRecord | undefined {
    return this.records.get(clientOrderId);
  }

  clientIdOf(brokerOrderId: string): string | undefined {
    for (const r of this.records.values()) if (r.brokerOrderId === brokerOrderId) return r.clientOrderId;
    return undefined;
  }

  boundOrderIds(): Set<string> {
    return new Set([...this.records.values()].flatMap((r) => (r.brokerOrderId ? [r.brokerOrderId] : [])));
  }
}

interface Row {
  client_order_id: string;
  symbol: string;
  exchange: string;
  side: string;
  type: string;
  quantity: number;
  limit_price: number | null;
  trigger_price: number | null;
  time_in_force: string;
  sent_at: number;
  broker_order_id: string | null;
}

function fromRow(row: Row): PlacementRecord {
  return {
    clientOrderId: row.client_order_id,
    symbol: row.symbol,
    exchange: row.exchange as Exchange,
    side: row.side as PlacementRecord['side'],
    type: row.type as PlacementRecord['type'],
    quantity: row.quantity,
    ...(row.limit_price === null ? {} : { limitPrice: row.limit_price }),
    ...(row.trigger_price === null ? {} : { triggerPrice: row.trigger_price }),
    timeInForce: row.time_in_force as PlacementRecord['timeInForce'],
    sentAt: row.sent_at,
    ...(row.broker_order_id === null ? {} : { brokerOrderId: row.broker_order_id }),
  };
}
