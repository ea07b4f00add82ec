import type { PaperDb } from './paper-db.js';
import type { PaperOrder, PaperOrderLink } from './paper-records.js';

/** An order's part in its group: a bracket's entry, or the take-profit or stop-loss exit. */
export type LinkRole = 'entry' | 'tp' | 'sl';

/**
 * The bracket and OCO groups still active, by parent id, and the group and role of each of their
 * orders: what the account asks (an exit pair reserves its shares or cash once) and what the
 * linked-order rules act on (see linked-orders.ts).
 */
export class OrderGroups {
  private active = new Map<string, PaperOrderLink>();
  private linkOf = new Map<string, { link: PaperOrderLink; role: LinkRole }>();

  constructor(private readonly records: Pick<PaperDb, 'saveLink'>) {}

  clear(): void {
    this.active = new Map();
    this.linkOf = new Map();
  }

  add(link: PaperOrderLink): void {
    this.active.set(link.parentId, link);
    if (link.orderClass === 'bracket') this.linkOf.set(link.parentId, { link, role: 'entry' });
    if (link.takeProfitId) this.linkOf.set(link.takeProfitId, { link, role: 'tp' });
    if (link.stopLossId) this.linkOf.set(link.stopLossId, { link, role: 'sl' });
  }

  /** Ends a group: nothing more is placed, resized or cancelled for it. */
  deactivate(link: PaperOrderLink): void {
    link.active = false;
    delete link.exitsDueAt;
    this.records.saveLink(link);
    this.active.delete(link.parentId);
    for (const id of [link.parentId, link.takeProfitId, link.stopLossId]) {
      if (id !== undefined && this.linkOf.get(id)?.link === link) this.linkOf.delete(id);
    }
  }

  /** The active groups, as a list that may be walked while groups end. */
  list(): PaperOrderLink[] {
    return [...this.active.values()];
  }

  groupOf(brokerOrderId: string): { link: PaperOrderLink; role: LinkRole } | undefined {
    return this.linkOf.get(brokerOrderId);
  }

  /** The other exit leg of an exit leg's group. */
  siblingOf(brokerOrderId: string): string | undefined {
    const linked = this.linkOf.get(brokerOrderId);
    if (!linked) return undefined;
    if (linked.role === 'tp') return linked.link.stopLossId;
    if (linked.role === 'sl') return linked.link.takeProfitId;
    return undefined;
  }

  /**
   * The take-profit leg of an active group. While a group is active both its legs are open with
   * the same remaining quantity and at most one of them fills it (a group ends, both legs
   * together, when either ends), so the stop-loss alone reserves the shares (a sell) or blocks
   * the cash (a buy: its stop or stop-limit is never cheaper than the take-profit limit).
   */
  isCoveredLeg(order: PaperOrder): boolean {
    const linked = this.linkOf.get(order.brokerOrderId);
    return linked !== undefined && linked.role === 'tp' && linked.link.stopLossId !== undefined;
  }

  /** When the next bracket's exits are due to be placed or grown, if any are. */
  nextExitsDue(): number | undefined {
    let due: number | undefined;
    for (const link of this.active.values()) {
      if (link.exitsDueAt !== undefined && (due === undefined || link.exitsDueAt < due)) due = link.exitsDueAt;
    }
    return due;
  }
}
