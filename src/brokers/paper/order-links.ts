import type { Side } from '../../domain/side.js';
import type { PaperDb } from './paper-db.js';

/**
 * One bracket or OCO group. The parent is the bracket's entry, or an OCO's take-profit leg
 * (which carries the request's client order id, as Alpaca's OCO parent does).
 */
export interface PaperOrderLink {
  parentId: string;
  accountId: string;
  orderClass: 'bracket' | 'oco';
  exitSide: Side;
  takeProfitPrice: number;
  stopTriggerPrice: number;
  stopLimitPrice?: number;
  /** Quantity the exits cover: the entry's filled quantity once placed (bracket), the quantity (OCO). */
  protectedQuantity: number;
  takeProfitId?: string;
  stopLossId?: string;
  /** When the exits must be placed or resized to the entry's filled quantity (UTC ms). */
  exitsDueAt?: number;
  /** False once the group is over: nothing more is placed, resized or cancelled for it. */
  active: boolean;
}

type LinkDbRow = {
  parent_id: string;
  account_id: string;
  order_class: string;
  exit_side: string;
  take_profit_price: number;
  stop_trigger_price: number;
  stop_limit_price: number | null;
  protected_quantity: number;
  take_profit_id: string | null;
  stop_loss_id: string | null;
  exits_due_at: number | null;
  active: number;
};

function linkFromRow(r: LinkDbRow): PaperOrderLink {
  const link: PaperOrderLink = {
    parentId: r.parent_id,
    accountId: r.account_id,
    orderClass: r.order_class as 'bracket' | 'oco',
    exitSide: r.exit_side as Side,
    takeProfitPrice: r.take_profit_price,
    stopTriggerPrice: r.stop_trigger_price,
    protectedQuantity: r.protected_quantity,
    active: r.active === 1,
  };
  if (r.stop_limit_price !== null) link.stopLimitPrice = r.stop_limit_price;
  if (r.take_profit_id !== null) link.takeProfitId = r.take_profit_id;
  if (r.stop_loss_id !== null) link.stopLossId = r.stop_loss_id;
  if (r.exits_due_at !== null) link.exitsDueAt = r.exits_due_at;
  return link;
}

/** The statements of the `paper_order_links` table (migration 0201-paper-order-links). */
export class PaperLinkDb {
  private readonly s;

  constructor(private readonly pdb: PaperDb) {
    const db = pdb.db;
    this.s = {
      upsert: db.prepare(
        `INSERT INTO paper_order_links (parent_id, account_id, order_class, exit_side, take_profit_price, stop_trigger_price, stop_limit_price,
           protected_quantity, take_profit_id, stop_loss_id, exits_due_at, active)
         VALUES (@parentId, @accountId, @orderClass, @exitSide, @takeProfitPrice, @stopTriggerPrice, @stopLimitPrice,
           @protectedQuantity, @takeProfitId, @stopLossId, @exitsDueAt, @active)
         ON CONFLICT(parent_id) DO UPDATE SET protected_quantity = excluded.protected_quantity, take_profit_id = excluded.take_profit_id,
           stop_loss_id = excluded.stop_loss_id, exits_due_at = excluded.exits_due_at, active = excluded.active`,
      ),
      active: db.prepare('SELECT * FROM paper_order_links WHERE account_id = ? AND active = 1'),
      byParent: db.prepare('SELECT * FROM paper_order_links WHERE parent_id = ?'),
    };
  }

  save(link: PaperOrderLink): void {
    this.pdb.writes++;
    this.s.upsert.run({
      ...link,
      stopLimitPrice: link.stopLimitPrice ?? null,
      takeProfitId: link.takeProfitId ?? null,
      stopLossId: link.stopLossId ?? null,
      exitsDueAt: link.exitsDueAt ?? null,
      active: link.active ? 1 : 0,
    });
  }

  activeLinks(accountId: string): PaperOrderLink[] {
    return (this.s.active.all(accountId) as LinkDbRow[]).map(linkFromRow);
  }

  byParent(parentId: string): PaperOrderLink | undefined {
    const r = this.s.byParent.get(parentId) as LinkDbRow | undefined;
    return r && linkFromRow(r);
  }
}
