import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPaperBroker, DEFAULT_MARKET_MODEL, resetPaperAccount, type MarketModel, type PaperBroker, type PaperHoldingSeed } from '../../src/brokers/paper/index.js';

/** A thin book (a fiftieth of a basis point of ADV at the touch): market orders fill over minutes, so a run can be stopped while they work. */
export const THIN_BOOK: MarketModel = { ...DEFAULT_MARKET_MODEL, depth: { ...DEFAULT_MARKET_MODEL.depth, touch_adv_fraction: 2e-6 } };
import { storePorts } from '../../src/app/factory/store-ports.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { RebalanceService, type RebalanceDeps, type RebalanceRequest } from '../../src/engine/rebalance/rebalance-service.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { connectionOf } from '../../src/store/connection.js';
import { noLimits } from '../support/no-limits.js';

/** 10:00 IST on a Monday: inside the NSE session. */
export const MONDAY_10_IST = Date.UTC(2026, 0, 5, 4, 30, 0);
/** 09:15 IST on a Monday: the NSE open. */
export const MONDAY_OPEN_IST = Date.UTC(2026, 0, 5, 3, 45, 0);

/** A rebalance of a CSV target on 2026-01-05 with market orders, as a command would ask for it. */
export function rebalanceRequest(text: string, extra: Partial<RebalanceRequest> = {}): RebalanceRequest {
  return {
    target: parseTargetPortfolio(text, 't.csv'),
    targetText: text,
    source: 't.csv',
    tradingDate: '2026-01-05',
    dryRun: false,
    planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } },
    options: {},
    ...extra,
  };
}

/** A paper market, account and store on a virtual clock, for engine tests. */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptexec-world-'));
  readonly dbPath: string;
  store: Store;
  clock: VirtualClock;
  broker!: PaperBroker;
  readonly seed: number;
  private readonly model: MarketModel | undefined;

  constructor(
    private readonly paperConfig: Record<string, unknown> = {},
    opts: { cash?: number; holdings?: PaperHoldingSeed[]; start?: number; seed?: number; inMemory?: boolean; model?: MarketModel } = {},
  ) {
    this.model = opts.model;
    this.seed = opts.seed ?? 7;
    this.dbPath = opts.inMemory ? ':memory:' : join(this.dir, 'w.db');
    this.store = openDatabase(this.dbPath);
    this.clock = new VirtualClock(opts.start ?? MONDAY_10_IST);
    resetPaperAccount(this.store.brokerTables('paper'), { cash: opts.cash ?? 1_000_000_000, holdings: opts.holdings, now: this.clock.now(), reseedMarket: this.seed });
    this.broker = this.newBroker();
  }

  /** A broker instance as a new process would open it (connect resumes matching of open orders). */
  newBroker(config: Record<string, unknown> = this.paperConfig): PaperBroker {
    const broker = createPaperBroker({ tables: this.store.brokerTables('paper'), clock: this.clock, seed: this.seed, config, model: this.model });
    void broker.connect();
    return broker;
  }

  /** A rebalance service over this world; a plan is checked against `risk` (default: no limits). */
  service(opts: Partial<Pick<RebalanceDeps, 'runtimeOptions' | 'signal' | 'guard' | 'halt' | 'failpoint' | 'onEvents' | 'busy' | 'risk'>> = {}): RebalanceService {
    return new RebalanceService({ log: this.store, ...storePorts(this.store), broker: this.broker, clock: this.clock, risk: { config: noLimits() }, ...opts });
  }

  request(text: string, extra: Partial<RebalanceRequest> = {}): RebalanceRequest {
    return rebalanceRequest(text, extra);
  }

  /** Plans and executes a target on the virtual clock. */
  async rebalance(text: string, extra: Partial<RebalanceRequest> = {}, service = this.service()) {
    const request = this.request(text, extra);
    const checked = await this.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(`unexpected ${checked.kind}`);
    const outcome = await this.clock.run(service.execute(checked));
    service.release();
    return { checked, outcome };
  }

  /** Resumes a run as a new process would: a fresh broker instance and service over the same database. */
  async resumeAsNewProcess(runId: string, opts: Parameters<World['service']>[0] = {}) {
    await this.broker.close();
    this.broker = this.newBroker();
    const service = this.service(opts);
    const outcome = await this.clock.run(service.resume(runId));
    service.release();
    if ('kind' in outcome) throw new Error(`locked by run ${outcome.holder.runId}`);
    return outcome;
  }

  async owned(): Promise<Record<string, number>> {
    const holdings = await this.broker.holdings();
    return Object.fromEntries(holdings.map((h) => [h.symbol, h.quantity + h.t1Quantity]));
  }

  /** Every order the broker has, by our client order id: duplicates show as counts above 1. */
  async brokerOrdersByClientId(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const o of await this.broker.orders()) if (o.clientOrderId) counts.set(o.clientOrderId, (counts.get(o.clientOrderId) ?? 0) + 1);
    return counts;
  }

  fills(runId?: string): { trade_id: string; quantity: number; symbol: string }[] {
    return connectionOf(this.store).prepare(`SELECT trade_id, quantity, symbol FROM fills ${runId ? 'WHERE run_id = ?' : ''}`).all(...(runId ? [runId] : [])) as never;
  }

  async close(): Promise<void> {
    await this.broker.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
