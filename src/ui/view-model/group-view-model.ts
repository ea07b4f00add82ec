import type { StoredEvent } from '../../domain/events/index.js';
import type { Currency } from '../../domain/money.js';
import type { DashboardSnapshot, LegView, RunPhase } from './dashboard-model.js';
import { DashboardViewModel, type ViewModelOptions } from './view-model.js';

/**
 * What the dashboard of a group rebalance shows: every account's run (one ordinary run per
 * account, tied by the group id of its `run.created`), each summed up on one row, and the group
 * per currency (INR and USD are never added together). The selected account's run is drawn by
 * the ordinary dashboard from its own snapshot.
 */

/** The configured alias of a broker account, when config.json names it. */
export type AccountAlias = (broker: string, account: string) => string | undefined;

/** One account's run, summed up. Money in minor units of `currency`. */
export interface AccountRunView {
  runId: string;
  /** The alias config.json gives the account; its account id when none does. */
  alias: string;
  broker: string;
  account: string;
  /** The run whose unsent legs this one took over (failover). */
  failoverOf: string | null;
  currency: Currency;
  phase: RunPhase;
  legs: number;
  /** Legs filled in full. */
  legsComplete: number;
  fills: number;
  orderedQuantity: number;
  filledQuantity: number;
  /** filled / ordered, 0..1. */
  fillRate: number | null;
  tradedValue: number;
  /** Σ quantity × decision price: what implementation shortfall is measured on. */
  orderedValue: number;
  /** Σ filled × arrival price: what slippage is measured on. */
  arrivalValue: number;
  /** Σ s·(fill value − filled × arrival) over `arrivalValue`, bps; positive = cost. */
  slippageBps: number | null;
  shortfall: number;
  shortfallBps: number | null;
  charges: number;
}

/** The group in one currency: its accounts' runs added up. */
export interface GroupCurrencyView extends Omit<AccountRunView, 'runId' | 'alias' | 'broker' | 'account' | 'failoverOf' | 'phase'> {
  /** Distinct accounts with a run in this currency. */
  accounts: number;
  runs: number;
}

export interface GroupSnapshot {
  group: string;
  /** In the order the runs were created (failover runs last). */
  accounts: { view: AccountRunView; snapshot: DashboardSnapshot }[];
  totals: GroupCurrencyView[];
  /** Every run has reached a final status (and there is at least one). */
  ended: boolean;
  /** What the dashboard shows before the group's first run is seen. */
  idle: DashboardSnapshot;
}

export interface GroupViewModelOptions extends ViewModelOptions {
  group: string;
  alias?: AccountAlias;
}

/**
 * The group's runs, each projected by its own `DashboardViewModel` from its own events. A run
 * joins when its `run.created` names the group; events of other runs are ignored, and the
 * kill switch (which belongs to no run) reaches every account's model, later ones included.
 */
export class GroupViewModel {
  private readonly runs = new Map<string, { model: DashboardViewModel; label: { alias: string; broker: string; account: string; failoverOf: string | null } }>();
  private readonly halts: StoredEvent[] = [];
  private lastSeq = 0;
  private idle: DashboardSnapshot | undefined;

  constructor(private readonly options: GroupViewModelOptions) {}

  get seq(): number {
    return this.lastSeq;
  }

  get ended(): boolean {
    if (!this.runs.size) return false;
    for (const { model } of this.runs.values()) if (!model.ended) return false;
    return true;
  }

  /** The run ids of the group seen so far. */
  runIds(): string[] {
    return [...this.runs.keys()];
  }

  /** The model of one account's run (for its log of fills and alerts). */
  model(runId: string): DashboardViewModel | undefined {
    return this.runs.get(runId)?.model;
  }

  /** The account label of one of the group's runs. */
  label(runId: string): { alias: string; broker: string; account: string } | undefined {
    return this.runs.get(runId)?.label;
  }

  applyAll(events: readonly StoredEvent[]): void {
    for (const event of events) this.apply(event);
  }

  apply(event: StoredEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    if (event.runId === null) {
      if (event.type !== 'risk.halted' && event.type !== 'risk.unhalted') return;
      this.halts.push(event);
      for (const { model } of this.runs.values()) model.apply(event);
      return;
    }
    if (event.type === 'run.created' && event.payload.group === this.options.group && !this.runs.has(event.runId)) this.join(event.runId, event.payload);
    this.runs.get(event.runId)?.model.apply(event);
  }

  snapshot(now: number): GroupSnapshot {
    const accounts = [...this.runs].map(([runId, { model, label }]) => {
      const snapshot = model.snapshot(now);
      return { view: accountView(runId, label, snapshot), snapshot };
    });
    return { group: this.options.group, accounts, totals: groupTotals(accounts.map((a) => a.view)), ended: this.ended, idle: (this.idle ??= new DashboardViewModel().snapshot(now)) };
  }

  private join(runId: string, created: { broker: string; account: string; failoverOf?: string }): void {
    const model = new DashboardViewModel({ calendar: this.options.calendar, alertLimit: this.options.alertLimit });
    // The kill switch pulled before this run joined still stops it.
    for (const halt of this.halts) if (halt.seq < this.lastSeq) model.apply(halt);
    const alias = this.options.alias?.(created.broker, created.account) ?? created.account;
    this.runs.set(runId, { model, label: { alias, broker: created.broker, account: created.account, failoverOf: created.failoverOf ?? null } });
  }
}

/** One account's run summed up from its snapshot. */
export function accountView(runId: string, label: { alias: string; broker: string; account: string; failoverOf: string | null }, s: DashboardSnapshot): AccountRunView {
  const t = s.totals;
  const slip = slippage(s.legs);
  return {
    runId,
    ...label,
    currency: s.header.currency,
    phase: s.header.phase,
    legs: s.legs.length,
    legsComplete: s.legs.filter((l) => l.status === 'complete').length,
    fills: t.fills,
    orderedQuantity: t.orderedQuantity,
    filledQuantity: t.filledQuantity,
    fillRate: t.fillRate,
    tradedValue: t.tradedValue,
    orderedValue: slip.orderedValue,
    arrivalValue: slip.arrivalValue,
    slippageBps: slip.arrivalValue > 0 ? (slip.cost * 10_000) / slip.arrivalValue : null,
    shortfall: t.shortfall,
    shortfallBps: t.shortfallBps,
    charges: t.charges,
  };
}

/** The group per currency, in the order the currencies first appear. */
export function groupTotals(accounts: readonly AccountRunView[]): GroupCurrencyView[] {
  const byCurrency = new Map<Currency, { rows: AccountRunView[] }>();
  for (const a of accounts) {
    const entry = byCurrency.get(a.currency) ?? { rows: [] };
    entry.rows.push(a);
    byCurrency.set(a.currency, entry);
  }
  return [...byCurrency].map(([currency, { rows }]) => {
    const sum = (pick: (a: AccountRunView) => number) => rows.reduce((s, a) => s + pick(a), 0);
    const ordered = sum((a) => a.orderedQuantity);
    const filled = sum((a) => a.filledQuantity);
    return {
      currency,
      accounts: new Set(rows.map((a) => `${a.broker}\u0000${a.account}`)).size,
      runs: rows.length,
      legs: sum((a) => a.legs),
      legsComplete: sum((a) => a.legsComplete),
      fills: sum((a) => a.fills),
      orderedQuantity: ordered,
      filledQuantity: filled,
      fillRate: ordered > 0 ? filled / ordered : null,
      tradedValue: sum((a) => a.tradedValue),
      orderedValue: sum((a) => a.orderedValue),
      arrivalValue: sum((a) => a.arrivalValue),
      // Each account's figure weighted by what it is measured on: the same as measuring the group at once.
      slippageBps: weighted(rows, (a) => a.slippageBps, (a) => a.arrivalValue),
      shortfall: sum((a) => a.shortfall),
      shortfallBps: weighted(rows, (a) => a.shortfallBps, (a) => a.orderedValue),
      charges: sum((a) => a.charges),
    };
  });
}

/** The slippage against arrival of the filled part of the legs (its cost and the arrival value it is measured on), and the legs' value at decision. */
function slippage(legs: readonly LegView[]): { cost: number; arrivalValue: number; orderedValue: number } {
  let cost = 0;
  let arrivalValue = 0;
  let orderedValue = 0;
  for (const l of legs) {
    orderedValue += l.quantity * (l.decisionPrice ?? l.arrivalPrice ?? 0);
    if (l.arrivalPrice === null || l.filled === 0) continue;
    const s = l.side === 'buy' ? 1 : -1;
    cost += s * (l.filledValue - l.filled * l.arrivalPrice);
    arrivalValue += l.filled * l.arrivalPrice;
  }
  return { cost, arrivalValue, orderedValue };
}

/** The average of a figure over the rows that have it, weighted (by traded value). */
function weighted<T>(rows: readonly T[], figure: (row: T) => number | null, weight: (row: T) => number): number | null {
  let total = 0;
  let weights = 0;
  for (const row of rows) {
    const f = figure(row);
    if (f === null) continue;
    total += f * weight(row);
    weights += weight(row);
  }
  return weights > 0 ? total / weights : null;
}
