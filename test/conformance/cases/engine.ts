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
import { failureOf, KIT_ACCOUNT, kitCase, sharedVenue, until } from '../kit.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/** A rebalance to target quantities, with market orders, as `ptexec rebalance` would ask today. */
function request(csv: string): RebalanceRequest {
  return {
    target: parseTargetPortfolio(csv, 'kit.csv'),
    targetText: csv,
    source: 'kit.csv',
    tradingDate: tradingDate('NSE', Date.now()),
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

    kitCase(subject, 'engine: an unknown symbol stops the plan with exit 2 before anything is sent', undefined, async (v) => {
      const store = openDatabase(':memory:');
      try {
        const service = engine(v().broker, store);
        const [booked, sent] = [v().market.bookedOrders(), writes(v())];
        const err = await failureOf(() => service.plan(request('symbol,exchange,target_quantity\nINFY,NSE,20\nNOSUCHSTOCK,NSE,5\n')));
        service.release();
        const report = describeError(err);
        expect(report.exitCode, report.message).toBe(ExitCode.usage);
        expect([report.message, ...report.details].join('\n')).toContain('NOSUCHSTOCK');
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
        const checked = await service.plan(request('symbol,exchange,target_quantity\nINFY,NSE,20\n'));
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
        const booked = await until(async () => (await v.broker.orders()).find((o) => o.symbol === 'INFY' && o.status === 'accepted'), 'the resumed run to place its order', 10_000);
        await v.market.fill(booked.brokerOrderId, booked.quantity);
        expect((await resumed).exitCode).toBe(ExitCode.ok);
        expect(v.market.bookedOrders()).toBe(1);
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, { own: { ...KIT_ACCOUNT, rateLimit: true } }, 20_000);
  });
}
