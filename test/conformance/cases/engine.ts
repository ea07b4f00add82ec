import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { openDatabase } from '../../../src/app/database.js';
import { Factory } from '../../../src/app/factory.js';
import { storePorts } from '../../../src/app/factory/store-ports.js';
import { parseTargetPortfolio } from '../../../src/app/loaders/target-file.js';
import { resumeRun } from '../../../src/app/resume-command-service.js';
import type { Broker } from '../../../src/brokers/broker.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { RebalanceService, type RebalanceRequest } from '../../../src/engine/rebalance/rebalance-service.js';
import { describeError } from '../../../src/lib/errors.js';
import { ExitCode } from '../../../src/lib/exit-codes.js';
import { tradingDate } from '../../../src/market/exchange-time.js';
import { listRuns } from '../../../src/store/queries.js';
import type { Store } from '../../../src/store/store.js';
import { UNFINISHED_RUN } from '../../../src/domain/run-status.js';
import { fakeIO } from '../../lib/fake-terminal.js';
import { NO_LIMITS_SECTION, noLimits } from '../../support/no-limits.js';
import type { KitMarket } from '../kit-market.js';
import { failureOf, kitAccount, kitCase, kitMarket, sharedVenue, until } from '../kit.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/** A rebalance to target quantities, with market orders, as `ptexec rebalance` would ask today. */
function request(csv: string, market: KitMarket): RebalanceRequest {
  return {
    target: parseTargetPortfolio(csv, 'kit.csv'),
    targetText: csv,
    source: 'kit.csv',
    tradingDate: tradingDate(market.exchange, Date.now()),
    dryRun: false,
    planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } },
    options: {},
  };
}

/** The engine over a fresh database, trading through the subject's adapter. */
function engine(broker: Broker, store: Store): RebalanceService {
  return new RebalanceService({ log: store, ...storePorts(store), broker, clock: new WallClock(), risk: { config: noLimits() } });
}

/** Placements that reached the broker (for venues that record requests; the booked count covers the rest). */
const writes = (venue: Venue) => venue.requests().filter((r) => r.method === 'POST').length;

/** The engine with the subject's adapter: what the user sees when the broker does not know a symbol, or the session ends mid-run. */
export function engineCases(subject: ConformanceSubject): void {
  describe('engine', () => {
    const venue = sharedVenue(subject);
    const kit = kitMarket(subject);
    const { first: heldSymbol, exchange } = kit;

    kitCase(subject, 'engine: an unknown symbol stops the plan with exit 2 before anything is sent', undefined, async (v) => {
      const store = openDatabase(':memory:');
      try {
        const service = engine(v().broker, store);
        const [booked, sent] = [v().market.bookedOrders(), writes(v())];
        const err = await failureOf(() => service.plan(request(`symbol,exchange,target_quantity\n${heldSymbol},${exchange},20\n${kit.unknownSymbol},${exchange},5\n`, kit)));
        service.release();
        const report = describeError(err);
        expect(report.exitCode, report.message).toBe(ExitCode.usage);
        expect([report.message, ...report.details].join('\n')).toContain(kit.unknownSymbol);
        expect([v().market.bookedOrders(), writes(v())]).toEqual([booked, sent]);
      } finally {
        store.close();
      }
    }, venue);

    // The engine reads quotes as a run would: with the adapter's limiter on (Kite allows one quote call a second).
    kitCase(subject, 'engine: an expired session stops the run resumably', [{ fault: 'expireSession' }, { member: 'login' }], async (venue) => {
      const v = venue();
      const dir = mkdtempSync(join(tmpdir(), 'ptexec-kit-'));
      const store = openDatabase(':memory:');
      // The run is resumed as `ptexec resume` would, with the same limits as the engine above (no session gate: the kit runs at any hour).
      mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
      writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: NO_LIMITS_SECTION }));
      try {
        const service = engine(v.broker, store);
        const checked = await service.plan(request(`symbol,exchange,target_quantity\n${heldSymbol},${exchange},20\n`, kit));
        if (checked.kind !== 'checked') throw new Error(`planned ${checked.kind}`);
        v.faults.expireSession!();
        // The run stops: interrupted with the advice to log in, or ended by the auth error (exit 5).
        const stopped = await service.execute(checked).then(
          (outcome) => `${outcome.status}: ${outcome.reason ?? ''}`,
          (err: unknown) => `exit ${describeError(err).exitCode}: ${describeError(err).message}`,
        );
        service.release();
        expect(stopped).toMatch(/^(interrupted: .*log in again|exit 5: .*session)/);
        expect(UNFINISHED_RUN.has(listRuns(store, { limit: 5 }).find((r) => r.run_id === checked.runId)?.status ?? ''), 'the run can be resumed').toBe(true);
        expect(v.market.bookedOrders()).toBe(0);

        // `ptexec resume` with the session still expired: exit 5, the run unchanged.
        const resume = () => {
          const io = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } }).io;
          return resumeRun(new Factory(io, { store, openedBroker: () => v.broker }), { runArg: checked.runId, flags: { yes: true, 'no-ui': true } });
        };
        const refused = describeError(await failureOf(resume));
        expect(refused.exitCode, refused.message).toBe(ExitCode.brokerUnavailable);
        expect(v.market.bookedOrders()).toBe(0);

        // Logged in again, the same run goes on and trades what is left.
        await v.login!(true);
        const resumed = resume();
        // Awaited below; should a step before it fail, its rejection at the venue's close is not left unhandled.
        resumed.catch(() => undefined);
        // The new session may still be settling (a reconnect after the logon): a read it refuses is asked again.
        const booked = await until(async () => (await v.broker.orders().catch(() => [])).find((o) => o.symbol === heldSymbol && o.status === 'accepted'), 'the resumed run to place its order', 10_000);
        await v.market.fill(booked.brokerOrderId, booked.quantity);
        expect((await resumed).exitCode).toBe(ExitCode.ok);
        expect(v.market.bookedOrders()).toBe(1);
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, { own: kitAccount(subject, { rateLimit: true }) }, 20_000);

    // One leg per algorithm, each over a short horizon, against the broker's market: the test is
    // the market, filling whatever the adapter has working until the run ends.
    kitCase(subject, 'engine: every algorithm trades its leg through the adapter', undefined, async (venue) => {
      const v = venue();
      const store = openDatabase(':memory:');
      const algos = [
        ['market', {}],
        ['limit', {}],
        ['twap', { duration: '2s', slices: 2 }],
        ['vwap', { duration: '2s', slices: 2 }],
        ['pov', { duration: '2s', rate: 0.1, interval: '1s', cleanup: 'aggressive_limit' }],
        // A real broker publishes no volatility or daily volume: IS takes them as parameters there (the planner says so otherwise).
        ['is', { duration: '2s', slices: 2, sigma: 12.5, eta: 2.5e-6, gamma: 2.5e-7 }],
        ['iceberg', { display_qty: 2, duration: '2s' }],
      ] as const;
      const symbols = kit.engineSymbols;
      // Every algorithm buys 4 shares; five instruments carry the seven legs (two exchanges' worth where needed).
      const positions = algos.map(([algo, params], i) => ({ symbol: symbols[i % symbols.length]!, exchange, quantity: 4, algo, algo_params: params }));
      // A target names an instrument once: the two extra algorithms go to a second run.
      const first = positions.filter((p, i) => positions.findIndex((q) => q.symbol === p.symbol) === i);
      const second = positions.filter((p) => !first.includes(p));
      let filling = true;
      const market = (async () => {
        while (filling) {
          for (const o of await v.broker.orders().catch(() => [])) {
            if ((o.status === 'accepted' || o.status === 'partially_filled') && o.quantity > o.filledQuantity) await v.market.fill(o.brokerOrderId, o.quantity - o.filledQuantity).catch(() => undefined);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      try {
        for (const batch of [first, second]) {
          const held = new Map((await v.broker.holdings()).map((h) => [h.symbol, h.quantity + h.t1Quantity]));
          const text = JSON.stringify({ positions: batch.map((p) => ({ ...p, quantity: (held.get(p.symbol) ?? 0) + p.quantity })) });
          const service = engine(v.broker, store);
          const checked = await service.plan({ ...request(`symbol,target_quantity\n${heldSymbol},1\n`, kit), target: parseTargetPortfolio(text, 'kit.json'), targetText: text, source: 'kit.json', options: { newRun: true } } as RebalanceRequest);
          if (checked.kind !== 'checked') throw new Error(`planned ${checked.kind}`);
          const outcome = await service.execute(checked);
          service.release();
          const legs = (outcome as unknown as { legs?: { symbol: string; status: string; filled?: number; reason?: string }[] }).legs;
          expect(outcome.status, `${batch.map((p) => p.algo).join(', ')}: ${outcome.reason ?? ''} ${JSON.stringify(legs ?? outcome)}`).toBe('completed');
        }
      } finally {
        filling = false;
        await market;
        store.close();
      }
    }, { own: kitAccount(subject) }, 20_000);
  });
}
